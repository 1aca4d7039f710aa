"""The OpenAPI specs as the installed package ships them, and lookups into them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from qualys_sdk._specs import spec_file

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@cache
def load(name: str) -> dict[str, Any]:
    """A spec document (``"oca.yaml"``) as plain data."""
    data = yaml.safe_load(spec_file(name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    definition: dict[str, Any]


def operations(name: str) -> Iterator[Operation]:
    for path, item in load(name)["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield Operation(item[method]["operationId"], method.upper(), path, item[method])


def operation(name: str, operation_id: str) -> Operation:
    for op in operations(name):
        if op.operation_id == operation_id:
            return op
    raise LookupError(f"{name} has no operation {operation_id!r}")


def resolve(name: str, node: Any) -> Any:
    """Follow a local ``$ref`` (one level at a time, repeatedly) inside spec ``name``."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are used in the specs, got {ref}"
        node = load(name)
        for part in ref[2:].split("/"):
            node = node[part]
    return node


def inline(name: str, node: Any) -> Any:
    """A copy of ``node`` with every local ``$ref`` replaced by its target (the specs have no cycles)."""
    node = resolve(name, node)
    if isinstance(node, dict):
        return {k: inline(name, v) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(name, v) for v in node]
    return node


def schemas(name: str) -> dict[str, Any]:
    """``components/schemas`` of a spec, every reference inlined."""
    return {key: inline(name, value) for key, value in load(name)["components"]["schemas"].items()}
