"""A JSON (or text) body against its OpenAPI 3.0 schema: jsonschema's errors, graded, plus unknown fields.

The specs keep response objects open (no ``additionalProperties: false``: a field Qualys adds must not break
the SDK), so a schema validator accepts unknown fields; :func:`unknown_fields` walks the body beside its
schema and reports each field no ``properties`` declares. Values outside an ``enum`` are additive (a new
value of a documented set); every other schema error is breaking, because the generated models and the SDK's
converters are built on exactly these schemas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .._specs import openapi, resolve
from . import specs
from .findings import Finding, Grade, clip, describe, is_secret, json_path

#: jsonschema keywords whose failure says the value is of another shape than documented.
_SHAPE = {"type", "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
          "exclusiveMaximum", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
          "multipleOf", "const", "not", "oneOf", "anyOf"}  # fmt: skip


def check_json(spec_name: str, operation_id: str, schema: Mapping[str, Any], value: Any, *,
               secret: bool = False) -> list[Finding]:  # fmt: skip
    """Every difference between ``value`` and ``schema`` (a schema of spec ``spec_name``); ``secret``: the
    whole value is one (the token), so no finding quotes it."""
    from openapi_schema_validator import OAS30Validator, oas30_format_checker  # noqa: PLC0415  # [contract]

    validator = OAS30Validator(
        {"allOf": [dict(schema)], "components": specs.components(spec_name)}, format_checker=oas30_format_checker
    )
    findings = [f for error in validator.iter_errors(value) for f in _graded(operation_id, error, secret)]
    spec = openapi(spec_name)
    findings += [
        Finding(Grade.ADDITIVE, operation_id, "unknown-field", json_path(path), "no such field in the spec",
                describe(field_value, secret=True))  # an unknown field may hold anything: never quoted
        for path, field_value in unknown_fields(spec, schema, value)
    ]  # fmt: skip
    return findings


def _graded(operation_id: str, error: Any, secret: bool) -> Iterator[Finding]:
    path = list(error.absolute_path)
    where = json_path(path)
    hidden = secret or is_secret(path)
    keyword, expected = str(error.validator), error.validator_value
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for name in expected:
            if name not in instance:
                yield Finding(Grade.BREAKING, operation_id, "missing-field", json_path([*path, name]),
                              "a required field", "nothing")  # fmt: skip
    elif keyword == "enum":
        known = clip(", ".join(map(str, expected)))
        yield Finding(Grade.ADDITIVE, operation_id, "new-value", where, f"one of {known}",
                      describe(error.instance, secret=hidden))  # fmt: skip
    elif keyword == "additionalProperties":
        declared = set((error.schema.get("properties") or {}).keys())
        for name in sorted(set(error.instance) - declared):
            got = describe(error.instance[name], secret=True)
            yield Finding(Grade.ADDITIVE, operation_id, "unknown-field", json_path([*path, name]),
                          "no such field (the schema is closed)", got)  # fmt: skip
    elif keyword == "type":
        nullable = " or null" if error.schema.get("nullable") else ""
        yield Finding(Grade.BREAKING, operation_id, "wrong-type", where, f"type {expected}{nullable}",
                      describe(error.instance, secret=hidden))  # fmt: skip
    else:
        kind = "wrong-format" if keyword in ("format", "pattern") else "wrong-value" if keyword in _SHAPE else keyword
        yield Finding(Grade.BREAKING, operation_id, kind, where, clip(f"{keyword} {expected}"),
                      describe(error.instance, secret=hidden))  # fmt: skip


def unknown_fields(spec: Mapping[str, Any], schema: Any, value: Any,
                   path: Sequence[Any] = ()) -> Iterator[tuple[list[Any], Any]]:  # fmt: skip
    """(path, value) of each field of ``value`` that its (open) schema does not declare.

    Follows ``$ref``, ``allOf`` (merged), ``properties``, ``items`` and ``additionalProperties`` schemas.
    A schema with ``additionalProperties`` set (``false``: the validator reports extras; ``true`` or a
    schema: extras are declared) is not open in this sense. ``oneOf``/``anyOf`` are not walked: which branch
    an unknown field belongs to is not decidable (the specs use neither in a response).
    """
    schema = _merged(spec, schema)
    if isinstance(value, dict) and (schema.get("type") == "object" or "properties" in schema):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                yield from unknown_fields(spec, properties[name], item, [*path, name])
            elif isinstance(extra, Mapping):
                yield from unknown_fields(spec, extra, item, [*path, name])
            elif extra is None:
                yield [*path, name], item
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from unknown_fields(spec, schema["items"], item, [*path, index])


def _merged(spec: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """The schema with ``$ref`` followed and ``allOf`` parts merged (their properties together)."""
    resolved = resolve(spec, schema)
    if not isinstance(resolved, Mapping):
        return {}
    merged = {k: v for k, v in resolved.items() if k != "allOf"}
    for part in resolved.get("allOf") or []:
        inner = _merged(spec, part)
        merged["properties"] = {**(inner.get("properties") or {}), **(merged.get("properties") or {})}
        for key, item in inner.items():
            merged.setdefault(key, item)
    return merged
