"""Hostile answers from a real loopback server through every public method, sync and async.

Whatever the server does, a call ends with the one error the contract names, within its deadline, in bounded
memory:

- an answer (or an /auth answer) dripped a byte a second: ``APITimeoutError`` for a call the SDK may repeat,
  ``OutcomeUnknownError`` for one it may not (the request went out, the server may have applied it), and
  ``APITimeoutError`` for every call when it is /auth that drips (nothing was sent yet); all within T + 1 s;
- a gzip bomb, a 200 MB body, a 100 MB /auth answer: ``ResponseTooLargeError``, with the peak RSS of a fresh
  interpreter making the calls growing less than 150 MB;
- JSON or XML nested 10,000 deep, JSON nested 300 deep, an HTML page with a 200, a body cut short of its
  Content-Length, invalid UTF-8: ``ResponseFormatError`` itself (never a RecursionError or anything from
  outside the SDK), within T + 1 s.

Each scenario runs as one batch: a fresh server, and every call of the scenario on its own client and thread,
all at once, so that a drip costs T once rather than once per method; a call not finished T + 5 s after it
started is reported as hanging (no pytest timeout plugin needed), and closing the server frees it. The tests
then check one call each. The size scenarios run in one subprocess per scenario (see
``tests/support/hostile_calls.py``), so that the pytest process's own memory does not blur the measure.
Clients have ``max_retries=0`` (the deadline, not retries, is under test), except in one scenario that shows
the total deadline holds with the default retries too.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import httpx
import pytest

from qualys_sdk import (
    APITimeoutError,
    AsyncQualys,
    OutcomeUnknownError,
    Qualys,
    QualysError,
    ResponseFormatError,
    ResponseTooLargeError,
)
from tests.support import REPO
from tests.support.hostile_calls import (
    CALLS,
    FLAVORS,
    MAX_GROWTH_BYTES,
    Flavor,
    Outcome,
    ProbeRecord,
    SdkCall,
    invoke,
    run_concurrently,
)
from tests.support.hostile_server import BOMB_INFLATED_BYTES, Answer, AuthAnswer, HostileServer, gzip_bomb

#: Each call's total timeout (the client's ``timeout=``), in the deadline scenarios.
T = 2.0
#: The format scenarios' timeout: what they test is the error an unreadable answer gives, so a loaded machine
#: (40 concurrent calls parsing 10,000-deep documents) must not turn one into a timeout.
FORMAT_TIMEOUT = 15.0
#: The contract: a call ends within T + GRACE seconds.
GRACE = 1.0
#: How long past T a batch waits before it reports a call as hanging.
PATIENCE = 5.0
#: The size scenarios' timeout: long enough that the size cap, not the deadline, is what ends the read.
MEMORY_TIMEOUT = 15.0
#: Bound on one probe subprocess (42 calls); only reached when calls are slow without hanging.
PROBE_TIMEOUT = 240.0

GATEWAY_CALLS = tuple(call.name for call in CALLS if call.api != "keys")


@dataclass(frozen=True)
class Scenario:
    """A server behaviour (``answer`` for the API paths, ``auth`` for /auth) and the calls it is tried on."""

    name: str
    answer: Answer = "ok"
    auth: AuthAnswer = "token"
    depth: int = 10_000
    max_retries: int | None = 0
    #: The client's ``timeout=`` for each call.
    timeout: float = T
    #: Names of the calls to make (None: all). /auth scenarios only concern the gateway: the activation-key
    #: calls go to the API server with Basic auth and never ask /auth for a token.
    only: tuple[str, ...] | None = None

    @property
    def calls(self) -> tuple[SdkCall, ...]:
        return tuple(call for call in CALLS if self.only is None or call.name in self.only)


WELL_BEHAVED = Scenario("ok")
DEADLINE_SCENARIOS = (
    Scenario("drip_headers", "drip_headers"),
    Scenario("drip_body", "drip_body"),
    Scenario("auth_drip", auth="auth_drip", only=GATEWAY_CALLS),
)
WITH_DEFAULT_RETRIES = Scenario(
    "drip_headers_default_retries", "drip_headers", max_retries=None, only=("oca.get_status", "activation_keys.search")
)
FORMAT_SCENARIOS = (
    Scenario("deep_json", "deep_json", timeout=FORMAT_TIMEOUT),
    Scenario("deep_json_300", "deep_json", depth=300, timeout=FORMAT_TIMEOUT),
    Scenario("deep_xml", "deep_xml", timeout=FORMAT_TIMEOUT),
    Scenario("html_200", "html_200", timeout=FORMAT_TIMEOUT),
    Scenario("truncated", "truncated", timeout=FORMAT_TIMEOUT),
    Scenario("bad_utf8", "bad_utf8", timeout=FORMAT_TIMEOUT),
)
SIZE_SCENARIOS = (
    Scenario("gzip_bomb", "gzip_bomb"),
    Scenario("huge_body", "huge_body"),
    Scenario("auth_huge", auth="auth_huge", only=GATEWAY_CALLS),
)


def cases(scenarios: Sequence[Scenario]) -> list[pytest.ParameterSet]:
    return [
        pytest.param(scenario, call, flavor, id=f"{scenario.name}-{call.name}-{flavor}")
        for scenario in scenarios
        for call in scenario.calls
        for flavor in FLAVORS
    ]


class Batches:
    """Every call of a scenario, made at once against one server; run on first use, kept for the module.

    The well-behaved scenario always runs first, one call at a time: the SDK imports parts of itself on first
    use, and those imports must not happen on many threads at once, nor inside a timed call. Under pytest they
    go through its assertion rewriter (the SDK ships a pytest plugin, which makes its modules rewrite targets),
    whose ``ast.parse`` CPython 3.11 does not make safe across threads (python/cpython#106905: a spurious
    "SystemError: AST constructor recursion depth mismatch").
    """

    def __init__(self) -> None:
        self._done: dict[Scenario, dict[tuple[str, Flavor], Outcome]] = {}

    def outcome(self, scenario: Scenario, call: SdkCall, flavor: Flavor) -> Outcome:
        if WELL_BEHAVED not in self._done:
            self._done[WELL_BEHAVED] = self._run(WELL_BEHAVED, one_at_a_time=True)
        if scenario not in self._done:
            self._done[scenario] = self._run(scenario)
        return self._done[scenario][call.name, flavor]

    @staticmethod
    def _run(scenario: Scenario, *, one_at_a_time: bool = False) -> dict[tuple[str, Flavor], Outcome]:
        keys = [(call, flavor) for call in scenario.calls for flavor in FLAVORS]
        with HostileServer() as server:
            server.behave(scenario.answer, auth=scenario.auth, depth=scenario.depth)
            jobs = [
                partial(invoke, call, flavor, server.url, timeout=scenario.timeout, max_retries=scenario.max_retries)
                for call, flavor in keys
            ]
            if one_at_a_time:
                outcomes = [run_concurrently([job], wait=scenario.timeout + PATIENCE)[0] for job in jobs]
            else:
                outcomes = run_concurrently(jobs, wait=scenario.timeout + PATIENCE)
        # Leaving the server closed its connections: a call still hanging on one ends now, on its own thread.
        return {(call.name, flavor): outcome for (call, flavor), outcome in zip(keys, outcomes, strict=True)}


class Probes:
    """The memory probe of each size scenario: one subprocess making every call, sync then async; run on first
    use, kept for the module."""

    def __init__(self) -> None:
        self._done: dict[Scenario, dict[tuple[str, Flavor], ProbeRecord]] = {}

    def record(self, scenario: Scenario, call: SdkCall, flavor: Flavor) -> ProbeRecord:
        if scenario not in self._done:
            self._done[scenario] = self._run(scenario)
        return self._done[scenario][call.name, flavor]

    @staticmethod
    def _run(scenario: Scenario) -> dict[tuple[str, Flavor], ProbeRecord]:
        names = [call.name for call in scenario.calls]
        # The servers live here, not in the probe: only the client's memory is measured there.
        with HostileServer() as warm, HostileServer() as server:
            server.behave(scenario.answer, auth=scenario.auth, depth=scenario.depth)
            command = [sys.executable, "-m", "tests.support.hostile_calls", warm.url, server.url, str(MEMORY_TIMEOUT)]
            try:
                done = subprocess.run(
                    [*command, *names], cwd=REPO, capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False
                )
                stdout, stderr, ended = done.stdout, done.stderr, f"exit status {done.returncode}"
            except subprocess.TimeoutExpired as exc:
                # TimeoutExpired carries bytes even under text=True.
                stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
                stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
                ended = f"killed after {PROBE_TIMEOUT:.0f}s"
        records = {}
        for line in stdout.splitlines():
            if line.startswith("{"):
                record = ProbeRecord.from_json(line)
                records[record.call, record.flavor] = record
                if record.stopped:
                    ended = f"{record.stopped} during {record.call} ({record.flavor})"
        for call in scenario.calls:
            for flavor in FLAVORS:
                if (call.name, flavor) not in records or records[call.name, flavor].stopped:
                    why = f"not measured: the probe ended before this call finished ({ended})"
                    if stderr.strip():
                        why += f"; its stderr ends: {stderr[-1500:]}"
                    records[call.name, flavor] = ProbeRecord(call.name, flavor, False, None, why, None, 0, 0)
        return records


@pytest.fixture(scope="module")
def batches() -> Batches:
    return Batches()


@pytest.fixture(scope="module")
def probes() -> Probes:
    return Probes()


def _raise_outcome(outcome: Outcome) -> None:
    """Raise what the call raised; fail the test when it hung or returned."""
    if not outcome.finished:
        pytest.fail(f"still running {T + PATIENCE:.0f}s after the call started (its deadline: {T}s): it hangs")
    if outcome.error is not None:
        raise outcome.error
    pytest.fail(f"returned {outcome.result!r} instead of raising")


def _expect(outcome: Outcome, expected: type[QualysError]) -> None:
    """The call raised exactly ``expected`` (a subclass will not do), within the deadline and its grace."""
    with pytest.raises(expected) as caught:
        _raise_outcome(outcome)
    assert type(caught.value) is expected, (
        f"raised {type(caught.value).__name__}, a subclass of {expected.__name__}: {caught.value}"
    )
    assert outcome.elapsed is not None
    assert outcome.elapsed <= T + GRACE, f"raised after {outcome.elapsed:.2f}s; the deadline is {T}s (+{GRACE}s)"


# -- the harness itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "flavor"), [pytest.param(call, flavor, id=f"{call.name}-{flavor}") for call in CALLS for flavor in FLAVORS]
)
def test_every_call_succeeds_against_a_well_behaved_server(batches: Batches, call: SdkCall, flavor: Flavor) -> None:
    # Otherwise an error below could come from the harness (a wrong path, bad sample arguments), not the fault.
    outcome = batches.outcome(WELL_BEHAVED, call, flavor)
    assert outcome.finished, "a call to the well-behaved server hangs"
    if outcome.error is not None:
        raise outcome.error


def test_the_server_stops_promptly_with_a_drip_in_flight() -> None:
    with HostileServer() as server:
        server.behave("drip_headers")
        client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        client.sendall(b"GET /ocaapi/v2.0/asset/x/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert client.recv(1) == b"H"  # the drip has started
        leaving = time.monotonic()
    with client:
        assert time.monotonic() - leaving < 1.0
        assert client.recv(100) == b""  # the connection was closed, mid-drip
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()


def test_the_gzip_bomb_is_small_and_inflates_past_a_gibibyte() -> None:
    bomb = gzip_bomb("json")
    assert len(bomb) < 2 << 20
    assert int.from_bytes(bomb[-4:], "little") >= BOMB_INFLATED_BYTES  # gzip's trailer: the inflated size
    start = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(bomb[:4096], 64)
    assert start.startswith(b'{"code":200,"data":{"items":[')


# -- the contract ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("scenario", "call", "flavor"), cases([*DEADLINE_SCENARIOS, WITH_DEFAULT_RETRIES]))
def test_a_dripping_answer_ends_at_the_deadline(
    batches: Batches, scenario: Scenario, call: SdkCall, flavor: Flavor
) -> None:
    # While /auth drips, nothing has been sent: any call may be repeated then.
    expected = APITimeoutError if call.safe or scenario.auth == "auth_drip" else OutcomeUnknownError
    _expect(batches.outcome(scenario, call, flavor), expected)


@pytest.mark.parametrize(("scenario", "call", "flavor"), cases(FORMAT_SCENARIOS))
def test_an_unreadable_answer_is_a_format_error(
    batches: Batches, scenario: Scenario, call: SdkCall, flavor: Flavor
) -> None:
    _expect(batches.outcome(scenario, call, flavor), ResponseFormatError)


@pytest.mark.parametrize(("scenario", "call", "flavor"), cases(SIZE_SCENARIOS))
def test_an_oversized_answer_is_refused_in_bounded_memory(
    probes: Probes, scenario: Scenario, call: SdkCall, flavor: Flavor
) -> None:
    record = probes.record(scenario, call, flavor)
    if not record.finished:
        pytest.fail(record.message)
    expected = f"{ResponseTooLargeError.__module__}.{ResponseTooLargeError.__qualname__}"
    assert record.error == expected, f"{record.error or 'returned'}: {record.message}"
    assert record.growth_bytes < MAX_GROWTH_BYTES, (
        f"peak RSS grew {record.growth_bytes / 1e6:.0f} MB over the baseline "
        f"({record.own_growth_bytes / 1e6:.0f} MB of it during this call)"
    )


def _status_with_own_client(url: str, flavor: str) -> None:
    """One ``get_status`` through an httpx client the user passes in, with a 1 s deadline."""
    options = {"username": "u", "password": "p", "gateway_url": url, "api_url": url, "timeout": 1.0, "max_retries": 0}
    if flavor == "sync":
        with Qualys(**options, http_client=httpx.Client()) as qualys:  # type: ignore[arg-type]
            qualys.oca.get_status("a-1")
        return

    async def call() -> None:
        async with AsyncQualys(**options, http_client=httpx.AsyncClient()) as qualys:  # type: ignore[arg-type]
            await qualys.oca.get_status("a-1")

    asyncio.run(call())


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_a_users_own_httpx_client_gets_the_same_deadline(flavor: str) -> None:
    """docs/errors.md promises the socket deadline for an httpx client passed in too, when it has httpx's transport."""
    with HostileServer() as server:
        server.behave("drip_headers")
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            _status_with_own_client(f"http://127.0.0.1:{server.port}", flavor)
        assert time.monotonic() - started < 2.0
