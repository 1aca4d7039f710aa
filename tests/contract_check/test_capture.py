"""The capture hooks: a request outside the plan, or past --max-calls, is refused before it is sent."""

from __future__ import annotations

import httpx
import pytest

from qualys_sdk.contract.capture import CallBudgetSpent, Capture, PlanViolation
from qualys_sdk.contract.plan import GET_KEY, LIST_TECHNOLOGIES

GATEWAY = "https://qualys.example.test/gw"
API = "https://api.example.test"


def client(capture: Capture, sent: list[httpx.Request]) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, text="{}", headers={"Content-Type": "application/json"})

    capture.bind(gateway_url=GATEWAY, api_url=API)
    return httpx.Client(transport=httpx.MockTransport(answer), event_hooks=capture.hooks())


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", f"{GATEWAY}/ocaapi/v2.0/asset"),  # provision
        ("DELETE", f"{GATEWAY}/ocaapi/v2.0/asset/abc"),
        ("POST", f"{API}/qps/rest/1.0/delete/ca/agentactkey/12"),
        ("GET", f"{API}/ocaapi/v2.0/technology/PolicyCompliance"),  # a gateway path on the API server
        ("GET", "https://qualys.example.test/ocaapi/v2.0/technology/PolicyCompliance"),  # outside the gateway's prefix
        ("GET", f"{GATEWAY}/ocaapi/v2.0/technology/PolicyCompliance?x=1"),
        ("GET", "https://elsewhere.example.test/auth"),
    ],
)
def test_requests_outside_the_plan_are_refused_unsent(method: str, url: str) -> None:
    sent: list[httpx.Request] = []
    capture = Capture(max_calls=30)
    with client(capture, sent) as http, pytest.raises(PlanViolation, match="not a call of the plan"):
        http.request(method, url)
    assert sent == []
    assert capture.exchanges == []


def test_plan_requests_are_kept_with_their_operation() -> None:
    sent: list[httpx.Request] = []
    capture = Capture(max_calls=30)
    with client(capture, sent) as http:
        http.get(f"{GATEWAY}/ocaapi/v2.0/technology/PolicyCompliance")
        http.get(f"{API}/qps/rest/1.0/get/ca/agentactkey/7")
    assert [e.operation for e in capture.exchanges] == [LIST_TECHNOLOGIES, GET_KEY]
    assert capture.exchanges[0].status == 200
    assert capture.exchanges[0].media_type == "application/json"
    assert "Authorization" not in repr(capture.exchanges[0])


def test_max_calls_refuses_the_request_past_it() -> None:
    sent: list[httpx.Request] = []
    capture = Capture(max_calls=2)
    with client(capture, sent) as http:
        for _ in range(2):
            http.get(f"{GATEWAY}/ocaapi/v2.0/technology/PolicyCompliance")
        with pytest.raises(CallBudgetSpent, match="--max-calls 2 reached"):
            http.get(f"{GATEWAY}/ocaapi/v2.0/technology/PolicyCompliance")
    assert len(sent) == 2
