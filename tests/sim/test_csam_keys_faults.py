"""CSAM imports, activation-key errors and injected faults, seen through the ``Qualys`` client.

Each test drives the ``qualys_sim`` client and checks the simulator's state through its control plane (in
Python, or over HTTP at ``/_sim``), so a behaviour passes only when client and simulator agree on it.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator, MutableMapping
from typing import Any

import httpx
import pytest

from qualys_sdk import (
    BadRequestError,
    InputValidationError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    Qualys,
    RateLimitError,
)
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_PASSWORD, SIM_URL, SIM_USERNAME
from qualys_sdk.testing.transport import sim_client

SAMPLE_APP = "2fc86c650a0a0bb4003698b5331640df"  # the release notes' business app, preloaded
UNKNOWN_ASSET_ID = 9_999_999
TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
SEARCH_KEYS = "/qps/rest/1.0/search/ca/agentactkey/"


@pytest.fixture
def raw(qualys_simulator: Simulator) -> Iterator[httpx.Client]:
    """Plain HTTP to the same simulator, for headers and the ``/_sim`` endpoints."""
    with sim_client(qualys_simulator.app, SIM_URL) as http:
        yield http


def _bearer(raw: httpx.Client) -> dict[str, str]:
    answer = raw.post("/auth", data={"username": SIM_USERNAME, "password": SIM_PASSWORD, "token": "true"})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.text}"}


def _basic() -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{SIM_USERNAME}:{SIM_PASSWORD}".encode()).decode()}


def _asset(sim: Simulator, uuid: str) -> dict[str, Any]:
    return next(a for a in sim.assets(SIM_USERNAME) if a["uuid"] == uuid)


def _metadata(qualys_asset_id: int | str, **fields: Any) -> dict[str, Any]:
    return {"qualysAssetId": str(qualys_asset_id), "metadata": {"environment": "Production", **fields}}


# ---------------------------------------------------------------------------------------------------- CSAM


def test_asset_metadata_lands_on_the_oca_asset_and_unknown_ids_fail(
    qualys_sim: Qualys, qualys_simulator: Simulator
) -> None:
    asset = qualys_sim.oca.provision("10.20.0.1", "Fabric 7", dns_name="edge-1")
    qualys_id = _asset(qualys_simulator, asset.asset_uuid)["qualysAssetId"]

    result = qualys_sim.csam.import_asset_metadata(
        [_metadata(qualys_id, ownedBy="Joey Bolick", businessAppIds=[SAMPLE_APP]), _metadata(UNKNOWN_ASSET_ID)]
    )

    assert result.response_code == "FAILED"
    assert [str(i) for i in result.failed_ids] == [str(UNKNOWN_ASSET_ID)]
    assert not result.ok
    stored = qualys_simulator.asset_metadata(SIM_USERNAME)
    assert set(stored) == {str(qualys_id)}, "only the known asset is stored, under the OCA asset's qualysAssetId"
    assert stored[str(qualys_id)]["ownedBy"] == "Joey Bolick"
    assert stored[str(qualys_id)]["businessAppIds"] == [SAMPLE_APP]


def test_an_unknown_business_app_is_skipped_not_failed(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    asset = qualys_sim.oca.provision("10.20.0.2", "Fabric 7")
    qualys_id = _asset(qualys_simulator, asset.asset_uuid)["qualysAssetId"]

    result = qualys_sim.csam.import_asset_metadata([_metadata(qualys_id, businessAppIds=[SAMPLE_APP, "no-such-app"])])

    assert result.ok
    assert result.failed_ids == []
    assert qualys_simulator.asset_metadata(SIM_USERNAME)[str(qualys_id)]["businessAppIds"] == [SAMPLE_APP]


def test_business_apps_import_and_the_control_plane_sees_them(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    app: dict[str, Any] = {"businessAppId": "5678f28f933a31003b4bb095e57ffb88", "name": "Customer Support Portal",
           "businessCriticality": "3 - Low", "created": 1620643264000, "lastUpdated": 1620653309000}  # fmt: skip
    assert qualys_sim.csam.import_business_apps([app]).ok
    assert qualys_simulator.business_apps(SIM_USERNAME)[app["businessAppId"]]["name"] == "Customer Support Portal"


def test_more_than_250_records_are_refused_before_sending(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.create_subscription(SIM_USERNAME, SIM_PASSWORD)
    qualys_simulator.add_csam_asset(SIM_USERNAME, 1)
    sent = qualys_sim.stats.requests
    with pytest.raises(InputValidationError) as caught:
        qualys_sim.csam.import_asset_metadata([_metadata(1)] * 251)
    assert caught.value.first.field == "data"
    assert "250" in caught.value.first.message
    assert qualys_sim.stats.requests == sent, "nothing was sent"
    assert qualys_simulator.asset_metadata(SIM_USERNAME) == {}
    assert qualys_sim.csam.import_asset_metadata([_metadata(1)] * 250).ok  # the limit itself is fine


def test_a_csam_asset_added_through_the_control_plane_is_known(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.create_subscription(SIM_USERNAME, SIM_PASSWORD)
    qualys_simulator.add_csam_asset(SIM_USERNAME, 123456)
    assert qualys_sim.csam.import_asset_metadata([_metadata(123456, department="IT")]).ok
    assert qualys_simulator.asset_metadata(SIM_USERNAME)["123456"]["department"] == "IT"


# ---------------------------------------------------------------------------------------------------- QPS


def test_qps_errors_arrive_with_http_200(qualys_sim: Qualys) -> None:
    with pytest.raises(NotFoundError) as missing:
        qualys_sim.activation_keys.get(99999999)
    assert (missing.value.status_code, missing.value.code) == (200, "OBJECT_NOT_FOUND")

    key = qualys_sim.activation_keys.create(type="UNLIMITED", title="errors")
    assert key.id is not None
    with pytest.raises(BadRequestError) as invalid:
        qualys_sim.activation_keys.update(key.id, type="COUNT_LIMITED")  # no countPurchased
    assert (invalid.value.status_code, invalid.value.code) == (200, "INVALID_REQUEST")
    assert qualys_sim.activation_keys.get(key.id).type_value == "UNLIMITED", "the refused update changed nothing"

    with pytest.raises(NotFoundError):
        qualys_sim.activation_keys.delete(99999999)


def test_qps_bad_credentials_are_http_401(qualys_simulator: Simulator, raw: httpx.Client) -> None:
    qualys_simulator.create_subscription(SIM_USERNAME, SIM_PASSWORD)
    wrong = {"Authorization": "Basic " + base64.b64encode(f"{SIM_USERNAME}:nope".encode()).decode()}
    answer = raw.post(SEARCH_KEYS, content=b"<ServiceRequest/>", headers=wrong)
    assert answer.status_code == 401
    assert b"<responseCode>UNAUTHORIZED</responseCode>" in answer.content


# ---------------------------------------------------------------------------------------------------- faults


def test_an_injected_429_on_a_read_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    fault = qualys_simulator.inject("status", "/status$", status=429, retry_after=0)
    assert qualys_sim.oca.get_status("663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5") == "Provision Confirmed"
    assert fault.times == 0, "the fault fired"
    assert qualys_sim.stats.retries == 1


def test_an_injected_503_on_a_read_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/technology/PolicyCompliance$", status=503, times=1)
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert qualys_sim.stats.retries == 1


def test_a_429_on_provision_is_retried_once_applied_once(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/ocaapi/v2.0/asset$", status=429, retry_after=0)
    result = qualys_sim.oca.provision("10.30.0.1", "Fabric 7")
    assert [a["uuid"] for a in qualys_simulator.assets(SIM_USERNAME) if a["hostIP"] == "10.30.0.1"] == [
        result.asset_uuid
    ]


def test_a_qps_409_block_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/search/ca/agentactkey", status=409, retry_after=0)
    assert len(qualys_sim.activation_keys.search().keys) == 3
    assert qualys_sim.stats.retries == 1


def test_provision_answer_lost_after_apply_is_an_unknown_outcome(
    qualys_sim: Qualys, qualys_simulator: Simulator
) -> None:
    qualys_simulator.inject("drop_after", "/ocaapi/v2.0/asset$")
    with pytest.raises(OutcomeUnknownError) as caught:
        qualys_sim.oca.provision("10.40.0.1", "Comware 7", dns_name="lost-answer")
    assert caught.value.request is not None
    assert caught.value.request.url.path == "/ocaapi/v2.0/asset"
    assert isinstance(caught.value.cause, httpx.RemoteProtocolError)
    assert qualys_sim.stats.retries == 0, "a provision is never repeated on its own"
    created = [a for a in qualys_simulator.assets(SIM_USERNAME) if a["hostIP"] == "10.40.0.1"]
    assert len(created) == 1, "the simulator applied the provision whose answer was lost"
    assert created[0]["dnsName"] == "lost-answer"
    assert qualys_sim.oca.get_status(created[0]["uuid"]) in ("Provision Requested", "Provision Confirmed")


def test_a_503_on_an_import_is_an_unknown_outcome(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/rest/2.0/", status=503)
    with pytest.raises(OutcomeUnknownError):
        qualys_sim.csam.import_asset_metadata([_metadata(6420613)])
    assert qualys_sim.stats.retries == 0


def test_a_dropped_read_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("drop", "/command/PolicyCompliance$")
    assert qualys_sim.oca.list_technology_commands("ArubaOS 6") == ["show running-config"]
    assert qualys_sim.stats.retries == 1


# ---------------------------------------------------------------------------------------------------- rate limits


def test_rate_limit_headers_count_down_and_block(qualys_simulator: Simulator, raw: httpx.Client) -> None:
    auth = _bearer(raw)
    qualys_simulator.set_rate_limit(SIM_USERNAME, 2, window_sec=600, concurrency=1)
    first = raw.get(TECHNOLOGIES, headers=auth)
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Window-Sec"] == "600"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert first.headers["X-Concurrency-Limit-Limit"] == "1"
    assert raw.get(TECHNOLOGIES, headers=auth).headers["X-RateLimit-Remaining"] == "0"

    blocked = raw.get(TECHNOLOGIES, headers=auth)
    assert blocked.status_code == 429
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(blocked.headers["X-RateLimit-ToWait-Sec"]) <= 600
    assert blocked.headers["Retry-After"] == blocked.headers["X-RateLimit-ToWait-Sec"]

    qps = raw.post(SEARCH_KEYS, content=b"<ServiceRequest/>", headers=_basic())
    assert qps.status_code == 409, "the API server blocks with 409"
    assert b"This API cannot be run again for another" in qps.content

    qualys_simulator.set_rate_limit(SIM_USERNAME, None)
    lifted = raw.get(TECHNOLOGIES, headers=auth)
    assert lifted.status_code == 200
    assert "X-RateLimit-Limit" not in lifted.headers


def test_a_call_stops_counting_as_running_once_its_answer_goes_out(
    qualys_simulator: Simulator, raw: httpx.Client
) -> None:
    # A client that sends its next call the moment its answer arrives must not find its own slot still taken:
    # the next call is made from inside the first call's final send, before that send returns.
    auth = _bearer(raw)
    qualys_simulator.set_rate_limit(SIM_USERNAME, 100, window_sec=600, concurrency=1)
    token = auth["Authorization"].encode()
    statuses: list[int] = []

    def scope() -> dict[str, Any]:
        return {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": TECHNOLOGIES, "raw_path": TECHNOLOGIES.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", b"sim"), (b"authorization", token)], "server": ("sim", 80), "client": ("c", 1),
        }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def call(*, then: bool) -> None:
        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            elif not message.get("more_body", False) and then:
                await call(then=False)

        await qualys_simulator.app(scope(), receive, send)

    asyncio.run(call(then=True))
    assert statuses == [200, 200]


def test_a_blocked_client_call_raises_rate_limit_error_with_the_wait(
    qualys_sim: Qualys, qualys_simulator: Simulator
) -> None:
    qualys_sim.oca.list_technologies()  # logs in
    qualys_simulator.set_rate_limit(SIM_USERNAME, 0, window_sec=3600)
    with pytest.raises(RateLimitError) as gateway:
        qualys_sim.oca.list_technologies(timeout=5)  # the announced wait does not fit: no retry
    assert gateway.value.status_code == 429
    assert gateway.value.retry_after is not None
    assert gateway.value.retry_after > 5
    with pytest.raises(RateLimitError) as api_server:
        qualys_sim.activation_keys.search(timeout=5)
    assert api_server.value.status_code == 409


# ---------------------------------------------------------------------------------------------------- tokens


def test_an_expired_token_is_replaced_transparently(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_sim.oca.list_technologies()
    qualys_simulator.expire_tokens(SIM_USERNAME)
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert len(qualys_simulator.subscription(SIM_USERNAME).issued_tokens) == 2, "one re-authentication"
    assert qualys_sim.csam.import_business_apps(
        [{"businessAppId": "a1", "name": "App", "created": 0, "lastUpdated": 0}]
    ).ok


def test_a_token_expired_fault_is_replaced_transparently(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_sim.oca.list_technologies()
    qualys_simulator.inject("token_expired", "/technology/")
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert len(qualys_simulator.subscription(SIM_USERNAME).issued_tokens) == 2


# ---------------------------------------------------------------------------------------------------- /_sim


def test_the_control_plane_over_http_confirms_and_resets(qualys_sim: Qualys, raw: httpx.Client) -> None:
    asset = qualys_sim.oca.provision("10.50.0.1", "Fabric 7")
    assert qualys_sim.oca.get_status(asset.asset_uuid) == "Provision Requested"
    confirmed = raw.post(f"/_sim/subscriptions/{SIM_USERNAME}/confirm", json={"uuid": asset.asset_uuid})
    assert confirmed.json() == {"ok": True}
    assert qualys_sim.oca.get_status(asset.asset_uuid) == "Provision Confirmed"
    listed = raw.get(f"/_sim/subscriptions/{SIM_USERNAME}/assets").json()
    assert asset.asset_uuid in [a["uuid"] for a in listed]

    assert raw.post("/_sim/reset").json() == {"ok": True}
    gone = raw.get(f"/_sim/subscriptions/{SIM_USERNAME}/assets")
    assert gone.status_code == 400
    assert "KeyError" in gone.json()["error"]
    # The client's token names a subscription that no longer exists: it logs in again, into fresh sample data.
    with pytest.raises(NotFoundError):
        qualys_sim.oca.get_status(asset.asset_uuid)
    assert len(qualys_sim.oca.list_technologies()) == 25


def test_faults_over_http(qualys_sim: Qualys, raw: httpx.Client) -> None:
    added = raw.post("/_sim/faults", json={"kind": "status", "path": "/technology/", "status": 503, "times": 2})
    assert added.json() == {"kind": "status", "path": "/technology/", "times": 2}
    with pytest.raises(InternalServerError) as caught:
        qualys_sim.oca.list_technologies(max_retries=0)
    assert caught.value.status_code == 503
    assert raw.delete("/_sim/faults").json() == {"ok": True}
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert raw.post("/_sim/faults", json={"kind": "nope"}).status_code == 400
