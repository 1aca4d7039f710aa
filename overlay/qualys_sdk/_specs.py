"""The specs the clients are generated from, shipped inside the package.

The simulator and the contract validators load them from here, so they read
exactly the spec the installed client was generated from.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def spec_file(name: str) -> Traversable:
    """A file under ``specs/``, e.g. ``spec_file("oca.yaml")``.

    Raises ``FileNotFoundError`` naming the file when the package does not carry it.
    """
    resource = files("qualys_sdk").joinpath("specs", *name.split("/"))
    if not resource.is_file():
        raise FileNotFoundError(f"qualys_sdk ships no spec named {name!r} (looked for {resource})")
    return resource
