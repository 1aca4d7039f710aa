"""Every recorded request and response is valid against specs/oca.yaml (checked by openapi-core)."""

from __future__ import annotations

import pytest

from qualys_sdk.testing.cassettes import Cassette, load_cassettes
from tests.support import CASSETTES, openapi_check

OCA = load_cassettes(CASSETTES / "oca")


@pytest.mark.parametrize("cassette", OCA, ids=lambda c: c.name)
def test_request_is_valid(cassette: Cassette) -> None:
    for interaction in cassette.interactions:
        assert openapi_check.request_errors("oca.yaml", cassette.operation_id, interaction) == []


@pytest.mark.parametrize("cassette", OCA, ids=lambda c: c.name)
def test_response_is_valid(cassette: Cassette) -> None:
    for interaction in cassette.interactions:
        assert openapi_check.response_errors("oca.yaml", interaction) == []


def test_the_validator_rejects_what_the_spec_forbids() -> None:
    """The checks above can fail: a broken request and a broken response are caught."""
    (provision,) = next(c for c in OCA if c.name == "provisionAsset").interactions
    broken_request = type(provision)(
        **{**provision.__dict__, "request_body": b'{"hostIP": "1.2.3.4", "type": "Other"}'}
    )
    assert openapi_check.request_errors("oca.yaml", "provisionAsset", broken_request)
    broken_response = type(provision)(**{**provision.__dict__, "response_body": b'{"code": "200", "data": {}}'})
    assert openapi_check.response_errors("oca.yaml", broken_response)
    (upload,) = next(c for c in OCA if c.name == "uploadCommandOutput").interactions
    empty = b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n--b--\r\n'
    no_fields = type(upload)(
        **{
            **upload.__dict__,
            "request_body": b"--b--\r\n",
            "request_headers": {**upload.request_headers, "Content-Type": ["multipart/form-data; boundary=b"]},
        }
    )
    assert openapi_check.request_errors("oca.yaml", "uploadCommandOutput", no_fields)
    one_field = type(upload)(**{**no_fields.__dict__, "request_body": empty})
    assert openapi_check.request_errors("oca.yaml", "uploadCommandOutput", one_field) == []
