"""Bad input to the simulator gets a 4xx and leaves it serving: faults, the control plane, bodies, credentials.

In process (the ASGI app through httpx); the same over a socket, with memory and slow clients, is in
``test_served.py``; bad bulk files are in ``oca/test_uploads.py``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from qualys_sdk.testing import FakeClock, Simulator
from qualys_sdk.testing.limits import MAX_BODY, MAX_JSON_DEPTH
from qualys_sdk.testing.transport import sim_client

from .conftest import USER, basic, login

TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
ASSETS = "/rest/2.0/update/am/asset/business/metadata"


def _healthy(http: httpx.Client) -> None:
    auth = login(http)
    assert http.get(TECHNOLOGIES, headers=auth).status_code == 200


# ------------------------------------------------------------------------------------------------ faults


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "times": "x"},
        {"kind": "status", "times": -1},
        {"kind": "status", "times": True},
        {"kind": "status", "path": "("},
        {"kind": "status", "path": 5},
        {"kind": "status", "path": "a" * 2000},
        {"kind": "status", "status": 99},
        {"kind": "status", "status": "503"},
        {"kind": "latency", "seconds": -1},
        {"kind": "latency", "seconds": "slow"},
        {"kind": "status", "probability": 2},
        {"kind": "status", "retry_after": 1.5},
        {"kind": "slow_drip", "chunk_size": 0},
        {"kind": "status", "nonsense": 1},
        {"kind": "nope"},
        {"kind": ["status"]},
        {},
    ],
    ids=str,
)
def test_a_bad_fault_is_refused_when_added_and_nothing_breaks(http: httpx.Client, fault: dict[str, Any]) -> None:
    refused = http.post("/_sim/faults", json=fault)
    assert refused.status_code == 400, refused.text
    assert "error" in refused.json()
    _healthy(http)
    assert http.post("/auth", data={"username": "other", "password": "p", "token": "true"}).status_code == 201


def test_a_bad_fault_is_refused_in_python_too(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="times"):
        sim.inject("status", times="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="regular expression"):
        sim.inject("status", "(")
    assert sim.faults.active == []


# ------------------------------------------------------------------------------------------------ control plane


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_sim/faults", b"[" * 100_000),
        ("/_sim/faults", b"\xff\xfe\xfd"),
        ("/_sim/faults", b'[["kind", "status"]]'),
        ("/_sim/faults", b"not json"),
        (f"/_sim/subscriptions/{USER}/rate-limit", b'{"calls": "x"}'),
        (f"/_sim/subscriptions/{USER}/rate-limit", b'{"calls": 5, "window_sec": 0}'),
        (f"/_sim/subscriptions/{USER}/rate-limit", b'{"calls": 5, "concurrency": 0}'),
        ("/_sim/clock/advance", b'{"seconds": NaN}'),
        ("/_sim/clock/advance", b'{"seconds": -1}'),
        ("/_sim/clock/advance", b'{"seconds": "1"}'),
        (f"/_sim/subscriptions/{USER}", b'{"password": 5}'),
        (f"/_sim/subscriptions/{USER}/csam/assets", b'{"qualysAssetId": "\\u00b9"}'),
        (f"/_sim/subscriptions/{USER}/csam/assets", b'{"qualysAssetId": true}'),
        (f"/_sim/subscriptions/{USER}/confirm", b'{"uuid": 5}'),
        (f"/_sim/subscriptions/{USER}/licenses", b'{"licenses": "VM_LICENSE"}'),
        (f"/_sim/subscriptions/{USER}/tags", b'{"id": "x"}'),
    ],
)
def test_a_bad_control_plane_call_is_refused(http: httpx.Client, path: str, body: bytes) -> None:
    login(http)  # the subscription exists
    refused = http.post(path, content=body, headers={"Content-Type": "application/json"})
    assert refused.status_code == 400, refused.text
    _healthy(http)


def test_control_plane_bodies_are_bounded(http: httpx.Client) -> None:
    assert http.post("/_sim/faults", content=b" " * (1024 * 1024 + 1)).status_code == 413
    _healthy(http)


# ------------------------------------------------------------------------------------------------ bodies


def test_json_nested_100000_deep_is_a_400(http: httpx.Client) -> None:
    auth = login(http)
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000):
        for path in ("/ocaapi/v2.0/asset", ASSETS):
            answer = http.post(path, content=body, headers={**auth, "Content-Type": "application/json"})
            assert answer.status_code == 400, answer.text
            assert "deeper than" in answer.text
    # Depth within the bound is not the problem (the schema is).
    nested: Any = 1
    for _ in range(MAX_JSON_DEPTH - 2):
        nested = [nested]
    answer = http.post(ASSETS, json={"data": nested}, headers=auth)
    assert answer.status_code == 400
    assert "deeper than" not in answer.text
    _healthy(http)


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/ocaapi/v2.0/asset", "application/json", b'{"hostIP": "\xff\xfe"}'),
        (ASSETS, "application/json", b"\xc3\x28"),
        ("/auth", "application/x-www-form-urlencoded", b"username=\xff&password=p&token=true"),
    ],
)
def test_a_body_that_is_not_utf8_is_a_400(http: httpx.Client, path: str, content_type: str, body: bytes) -> None:
    auth = login(http)
    answer = http.post(path, content=body, headers={**auth, "Content-Type": content_type})
    assert answer.status_code == 400, answer.text
    _healthy(http)


def test_an_oversized_body_is_a_413_before_it_is_read(http: httpx.Client) -> None:
    auth = login(http)
    big = b" " * (MAX_BODY + 1)
    for path in ("/ocaapi/v2.0/asset", ASSETS):
        answer = http.post(path, content=big, headers={**auth, "Content-Type": "application/json"})
        assert answer.status_code == 413, answer.text
    qps = http.post("/qps/rest/1.0/search/ca/agentactkey/", content=big, headers=basic())
    assert qps.status_code == 413
    assert (
        http.post(
            "/auth", content=b"username=" + b"u" * 70_000, headers={"Content-Type": "application/x-www-form-urlencoded"}
        ).status_code
        == 413
    )
    _healthy(http)


def test_an_error_quotes_only_an_excerpt_of_the_input(http: httpx.Client) -> None:
    auth = login(http)
    huge = "x" * (10 * 1024 * 1024)
    cases = [
        (ASSETS, {"data": [{"qualysAssetId": huge}]}),
        (ASSETS, {"data": [{"qualysAssetId": "1", "metadata": {"company": huge}}]}),
        ("/ocaapi/v2.0/asset", {"hostIP": "10.0.0.1", "technology": huge, "type": "PolicyCompliance"}),
        ("/ocaapi/v2.0/asset", {"hostIP": huge, "technology": "Fabric 7", "type": huge}),
        ("/rest/2.0/upsert/am/businessapp/metadata", {"data": [{"businessAppId": huge}] * 2}),
    ]
    for path, body in cases:
        answer = http.post(
            path, content=json.dumps(body).encode(), headers={**auth, "Content-Type": "application/json"}
        )
        assert 400 <= answer.status_code < 500, answer.text[:300]
        assert len(answer.content) < 4096, (path, len(answer.content))
    keys = http.post(
        "/qps/rest/1.0/search/ca/agentactkey/",
        content=f'<ServiceRequest><filters><Criteria field="{huge}" operator="EQUALS">1</Criteria></filters>'
        "</ServiceRequest>".encode(),
        headers=basic(),
    )
    assert b"INVALID_REQUEST" in keys.content
    assert len(keys.content) < 4096


# ------------------------------------------------------------------------------------------------ credentials


def test_a_username_keeps_its_first_password_until_forgotten(http: httpx.Client, sim: Simulator) -> None:
    login(http, USER, "first")
    assert http.post("/auth", data={"username": USER, "password": "second", "token": "true"}).status_code == 401
    assert http.delete(f"/_sim/subscriptions/{USER}").json() == {"ok": True}
    login(http, USER, "second")
    sim.reset()
    login(http, USER, "third")


def test_a_fresh_simulator_on_a_fake_clock_keeps_serving_after_bad_input() -> None:
    sim = Simulator(clock=FakeClock())
    with sim_client(sim.app) as http:
        assert http.post("/_sim/faults", json={"kind": "status", "times": "x"}).status_code == 400
        assert http.post("/_sim/faults", json={"kind": "status", "path": "(["}).status_code == 400
        _healthy(http)
