"""Request validation driven by the same specs the clients are generated from.

OpenAPI operations (``oca.yaml``, ``csam.yaml``): parameters and bodies are checked against the spec's own
schemas with an OpenAPI 3.0 JSON Schema validator. QPS XML bodies are checked against the agentactkey
XSDs. Specs are read from package data (:func:`qualys_sdk._specs.spec_file`), once, on first use.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from qualys_sdk._specs import envelope_schema, openapi, resolve

from .limits import MAX_QUOTE, clip

#: Problems reported per request: enough to fix it, few enough that a body of a million bad records is cheap.
MAX_PROBLEMS = 5
_INT = re.compile(r"^-?[0-9]+$")  # ASCII digits: int() would also take "٣" (3) and "¹" (an error)


@dataclass(frozen=True)
class Operation:
    """What validation needs of one spec operation: its parameters and request bodies."""

    spec: str
    operation_id: str
    parameters: tuple[dict[str, Any], ...]
    body_required: bool
    bodies: dict[str, dict[str, Any]]


@functools.cache
def operation(spec_name: str, operation_id: str) -> Operation:
    """The operation ``operation_id`` of the spec ``spec_name`` (``oca.yaml``, ``csam.yaml``)."""
    spec = openapi(spec_name)
    for item in spec["paths"].values():
        for method, op in item.items():
            if method in ("get", "post", "put", "delete", "patch") and op.get("operationId") == operation_id:
                params = tuple(resolve(spec, p) for p in op.get("parameters", []))
                body = resolve(spec, op.get("requestBody", {}))
                bodies = {ctype: media.get("schema", {}) for ctype, media in body.get("content", {}).items()}
                return Operation(spec_name, operation_id, params, bool(body.get("required")), bodies)
    raise KeyError(f"{spec_name} has no operation {operation_id}")


@functools.cache
def _validator(spec_name: str) -> Any:
    from openapi_schema_validator import OAS30Validator, oas30_format_checker  # noqa: PLC0415

    components = openapi(spec_name)["components"]
    return lambda schema: OAS30Validator(
        {"allOf": [schema], "components": components}, format_checker=oas30_format_checker
    )


def schema_errors(spec_name: str, schema: dict[str, Any], value: Any, limit: int = MAX_PROBLEMS) -> list[str]:
    """The first ``limit`` problems of ``value``, each quoting at most a short excerpt of it."""
    validator = _validator(spec_name)(schema)
    return [
        clip(f"{'/'.join(str(p) for p in e.absolute_path)[:MAX_QUOTE] or 'body'}: {e.message}", 2 * MAX_QUOTE)
        for e in itertools.islice(validator.iter_errors(value), limit)
    ]


def _coerce(schema: dict[str, Any], text: str) -> Any:
    kind = schema.get("type")
    if kind == "integer" and _INT.match(text):
        return int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def check_parameters(op: Operation, path: dict[str, str], query: dict[str, str], headers: dict[str, str]) -> list[str]:
    """Problems with the operation's path, query and header parameters (header names lower case)."""
    problems = []
    sources = {"path": path, "query": query, "header": {k.lower(): v for k, v in headers.items()}}
    for param in op.parameters:
        where, name = param["in"], param["name"]
        raw = sources.get(where, {}).get(name.lower() if where == "header" else name)
        if raw is None:
            if param.get("required"):
                problems.append(f"{where} parameter {name} is required")
            continue
        schema = param.get("schema", {})
        problems += [f"{where} parameter {name}: {m}" for m in schema_errors(op.spec, schema, _coerce(schema, raw))]
    return problems


def check_body(op: Operation, content_type: str, value: Any) -> list[str]:
    """Problems with a decoded body: JSON, or a form as ``{field: str}`` (file parts as their file name)."""
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    schema = op.bodies.get(media)
    if schema is None:
        return [f"unsupported content type {media or '(none)'}; expected {', '.join(op.bodies)}"]
    if media.startswith("application/x-www-form-urlencoded") and isinstance(value, dict):
        properties = resolve(openapi(op.spec), schema).get("properties", {})
        value = {k: _coerce(properties.get(k, {}), v) if isinstance(v, str) else v for k, v in value.items()}
    return schema_errors(op.spec, schema, value)


def xml_errors(document: bytes) -> list[str]:
    """Problems of a QPS request document against the agentactkey XSDs (call after the safe parse)."""
    import xmlschema  # noqa: PLC0415  # the [sim] extra

    schema = envelope_schema()
    try:
        errors = list(itertools.islice(schema.iter_errors(io.BytesIO(document)), MAX_PROBLEMS))
    except xmlschema.XMLSchemaException as exc:
        # The validator itself gives up on some documents (an xsi:type naming no type of the schema raises
        # XMLSchemaKeyError): that is a refusal of the document too, never a server error.
        return [clip(f"{type(exc).__name__}: {exc}", 2 * MAX_QUOTE)]
    return [clip(str(e.reason or e.message), 2 * MAX_QUOTE) for e in errors]
