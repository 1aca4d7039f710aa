"""Every cassette replayed through the generated OCA client (qualys_oca) with respx.

Each test calls the generated operation with the arguments the recorded
request carries, checks that the client sends that request (method, path,
query, headers, body), and that the recorded response comes back parsed into
the typed model with the sample's values.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

import pytest
import respx

from qualys_oca import AuthenticatedClient, Client
from qualys_oca.api.assets import delete_asset, get_asset_status, get_subscription_asset_status, provision_asset
from qualys_oca.api.auth import fetch_token
from qualys_oca.api.bulk import provision_assets_bulk, revoke_assets_bulk
from qualys_oca.api.commands import list_asset_commands, upload_command_output, upload_command_output_bulk
from qualys_oca.api.technologies import list_technologies, list_technology_commands
from qualys_oca.models import (
    AssetListRequest,
    AssetRequest,
    AssetStatusListResponse,
    AssetStatusResponse,
    AssetUUIDResponse,
    AuthRequest,
    BulkCommandOutputUpload,
    BulkProvisionCount,
    BulkProvisionResponse,
    BulkProvisionUpload,
    BulkRevokeResponse,
    CommandListResponse,
    CommandOutputUpload,
    ErrorResponse,
    MessageResponse,
    TechnologyListResponse,
)
from qualys_oca.types import File, Response
from qualys_sdk.testing.cassettes import Cassette, Interaction, load_cassettes
from tests.support import CASSETTES, multipart
from tests.support.replay import BASE_URL, assert_same_request, recorded_parts

OCA = load_cassettes(CASSETTES / "oca")
Call = Callable[[AuthenticatedClient, Interaction], Response[Any]]


def _segment(interaction: Interaction, index: int) -> str:
    return unquote(interaction.path.split("/")[index])


def _file(part: multipart.Part) -> File:
    return File(payload=io.BytesIO(part.data), file_name=part.filename, mime_type=part.content_type)


def _command_outputs(interaction: Interaction) -> CommandOutputUpload:
    body = CommandOutputUpload()
    for part in recorded_parts(interaction):
        body[part.name] = _file(part)
    return body


def _fetch_token(client: AuthenticatedClient, i: Interaction) -> Response[Any]:
    form = dict(parse_qsl(i.request_body.decode()))
    # /auth takes no token: the unauthenticated client, intercepted by the same respx mock.
    anonymous = Client(base_url=BASE_URL)
    body = AuthRequest(username=form["username"], password=form["password"], token=form["token"] == "true")
    return fetch_token.sync_detailed(client=anonymous, body=body)


CALLS: dict[str, Call] = {
    "fetchToken": _fetch_token,
    "listTechnologies": lambda c, i: list_technologies.sync_detailed(client=c),
    "provisionAsset": lambda c, i: provision_asset.sync_detailed(
        client=c, body=AssetRequest.from_dict(json.loads(i.request_body))
    ),
    "getAssetStatus": lambda c, i: get_asset_status.sync_detailed(_segment(i, 4), client=c),
    "listTechnologyCommands": lambda c, i: list_technology_commands.sync_detailed(_segment(i, 4), client=c),
    "listAssetCommands": lambda c, i: list_asset_commands.sync_detailed(_segment(i, 4), client=c),
    "uploadCommandOutput": lambda c, i: upload_command_output.sync_detailed(
        _segment(i, 4), client=c, body=_command_outputs(i)
    ),
    "uploadCommandOutputBulk": lambda c, i: upload_command_output_bulk.sync_detailed(
        _segment(i, 4), client=c, body=BulkCommandOutputUpload(data=_file(recorded_parts(i)[0]))
    ),
    "deleteAsset": lambda c, i: delete_asset.sync_detailed(_segment(i, 4), client=c),
    "provisionAssetsBulk": lambda c, i: provision_assets_bulk.sync_detailed(
        client=c, body=BulkProvisionUpload(data=_file(recorded_parts(i)[0])), manifest_types="PolicyCompliance"
    ),
    "revokeAssetsBulk": lambda c, i: revoke_assets_bulk.sync_detailed(
        client=c, body=AssetListRequest.from_dict(json.loads(i.request_body))
    ),
    "getSubscriptionAssetStatus": lambda c, i: get_subscription_asset_status.sync_detailed(
        int(_segment(i, 6)), client=c
    ),
}

SUCCESS_MODELS: dict[str, type[Any]] = {
    "fetchToken": str,
    "listTechnologies": TechnologyListResponse,
    "provisionAsset": AssetUUIDResponse,
    "getAssetStatus": AssetStatusResponse,
    "listTechnologyCommands": CommandListResponse,
    "listAssetCommands": CommandListResponse,
    "uploadCommandOutput": MessageResponse,
    "uploadCommandOutputBulk": MessageResponse,
    "deleteAsset": AssetUUIDResponse,
    "provisionAssetsBulk": BulkProvisionResponse,
    "revokeAssetsBulk": BulkRevokeResponse,
    "getSubscriptionAssetStatus": AssetStatusListResponse,
}


@pytest.mark.parametrize("cassette", OCA, ids=lambda c: c.name)
def test_replay(cassette: Cassette) -> None:
    (recorded,) = cassette.interactions
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as mock:
        route = mock.route(method=recorded.method, path=unquote(recorded.path)).mock(
            side_effect=recorded.to_httpx_response
        )
        client = AuthenticatedClient(base_url=BASE_URL, token="<JWT>")
        response = CALLS[cassette.operation_id](client, recorded)

    assert_same_request(route.calls.last.request, recorded, ("authorization", "assetflowtype"))
    assert response.status_code == recorded.status
    if recorded.status < 400:
        assert isinstance(response.parsed, SUCCESS_MODELS[cassette.operation_id])
        expected: Any = recorded.response_body.decode()
        if not isinstance(response.parsed, str):
            expected = json.loads(expected)
            assert response.parsed.to_dict() == expected
        else:
            assert response.parsed == expected
    else:
        assert isinstance(response.parsed, ErrorResponse)
        error = json.loads(recorded.response_body)["_error"]
        assert (response.parsed.field_error.code, response.parsed.field_error.message) == (
            error["code"],
            error["message"],
        )


def test_every_operation_is_replayed() -> None:
    assert {c.operation_id for c in OCA} == set(CALLS)


def _replayed(name: str) -> Any:
    cassette = next(c for c in OCA if c.name == name)
    (recorded,) = cassette.interactions
    with respx.mock(base_url=BASE_URL) as mock:
        mock.route(method=recorded.method, path=unquote(recorded.path)).mock(return_value=recorded.to_httpx_response())
        return CALLS[cassette.operation_id](AuthenticatedClient(base_url=BASE_URL, token="<JWT>"), recorded).parsed


def test_typed_values_of_the_samples() -> None:
    """Spot checks through the typed attributes users read, not through to_dict()."""
    technologies = _replayed("listTechnologies")
    assert isinstance(technologies, TechnologyListResponse)
    fabric = [t.technology_version for t in technologies.data.items if t.technology == "Brocade Fabric"]
    assert fabric == ["Fabric 7", "Fabric 8"]
    assert technologies.data.items[0].created_at == "2019-01-21T07:06:07.000+0000"
    assert "IBM z/OS Security Server RACF 2" in [t.technology_version for t in technologies.data.items]

    bulk = _replayed("provisionAssetsBulk")
    assert isinstance(bulk, BulkProvisionResponse)
    assert isinstance(bulk.data.items.count, BulkProvisionCount)
    assert bulk.data.items.count.successful_provisions == 4
    assert isinstance(bulk.data.items.successful_provisions, list)
    assert [(a.ip, a.technology) for a in bulk.data.items.successful_provisions][:2] == [
        ("44.45.36.65", "Fabric 7"),
        ("44.45.38.89", "Fabric 8"),
    ]
    assert bulk.data.items.failed_provisions == []
    assert bulk.data.items.skipped_provisions == []

    reprovision = _replayed("provisionAsset__reprovision")
    assert isinstance(reprovision, AssetUUIDResponse)
    assert reprovision.data.asset_uuid == "4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14"
    assert reprovision.message == "Request for Asset Reprovisioning sent Successfully."

    status = _replayed("getAssetStatus__requested")
    assert isinstance(status, AssetStatusResponse)
    assert status.data.status == "Provision Requested"

    revoked = _replayed("revokeAssetsBulk")
    assert isinstance(revoked, BulkRevokeResponse)
    assert revoked.data.items.failed_revoke == []

    err = _replayed("provisionAssetsBulk__err2052")
    assert isinstance(err, ErrorResponse)
    assert err.field_error.message.startswith("ERR-2052 - ")

    assert _replayed("fetchToken") == "<JWT>"
