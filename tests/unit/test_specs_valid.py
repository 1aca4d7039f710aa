"""The hand-written specs are valid OpenAPI and keep the rules of the house."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from tests.support import REPO, spec


def test_oca_spec_passes_openapi_spec_validator() -> None:
    document, _ = read_from_filename(str(REPO / "specs" / "oca.yaml"))
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


def test_responses_have_no_closed_enums() -> None:
    """A value the server adds later must not break parsing: enums only on requests."""
    for schema in _response_schemas("oca.yaml"):
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


def test_operation_ids_are_unique() -> None:
    ids = [op.operation_id for op in spec.operations("oca.yaml")]
    assert len(ids) == len(set(ids))
