"""Bulk provision and re-provision of OCA assets that loses nothing and duplicates nothing.

An asset is identified by (hostIP, technology): the server skips a row whose
asset exists and names the existing asset's UUID (UNCONFIRMED for the real
service; the simulator does it). That is what makes re-sending a chunk safe,
and the journal (:mod:`.journal`) is what makes a run resumable.

A journal belongs to one input: its header records the input's path and sha256
(for records, of the records as spooled) and the chunk size. Calling again with
the same input resumes the run (or, when it finished, returns its result and
sends nothing); another input is refused, unless ``restart=True`` starts a new
run there, keeping the old journal beside it (safe, since existing assets are
skipped).

Ctrl-C (or cancelling :func:`aprovision_assets`) stops a run at once: no new
chunk goes out, the chunks in flight are not waited for (they stay ``sending``
in the journal, and a resume sends them again), and :class:`BulkInterrupted`
says how far the run got.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import functools
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import (
    APIConnectionError,
    AuthenticationError,
    InputProblem,
    InputValidationError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QualysError,
)
from ..oca import MAX_BULK_ROWS, AssetSpec
from ..types import AssetStatus, BulkProvisionResult
from .journal import Journal, Outcome, fsync_dir
from .records import (
    MAX_PROBLEMS,
    Row,
    Spooled,
    Technologies,
    file_digest,
    normal_ip,
    read_rows,
    respell,
    spool_chunks,
    spool_rows,
    technology_key,
    unknown_technologies,
)

if TYPE_CHECKING:
    from .._async._client import AsyncQualys
    from .._sync._client import Qualys

#: Times a chunk whose outcome is unknown is sent again before its rows are reported as unknown.
CHUNK_ATTEMPTS = 3
_log = logging.getLogger("qualys_sdk")

#: How often the thread that waits for the workers looks for a cancellation (seconds).
_POLL = 0.05

Source = str | Path | Iterable[AssetSpec | Mapping[str, Any]]


class BulkInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a bulk run: nothing more was sent, and the journal resumes it.

    ``rows_settled`` of ``rows_total`` input rows have a known outcome (duplicates count as settled);
    ``journal`` is the file to resume from. Rows of chunks that were in flight are not settled: the resume
    sends them again, and the server skips the assets that exist.
    """

    def __init__(self, rows_settled: int, rows_total: int, journal: Path) -> None:
        super().__init__(f"interrupted: {rows_settled} of {rows_total} rows settled; resume from {journal}")
        self.rows_settled = rows_settled
        self.rows_total = rows_total
        self.journal = journal

    def __reduce__(self) -> tuple[type[BulkInterrupted], tuple[int, int, Path]]:
        return type(self), (self.rows_settled, self.rows_total, self.journal)  # e.g. across processes


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one input row.

    ``status``: ``provisioned`` (``uuid`` is the new or re-provisioned asset), ``exists`` (the asset was
    already there: ``uuid`` is the existing asset's, or None when the server did not say), ``failed``
    (``reason`` says why), ``duplicate`` (the same (hostIP, technology) as line ``reason`` names: sent once),
    or ``unknown`` (the chunk's outcome could not be learned: resume the run).
    """

    line: int
    host_ip: str
    technology: str
    status: str
    uuid: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Progress:
    """How far a run is: what the ``progress`` callback is given when sending starts and after each chunk."""

    rows_done: int
    rows_total: int
    chunks_done: int
    chunks_total: int


@dataclass
class BulkRunResult:
    """Every input row, accounted for once; and the journal that lets the run resume.

    ``already_finished``: the journal recorded a finished run of this input, so nothing was sent now.
    """

    rows: list[RowOutcome]
    journal: Path
    unconfirmed: list[str] = field(default_factory=list)
    already_finished: bool = False

    def count(self, status: str) -> int:
        """How many rows ended in ``status`` (``provisioned``, ``exists``, ``failed``, ``duplicate``, ``unknown``)."""
        return sum(1 for r in self.rows if r.status == status)

    @property
    def complete(self) -> bool:
        """True when no row is unknown: every asset's fate is known."""
        return self.count("unknown") == 0

    def summary(self) -> dict[str, int]:
        """The number of rows, of each outcome, and of assets still unconfirmed."""
        statuses = ("provisioned", "exists", "failed", "duplicate", "unknown")
        return {"rows": len(self.rows), **{s: self.count(s) for s in statuses}, "unconfirmed": len(self.unconfirmed)}

    def to_dict(self) -> dict[str, Any]:
        """The whole result as JSON values, as ``qualys --json bulk provision`` prints it."""
        return {"summary": self.summary(), "journal": str(self.journal), "rows": [asdict(r) for r in self.rows],
                "unconfirmed": self.unconfirmed, "already_finished": self.already_finished}  # fmt: skip

    def report(self) -> dict[str, Any]:
        """Every row's outcome and the summary, as ``qualys bulk report --json`` prints them.

        The journal does not record confirmations, so the summary has no ``unconfirmed`` count.
        """
        summary = {name: count for name, count in self.summary().items() if name != "unconfirmed"}
        rows = [{"line": r.line, "hostIP": r.host_ip, "technology": r.technology, "assetUUID": r.uuid,
                 "outcome": r.status, "reason": r.reason} for r in self.rows]  # fmt: skip
        return {"summary": summary, "rows": rows}


_MISSING: Outcome = ("unknown", None, "the server's answer did not mention this row")


def _identity(host_ip: str, technology: str) -> str:
    return f"{normal_ip(host_ip) or host_ip}|{technology_key(technology)}"


def _outcomes(chunk: list[Row], result: BulkProvisionResult) -> list[Outcome]:
    """The outcome of every row of a chunk, in its order, from the server's answer (by ip and technology)."""
    answered: list[tuple[str | None, str | None, Outcome]] = [
        (ok.ip, ok.technology, ("provisioned", ok.uuid, None)) for ok in result.successful
    ]
    # On a re-sent chunk the asset may be this run's own from the first attempt: either way it exists.
    answered += [(s.ip, s.technology, ("exists", s.uuid, s.reason)) for s in result.skipped]
    answered += [(f.ip, f.technology, ("failed", None, f.reason or "failed")) for f in result.failed]
    by_key = {f"{ip}|{technology}": outcome for ip, technology, outcome in answered}
    if all(row.key in by_key for row in chunk):
        return [by_key[row.key] for row in chunk]
    # The server wrote an address or a technology its own way (upper case, "zOS"): match the identities.
    by_identity = {_identity(ip or "", technology or ""): outcome for ip, technology, outcome in answered}
    return [by_key.get(row.key) or by_identity.get(_identity(row.asset.host_ip, row.asset.technology), _MISSING)
            for row in chunk]  # fmt: skip


def _journaled(chunk: list[Row], outcomes: list[Outcome], resent: bool) -> dict[str, dict[str, Any]]:
    """A chunk's outcome as the journal file records it: by row key, a mapping per row."""
    recorded: dict[str, dict[str, Any]] = {}
    for row, (status, uuid, reason) in zip(chunk, outcomes, strict=True):
        value: dict[str, Any] = {"status": status}
        if status in ("provisioned", "exists"):
            value["uuid"] = uuid
        if status != "provisioned":
            value["reason"] = reason
        if resent:
            value["resent"] = True
        recorded[row.key] = value
    return recorded


def _row_outcome(row: Row, outcome: Outcome) -> RowOutcome:
    status, uuid, reason = outcome
    return RowOutcome(row.line, row.asset.host_ip, row.asset.technology, status, uuid, reason)


SendChunk = Callable[[list[AssetSpec]], BulkProvisionResult]
Statuses = Callable[[], dict[str, str]]
ListTechnologies = Callable[[], list[str]]

_NOT_SENT = "not sent: resume the run to send it"
_NO_ANSWER = "sent, but no answer was recorded: resume the run to settle it"


class _Run:
    """Sends the chunks of a spool; keeps, per chunk answered, a RowOutcome per row and nothing more.

    Only chunk boundaries are held up front: each chunk's rows are read from the spool when it is sent.
    At most ``concurrency`` chunks are sent at a time, and they go out in input order (``turns``); :meth:`work`
    runs on one more thread than that, so that reading the next chunk and recording an answer overlap with the
    calls in flight.
    """

    def __init__(self, send_chunk: SendChunk, journal: Journal, bounds: list[tuple[int, int]], *, concurrency: int,
                 progress: Callable[[Progress], None] | None, duplicates: int) -> None:  # fmt: skip
        self.send_chunk = send_chunk
        self.journal = journal
        self.bounds = bounds
        self.progress = progress
        self.duplicates = duplicates
        self.lock = threading.Lock()
        self.concurrency = concurrency
        #: Guards ``in_flight`` and ``next_turn``: chunks take the ``concurrency`` slots in the order they were
        #: taken off the queue (a Semaphore wakes its waiters in no set order), so the calls go out in input order.
        self.turns = threading.Condition()
        self.in_flight = 0
        self.next_turn = 0
        self.taken = 0
        self.workers = concurrency + 1
        self.stopped = threading.Event()
        #: Set when the last worker thread of :meth:`run` has ended.
        self.finished = threading.Event()
        self.running = 0
        #: Set by :meth:`stop`, under ``lock``: the journal takes no more events.
        self.closed = False
        #: The first error that ended a worker (an authentication error, or Ctrl-C raised inside a call).
        self.fatal: BaseException | None = None
        #: Chunks answered in this run: the outcome of each of their rows, in order.
        self.answered: dict[int, list[RowOutcome]] = {}
        #: Chunks whose outcome stayed unknown in this run: why.
        self.errors: dict[int, str] = {}
        self.rows_total = sum(count for _, count in self.bounds)
        self.rows_done = sum(c.rows for c in journal.chunks.values() if c.state == "done")
        self.chunks_done = sum(1 for c in journal.chunks.values() if c.state == "done")

    def rows(self, index: int) -> list[Row]:
        return read_rows(self.journal.spool, *self.bounds[index])

    def report(self) -> None:
        if self.progress is not None and not self.closed:
            self.progress(Progress(self.rows_done, self.rows_total, self.chunks_done, len(self.bounds)))

    def interrupted(self) -> BulkInterrupted:
        with self.lock:
            settled = self.rows_done
        return BulkInterrupted(settled + self.duplicates, self.rows_total + self.duplicates, self.journal.path)

    def stop(self) -> None:
        """Send nothing more and record nothing more: the journal stays as it is, to resume from."""
        self.stopped.set()
        with self.lock:  # after a record being written, none
            self.closed = True

    def worker(self, todo: deque[int]) -> None:
        """A worker thread's life: :meth:`work`, then ``finished`` is set if it was the last one."""
        try:
            self.work(todo)
        finally:
            with self.lock:
                self.running -= 1
                if self.running == 0:
                    self.finished.set()

    def work(self, todo: deque[int]) -> None:
        """One worker: send chunks off the queue until it is empty or the run stops."""
        while not self.stopped.is_set():
            with self.lock:
                if not todo:
                    return
                index = todo.popleft()
                turn, self.taken = self.taken, self.taken + 1
            try:
                self.send(index, turn)
            except BaseException as exc:  # handed to the thread that waits for the workers, which raises it
                with self.lock:
                    self.fatal = self.fatal or exc
                self.stopped.set()
                return

    def _take_slot(self, turn: int) -> bool:
        """Wait for this chunk's turn and a free slot; False when the run stops first."""
        with self.turns:
            while turn != self.next_turn or self.in_flight >= self.concurrency:
                if self.stopped.is_set():
                    return False
                self.turns.wait(_POLL)
            if self.stopped.is_set():
                return False
            self.next_turn += 1
            self.in_flight += 1
            self.turns.notify_all()  # the next chunk's turn has come
            return True

    def _give_slot(self) -> None:
        with self.turns:
            self.in_flight -= 1
            self.turns.notify_all()

    def send(self, index: int, turn: int) -> None:
        if self.stopped.is_set():
            return
        chunk = self.rows(index)  # while other chunks are in flight
        if not self._take_slot(turn):
            return
        try:
            answer = self._attempts(index, chunk)
        except BaseException:
            # Ctrl-C, SystemExit, or an error that ends the run (authentication, permission): the other
            # workers send nothing more. Set before the slot is given up, so no waiting chunk goes out.
            self.stopped.set()
            raise
        finally:
            self._give_slot()
        if answer is None:
            return
        result, resent = answer
        outcomes = _outcomes(chunk, result)
        recorded = _journaled(chunk, outcomes, resent)
        answered = [_row_outcome(row, o) for row, o in zip(chunk, outcomes, strict=True)]
        with self.lock:
            if self.closed:
                return  # interrupted while this call was in flight: the chunk stays "sending", to be sent again
            self.journal.done(index, recorded)
            self.answered[index] = answered
            self.rows_done += len(chunk)
            self.chunks_done += 1
        self.report()

    def _attempts(self, index: int, chunk: list[Row]) -> tuple[BulkProvisionResult, bool] | None:
        """Send a chunk, again while its outcome is unknown: (the answer, whether it was sent more than once).

        None when no answer came: the chunk stays "sending" in the journal and a resumed run sends it again.
        """
        resent = index in self.journal.chunks  # left "sending" by an interrupted run
        with self.lock:
            if self.closed:
                return None
            self.journal.sending(index, [row.key for row in chunk])
        last_error: QualysError | None = None
        for _ in range(CHUNK_ATTEMPTS):
            if self.stopped.is_set():
                return None
            try:
                return self.send_chunk([row.asset for row in chunk]), resent
            except (AuthenticationError, PermissionDeniedError):
                raise  # nothing else will work either
            except (OutcomeUnknownError, APIConnectionError) as exc:
                # Safe to send again: rows whose asset now exists come back skipped, with its UUID.
                last_error, resent = exc, True
                continue
            except QualysError as exc:
                last_error = exc
                break
        with self.lock:
            self.errors[index] = f"{type(last_error).__name__}: {last_error}"
        return None

    def outcomes(self, index: int) -> list[RowOutcome]:
        """Every row of a chunk, accounted for: answered now, answered by an earlier run, or unknown."""
        if index in self.answered:
            return self.answered.pop(index)  # handed over: the run keeps no second copy
        state = self.journal.chunks.get(index)
        recorded = state.outcome if state is not None and state.state == "done" else {}
        why = self.errors.get(index) or (_NOT_SENT if state is None else _NO_ANSWER)
        unknown: Outcome = ("unknown", None, why)
        return [_row_outcome(row, recorded.get(row.key, unknown)) for row in self.rows(index)]

    def results(self, duplicates: list[tuple[int, int]]) -> list[RowOutcome]:
        """Every input row once, by line: the spool's rows, then the duplicates in their places."""
        results: list[RowOutcome] = []
        for index in range(len(self.bounds)):
            results.extend(self.outcomes(index))  # the spool's order: by line
        if duplicates:
            firsts = {first for _, first in duplicates}
            originals = {r.line: r for r in results if r.line in firsts}
            for line, first in duplicates:
                original = originals.get(first)
                host_ip, technology = (original.host_ip, original.technology) if original else ("", "")
                results.append(RowOutcome(line, host_ip, technology, "duplicate", reason=f"same asset as line {first}"))
            results.sort(key=lambda r: r.line)
        return results

    def run(self, todo: list[int], cancel: threading.Event | None) -> None:
        """Send the chunks of ``todo``; raises :class:`BulkInterrupted` at once on Ctrl-C or ``cancel``."""
        queue = deque(todo)
        # Daemon threads: after Ctrl-C nobody waits for a call in flight, and such a call must not keep the
        # process alive either. Its chunk stays "sending", and the resume sends it again.
        threads = [threading.Thread(target=self.worker, args=(queue,), name=f"qualys-bulk-{n}", daemon=True)
                   for n in range(min(self.workers, len(queue)))]  # fmt: skip
        self.running = len(threads)
        if not threads:
            self.finished.set()
        try:
            for thread in threads:
                thread.start()  # Ctrl-C may come while one starts: the first may be sending already
            # Not Thread.join: on CPython before 3.13 a join cut short by Ctrl-C marks the thread it waited for as
            # ended though it still runs (its call in flight), and nobody could wait for that thread any more.
            while not self.finished.wait(_POLL):
                if cancel is not None and cancel.is_set():
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            self.stop()
            raise self.interrupted() from None
        except BaseException:
            self.stop()
            raise
        if isinstance(self.fatal, KeyboardInterrupt):
            raise self.interrupted() from self.fatal
        if self.fatal is not None:
            raise self.fatal


def _wait_confirmed(statuses_of: Statuses, uuids: set[str], *, timeout: float, interval: float,
                    cancel: threading.Event | None = None) -> list[str]:  # fmt: skip
    """Poll the subscription status (one call for all assets) until every UUID is confirmed, or ``cancel``."""
    pending = set(uuids)
    deadline = time.monotonic() + timeout
    while pending:
        statuses = statuses_of()
        pending = {u for u in pending if statuses.get(u) != AssetStatus.PROVISION_CONFIRMED}
        if not pending or time.monotonic() + interval > deadline:
            break
        if cancel is None:
            time.sleep(interval)
        elif cancel.wait(interval):
            break
    return sorted(pending)


def provision_assets(
    client: Qualys,
    source: Source | None,
    *,
    journal: str | Path | None = None,
    restart: bool = False,
    chunk_size: int | None = None,
    concurrency: int = 2,
    technologies: Iterable[str] | None = None,
    check_technologies: bool = True,
    wait_confirmed: bool = False,
    confirm_timeout: float = 600.0,
    poll_interval: float = 5.0,
    progress: Callable[[Progress], None] | None = None,
) -> BulkRunResult:
    """Provision (or re-provision: rows with a ``uuid``) any number of assets, resumably.

    ``source`` is a CSV file (header ``hostIP,technology,...``, the bulk file's column names), a JSON
    Lines file, or an iterable of :class:`AssetSpec` or mappings. Every record is checked first; any
    bad record raises :class:`InputValidationError` listing every problem (file, line, field), and then
    nothing is sent. A hostIP is sent as :mod:`ipaddress` writes it and a technology as the technology list
    spells it, and rows naming the same device are reported as duplicates and sent once.

    Technologies are checked against the subscription's list, fetched once
    (``client.oca.list_technologies()``) when the rest of the input is good: an unknown one is an input error
    naming the closest known ones. ``technologies`` (technologyVersion values) gives the list instead;
    ``check_technologies=False`` sends them unchecked.

    Rows go in chunks of ``chunk_size`` (default and at most 1000), ``concurrency`` chunks at a time, each
    recorded in the ``journal`` (a file; a temporary one, removed when the run completes, when not given)
    before it is sent and after it is answered. Call again with the same input and journal (``source`` may
    then be None) to resume an interrupted run: answered chunks are not sent again, and the others are; a
    finished run is returned as it was (``already_finished``) and nothing is sent. A journal of another input
    is an input error; ``restart=True`` starts a new run there, keeping the old journal as
    ``<journal>.<UTC time>``. Ctrl-C raises :class:`BulkInterrupted` at once, without waiting for the chunks in
    flight.

    Errors are collected, not raised: a chunk whose outcome stays unknown after retries leaves its
    rows ``unknown`` (resume later). Only authentication and permission errors raise at once.
    With ``wait_confirmed``, polls the subscription status until every asset is ``Provision
    Confirmed``; UUIDs still pending at ``confirm_timeout`` are listed in ``unconfirmed``.
    """

    def list_technologies() -> list[str]:
        return [t.technology_version for t in client.oca.list_technologies()]

    def statuses() -> dict[str, str]:
        return {item.asset_uuid: item.status for item in client.oca.subscription_status(30)}

    return _provision(
        client.oca.provision_bulk, statuses, list_technologies, source, journal=journal, restart=restart,
        chunk_size=chunk_size, concurrency=concurrency, technologies=technologies,
        check_technologies=check_technologies, wait_confirmed=wait_confirmed, confirm_timeout=confirm_timeout,
        poll_interval=poll_interval, progress=progress,
    )  # fmt: skip


async def aprovision_assets(
    client: AsyncQualys,
    source: Source | None,
    *,
    journal: str | Path | None = None,
    restart: bool = False,
    chunk_size: int | None = None,
    concurrency: int = 2,
    technologies: Iterable[str] | None = None,
    check_technologies: bool = True,
    wait_confirmed: bool = False,
    confirm_timeout: float = 600.0,
    poll_interval: float = 5.0,
    progress: Callable[[Progress], None] | None = None,
) -> BulkRunResult:
    """:func:`provision_assets` for an :class:`AsyncQualys` client; the same journal, checks and results.

    The run's bookkeeping (reading input, the journal) happens in a worker thread; every call to Qualys
    is made by ``client`` on the caller's event loop. Cancelling the task stops the run at once, as Ctrl-C
    stops :func:`provision_assets`: the calls in flight are cancelled, and the journal resumes the run.
    """
    loop = asyncio.get_running_loop()
    cancel = threading.Event()
    in_flight: set[concurrent.futures.Future[Any]] = set()
    guard = threading.Lock()

    def call(coroutine: Any) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        with guard:
            in_flight.add(future)
        if cancel.is_set():
            future.cancel()
        try:
            return future.result()
        finally:
            with guard:
                in_flight.discard(future)

    def send(assets: list[AssetSpec]) -> BulkProvisionResult:
        answer: BulkProvisionResult = call(client.oca.provision_bulk(assets))
        return answer

    def statuses() -> dict[str, str]:
        return {item.asset_uuid: item.status for item in call(client.oca.subscription_status(30))}

    def list_technologies() -> list[str]:
        return [t.technology_version for t in call(client.oca.list_technologies())]

    run = functools.partial(
        _provision, send, statuses, list_technologies, source, journal=journal, restart=restart,
        chunk_size=chunk_size, concurrency=concurrency, technologies=technologies,
        check_technologies=check_technologies, wait_confirmed=wait_confirmed, confirm_timeout=confirm_timeout,
        poll_interval=poll_interval, progress=progress, cancel=cancel,
    )  # fmt: skip
    future = loop.run_in_executor(None, functools.partial(contextvars.copy_context().run, run))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        cancel.set()
        with guard:
            for pending in in_flight:
                pending.cancel()
        # The run notices within _POLL seconds and closes its journal; then the task ends, cancelled.
        with contextlib.suppress(BaseException):  # BulkInterrupted, most likely: the cancellation is what counts
            await future
        raise


def read_report(journal: str | Path) -> BulkRunResult:
    """The outcome of every row of the run recorded in ``journal``, as far as it went; sends nothing.

    Rows of chunks never answered are ``unknown`` (resume the run to settle them). ``already_finished``
    says whether every chunk was answered.
    """
    log = Journal(journal)
    if not log.read():
        raise _refused(log, "no bulk run is recorded in this file")
    _check_resumable(log, None)
    bounds = spool_chunks(log.spool, int(log.header["chunk_size"]))
    duplicates = [(int(line), int(first)) for line, first in log.header.get("duplicates", [])]
    run = _Run(_no_sending, log, bounds, concurrency=1, progress=None, duplicates=len(duplicates))
    finished = all(i in log.chunks and log.chunks[i].state == "done" for i in range(len(bounds)))
    return BulkRunResult(run.results(duplicates), log.path, already_finished=finished)


def _no_sending(assets: list[AssetSpec]) -> BulkProvisionResult:
    raise AssertionError("a report sends nothing")


def _refused(log: Journal, message: str) -> InputValidationError:
    return InputValidationError([InputProblem(message, file=str(log.path))])


def _check_resumable(log: Journal, chunk_size: int | None) -> None:
    """The run recorded in ``log`` can go on: a provision run, with its spool whole, in chunks of ``chunk_size``."""
    if log.header.get("kind") != "provision":
        raise _refused(log, "not the journal of a bulk provision run")
    if not log.spool.is_file():
        raise _refused(log, f"its spool of checked rows, {log.spool}, is missing: start a new run with restart=True")
    expected = log.header.get("spool_bytes")
    # A spool whose technologies are still to check may have been respelled already (then checked again).
    if expected is not None and log.header.get("technologies") != _TO_CHECK and log.spool.stat().st_size != expected:
        raise _refused(log, f"its spool of checked rows, {log.spool}, is not the one it names ({expected} bytes): "
                            "start a new run with restart=True")  # fmt: skip
    recorded = int(log.header["chunk_size"])
    if chunk_size is not None and chunk_size != recorded:
        raise _refused(log, f"this run sends chunks of {recorded} rows, not {chunk_size}: resume it without "
                            "chunk_size, or start a new run with restart=True")  # fmt: skip


def _input_name(source: Source) -> str:
    return str(Path(source).absolute()) if isinstance(source, str | Path) else "<records>"


def _identify(log: Journal, source: Source) -> str:
    """The sha256 that binds a journal to ``source``: of a file's bytes, or of records as they are spooled."""
    if isinstance(source, str | Path):
        if not Path(source).is_file():
            raise InputValidationError([InputProblem("no such file", file=str(source))])
        return file_digest(source)
    check = log.spool.with_name(log.spool.name + ".check")
    try:
        return spool_rows(source, check).digest
    finally:
        check.unlink(missing_ok=True)


def _prepare(log: Journal, source: Source | None, *, chunk_size: int | None, restart: bool,
             technologies: Iterable[str] | None, defer: bool) -> tuple[bool, Spooled | None]:  # fmt: skip
    """Make ``log`` the journal of this call.

    Returns (True, None) to go on with the run it records, or (False, what was spooled) after starting a new one.
    """
    recorded = log.read()
    if source is None:
        if restart:
            raise _refused(log, "restart=True needs the input: give the file or records to provision")
        if not recorded:
            raise _refused(log, "no input was given, and this journal records no run to resume: give the input")
        _check_resumable(log, chunk_size)
        return True, None
    if recorded and log.sent and not restart:
        digest = _identify(log, source)
        name = _input_name(source)
        if "sha256" in log.header:
            same = log.header["sha256"] == digest  # the same content, wherever the file now is
        else:
            same = log.header.get("source") in (name, str(source))  # the first layout names the input only
        if same:
            _check_resumable(log, chunk_size)
            return True, None
        raise _refused(log, _other_input(log, name, digest))
    spooled = _start(log, source, chunk_size or MAX_BULK_ROWS, technologies, defer=defer, keep=recorded and log.sent)
    return False, spooled


def _other_input(log: Journal, name: str, digest: str) -> str:
    """Why ``log`` is not the journal of this input, naming both, and the way out."""
    was, had = log.header.get("source", "another input"), str(log.header.get("sha256", "?"))[:12]
    if was == name:  # the same file, changed since (a typo fixed, say)
        what = f"this journal records a run of {was} as it was then (sha256 {had}); it has changed since (sha256 "
        what += f"{digest[:12]}), so the journal's rows are not its rows"
    else:
        what = f"this journal records a run of {was} (sha256 {had}), not of {name} (sha256 {digest[:12]})"
    return (f"{what}: resume with that input, or start a new run of this one with restart=True (--restart), which "
            f"keeps this journal as {log.path.name}.<UTC time>")  # fmt: skip


def _start(log: Journal, source: Source, chunk_size: int, technologies: Iterable[str] | None, *, defer: bool,
           keep: bool) -> Spooled:  # fmt: skip
    """Check and spool ``source``, then write the header of a new run (after moving an old run aside when ``keep``).

    With ``defer``, the technologies are left to :func:`_check_technologies` (the header says "to check"): the
    list is fetched only once the rest of the input is good, so that a bad file costs no login, and once the
    header is written, so that a run stopped by that first call (a refused login) resumes.
    """
    known = Technologies(technologies) if technologies is not None else None
    fresh = log.spool.with_name(log.spool.name + ".new")
    log.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        spooled = spool_rows(source, fresh, technologies=known, defer=known is None and defer)
        digest = file_digest(source) if isinstance(source, str | Path) else spooled.digest
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    previous = log.archive() if keep else None
    if not keep:
        log.path.unlink(missing_ok=True)  # it recorded nothing sent: nothing to keep
    os.replace(fresh, log.spool)
    fsync_dir(log.spool.parent)
    checked = "given" if known is not None else _TO_CHECK if defer else "unchecked"
    log.start({
        "kind": "provision", "source": _input_name(source), "sha256": digest, "chunk_size": chunk_size,
        "rows": spooled.rows, "spool_bytes": log.spool.stat().st_size, "duplicates": spooled.duplicates,
        "technologies": checked, "started": datetime.now(UTC).isoformat(timespec="seconds"),
        **({"previous": str(previous)} if previous is not None else {}),
    })  # fmt: skip
    return spooled


_TO_CHECK = "to check"


def _spooled_technologies(log: Journal) -> dict[str, list[dict[str, Any]]]:
    """The technologies of a spool, each with where it is used (the first MAX_PROBLEMS places)."""
    used: dict[str, list[dict[str, Any]]] = {}
    where = str(log.header.get("source", log.spool))
    for offset, count in spool_chunks(log.spool, MAX_BULK_ROWS):
        for row in read_rows(log.spool, offset, count):
            places = used.setdefault(row.asset.technology, [])
            if len(places) < MAX_PROBLEMS:
                places.append({"file": where, "line": row.line})
    return used


def _check_technologies(log: Journal, fetch: ListTechnologies | None, spooled: Spooled | None) -> None:
    """Check a new run's technologies against the list (one call), and spool them as it spells them.

    The header says how they were checked; an unknown one is an input error, and nothing is sent.
    """
    header = {k: v for k, v in log.header.items() if k not in ("journal", "version")}
    used = spooled.unchecked if spooled is not None else _spooled_technologies(log)
    known: Technologies | None = None
    if fetch is None:
        header["technologies"] = "unchecked"
    elif used:
        try:
            known = Technologies(fetch())
        except (AuthenticationError, PermissionDeniedError):
            raise  # the run cannot go on; the journal resumes it
        except QualysError as exc:
            # No list, no check: the server checks each row itself and reports an unknown technology as that
            # row's failure, which is what happened before this check existed. The run goes on.
            _log.warning("bulk provision: the technology list could not be fetched (%s: %s); technologies are "
                         "sent unchecked", type(exc).__name__, exc)  # fmt: skip
            header["technologies"] = f"unchecked: no technology list ({type(exc).__name__})"
    if known is not None:
        problems = unknown_technologies(used, known)
        if problems:
            raise InputValidationError(problems)
        spelling = {name: known.canonical(name) or name for name in used}
        respell(log.spool, {given: canonical for given, canonical in spelling.items() if canonical != given})
        header["spool_bytes"] = log.spool.stat().st_size
    if fetch is not None and (known is not None or not used):
        header["technologies"] = "checked"
    log.start(header)


def _provision(
    send_chunk: SendChunk,
    statuses: Statuses,
    list_technologies: ListTechnologies,
    source: Source | None,
    *,
    journal: str | Path | None,
    restart: bool,
    chunk_size: int | None,
    concurrency: int,
    technologies: Iterable[str] | None,
    check_technologies: bool,
    wait_confirmed: bool,
    confirm_timeout: float,
    poll_interval: float,
    progress: Callable[[Progress], None] | None,
    cancel: threading.Event | None = None,
) -> BulkRunResult:
    if chunk_size is not None and not 1 <= chunk_size <= MAX_BULK_ROWS:
        raise InputValidationError([InputProblem(f"chunk_size must be 1..{MAX_BULK_ROWS}", field="chunk_size")])
    temporary = journal is None
    log = Journal(journal if journal is not None else Path(tempfile.mkdtemp(prefix="qualys-bulk-")) / "journal.jsonl")
    fetch = list_technologies if check_technologies else None
    try:
        resumed, spooled = _prepare(log, source, chunk_size=chunk_size, restart=restart, technologies=technologies,
                                    defer=fetch is not None)  # fmt: skip
        if log.header.get("technologies") == _TO_CHECK and not log.sent:
            _check_technologies(log, fetch, spooled)
    except BaseException:
        if temporary:
            shutil.rmtree(log.path.parent, ignore_errors=True)
        raise
    bounds = spool_chunks(log.spool, int(log.header["chunk_size"]))
    duplicates = [(int(line), int(first)) for line, first in log.header.get("duplicates", [])]
    run = _Run(send_chunk, log, bounds, concurrency=max(1, concurrency), progress=progress,
               duplicates=len(duplicates))  # fmt: skip
    todo = [i for i in range(len(bounds)) if log.chunks.get(i) is None or log.chunks[i].state != "done"]
    if todo:
        run.report()
        with log.opened():
            run.run(todo, cancel)
    results = run.results(duplicates)
    unconfirmed: list[str] = []
    if wait_confirmed:
        uuids = {r.uuid for r in results if r.status in ("provisioned", "exists") and r.uuid}
        # ``cancel`` only when there is one: the sync run waits as it always did (tests/reliability patch it).
        wait = _wait_confirmed if cancel is None else functools.partial(_wait_confirmed, cancel=cancel)
        unconfirmed = wait(statuses, uuids, timeout=confirm_timeout, interval=poll_interval)
    result = BulkRunResult(results, log.path, unconfirmed, already_finished=resumed and not todo)
    if temporary and result.complete:
        shutil.rmtree(log.path.parent, ignore_errors=True)  # nothing left to resume
    return result
