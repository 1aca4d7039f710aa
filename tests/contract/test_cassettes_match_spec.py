"""Every recorded request and response is valid against its OpenAPI spec (checked by openapi-core)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from qualys_sdk.testing.cassettes import Cassette, load_cassettes
from tests.support import CASSETTES, openapi_check

OCA = load_cassettes(CASSETTES / "oca")
ALL = [("oca.yaml", c) for c in OCA] + [("csam.yaml", c) for c in load_cassettes(CASSETTES / "csam")]


def _id(value: object) -> str:
    return value.name if isinstance(value, Cassette) else str(value).removesuffix(".yaml")


@pytest.mark.parametrize(("spec_name", "cassette"), ALL, ids=_id)
def test_request_is_valid(spec_name: str, cassette: Cassette) -> None:
    for interaction in cassette.interactions:
        assert openapi_check.request_errors(spec_name, cassette.operation_id, interaction) == []


@pytest.mark.parametrize(("spec_name", "cassette"), ALL, ids=_id)
def test_response_is_valid(spec_name: str, cassette: Cassette) -> None:
    for interaction in cassette.interactions:
        assert openapi_check.response_errors(spec_name, interaction) == []


def test_the_validator_rejects_what_the_spec_forbids() -> None:
    """The checks above can fail: broken requests and responses are caught."""
    (provision,) = next(c for c in OCA if c.name == "provisionAsset").interactions
    broken_request = replace(provision, request_body=b'{"hostIP": "1.2.3.4", "type": "Other"}')
    assert openapi_check.request_errors("oca.yaml", "provisionAsset", broken_request)
    broken_response = replace(provision, response_body=b'{"code": "200", "data": {}}')
    assert openapi_check.response_errors("oca.yaml", broken_response)

    (upload,) = next(c for c in OCA if c.name == "uploadCommandOutput").interactions
    multipart_type = {**upload.request_headers, "Content-Type": ["multipart/form-data; boundary=b"]}
    no_fields = replace(upload, request_body=b"--b--\r\n", request_headers=multipart_type)
    assert openapi_check.request_errors("oca.yaml", "uploadCommandOutput", no_fields)
    one_field = replace(no_fields, request_body=b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n--b--\r\n')
    assert openapi_check.request_errors("oca.yaml", "uploadCommandOutput", one_field) == []

    (upsert,) = next(c for c in ALL if c[1].name == "upsertBusinessAppMetadata")[1].interactions
    too_many = json.dumps({"data": [json.loads(upsert.request_body)["data"][0]] * 251}).encode()
    assert openapi_check.request_errors(
        "csam.yaml", "upsertBusinessAppMetadata", replace(upsert, request_body=too_many)
    )
    no_created = json.dumps({"data": [{"businessAppId": "a", "name": "n", "lastUpdated": 1}]}).encode()
    assert openapi_check.request_errors(
        "csam.yaml", "upsertBusinessAppMetadata", replace(upsert, request_body=no_created)
    )
