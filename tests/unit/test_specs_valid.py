"""The hand-written specs are valid OpenAPI and keep the rules of the house."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from tests.support import REPO, spec

SPECS = ["oca.yaml", "csam.yaml"]


@pytest.mark.parametrize("name", SPECS)
def test_spec_passes_openapi_spec_validator(name: str) -> None:
    document, _ = read_from_filename(str(REPO / "specs" / name))
    validate(document)


def _response_schemas(name: str) -> list[Any]:
    found = []
    for op in spec.operations(name):
        for response in op.definition["responses"].values():
            for media in spec.resolve(name, response).get("content", {}).values():
                found.append(spec.inline(name, media["schema"]))
    return found


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node] + [x for v in node.values() for x in _walk(v)]
    if isinstance(node, list):
        return [x for v in node for x in _walk(v)]
    return []


@pytest.mark.parametrize("name", SPECS)
def test_responses_have_no_closed_enums(name: str) -> None:
    """A value the server adds later must not break parsing: enums only on requests."""
    for schema in _response_schemas(name):
        assert not [n for n in _walk(schema) if "enum" in n]


def test_every_non_2xx_response_is_the_error_envelope() -> None:
    for op in spec.operations("oca.yaml"):
        for status, response in op.definition["responses"].items():
            if status.startswith("2"):
                continue
            schema = spec.inline(
                "oca.yaml", spec.resolve("oca.yaml", response)["content"]["application/json"]["schema"]
            )
            assert schema["required"] == ["_error"], (op.operation_id, status)
        assert "default" in op.definition["responses"], op.operation_id


@pytest.mark.parametrize("name", SPECS)
def test_operation_ids_are_unique(name: str) -> None:
    ids = [op.operation_id for op in spec.operations(name)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", SPECS)
def test_every_operation_documents_errors_and_rate_limits(name: str) -> None:
    for op in spec.operations(name):
        assert "default" in op.definition["responses"], op.operation_id
        if op.path != "/auth":  # the JWT endpoint is exempt from the rate limits
            assert "429" in op.definition["responses"], op.operation_id


def test_auth_is_the_same_in_every_gateway_spec() -> None:
    """The generator cannot share /auth across files, so the copies must not drift apart."""
    oca, csam = (spec.inline(name, spec.load(name)["paths"]["/auth"]) for name in SPECS)
    assert oca == csam


@pytest.mark.parametrize("name", SPECS)
def test_examples_match_their_schemas(name: str) -> None:
    """The samples in the spec are the Qualys samples: the schema must accept them as they are."""
    checked = 0
    for op in spec.operations(name):
        bodies = [op.definition.get("requestBody")]
        bodies += list(op.definition["responses"].values())
        for body in bodies:
            for media in (spec.resolve(name, body) or {}).get("content", {}).values():
                schema = spec.inline(name, media["schema"])
                examples = [media["example"]] if "example" in media else []
                examples += [e["value"] for e in media.get("examples", {}).values()]
                for example in examples:
                    checked += 1
                    assert list(OAS30Validator(schema).iter_errors(example)) == [], (op.operation_id, example)
    assert checked
