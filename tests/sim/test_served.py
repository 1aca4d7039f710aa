"""The simulator over a real socket: slow clients are cut off, a huge bulk file costs little memory.

Served by ``python -m qualys_sdk.testing.server`` (``tests/sim/server_process.py``) with a 2 s request timeout
instead of the 30 s default, so that the slow-client tests take seconds.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from qualys_sdk.testing import Simulator, server

from .server_process import Served, served

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for memory figures")

TIMEOUT = 2.0
BULK = "/ocaapi/v2.0/asset/bulk?manifest_types=PolicyCompliance"
HEADER = b"dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"


@pytest.fixture(scope="module")
def sim() -> Iterator[Served]:
    with served(request_timeout=TIMEOUT) as running:
        yield running


def _token(url: str, user: str = "served_user") -> dict[str, str]:
    answer = httpx.post(f"{url}/auth", data={"username": user, "password": "pw", "token": "true"})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.text}"}


def _closed_by_server(conn: socket.socket, within: float) -> bool:
    """Whether the server closes ``conn`` (EOF or reset) within ``within`` seconds, without answering."""
    conn.settimeout(within)
    try:
        return conn.recv(65536) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_the_default_request_timeout_is_30_seconds() -> None:
    assert server.REQUEST_TIMEOUT == 30.0
    config = server.config(Simulator(), port=0)
    assert isinstance(config.http, type)
    assert issubclass(config.http, server.GuardedH11Protocol)
    assert config.http.request_timeout == 30.0
    assert config.timeout_keep_alive == 5
    assert config.h11_max_incomplete_event_size == 16 * 1024
    with pytest.raises(ValueError, match="loopback"):
        server.config(Simulator(), host="0.0.0.0")  # noqa: S104  # the refused case


def test_a_slowloris_of_200_connections_is_closed(sim: Served) -> None:
    connections = []
    try:
        for _ in range(200):
            conn = socket.create_connection((sim.host, sim.port))
            conn.sendall(b"GET /ocaapi/v2.0/technology/PolicyCompliance HTTP/1.1\r\nHost: x\r\n")
            connections.append(conn)
        started = time.monotonic()
        # Keep dripping header bytes: each one resets uvicorn's own timer, not the request deadline.
        while time.monotonic() - started < TIMEOUT + 1.5:
            for conn in connections:
                with contextlib.suppress(OSError):  # closed already: fine
                    conn.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.5)
        assert all(_closed_by_server(conn, within=3) for conn in connections)
    finally:
        for conn in connections:
            conn.close()
    assert httpx.get(f"{sim.url}/ocaapi/v2.0/technology/PolicyCompliance", headers=_token(sim.url)).status_code == 200


def test_a_body_that_never_finishes_is_cut_off(sim: Served) -> None:
    auth = _token(sim.url)
    with socket.create_connection((sim.host, sim.port)) as conn:
        head = (
            "POST /ocaapi/v2.0/asset HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: {auth['Authorization']}\r\nContent-Length: 1000\r\n\r\n"
        )
        conn.sendall(head.encode() + b'{"hostIP": ')
        assert _closed_by_server(conn, within=TIMEOUT + 3)


def test_a_connection_that_sends_nothing_is_closed(sim: Served) -> None:
    with socket.create_connection((sim.host, sim.port)) as conn:
        assert _closed_by_server(conn, within=TIMEOUT + 3)


def test_a_keep_alive_connection_serves_several_calls(sim: Served) -> None:
    with httpx.Client(base_url=sim.url) as http:
        auth = _token(sim.url)
        for _ in range(3):
            assert http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers=auth).status_code == 200
            time.sleep(0.2)


def test_a_100_mb_bulk_file_is_refused_at_row_1001_in_little_memory(sim: Served) -> None:
    auth = _token(sim.url, "memory_user")
    row = b",10.1.2.3,,,,,Fabric 7,PolicyCompliance,\n"
    small = HEADER + row * 10
    warm = httpx.post(f"{sim.url}{BULK}", files={"data": ("a.csv", small, "text/csv")}, headers=auth, timeout=30)
    assert warm.status_code == 200, warm.text
    before = sim.memory_kib("VmRSS")
    huge = HEADER + row * (100 * 1024 * 1024 // len(row))
    assert len(huge) > 100_000_000
    started = time.monotonic()
    answer = httpx.post(f"{sim.url}{BULK}", files={"data": ("a.csv", huge, "text/csv")}, headers=auth, timeout=120)
    elapsed = time.monotonic() - started
    assert answer.status_code == 400, answer.text
    assert answer.json()["_error"]["message"] == "More than 1000 assets in one file; at most 1000 are allowed"
    grown_mib = (sim.memory_kib("VmHWM") - before) / 1024
    assert grown_mib < 100, f"the server's resident memory grew by {grown_mib:.0f} MiB"
    assert elapsed < 60
    assert httpx.get(f"{sim.url}/ocaapi/v2.0/technology/PolicyCompliance", headers=auth).status_code == 200


def test_a_complete_request_is_not_cut_off_while_it_is_answered(sim: Served) -> None:
    auth = _token(sim.url, "patient_user")
    added = httpx.post(f"{sim.url}/_sim/faults", json={"kind": "latency", "path": "/status$", "seconds": TIMEOUT + 1})
    assert added.status_code == 200
    answer = httpx.get(f"{sim.url}/ocaapi/v2.0/asset/663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5/status", headers=auth,
                       timeout=TIMEOUT + 10)  # fmt: skip
    assert answer.status_code == 200
