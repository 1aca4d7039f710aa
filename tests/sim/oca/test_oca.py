"""OCA behaviour of the simulator, over HTTP and through the SDK client."""

from __future__ import annotations

import httpx
import pytest

from qualys_sdk import AssetSpec, BadRequestError, NotFoundError, Qualys
from qualys_sdk.testing import FakeClock, Simulator
from qualys_sdk.testing.pytest_plugin import SIM_USERNAME

from ..conftest import USER, login

SAMPLE = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
BULK_HEADER = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"


def test_the_guide_technologies_are_preloaded(http: httpx.Client) -> None:
    items = http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers=login(http)).json()["data"]["items"]
    assert len(items) == 25
    assert {"technology": "ArubaOS", "technologyVersion": "ArubaOS 6"}.items() <= items[1].items()


def test_technology_commands_take_the_name_without_its_slash(http: httpx.Client) -> None:
    # The guide: "use IBM zOS Security Server RACF 2 in the API request (without the "/" special character)".
    auth = login(http)
    response = http.get("/ocaapi/v2.0/technology/IBM zOS Security Server RACF 2/command/PolicyCompliance", headers=auth)
    assert response.json()["data"]["items"] == ["show running-config"]
    for name in ("IBM z/OS Security Server RACF 2", "IBM z%2FOS Security Server RACF 2", "Nope"):
        missing = http.get(f"/ocaapi/v2.0/technology/{name}/command/PolicyCompliance", headers=auth)
        assert missing.status_code == 404, name
        assert set(missing.json()) == {"_error"}
    items = http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers=auth).json()["data"]["items"]
    assert "IBM z/OS Security Server RACF 2" in [t["technologyVersion"] for t in items], "the list keeps the /"


def test_provision_takes_the_technology_as_listed(http: httpx.Client) -> None:
    auth = login(http)
    body = {"hostIP": "10.0.0.9", "technology": "IBM z/OS Security Server RACF 2", "type": "PolicyCompliance"}
    assert http.post("/ocaapi/v2.0/asset", json=body, headers=auth).status_code == 200


def test_provision_is_confirmed_after_the_delay(http: httpx.Client, clock: FakeClock) -> None:
    auth = login(http)
    body = {"hostIP": "10.0.0.1", "technology": "Fabric 7", "type": "PolicyCompliance"}
    asset = http.post("/ocaapi/v2.0/asset", json=body, headers=auth).json()["data"]["assetUUID"]
    status = f"/ocaapi/v2.0/asset/{asset}/status"
    assert http.get(status, headers=auth).json()["data"]["status"] == "Provision Requested"
    clock.advance(2)
    assert http.get(status, headers=auth).json()["data"]["status"] == "Provision Confirmed"


def test_reprovision_keeps_identity_fields(http: httpx.Client) -> None:
    auth = login(http)
    body = {"hostIP": "23.42.52.55", "technology": "Fabric 7", "type": "PolicyCompliance", "uuid": SAMPLE}
    assert http.post("/ocaapi/v2.0/asset", json={**body, "dnsName": "x"}, headers=auth).status_code == 200
    changed = http.post("/ocaapi/v2.0/asset", json={**body, "hostIP": "1.1.1.1"}, headers=auth)
    assert changed.status_code == 400
    assert "hostIP" in changed.json()["_error"]["message"]
    unknown = http.post("/ocaapi/v2.0/asset", json={**body, "uuid": "nope"}, headers=auth)
    assert unknown.status_code == 404


def test_invalid_bodies_are_refused_by_the_spec(http: httpx.Client) -> None:
    auth = login(http)
    response = http.post("/ocaapi/v2.0/asset", json={"hostIP": "", "technology": "Fabric 7"}, headers=auth)
    assert response.status_code == 400
    assert set(response.json()) == {"_error"}


def test_bulk_provision_skips_fails_and_reprovisions(http: httpx.Client) -> None:
    rows = (
        ",23.42.52.55,,,,,Fabric 7,PolicyCompliance,\n"
        ",10.9.9.9,,,,,Unknown 1,PolicyCompliance,\n"
        ",10.9.9.8,,,,,Fabric 8,PolicyCompliance,\n"
        ",111.1.8.21,,,,,Comware 7,PolicyCompliance,4b5fb573-c145-4182-916a-a3997f9ff259\n"
    )
    files = {"data": ("assets.txt", (BULK_HEADER + rows).encode(), "text/plain")}
    response = http.post(
        "/ocaapi/v2.0/asset/bulk", params={"manifest_types": "PolicyCompliance"}, files=files, headers=login(http)
    )
    items = response.json()["data"]["items"]
    assert items["count"] == {"successfulProvisions": 2, "failedProvisions": 1, "skippedProvisions": 1}
    assert items["skippedProvisions"][0]["uuid"] == SAMPLE
    assert items["failedProvisions"][0]["ip"] == "10.9.9.9"


def test_bulk_provision_refuses_other_extensions(http: httpx.Client) -> None:
    files = {"data": ("assets.xlsx", BULK_HEADER.encode(), "application/octet-stream")}
    response = http.post(
        "/ocaapi/v2.0/asset/bulk", params={"manifest_types": "PolicyCompliance"}, files=files, headers=login(http)
    )
    assert response.status_code == 400
    assert response.json()["_error"]["message"].startswith("ERR-2052 - [txt,csv] are supported extension")


def test_bulk_command_output_must_be_txt(http: httpx.Client) -> None:
    path = f"/ocaapi/v2.0/asset/{SAMPLE}/command/bulk/output/PolicyCompliance"
    response = http.post(path, files={"data": ("out.csv", b"x", "text/csv")}, headers=login(http))
    assert response.status_code == 400
    assert response.json()["_error"]["message"].startswith("ERR-2070")


def test_subscription_status_by_provision_time(http: httpx.Client, clock: FakeClock) -> None:
    login(http)
    clock.advance(5 * 86400)
    auth = login(http)
    body = {"hostIP": "10.0.0.2", "technology": "Fabric 7", "type": "PolicyCompliance"}
    asset = http.post("/ocaapi/v2.0/asset", json=body, headers=auth).json()["data"]["assetUUID"]
    recent = http.get("/ocaapi/v2.0/assets/status/subscription/1", headers=auth).json()["data"]["items"]
    assert [item["assetUUID"] for item in recent] == [asset]
    assert len(http.get("/ocaapi/v2.0/assets/status/subscription/30", headers=auth).json()["data"]["items"]) == 5
    assert http.get("/ocaapi/v2.0/assets/status/subscription/31", headers=auth).status_code == 400


def test_another_password_is_refused_and_tokens_expire(sim: Simulator, http: httpx.Client, clock: FakeClock) -> None:
    auth = login(http)
    assert http.post("/auth", data={"username": USER, "password": "other", "token": "true"}).status_code == 401
    clock.advance(4 * 3600)
    expired = http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers=auth)
    assert expired.status_code == 401
    assert expired.json() == {"_error": {"code": 401, "message": "JWT expired"}}
    assert (
        http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers={"Authorization": "Bearer x.y.z"}).status_code
        == 401
    )


def test_a_login_after_expire_tokens_gets_a_token_that_works(sim: Simulator, http: httpx.Client) -> None:
    # The fake clock stands still: both logins fall in the same second, and must still get distinct tokens.
    old = login(http)
    sim.expire_tokens(USER)
    new = login(http)
    assert new != old
    assert http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers=old).status_code == 401
    assert http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers=new).status_code == 200


def test_the_client_fixture_drives_every_oca_call(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    versions = [t.technology_version for t in qualys_sim.oca.list_technologies()]
    assert "Comware 7" in versions
    asset = qualys_sim.oca.provision("10.1.1.1", "Comware 7", dns_name="core-1")
    assert qualys_sim.oca.get_status(asset.asset_uuid) == "Provision Requested"
    qualys_simulator.confirm_provisioning(SIM_USERNAME, asset.asset_uuid)
    assert qualys_sim.oca.get_status(asset.asset_uuid) == "Provision Confirmed"
    qualys_sim.oca.upload_command_output(asset.asset_uuid, "show running-config", b"hostname core-1\n")
    stored = next(a for a in qualys_simulator.assets(SIM_USERNAME) if a["uuid"] == asset.asset_uuid)
    assert stored["commandOutput"] == {"show running-config": "hostname core-1\n"}
    assert isinstance(stored["qualysAssetId"], int)
    result = qualys_sim.oca.provision_bulk([AssetSpec("10.1.1.1", "Comware 7"), AssetSpec("10.1.1.2", "Fabric 8")])
    assert len(result.successful) == 1
    assert len(result.skipped) == 1
    with pytest.raises(BadRequestError):
        qualys_sim.oca.upload_command_output(asset.asset_uuid, "no such command", b"x")
    qualys_sim.oca.delete(asset.asset_uuid)
    with pytest.raises(NotFoundError):
        qualys_sim.oca.get_status(asset.asset_uuid)
