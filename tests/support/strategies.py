"""Hypothesis strategies for the JSON Schema subset the OpenAPI specs use.

hypothesis-jsonschema 0.23.1, the library made for this, fails with current
Hypothesis ("'many' object has no attribute 'more'"), so this module covers
the keywords the specs use and refuses any other, so that a spec change
cannot silently narrow what is generated. Callers validate every generated
value against the schema with openapi-schema-validator as well.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Keywords that only document or that openapi-python-client ignores.
_ANNOTATIONS = {"description", "example", "examples", "default", "title", "readOnly", "writeOnly"}
_SUPPORTED = _ANNOTATIONS | {
    "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "minProperties", "minLength", "maxLength", "pattern", "enum", "format", "minimum", "maximum",
    "nullable", "oneOf",
}  # fmt: skip

_json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
_extra_names = st.text(st.characters(categories=["Ll"]), min_size=1, max_size=8).map(lambda s: f"x_{s}")


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    unknown = set(schema) - _SUPPORTED
    if unknown:
        raise NotImplementedError(
            f"no strategy for schema keywords {sorted(unknown)}: extend tests/support/strategies.py"
        )
    if schema.get("nullable"):
        return st.none() | from_schema({k: v for k, v in schema.items() if k != "nullable"})
    if "oneOf" in schema:
        # The specs' oneOf branches are disjoint types (string or integer).
        return st.one_of([from_schema(branch) for branch in schema["oneOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema)
    if kind == "array":
        return st.lists(
            from_schema(schema["items"]), min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 4)
        )
    if kind == "string":
        if schema.get("format") == "binary":
            return st.binary(max_size=64)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda s: len(s) >= schema.get("minLength", 0)
            )
        return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 30))
    if kind == "integer":
        wide = schema.get("format") == "int64"
        return st.integers(
            schema.get("minimum", -(2**63 if wide else 2**31)), schema.get("maximum", 2**63 - 1 if wide else 2**31)
        )
    if kind == "boolean":
        return st.booleans()
    raise NotImplementedError(f"no strategy for schema type {kind!r}")


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    extra = schema.get("additionalProperties", True)
    extra_values = from_schema(extra) if isinstance(extra, dict) else _json_scalars
    extras = (
        st.dictionaries(_extra_names.filter(lambda k: k not in properties), extra_values, max_size=3)
        if extra is not False
        else st.just({})
    )

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        value: dict[str, Any] = {}
        for name, sub in properties.items():
            if name in required or draw(st.booleans()):
                value[name] = draw(from_schema(sub))
        value.update(draw(extras))
        if len(value) < schema.get("minProperties", 0):
            value.update(
                draw(st.dictionaries(_extra_names, extra_values, min_size=schema["minProperties"], max_size=3))
            )
        return value

    return build()
