"""What the reliability tests share: a simulator-backed client, and faults scheduled request by request."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from qualys_sdk import Qualys
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.transport import SimTransport

USERNAME = "reliability_user"
PASSWORD = "reliability-Pa55word!"
SIM_URL = "http://localhost"
#: The client's total time per call in the fault tests, and how long a slow response takes: well past it.
CALL_TIMEOUT = 0.12
SLOW_SECONDS = 0.2


@dataclass(frozen=True)
class Step:
    """What happens to one request: ``ok``, ``429`` (``retry_after`` 0 or 1), ``502``, ``503``, ``slow`` (beyond
    the call's timeout, applied), ``drop`` (before the server applies it), ``drop_after`` (applied, answer lost),
    ``token_expired`` (401 for an expired JWT) or ``expire`` (every token issued so far expires now)."""

    kind: str
    retry_after: int = 0


#: Steps that only make sense on a call made with a JWT, not on ``/auth`` itself.
_NEEDS_TOKEN = frozenset({"token_expired", "expire"})


class ScheduledTransport(httpx.BaseTransport):
    """The in-process simulator, with the next step of a schedule armed as a simulator fault before each request."""

    def __init__(self, sim: Simulator, steps: Iterable[Step] = ()) -> None:
        self._sim = sim
        self._inner = SimTransport(sim.app)
        self._steps = deque(steps)
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.authorizations: list[str] = []

    def _arm(self, path: str) -> None:
        if not self._steps or (path.rstrip("/") == "/auth" and self._steps[0].kind in _NEEDS_TOKEN):
            return
        step = self._steps.popleft()
        pattern = f"^{path}$"
        if step.kind == "429":
            self._sim.inject("status", pattern, status=429, retry_after=step.retry_after)
        elif step.kind in ("502", "503"):
            self._sim.inject("status", pattern, status=int(step.kind))
        elif step.kind == "slow":
            self._sim.inject("latency", pattern, seconds=SLOW_SECONDS)
        elif step.kind in ("drop", "drop_after", "token_expired"):
            self._sim.inject(step.kind, pattern)
        elif step.kind == "expire":
            self._sim.expire_tokens(USERNAME)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append((request.method, request.url.path))
            if "Authorization" in request.headers:
                self.authorizations.append(request.headers["Authorization"])
            self._arm(request.url.path)
        return self._inner.handle_request(request)


def new_simulator() -> Simulator:
    sim = Simulator(seed=1)
    sim.create_subscription(USERNAME, PASSWORD)
    return sim


@contextmanager
def client_for(transport: httpx.BaseTransport, **options: Any) -> Iterator[Qualys]:
    """A client over ``transport`` whose retries never sleep for long (zero jitter)."""
    with httpx.Client(transport=transport) as http:
        client = Qualys(
            username=USERNAME, password=PASSWORD, gateway_url=SIM_URL, api_url=SIM_URL, http_client=http, **options
        )
        client._core.random = lambda: 0.0
        yield client


def asset_pairs(sim: Simulator) -> Counter[tuple[str, str]]:
    """(hostIP, technology) of every asset the simulator holds, with how many assets have it."""
    return Counter((a["hostIP"], a["technology"]) for a in sim.assets(USERNAME))


def issued_tokens(sim: Simulator) -> list[str]:
    return list(sim.subscription(USERNAME).issued_tokens)


@contextmanager
def served(sim: Simulator, log_level: str = "warning") -> Iterator[str]:
    """The simulator on a loopback port, served by uvicorn in a thread; yields its base URL.

    ``log_config=None``: uvicorn's records go to the standard loggers (and pytest's caplog), with no handlers of
    its own left behind.
    """
    config = uvicorn.Config(sim.app, host="127.0.0.1", port=0, log_config=None, log_level=log_level, lifespan="off",
                            ws="none", http="h11", timeout_graceful_shutdown=1)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
