"""The specs and XSDs the SDK ships (:func:`qualys_sdk._specs.spec_file`), loaded once, as the check reads them.

Needs the ``[contract]`` extra: :func:`require` imports its modules and loads every spec, so that a missing
package or spec is known before the first request is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from importlib.resources import as_file
from typing import Any

from .._specs import spec_file

#: The OpenAPI spec of each JSON API the plan calls.
OPENAPI = {"oca": "oca.yaml"}
#: The entry point of the QPS XSDs (it includes the others).
ENVELOPE_XSD = "agentactkey/envelope.xsd"
#: Where the XSDs keep the known values of an open string type (``<xs:appinfo><sdk:knownValue>``).
KNOWN_VALUE_TAG = "{urn:qualys-sdk:xsd-annotations}knownValue"


def require() -> None:
    """Import the extra's modules and load every spec: raises ImportError (naming the module) or
    FileNotFoundError (naming the spec) now rather than half-way through a check."""
    import openapi_schema_validator  # noqa: F401, PLC0415

    for name in OPENAPI.values():
        openapi(name)
    xml_schema()


@functools.cache
def openapi(name: str) -> dict[str, Any]:
    import yaml  # noqa: PLC0415  # the [contract] extra

    loaded: dict[str, Any] = yaml.safe_load(spec_file(name).read_text("utf-8"))
    return loaded


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """``node`` with its ``$ref`` (local to the spec) followed, as often as it takes."""
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@dataclass(frozen=True)
class ResponseSpec:
    """The response a spec documents for a status: how it was matched (``exact``, ``range`` for ``4XX``,
    ``default``), its headers and its content by media type."""

    key: str
    matched: str
    headers: Mapping[str, Any]
    content: Mapping[str, Any]


def operation(spec_name: str, operation_id: str) -> dict[str, Any]:
    """The operation object of ``operation_id``; KeyError naming both when the spec has none."""
    spec = openapi(spec_name)
    for item in spec["paths"].values():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id and method != "parameters":
                return op
    raise KeyError(f"{spec_name} has no operation {operation_id!r}")


def documented_statuses(spec_name: str, operation_id: str) -> list[str]:
    """The statuses the operation lists (``default`` left out): ``["200", "401", "404", "429"]``."""
    return [key for key in operation(spec_name, operation_id)["responses"] if key != "default"]


def response_for(spec_name: str, operation_id: str, status: int) -> ResponseSpec | None:
    """The documented response for ``status``: the exact code, else its range (``5XX``), else ``default``."""
    spec = openapi(spec_name)
    responses = operation(spec_name, operation_id)["responses"]
    for key, matched in ((str(status), "exact"), (f"{status // 100}XX", "range"), ("default", "default")):
        if key in responses:
            found = resolve(spec, responses[key])
            headers = {name: resolve(spec, value) for name, value in (found.get("headers") or {}).items()}
            return ResponseSpec(key, matched, headers, found.get("content") or {})
    return None


@functools.cache
def components(spec_name: str) -> dict[str, Any]:
    components: dict[str, Any] = openapi(spec_name)["components"]
    return components


@functools.cache
def xml_schema() -> Any:
    """The agentactkey envelope schema (xmlschema), with every include."""
    import xmlschema  # noqa: PLC0415  # the [contract] extra

    with ExitStack() as stack:
        # The envelope's includes are relative paths: load it from a real directory.
        path = stack.enter_context(as_file(spec_file(ENVELOPE_XSD)))
        return xmlschema.XMLSchema10(str(path))


@functools.cache
def known_values() -> dict[str, frozenset[str]]:
    """The known values of each open string type of the XSDs, by type name (``AgentStatus``: ACTIVE, INACTIVE)."""
    found: dict[str, frozenset[str]] = {}
    for name, xsd_type in xml_schema().types.items():
        annotation = getattr(xsd_type, "annotation", None)
        values = [
            (child.text or "").strip()
            for appinfo in (annotation.appinfo if annotation is not None else [])
            for child in appinfo
            if child.tag == KNOWN_VALUE_TAG
        ]
        if values:
            found[name] = frozenset(values)
    return found
