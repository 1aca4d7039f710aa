"""Every operation of OCA and CSAM through ``Qualys`` and ``AsyncQualys``, answered from the cassettes.

The recorded answers come back as the SDK's typed results; the recorded error
cases come back as the matching error classes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import respx

from qualys_sdk import (
    AssetSpec,
    AssetStatus,
    AuthenticationError,
    BadRequestError,
    InputValidationError,
    InternalServerError,
    NotFoundError,
    Qualys,
    RateLimitError,
)
from qualys_sdk.testing.cassettes import Cassette, load_cassettes
from tests.support import CASSETTES

from .fakes import PASSWORD, USERNAME, make_jwt, no_wait_async_client

US1_GATEWAY = "https://gateway.qg1.apps.qualys.com"
UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
ALL = {c.name: c for api in ("oca", "csam") for c in load_cassettes(CASSETTES / api)}


@pytest.fixture
def replay() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{US1_GATEWAY}/auth").mock(return_value=httpx.Response(201, text=make_jwt(4_000_000_000)))
        yield mock


def serve(mock: respx.MockRouter, *names: str) -> list[respx.Route]:
    routes = []
    for name in names:
        (recorded,) = ALL[name].interactions
        routes.append(
            mock.route(
                method=recorded.method, url=recorded.uri.split("?")[0].replace(recorded.path, unquote(recorded.path))
            ).mock(return_value=recorded.to_httpx_response())
        )
    return routes


def client(**kwargs: object) -> Qualys:
    return Qualys(username=USERNAME, password=PASSWORD, platform="US1", max_retries=0, **kwargs)  # type: ignore[arg-type]


def test_list_technologies_has_aware_times(replay: respx.MockRouter) -> None:
    serve(replay, "listTechnologies")
    techs = client().oca.list_technologies()
    assert len(techs) == 25
    assert techs[0].technology == "ACME Packet OS"
    assert techs[0].created_at == datetime(2019, 1, 21, 7, 6, 7, tzinfo=UTC)
    assert {t.technology_version for t in techs if t.technology == "Comware"} == {"Comware 5", "Comware 7"}


@pytest.mark.parametrize("gateway", ["https://qualys.example/gw", "https://qualys.example/gw/"])
def test_a_gateway_url_with_a_path_keeps_it_before_every_operation(gateway: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/auth"):
            return httpx.Response(201, text=make_jwt(4_000_000_000))
        return httpx.Response(200, json={"code": 200, "data": {"status": "Provision Confirmed"}})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    qualys = Qualys(username=USERNAME, password=PASSWORD, gateway_url=gateway, http_client=http)
    assert qualys.oca.get_status("a bc") == "Provision Confirmed"
    assert seen == [
        "https://qualys.example/gw/auth",
        "https://qualys.example/gw/ocaapi/v2.0/asset/a%20bc/status",
    ]


def test_technology_commands_path_drops_the_slash(replay: respx.MockRouter) -> None:
    route = replay.get(url__regex=r".*/technology/.*/command/PolicyCompliance").mock(
        return_value=httpx.Response(200, json={"code": 200, "data": {"items": ["show running-config"]}})
    )
    assert client().oca.list_technology_commands("IBM z/OS Security Server RACF 2") == ["show running-config"]
    assert route.calls.last.request.url.raw_path == (
        b"/ocaapi/v2.0/technology/IBM%20zOS%20Security%20Server%20RACF%202/command/PolicyCompliance"
    )


def test_provision_reprovision_status_and_commands(replay: respx.MockRouter) -> None:
    (provision,) = serve(replay, "provisionAsset")
    qualys = client()
    result = qualys.oca.provision("23.42.52.55", "Fabric 7", dns_name="Fabric 7 ASSET", mac="23-42-55-54-22-11",
                                  netbios="Web-test.com")  # fmt: skip
    assert result.asset_uuid == UUID
    assert result.message == "Request for Asset Provisioning sent Successfully."
    sent = json.loads(provision.calls.last.request.content)
    assert sent == json.loads(ALL["provisionAsset"].interactions[0].request_body)
    assert provision.calls.last.request.headers["assetflowtype"] == "DEFAULT"

    # The client knows the asset now: a re-provision that changes its identity is refused before sending.
    with pytest.raises(InputValidationError, match="cannot change hostIP") as info:
        qualys.oca.reprovision(UUID, "10.9.9.9", "Fabric 7")
    assert info.value.first.field == "hostIP"
    with pytest.raises(InputValidationError, match="cannot change technology"):
        qualys.oca.reprovision("other-uuid", "1.1.1.1", "Fabric 8", original=("1.1.1.1", "Fabric 7"))
    assert provision.call_count == 1

    serve(replay, "getAssetStatus", "listAssetCommands")
    assert qualys.oca.get_status(UUID) == AssetStatus.PROVISION_CONFIRMED
    assert qualys.oca.list_asset_commands(UUID) == ["show running-config"]


def test_reprovision_sends_the_uuid(replay: respx.MockRouter) -> None:
    (route,) = serve(replay, "provisionAsset__reprovision")
    result = client().oca.reprovision("4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14", "23.42.52.55", "Fabric 7",
                                      dns_name="Fabric 7 ASSET")  # fmt: skip
    assert result.message == "Request for Asset Reprovisioning sent Successfully."
    assert json.loads(route.calls.last.request.content)["uuid"] == "4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14"


def test_uploads_take_text_bytes_and_paths(replay: respx.MockRouter, tmp_path: Path) -> None:
    (single,) = serve(replay, "uploadCommandOutput")
    qualys = client()
    assert qualys.oca.upload_command_output(UUID, "show running-config", "hostname core\n") == (
        "Command Output Uploaded Successfully."
    )
    body = single.calls.last.request.content
    assert b'name="show running-config"' in body
    assert b"hostname core\n" in body
    config = tmp_path / "running-config.txt"
    config.write_bytes(b"version 6.5\n")
    qualys.oca.upload_command_outputs(UUID, {"show running-config": config, "show version": b"v1"})
    body = single.calls.last.request.content
    assert b'filename="running-config.txt"' in body
    assert b'name="show version"' in body

    serve(replay, "uploadCommandOutputBulk")
    assert qualys.oca.upload_command_output_bulk(UUID, b"all outputs") == "Command Bulk Output Uploaded Successfully."
    csv = tmp_path / "outputs.csv"
    csv.write_text("x")
    with pytest.raises(InputValidationError, match=r"\.txt"):
        qualys.oca.upload_command_output_bulk(UUID, csv)


def test_bulk_provision_writes_the_file(replay: respx.MockRouter) -> None:
    (route,) = serve(replay, "provisionAssetsBulk")
    assets = [AssetSpec("44.45.36.65", "Fabric 7"), AssetSpec("44.45.38.89", "Fabric 8", dns_name='a "quoted", name')]
    result = client().oca.provision_bulk(assets)
    assert [(a.ip, a.technology) for a in result.successful][:2] == [
        ("44.45.36.65", "Fabric 7"),
        ("44.45.38.89", "Fabric 8"),
    ]
    assert result.failed == []
    assert result.skipped == []
    body = route.calls.last.request.content
    assert b"dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n" in body
    assert b'"a ""quoted"", name",44.45.38.89,,,,,Fabric 8,PolicyCompliance,\n' in body
    assert route.calls.last.request.url.params["manifest_types"] == "PolicyCompliance"
    with pytest.raises(InputValidationError, match="at most 1000"):
        client().oca.provision_bulk([AssetSpec(f"10.0.{i // 250}.{i % 250}", "Fabric 7") for i in range(1001)])


def test_delete_revoke_and_subscription_status(replay: respx.MockRouter) -> None:
    serve(replay, "deleteAsset", "revokeAssetsBulk", "getSubscriptionAssetStatus")
    qualys = client()
    assert qualys.oca.delete(UUID) == UUID
    revoked = qualys.oca.revoke_bulk(["4x5xx573-x145-4182-916x-x3997x9xx259", "5xxxxx860-25x1-4x8x-x336-8x20x6x163xx"])
    assert revoked.failed == []
    assert len(revoked.revoked) == 2
    statuses = qualys.oca.subscription_status(30)
    assert {s.status for s in statuses} == {"Provision Confirmed"}
    with pytest.raises(InputValidationError, match=r"1\.\.30"):
        qualys.oca.subscription_status(31)


def test_csam_imports(replay: respx.MockRouter) -> None:
    serve(replay, "upsertBusinessAppMetadata")
    apps = json.loads(ALL["upsertBusinessAppMetadata"].interactions[0].request_body)["data"]
    result = client().csam.import_business_apps(apps)
    assert result.ok
    assert result.request_id == "8e9b3fd5-bb89-4666-a472-4bc5758335a2"
    with pytest.raises(InputValidationError, match="mandatory field missing") as info:
        client().csam.import_business_apps([{"businessAppId": "a", "name": "n", "lastUpdated": 1}])
    assert info.value.first.field == "created"
    with pytest.raises(InputValidationError, match="at most 250"):
        client().csam.import_business_apps(apps * 126)


def test_csam_failed_ids_are_reported(replay: respx.MockRouter) -> None:
    serve(replay, "updateAssetBusinessMetadata__failed_ids")
    body = json.loads(ALL["updateAssetBusinessMetadata__failed_ids"].interactions[0].request_body)["data"]
    result = client().csam.import_asset_metadata(body)
    assert not result.ok
    assert result.failed_ids == ["9999999"]


def _body(name: str) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(ALL[name].interactions[0].request_body)["data"]
    return data


ERROR_CASES: list[tuple[str, Callable[[Qualys], object], type[Exception], str | None]] = [
    ("provisionAssetsBulk__err2052", lambda q: q.oca.provision_bulk([AssetSpec("1.1.1.1", "Fabric 7")]),
     BadRequestError, "ERR-2052"),
    ("listTechnologies__401", lambda q: q.oca.list_technologies(), AuthenticationError, None),
    ("getAssetStatus__404", lambda q: q.oca.get_status("00000000-0000-0000-0000-000000000000"), NotFoundError, None),
    ("provisionAsset__429", lambda q: q.oca.provision("1.1.1.1", "Fabric 7"), RateLimitError, None),
    ("deleteAsset__503", lambda q: q.oca.delete(UUID), InternalServerError, None),
    ("upsertBusinessAppMetadata__401",
     lambda q: q.csam.import_business_apps(_body("upsertBusinessAppMetadata__401")), AuthenticationError, None),
    ("updateAssetBusinessMetadata__429",
     lambda q: q.csam.import_asset_metadata(_body("updateAssetBusinessMetadata__429")), RateLimitError, None),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "error", "code"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_recorded_errors_raise_their_class(
    replay: respx.MockRouter, name: str, call: Callable[[Qualys], object], error: type[Exception], code: str | None
) -> None:
    serve(replay, name)
    with pytest.raises(error) as info:
        call(client())
    recorded = ALL[name].interactions[0]
    assert info.value.status_code == recorded.status  # type: ignore[attr-defined]
    if code:
        assert info.value.code == code  # type: ignore[attr-defined]
    if isinstance(info.value, RateLimitError) and name == "provisionAsset__429":
        assert info.value.retry_after == 42


def test_async_client_runs_the_same_operations(replay: respx.MockRouter) -> None:
    serve(replay, "listTechnologies", "getSubscriptionAssetStatus", "upsertBusinessAppMetadata", "provisionAsset")
    apps = json.loads(ALL["upsertBusinessAppMetadata"].interactions[0].request_body)["data"]

    async def main() -> tuple[int, int, bool, str]:
        async with no_wait_async_client(platform="US1") as qualys:
            techs, statuses, imported, asset = await asyncio.gather(
                qualys.oca.list_technologies(),
                qualys.oca.subscription_status(30),
                qualys.csam.import_business_apps(apps),
                qualys.oca.provision("23.42.52.55", "Fabric 7"),
            )
        return len(techs), len(statuses), imported.ok, asset.asset_uuid

    assert asyncio.run(main()) == (25, 4, True, UUID)


def test_cassettes_cover_every_client_operation() -> None:
    names: set[str] = {c.operation_id for c in ALL.values()} - {"fetchToken"}
    assert names == {
        "listTechnologies", "listTechnologyCommands", "listAssetCommands", "provisionAsset", "getAssetStatus",
        "uploadCommandOutput", "uploadCommandOutputBulk", "deleteAsset", "provisionAssetsBulk", "revokeAssetsBulk",
        "getSubscriptionAssetStatus", "upsertBusinessAppMetadata", "updateAssetBusinessMetadata",
    }  # fmt: skip
    assert all(isinstance(c, Cassette) for c in ALL.values())
