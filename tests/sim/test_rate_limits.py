"""Rate and concurrency limits: their headers, the 429 (gateway) or 409 (QPS) of a block, what a block by each
limit says, when a call stops counting as running, and the client's ``RateLimitError``.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from qualys_sdk import Qualys, RateLimitError
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_PASSWORD, SIM_USERNAME
from qualys_sdk.testing.transport import sim_client

from .conftest import USER, basic, login

TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
ASSETS = "/rest/2.0/update/am/asset/business/metadata"
SEARCH_KEYS = "/qps/rest/1.0/search/ca/agentactkey/"


def test_rate_limit_headers_count_down_and_block(qualys_simulator: Simulator, raw: httpx.Client) -> None:
    auth = login(raw, SIM_USERNAME, SIM_PASSWORD)
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

    qps = raw.post(SEARCH_KEYS, content=b"<ServiceRequest/>", headers=basic(SIM_USERNAME, SIM_PASSWORD))
    assert qps.status_code == 409, "the API server blocks with 409"
    assert b"This API cannot be run again for another" in qps.content

    qualys_simulator.set_rate_limit(SIM_USERNAME, None)
    lifted = raw.get(TECHNOLOGIES, headers=auth)
    assert lifted.status_code == 200
    assert "X-RateLimit-Limit" not in lifted.headers


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


def test_a_call_stops_counting_as_running_once_its_answer_goes_out(
    qualys_simulator: Simulator, raw: httpx.Client
) -> None:
    # A client that sends its next call the moment its answer arrives must not find its own slot still taken:
    # the next call is made from inside the first call's final send, before that send returns.
    auth = login(raw, SIM_USERNAME, SIM_PASSWORD)
    qualys_simulator.set_rate_limit(SIM_USERNAME, 100, window_sec=600, concurrency=1)
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def call(*, then: bool) -> None:
        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            elif not message.get("more_body", False) and then:
                await call(then=False)

        await qualys_simulator.app(_scope(TECHNOLOGIES, auth["Authorization"]), receive, send)

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


def test_a_concurrency_block_is_told_apart_from_a_window_block(sim: Simulator, http: httpx.Client) -> None:
    auth = login(http)
    sim.set_rate_limit(USER, 1, window_sec=600)
    assert http.get(TECHNOLOGIES, headers=auth).status_code == 200
    window = http.get(TECHNOLOGIES, headers=auth)
    assert window.status_code == 429
    assert window.json()["_error"]["message"] == "Too Many Requests"
    assert 0 < int(window.headers["X-RateLimit-ToWait-Sec"]) <= 600
    assert window.headers["Retry-After"] == window.headers["X-RateLimit-ToWait-Sec"]


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
