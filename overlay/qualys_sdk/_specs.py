"""The specs the clients are generated from, shipped inside the package.

The simulator and the contract validators load them from here, so they read
exactly the spec the installed client was generated from.

A wheel carries them as ``qualys_sdk/specs/`` (pyproject's force-include). An
editable install (``pip install -e .``) maps the package to ``overlay/qualys_sdk``,
where there is no such folder: the repository's ``specs/`` beside ``overlay/`` is
then the one the generated code was made from, and is used instead.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

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


@functools.cache
def openapi(name: str) -> dict[str, Any]:
    """The OpenAPI spec ``name`` (``oca.yaml``, ``csam.yaml``) as a dict, read once (PyYAML: [sim] or [contract])."""
    import yaml  # noqa: PLC0415  # an extra's; the client itself never reads a spec

    loaded: dict[str, Any] = yaml.safe_load(spec_file(name).read_text("utf-8"))
    return loaded


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """``node`` with its ``$ref`` (local to ``spec``) followed, as often as it takes."""
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@functools.cache
def envelope_schema() -> Any:
    """The agentactkey XSDs (xmlschema: [sim] or [contract]), from the envelope that includes the others."""
    import xmlschema  # noqa: PLC0415

    with ExitStack() as stack:
        # The envelope's includes are relative paths: load it from a real directory.
        path = stack.enter_context(as_file(spec_file("agentactkey/envelope.xsd")))
        return xmlschema.XMLSchema10(str(path))
