"""Generated models round-trip data drawn from their spec schemas, and emit valid payloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator, oas30_format_checker

import qualys_csam.models
import qualys_oca.models
from tests.support import spec, strategies

MODELS = {"oca.yaml": qualys_oca.models, "csam.yaml": qualys_csam.models}
SCHEMAS = {(name, key): schema for name in MODELS for key, schema in spec.schemas(name).items()}
OBJECTS = sorted(k for k, s in SCHEMAS.items() if s.get("type") == "object")


def _is_binary(schema: dict[str, Any]) -> bool:
    fields = [*schema.get("properties", {}).values(), schema.get("additionalProperties")]
    return any(isinstance(f, dict) and f.get("format") == "binary" for f in fields)


BINARY = [k for k in OBJECTS if _is_binary(SCHEMAS[k])]
JSON_OBJECTS = [k for k in OBJECTS if k not in BINARY]


def _id(key: tuple[str, str]) -> str:
    return f"{key[0].removesuffix('.yaml')}.{key[1]}"


def _errors(schema: dict[str, Any], value: Any) -> list[str]:
    return [e.message for e in OAS30Validator(schema, format_checker=oas30_format_checker).iter_errors(value)]


def test_every_object_schema_has_a_generated_model() -> None:
    assert all(hasattr(MODELS[spec_name], name) for spec_name, name in OBJECTS)
    assert {name for _, name in BINARY} == {"BulkCommandOutputUpload", "BulkProvisionUpload", "CommandOutputUpload"}


@pytest.mark.parametrize("key", JSON_OBJECTS, ids=_id)
@given(data=st.data())
def test_json_model_round_trips(key: tuple[str, str], data: st.DataObject) -> None:
    schema = SCHEMAS[key]
    value = data.draw(strategies.from_schema(schema), label=_id(key))
    assert _errors(schema, value) == [], "the strategy drew a value its own schema rejects"
    model_cls = getattr(MODELS[key[0]], key[1])
    model = model_cls.from_dict(value)
    payload = model.to_dict()
    assert model_cls.from_dict(payload) == model
    assert payload == value, "to_dict() lost or changed data that from_dict() read"
    assert _errors(schema, payload) == []


@pytest.mark.parametrize("key", BINARY, ids=_id)
@given(data=st.data())
def test_multipart_model_round_trips(key: tuple[str, str], data: st.DataObject) -> None:
    schema = SCHEMAS[key]
    value = data.draw(strategies.from_schema(schema), label=_id(key))
    model = getattr(MODELS[key[0]], key[1]).from_dict(value)
    sent = {field: file_tuple[1] for field, file_tuple in model.to_multipart()}
    assert set(sent) == set(value)
    for field, payload in sent.items():
        assert isinstance(payload, io.BytesIO)
        assert payload.getvalue() == value[field]
