"""The ``qualys`` command (``[cli]`` extra).

Each subcommand group is a sibling module, listed in ``_common.SUBCOMMANDS`` and imported only when it runs.

Credentials and platform come from the root options, then ``QUALYS_*`` variables, then the config file;
``qualys demo`` and ``qualys sim`` need none. Nothing provisions, revokes, deletes or imports unless the
command says so. This module imports nothing of typer or rich, so that ``qualys`` without the ``[cli]`` extra
can say which extra to install.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer import Typer

    app: Typer

#: Top-level modules of the optional extras, by the extra that brings them.
EXTRAS = {
    "typer": "cli",
    "rich": "cli",
    "uvicorn": "sim",
    "starlette": "sim",
    "yaml": "sim",
    "multipart": "sim",
    "python_multipart": "sim",
    "openapi_schema_validator": "sim",
    "xmlschema": "sim",
    "jsonpatch": "sim",
}


def extra_for(exc: ImportError) -> str | None:
    """The extra that provides the module an ImportError names, or None when it is no extra's."""
    return EXTRAS.get((exc.name or "").split(".")[0])


def main() -> None:
    """The ``qualys`` console script."""
    try:
        importlib.import_module("typer")
        if importlib.util.find_spec("rich") is None:
            raise ModuleNotFoundError("No module named 'rich'", name="rich")
        from ._common import run  # noqa: PLC0415
    except ImportError as exc:
        extra = extra_for(exc)
        if extra is None:
            raise
        sys.stderr.write(f"error: the qualys command needs the [{extra}] extra ({exc.name} is missing): "
                         f"pip install 'qualys-sdk[{extra}]'\n")  # fmt: skip
        sys.exit(11)  # EXIT_RESOURCE: a local resource (here a package) is unavailable
    run()


def __getattr__(name: str) -> Any:
    """``app``: the root typer app (imports typer)."""
    if name == "app":
        from ._common import app  # noqa: PLC0415

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
