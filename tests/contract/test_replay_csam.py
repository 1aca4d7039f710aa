"""Every CSAM cassette replayed through the generated CSAM client (qualys_csam) with respx."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import pytest
import respx

from qualys_csam import AuthenticatedClient, Client
from qualys_csam.api.assets import update_asset_business_metadata
from qualys_csam.api.auth import fetch_token
from qualys_csam.api.business_apps import upsert_business_app_metadata
from qualys_csam.models import (
    AssetMetadata,
    AssetMetadataImportRequest,
    AssignedLocation,
    AuthRequest,
    BusinessAppImportRequest,
    ErrorResponse,
    ImportResponse,
)
from qualys_csam.types import Response
from qualys_sdk.testing.cassettes import Cassette, Interaction, load_cassettes
from tests.support import CASSETTES
from tests.support.replay import BASE_URL, assert_same_request

CSAM = load_cassettes(CASSETTES / "csam")


def _fetch_token(_: AuthenticatedClient, i: Interaction) -> Response[Any]:
    form = dict(parse_qsl(i.request_body.decode()))
    body = AuthRequest(username=form["username"], password=form["password"], token=form["token"] == "true")
    return fetch_token.sync_detailed(client=Client(base_url=BASE_URL), body=body)


CALLS: dict[str, Callable[[AuthenticatedClient, Interaction], Response[Any]]] = {
    "fetchToken": _fetch_token,
    "upsertBusinessAppMetadata": lambda c, i: upsert_business_app_metadata.sync_detailed(
        client=c, body=BusinessAppImportRequest.from_dict(json.loads(i.request_body))
    ),
    "updateAssetBusinessMetadata": lambda c, i: update_asset_business_metadata.sync_detailed(
        client=c, body=AssetMetadataImportRequest.from_dict(json.loads(i.request_body))
    ),
}


def _replay(cassette: Cassette) -> tuple[Response[Any], Interaction]:
    (recorded,) = cassette.interactions
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as mock:
        route = mock.route(method=recorded.method, path=recorded.path).mock(side_effect=recorded.to_httpx_response)
        response = CALLS[cassette.operation_id](AuthenticatedClient(base_url=BASE_URL, token="<JWT>"), recorded)
    assert_same_request(route.calls.last.request, recorded, ("authorization",))
    return response, recorded


@pytest.mark.parametrize("cassette", CSAM, ids=lambda c: c.name)
def test_replay(cassette: Cassette) -> None:
    response, recorded = _replay(cassette)
    assert response.status_code == recorded.status
    if cassette.operation_id == "fetchToken":
        assert response.parsed == recorded.response_body.decode()
        return
    expected_type = ImportResponse if recorded.status < 400 else ErrorResponse
    assert isinstance(response.parsed, expected_type)
    assert response.parsed.to_dict() == json.loads(recorded.response_body)


def test_every_operation_is_replayed() -> None:
    assert {c.operation_id for c in CSAM} == set(CALLS)


def _cassette(name: str) -> Cassette:
    return next(c for c in CSAM if c.name == name)


def test_typed_values_of_the_samples() -> None:
    upsert, recorded = _replay(_cassette("upsertBusinessAppMetadata"))
    assert isinstance(upsert.parsed, ImportResponse)
    assert upsert.parsed.response_code == "SUCCESS"
    assert upsert.parsed.failed_ids is None
    assert upsert.parsed.request_id == "8e9b3fd5-bb89-4666-a472-4bc5758335a2"
    sent = BusinessAppImportRequest.from_dict(json.loads(recorded.request_body))
    assert [(a.business_app_id, a.name, a.created, a.last_updated) for a in sent.data] == [
        ("2fc86c650a0a0bb4003698b5331640df", "Banking Service", 1620643264000, 1620653309000),
        ("5678f28f933a31003b4bb095e57ffb88", "Customer Support Portal", 1620643264000, 1620653309000),
    ]

    _, recorded = _replay(_cassette("updateAssetBusinessMetadata"))
    assets = AssetMetadataImportRequest.from_dict(json.loads(recorded.request_body)).data
    assert [a.qualys_asset_id for a in assets] == ["6420613", "6286688"]
    metadata = assets[1].metadata
    assert isinstance(metadata, AssetMetadata)
    location = metadata.assigned_location
    assert isinstance(location, AssignedLocation)
    assert (location.city, location.country) == ("Roma", "Italy")
    assert metadata.business_app_ids == [
        "27d415a8c0a8000b00ffe2ab0f82e8d2",
        "5678f28f933a31003b4bb095e57ffb88",
    ]

    failed, _ = _replay(_cassette("updateAssetBusinessMetadata__failed_ids"))
    assert isinstance(failed.parsed, ImportResponse)
    assert failed.parsed.failed_ids == ["9999999"]

    limited, _ = _replay(_cassette("updateAssetBusinessMetadata__429"))
    assert isinstance(limited.parsed, ErrorResponse)
    assert limited.headers["x-ratelimit-towait-sec"] == "17"

    expired, _ = _replay(_cassette("upsertBusinessAppMetadata__401"))
    assert isinstance(expired.parsed, ErrorResponse)
    assert expired.parsed.message == "JWT expired"
