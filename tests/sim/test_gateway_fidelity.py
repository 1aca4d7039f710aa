"""OCA, CSAM and rate limits as the real services answer them (see the fidelity table in
qualys_sdk/testing/README.md): the guides' double Content-Type, blank hostIPs, ASCII digits, the ERR-2070 text,
both spellings of the skipped count, CSAM's character limits and failed imports, concurrency blocks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from qualys_sdk import AssetSpec, Qualys
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.cassettes import Interaction
from qualys_sdk.testing.transport import sim_client
from tests.support import openapi_check

from .conftest import USER, login

SAMPLE = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
ASSETS = "/rest/2.0/update/am/asset/business/metadata"
APPS = "/rest/2.0/upsert/am/businessapp/metadata"
BODY = {"hostIP": "10.7.0.1", "technology": "Fabric 7", "type": "PolicyCompliance"}


# ------------------------------------------------------------------------------------------------ OCA


@pytest.mark.parametrize(
    "content_types",
    [["application/json", "text/plain"], ["application/json, text/plain"], ["application/json; charset=utf-8"]],
)
def test_the_guides_double_content_type_is_accepted(http: httpx.Client, content_types: list[str]) -> None:
    auth = login(http)
    headers = [("Authorization", auth["Authorization"])] + [("Content-Type", c) for c in content_types]
    provisioned = http.post("/ocaapi/v2.0/asset", content=json.dumps(BODY).encode(), headers=headers)
    assert provisioned.status_code == 200, provisioned.text
    uuid = provisioned.json()["data"]["assetUUID"]
    revoked = http.request("DELETE", "/ocaapi/v2.0/asset/revoke/bulk", headers=headers,
                           content=json.dumps({"assetList": [uuid]}).encode())  # fmt: skip
    assert revoked.json()["data"]["items"]["successfulRevoke"] == [uuid]


def test_text_plain_alone_is_not_json(http: httpx.Client) -> None:
    auth = login(http)
    answer = http.post("/ocaapi/v2.0/asset", content=json.dumps(BODY).encode(),
                       headers={**auth, "Content-Type": "text/plain"})  # fmt: skip
    assert answer.status_code == 400


@pytest.mark.parametrize("host_ip", ["", " ", "\t\n", "\u2003"])
def test_a_blank_host_ip_is_refused_as_the_spec_says(http: httpx.Client, host_ip: str) -> None:
    auth = login(http)
    answer = http.post("/ocaapi/v2.0/asset", json={**BODY, "hostIP": host_ip}, headers=auth)
    assert answer.status_code == 400
    assert "hostIP" in answer.json()["_error"]["message"]
    interaction = Interaction("POST", "https://gateway.qg1.apps.qualys.com/ocaapi/v2.0/asset",
                              {"Content-Type": ["application/json"], "Authorization": ["Bearer x"]},
                              json.dumps({**BODY, "hostIP": host_ip}).encode(), 400, "", {}, b"")  # fmt: skip
    assert openapi_check.request_errors("oca.yaml", "provisionAsset", interaction), "the spec refuses it too"


def test_a_blank_host_ip_row_fails_in_a_bulk_file(http: httpx.Client) -> None:
    header = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"
    rows = ",  ,,,,,Fabric 7,PolicyCompliance,\n,10.7.0.2,,,,,Fabric 7,PolicyCompliance,\n"
    files = {"data": ("a.csv", (header + rows).encode(), "text/csv")}
    answer = http.post(
        "/ocaapi/v2.0/asset/bulk", params={"manifest_types": "PolicyCompliance"}, files=files, headers=login(http)
    )
    count = answer.json()["data"]["items"]["count"]
    assert (count["successfulProvisions"], count["failedProvisions"]) == (1, 1)


@pytest.mark.parametrize("days", ["\u00b9", "\u0663", "\u0661\u0660", "1_0", " 3", "+3", "3.0"])
def test_a_day_count_in_other_than_ascii_digits_is_a_400(http: httpx.Client, days: str) -> None:
    answer = http.get(f"/ocaapi/v2.0/assets/status/subscription/{days}", headers=login(http))
    assert answer.status_code == 400, answer.text


@pytest.mark.parametrize("asset_id", ["\u00b9", "\u0663\u0664", "\uff11", "6420613\u0663", "-1", "1e3", ""])
def test_a_qualys_asset_id_in_other_than_ascii_digits_is_a_400(http: httpx.Client, asset_id: str) -> None:
    answer = http.post(ASSETS, json={"data": [{"qualysAssetId": asset_id}]}, headers=login(http))
    assert answer.status_code == 400, answer.text
    assert answer.json()["responseCode"] == "FAILED"


def test_err_2070_says_what_the_docs_say(http: httpx.Client) -> None:
    path = f"/ocaapi/v2.0/asset/{SAMPLE}/command/bulk/output/PolicyCompliance"
    answer = http.post(path, files={"data": ("out.csv", b"x", "text/csv")}, headers=login(http))
    message = "ERR-2070 - Invalid file format. Only txt file type is supported. Please upload a file appropriately"
    assert answer.json() == {"_error": {"code": 400, "message": message}}


@pytest.mark.parametrize("spelling", ["skippedProvisions", "skipppedProvisions"])
def test_both_spellings_of_the_skipped_count_are_read(spelling: str) -> None:
    """The guide spells the count ``skippedProvisions``, the online pages ``skipppedProvisions``."""
    items = {
        "count": {"successfulProvisions": 1, "failedProvisions": 0, spelling: 1},
        "successfulProvisions": [{"uuid": "u-1", "ip": "10.0.0.1", "technology": "Fabric 7"}],
        "failedProvisions": [],
        "skippedProvisions": [{"uuid": "u-0", "ip": "10.0.0.2", "technology": "Fabric 7"}],
    }
    body = json.dumps({"code": 200, "data": {"items": items}}).encode()
    interaction = Interaction("POST", "https://gateway.qg1.apps.qualys.com/ocaapi/v2.0/asset/bulk", {}, b"", 200, "OK",
                              {"Content-Type": ["application/json"]}, body)  # fmt: skip
    assert openapi_check.response_errors("oca.yaml", interaction) == []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth":
            return httpx.Response(201, text="a.b.c")
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as http, Qualys(
        username="u", password="p", gateway_url="https://gateway.example", api_url="https://api.example",
        http_client=http,
    ) as client:  # fmt: skip
        result = client.oca.provision_bulk([AssetSpec("10.0.0.1", "Fabric 7"), AssetSpec("10.0.0.2", "Fabric 7")])
    assert [a.uuid for a in result.skipped] == ["u-0"]
    assert [a.uuid for a in result.successful] == ["u-1"]


# ------------------------------------------------------------------------------------------------ CSAM

APP = {"businessAppId": "a1", "name": "App", "created": 0, "lastUpdated": 0}
LIMITS = [  # (import, field path, limit): the online docs' "Character Limit" columns
    (APPS, ("businessAppId",), 40), (APPS, ("name",), 255), (APPS, ("operationalStatus",), 255),
    (APPS, ("businessCriticality",), 255), (APPS, ("environment",), 255), (APPS, ("ownedBy",), 255),
    (APPS, ("managedBy",), 255), (APPS, ("supportedBy",), 255), (APPS, ("supportGroup",), 255),
    (ASSETS, ("operationalStatus",), 128), (ASSETS, ("environment",), 128), (ASSETS, ("company",), 128),
    (ASSETS, ("department",), 128), (ASSETS, ("ownedBy",), 255), (ASSETS, ("managedBy",), 255),
    (ASSETS, ("supportedBy",), 255), (ASSETS, ("supportGroup",), 255), (ASSETS, ("assignedLocation", "name"), 255),
    (ASSETS, ("assignedLocation", "city"), 128), (ASSETS, ("assignedLocation", "state"), 128),
    (ASSETS, ("assignedLocation", "country"), 128), (ASSETS, ("businessAppIds",), 40),
]  # fmt: skip


def _record(path: str, field: tuple[str, ...], value: str) -> dict[str, Any]:
    if path == APPS:
        return {**APP, field[0]: value}
    metadata: dict[str, Any] = {}
    if field == ("businessAppIds",):
        metadata["businessAppIds"] = [value]
    elif len(field) == 2:
        metadata[field[0]] = {field[1]: value}
    else:
        metadata[field[0]] = value
    return {"qualysAssetId": "6420613", "metadata": metadata}


@pytest.mark.parametrize(
    ("path", "field", "limit"), LIMITS, ids=lambda v: "/".join(v) if isinstance(v, tuple) else str(v)
)
def test_character_limits_of_the_online_docs(http: httpx.Client, path: str, field: tuple[str, ...], limit: int) -> None:
    auth = login(http)
    at_limit = http.post(path, json={"data": [_record(path, field, "x" * limit)]}, headers=auth)
    assert at_limit.status_code == 200, at_limit.text
    over = http.post(path, json={"data": [_record(path, field, "x" * (limit + 1))]}, headers=auth)
    assert over.status_code == 400, over.text
    assert "too long" in over.json()["responseMessage"]


def test_asset_metadata_needs_only_the_asset_id(http: httpx.Client, sim: Simulator) -> None:
    answer = http.post(ASSETS, json={"data": [{"qualysAssetId": "6420613"}]}, headers=login(http))
    assert answer.json()["responseCode"] == "SUCCESS"
    assert sim.asset_metadata(USER) == {"6420613": {}}


def test_failed_ids_are_strings(http: httpx.Client) -> None:
    answer = http.post(ASSETS, json={"data": [{"qualysAssetId": "9999999"}]}, headers=login(http))
    assert answer.json()["failedIds"] == ["9999999"]


@pytest.mark.parametrize("path", [APPS, ASSETS])
def test_a_failed_import_as_seen_in_the_wild(http: httpx.Client, sim: Simulator, path: str) -> None:
    auth = login(http)
    assert http.post(f"/_sim/subscriptions/{USER}/csam/fail-next-import").json() == {"ok": True}
    record = APP if path == APPS else {"qualysAssetId": "6420613", "metadata": {"company": "ACME"}}
    failed = http.post(path, json={"data": [record]}, headers=auth)
    assert failed.status_code == 200
    body = failed.json()
    assert (body["responseCode"], body["responseMessage"], body["failedIds"]) == (
        "FAILED", "Failed to import asset metadata", ["null"],
    )  # fmt: skip
    assert "a1" not in sim.business_apps(USER)
    assert "6420613" not in sim.asset_metadata(USER)
    assert http.post(path, json={"data": [record]}, headers=auth).json()["responseCode"] == "SUCCESS", "once only"


def test_the_sdk_reports_a_failed_import(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_sim.oca.list_technologies()  # logs in
    qualys_simulator.fail_next_import("sim_user")
    result = qualys_sim.csam.import_business_apps([APP])
    assert not result.ok
    assert (result.response_code, result.failed_ids) == ("FAILED", ["null"])


# ------------------------------------------------------------------------------------------------ rate limits


def test_a_concurrency_block_is_told_apart_from_a_window_block(sim: Simulator, http: httpx.Client) -> None:
    auth = login(http)
    sim.set_rate_limit(USER, 1, window_sec=600)
    assert http.get(TECHNOLOGIES, headers=auth).status_code == 200
    window = http.get(TECHNOLOGIES, headers=auth)
    assert window.status_code == 429
    assert window.json()["_error"]["message"] == "Too Many Requests"
    assert 0 < int(window.headers["X-RateLimit-ToWait-Sec"]) <= 600
    assert window.headers["Retry-After"] == window.headers["X-RateLimit-ToWait-Sec"]


def _scope(path: str, authorization: str) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"sim"), (b"authorization", authorization.encode())], "server": ("sim", 80),
        "client": ("c", 1),
    }  # fmt: skip


async def _call(sim: Simulator, path: str, authorization: str) -> tuple[int, dict[str, str], bytes]:
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        else:
            answer["body"] += message.get("body", b"")

    await sim.app(_scope(path, authorization), receive, send)
    return answer["status"], answer["headers"], answer["body"]


@pytest.mark.parametrize(
    ("path", "authorization", "status", "message"),
    [
        (TECHNOLOGIES, "bearer", 429, b"Too Many Requests: concurrency limit"),
        (ASSETS, "bearer", 429, b"API concurrency limit exceeded"),
        ("/qps/rest/1.0/get/ca/agentactkey/3714801", "basic", 409, b"until one of the calls currently running"),
    ],
)
def test_a_slow_call_holds_its_concurrency_slot_and_the_block_says_so(
    path: str, authorization: str, status: int, message: bytes
) -> None:
    sim = Simulator()
    with sim_client(sim.app) as http:
        token = f"Bearer {login(http)['Authorization'].split()[1]}"
    basic = "Basic YWNtZV9hYjE6UzNjcmV0IXBhc3M="  # acme_ab1:S3cret!pass
    header = token if authorization == "bearer" else basic
    sim.set_rate_limit(USER, 100, window_sec=600, concurrency=1)
    sim.inject("latency", "^/ocaapi/v2.0/technology/PolicyCompliance$", seconds=0.3)

    async def both() -> tuple[tuple[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]:
        slow = asyncio.create_task(_call(sim, TECHNOLOGIES, token))
        await asyncio.sleep(0.1)  # the slow call is waiting out its latency now
        blocked = await _call(sim, path, header)
        return await slow, blocked

    slow, blocked = asyncio.run(both())
    assert slow[0] == 200
    status_got, headers, body = blocked
    assert status_got == status
    assert message in body
    assert "x-ratelimit-towait-sec" not in headers, "ToWait-Sec belongs to the rate window, not to concurrency"
    assert "retry-after" not in headers
    assert (headers["x-concurrency-limit-limit"], headers["x-concurrency-limit-running"]) == ("1", "1")
    assert headers["x-ratelimit-remaining"] == "99", "a call blocked for concurrency is not counted in the window"
