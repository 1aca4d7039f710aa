"""The specs and XSDs the SDK ships (:func:`qualys_sdk._specs.spec_file`), loaded once, as the check reads them.

Needs the ``[contract]`` extra: :func:`require` imports its modules and loads every spec, so that a missing
package or spec is known before the first request is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._specs import envelope_schema, openapi, resolve

#: The OpenAPI spec of each JSON API the plan calls.
OPENAPI = {"oca": "oca.yaml"}
#: Where the XSDs keep the known values of an open string type (``<xs:appinfo><sdk:knownValue>``).
KNOWN_VALUE_TAG = "{urn:qualys-sdk:xsd-annotations}knownValue"


def require() -> None:
    """Import the extra's modules and load every spec: raises ImportError (naming the module) or
    FileNotFoundError (naming the spec) now rather than half-way through a check."""
    import openapi_schema_validator  # noqa: F401, PLC0415

    for name in OPENAPI.values():
        openapi(name)
    envelope_schema()


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
def known_values() -> dict[str, frozenset[str]]:
    """The known values of each open string type of the XSDs, by type name (``AgentStatus``: ACTIVE, INACTIVE)."""
    found: dict[str, frozenset[str]] = {}
    for name, xsd_type in envelope_schema().types.items():
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
