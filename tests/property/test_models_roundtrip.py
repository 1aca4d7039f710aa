"""Generated models round-trip data drawn from their spec schemas, and emit valid payloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator, oas30_format_checker

import qualys_oca.models
from tests.support import spec, strategies

SCHEMAS = spec.schemas("oca.yaml")
OBJECTS = sorted(n for n, s in SCHEMAS.items() if s.get("type") == "object")
BINARY = {
    n
    for n in OBJECTS
    if any(
        p.get("format") == "binary"
        for p in [*SCHEMAS[n].get("properties", {}).values(), SCHEMAS[n].get("additionalProperties") or {}]
        if isinstance(p, dict)
    )
}
JSON_OBJECTS = [n for n in OBJECTS if n not in BINARY]


def _errors(schema: dict[str, Any], value: Any) -> list[str]:
    return [e.message for e in OAS30Validator(schema, format_checker=oas30_format_checker).iter_errors(value)]


def test_every_object_schema_has_a_generated_model() -> None:
    assert OBJECTS
    assert all(hasattr(qualys_oca.models, name) for name in OBJECTS)
    assert {"BulkCommandOutputUpload", "BulkProvisionUpload", "CommandOutputUpload"} == BINARY


@pytest.mark.parametrize("name", JSON_OBJECTS)
@given(data=st.data())
def test_json_model_round_trips(name: str, data: st.DataObject) -> None:
    schema = SCHEMAS[name]
    value = data.draw(strategies.from_schema(schema), label=name)
    assert _errors(schema, value) == [], "the strategy drew a value its own schema rejects"
    model_cls = getattr(qualys_oca.models, name)
    model = model_cls.from_dict(value)
    payload = model.to_dict()
    assert model_cls.from_dict(payload) == model
    assert payload == value, "to_dict() lost or changed data that from_dict() read"
    assert _errors(schema, payload) == []


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_multipart_model_round_trips(name: str, data: st.DataObject) -> None:
    schema = SCHEMAS[name]
    value = data.draw(strategies.from_schema(schema), label=name)
    model = getattr(qualys_oca.models, name).from_dict(value)
    sent = {field: file_tuple[1] for field, file_tuple in model.to_multipart()}
    assert set(sent) == set(value)
    for field, payload in sent.items():
        assert isinstance(payload, io.BytesIO)
        assert payload.getvalue() == value[field]
