"""The specs the clients are generated from, shipped inside the package.

The simulator and the contract validators load them from here, so they read
exactly the spec the installed client was generated from.

A wheel carries them as ``qualys_sdk/specs/`` (pyproject's force-include). An
editable install (``pip install -e .``) maps the package to ``overlay/qualys_sdk``,
where there is no such folder: the repository's ``specs/`` beside ``overlay/`` is
then the one the generated code was made from, and is used instead.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

#: ``<repository>/specs`` when this module runs from a checkout (``<repository>/overlay/qualys_sdk/_specs.py``).
_CHECKOUT_SPECS = Path(__file__).resolve().parent.parent.parent / "specs"


def spec_file(name: str) -> Traversable:
    """A file under ``specs/``, e.g. ``spec_file("oca.yaml")``.

    Looks in the package first, then in the repository checkout the package runs from (editable installs).
    Raises ``FileNotFoundError`` naming the file and both places when neither has it.
    """
    parts = name.split("/")
    resource = files("qualys_sdk").joinpath("specs", *parts)
    if resource.is_file():
        return resource
    checkout = _CHECKOUT_SPECS.joinpath(*parts)
    if _CHECKOUT_SPECS.parent.joinpath("overlay", "qualys_sdk").is_dir() and checkout.is_file():
        return checkout
    raise FileNotFoundError(f"qualys_sdk ships no spec named {name!r} (looked for {resource} and {checkout})")
