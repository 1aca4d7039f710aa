"""Ctrl-C (or a cancelled task) stops a bulk run at once, without waiting for the calls in flight, and the resume
settles every row exactly once.

The bounds on time are generous on purpose: each call here takes seconds, and the run must stop well before one
of them would have ended.
"""

from __future__ import annotations

import _thread
import asyncio
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from qualys_sdk import AssetSpec, AsyncQualys, Qualys
from qualys_sdk.bulk import BulkInterrupted, BulkRunResult, aprovision_assets, provision_assets, read_report

from .fake_server import FakeOCA

#: How long each bulk call takes here; a run that waited for one in flight would take at least this long.
CALL_SECONDS = 3.0
RECORDS = [AssetSpec(f"10.4.0.{i}", "Fabric 7") for i in range(1, 31)]


def _in_flight(journal: Path) -> bool:
    """A chunk is recorded as sending: its call is on the way."""
    return journal.is_file() and '"state":"sending"' in journal.read_text()


def _when_in_flight(journal: Path, then: Callable[[], object]) -> threading.Thread:
    def wait() -> None:
        deadline = time.monotonic() + 30
        while not _in_flight(journal) and time.monotonic() < deadline:
            time.sleep(0.01)
        then()

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread


def _settle_abandoned_calls() -> None:
    """Let the calls the interrupted run did not wait for reach the fake server, as a real server's would."""
    for thread in threading.enumerate():
        if thread.name.startswith("qualys-bulk-"):
            thread.join(CALL_SECONDS * 3)


def _check_once_each(result: BulkRunResult, server: FakeOCA) -> None:
    assert result.complete
    assert [r.line for r in result.rows] == list(range(1, len(RECORDS) + 1))
    assert len(server.assets) == len(RECORDS)
    assert {r.uuid for r in result.rows} == set(server.assets.values())


def test_ctrl_c_stops_the_run_at_once_and_the_resume_settles_every_row(
    client: Qualys, server: FakeOCA, tmp_path: Path
) -> None:
    # Python's own Ctrl-C handler, even where the test runner was started with SIGINT ignored (a background job).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _interrupt_and_resume(client, server, tmp_path / "j.jsonl")
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt_and_resume(client: Qualys, server: FakeOCA, journal: Path) -> None:
    server.slow_bulk = CALL_SECONDS
    pressed: list[float] = []

    def ctrl_c() -> None:
        pressed.append(time.monotonic())
        _thread.interrupt_main()  # as SIGINT does: KeyboardInterrupt in the main thread

    _when_in_flight(journal, ctrl_c)
    with pytest.raises(BulkInterrupted) as info:
        provision_assets(client, RECORDS, journal=journal, chunk_size=10, concurrency=2)
    assert time.monotonic() - pressed[0] < CALL_SECONDS - 1  # the two calls in flight were not waited for
    assert (info.value.rows_settled, info.value.rows_total, info.value.journal) == (0, 30, journal)
    assert isinstance(info.value, KeyboardInterrupt)
    # The chunks in flight stay "sending": their outcome is unknown until the resume.
    assert [r.status for r in read_report(journal).rows] == ["unknown"] * 30

    _settle_abandoned_calls()
    assert read_report(journal).count("unknown") == 30  # an answer that came after Ctrl-C was not recorded
    # The chunks in flight reached the server after all; a chunk recorded as sending may also have been stopped
    # just before its call went out.
    reached = len(server.assets)
    assert reached in (0, 10, 20)
    server.slow_bulk = 0
    resumed = provision_assets(client, None, journal=journal)
    _check_once_each(resumed, server)
    assert (resumed.count("exists"), resumed.count("provisioned")) == (reached, 30 - reached)


def test_cancelling_an_async_run_stops_it_at_once(server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"

    async def slow(request: httpx.Request) -> httpx.Response:
        await request.aread()
        if request.url.path.endswith("/asset/bulk") and server.slow_bulk:
            await asyncio.sleep(server.slow_bulk)
        return server.handler(request)

    async def main() -> tuple[float, BulkRunResult]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
        async with AsyncQualys(username="u", password="p", platform="US1", http_client=http) as qualys:
            server.slow_bulk = CALL_SECONDS
            task = asyncio.create_task(aprovision_assets(qualys, RECORDS, journal=journal, chunk_size=10))
            while not _in_flight(journal):
                await asyncio.sleep(0.01)
            cancelled = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            took = time.monotonic() - cancelled
            server.slow_bulk = 0
            resumed = await aprovision_assets(qualys, None, journal=journal)
        await http.aclose()
        return took, resumed

    took, resumed = asyncio.run(main())
    assert took < CALL_SECONDS - 1
    _check_once_each(resumed, server)
    assert resumed.count("provisioned") == 30  # the calls in flight were cancelled before the server saw them
