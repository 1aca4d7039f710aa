"""Simulator speed: requests per second for one simple OCA call, so users know it will not be their bottleneck.

The call is ``GET /ocaapi/v2.0/asset/{uuid}/status`` on a sample asset, made with plain httpx by a single
client, one call at a time: in process (``qualys_sdk.testing.transport.sim_client``, no socket) and over
loopback against ``qualys sim serve`` in another process (one kept-alive connection). No target.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from qualys_sdk.testing import Simulator
from qualys_sdk.testing.transport import sim_client
from tests.bench.common import Figure, interleaved_medians, served_simulator

UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
USER = "bench_sim"
PASSWORD = "bench-password"


def _status_call(http: httpx.Client) -> Callable[[], object]:
    """One status call with a token from ``/auth``, checked once."""
    token = http.post("/auth", data={"username": USER, "password": PASSWORD, "token": "true"}).text
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    path = f"/ocaapi/v2.0/asset/{UUID}/status"

    def call() -> object:
        return http.get(path, headers=headers).content

    response = http.get(path, headers=headers)
    if response.status_code != 200 or b"Provision Confirmed" not in response.content:
        raise RuntimeError(f"unexpected status answer: {response.status_code} {response.text}")
    return call


def run(repeats: int) -> list[Figure]:
    with served_simulator() as url, sim_client(Simulator().app) as local, httpx.Client(base_url=url) as remote:
        runs = {"in process": _status_call(local), "loopback": _status_call(remote)}
        times = interleaved_medians(runs, repeats=repeats, inner=200, warmup=1)
    return [
        Figure(
            name=f"simulator: GET asset status {where}, single client, requests/s",
            value=round(1 / seconds),
            unit="req/s",
            detail={"per_call_us": round(seconds * 1e6, 1)},
            note="httpx over sim_client (no socket)" if where == "in process" else "httpx to qualys sim serve",
        )
        for where, seconds in times.items()
    ]
