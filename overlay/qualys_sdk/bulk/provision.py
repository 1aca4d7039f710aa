"""Bulk provision and re-provision of OCA assets that loses nothing and duplicates nothing.

An asset is identified by (hostIP, technology): the server skips a row whose
asset exists and names the existing asset's UUID (UNCONFIRMED for the real
service; the simulator does it). That is what makes re-sending a chunk safe,
and the journal (:mod:`.journal`) is what makes a run resumable.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
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
from .journal import Journal, Outcome
from .records import Row, read_rows, spool_chunks, spool_rows

if TYPE_CHECKING:
    from .._async._client import AsyncQualys
    from .._sync._client import Qualys

#: Times a chunk whose outcome is unknown is sent again before its rows are reported as unknown.
CHUNK_ATTEMPTS = 3


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
    rows_done: int
    rows_total: int
    chunks_done: int
    chunks_total: int


@dataclass
class BulkRunResult:
    """Every input row, accounted for once; and the journal that lets the run resume."""

    rows: list[RowOutcome]
    journal: Path
    unconfirmed: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def complete(self) -> bool:
        """True when no row is unknown: every asset's fate is known."""
        return self.count("unknown") == 0

    def summary(self) -> dict[str, int]:
        statuses = ("provisioned", "exists", "failed", "duplicate", "unknown")
        return {"rows": len(self.rows), **{s: self.count(s) for s in statuses}, "unconfirmed": len(self.unconfirmed)}

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary(), "journal": str(self.journal), "rows": [asdict(r) for r in self.rows],
                "unconfirmed": self.unconfirmed}  # fmt: skip


_MISSING: Outcome = ("unknown", None, "the server's answer did not mention this row")


def _outcomes(chunk: list[Row], result: BulkProvisionResult) -> list[Outcome]:
    """The outcome of every row of a chunk, in its order, from the server's answer (by ip and technology)."""
    by_key: dict[str, Outcome] = {}
    for ok in result.successful:
        by_key[f"{ok.ip}|{ok.technology}"] = ("provisioned", ok.uuid, None)
    for skipped in result.skipped:
        # On a re-sent chunk the asset may be this run's own from the first attempt: either way it exists.
        by_key[f"{skipped.ip}|{skipped.technology}"] = ("exists", skipped.uuid, skipped.reason)
    for failed in result.failed:
        by_key[f"{failed.ip}|{failed.technology}"] = ("failed", None, failed.reason or "failed")
    return [by_key.get(row.key, _MISSING) for row in chunk]


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


class _Run:
    """Sends the chunks of a spool; keeps, per chunk answered, a RowOutcome per row and nothing more.

    Only chunk boundaries are held up front: each chunk's rows are read from the spool when it is sent.
    At most ``concurrency`` chunks are sent at a time (``slots``); :meth:`send` runs on one more worker than
    that, so that reading the next chunk and recording an answer overlap with the calls in flight.
    """

    def __init__(self, send_chunk: SendChunk, journal: Journal, chunk_size: int, concurrency: int,
                 progress: Callable[[Progress], None] | None) -> None:  # fmt: skip
        self.send_chunk = send_chunk
        self.journal = journal
        self.bounds = spool_chunks(journal.spool, chunk_size)
        self.progress = progress
        self.lock = threading.Lock()
        self.slots = threading.Semaphore(concurrency)
        self.workers = concurrency + 1
        self.stopped = threading.Event()
        #: Chunks answered in this run: the outcome of each of their rows, in order.
        self.answered: dict[int, list[RowOutcome]] = {}
        #: Chunks whose outcome stayed unknown in this run: why.
        self.errors: dict[int, str] = {}
        self.rows_total = sum(count for _, count in self.bounds)
        self.rows_done = sum(c.rows for c in journal.chunks.values() if c.state == "done")
        self.chunks_done = sum(1 for c in journal.chunks.values() if c.state == "done")

    def rows(self, index: int) -> list[Row]:
        return read_rows(self.journal.spool, *self.bounds[index])

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(Progress(self.rows_done, self.rows_total, self.chunks_done, len(self.bounds)))

    def send(self, index: int) -> None:
        if self.stopped.is_set():
            return
        chunk = self.rows(index)  # while other chunks are in flight
        with self.slots:
            if self.stopped.is_set():
                return
            try:
                answer = self._attempts(index, chunk)
            except BaseException:
                # Ctrl-C, SystemExit, or an error that ends the run (authentication, permission): the other
                # workers send nothing more. Set before the slot is given up, so no waiting chunk goes out.
                self.stopped.set()
                raise
        if answer is None:
            return
        result, resent = answer
        outcomes = _outcomes(chunk, result)
        recorded = _journaled(chunk, outcomes, resent)
        answered = [_row_outcome(row, o) for row, o in zip(chunk, outcomes, strict=True)]
        with self.lock:
            self.journal.done(index, recorded)
            self.answered[index] = answered
            self.rows_done += len(chunk)
            self.chunks_done += 1
        self._report()

    def _attempts(self, index: int, chunk: list[Row]) -> tuple[BulkProvisionResult, bool] | None:
        """Send a chunk, again while its outcome is unknown: (the answer, whether it was sent more than once).

        None when no answer came: the chunk stays "sending" in the journal and a resumed run sends it again.
        """
        resent = index in self.journal.chunks  # left "sending" by an interrupted run
        with self.lock:
            self.journal.sending(index, [row.key for row in chunk])
        last_error: QualysError | None = None
        for _ in range(CHUNK_ATTEMPTS):
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
        unknown: Outcome = ("unknown", None, self.errors.get(index, "not sent"))
        return [_row_outcome(row, recorded.get(row.key, unknown)) for row in self.rows(index)]


def _wait_confirmed(statuses_of: Statuses, uuids: set[str], *, timeout: float, interval: float) -> list[str]:
    """Poll the subscription status (one call for all assets) until every UUID is confirmed."""
    pending = set(uuids)
    deadline = time.monotonic() + timeout
    while pending:
        statuses = statuses_of()
        pending = {u for u in pending if statuses.get(u) != AssetStatus.PROVISION_CONFIRMED}
        if not pending or time.monotonic() + interval > deadline:
            break
        time.sleep(interval)
    return sorted(pending)


def provision_assets(
    client: Qualys,
    source: str | Path | Iterable[AssetSpec | Mapping[str, Any]] | None,
    *,
    journal: str | Path | None = None,
    chunk_size: int = MAX_BULK_ROWS,
    concurrency: int = 2,
    technologies: Iterable[str] | None = None,
    wait_confirmed: bool = False,
    confirm_timeout: float = 600.0,
    poll_interval: float = 5.0,
    progress: Callable[[Progress], None] | None = None,
) -> BulkRunResult:
    """Provision (or re-provision: rows with a ``uuid``) any number of assets, resumably.

    ``source`` is a CSV file (header ``hostIP,technology,...``, the bulk file's column names), a JSON
    Lines file, or an iterable of :class:`AssetSpec` or mappings. Every record is checked first; any
    bad record raises :class:`InputValidationError` listing every problem (file, line, field), and then
    nothing is sent. Duplicate rows are reported, not sent twice. ``technologies`` (e.g. the
    ``technology_version`` values of ``client.oca.list_technologies()``) makes unknown technologies
    input errors too.

    Rows go in chunks of at most 1000, ``concurrency`` chunks at a time, each recorded in the
    ``journal`` (a file; a temporary one when not given) before it is sent and after it is answered.
    Call again with the same ``journal`` (``source`` may then be None) to resume an interrupted run:
    answered chunks are not sent again, and the others are.

    Errors are collected, not raised: a chunk whose outcome stays unknown after retries leaves its
    rows ``unknown`` (resume later). Only authentication and permission errors raise at once.
    With ``wait_confirmed``, polls the subscription status until every asset is ``Provision
    Confirmed``; UUIDs still pending at ``confirm_timeout`` are listed in ``unconfirmed``.
    """
    return _provision(
        client.oca.provision_bulk,
        lambda: {item.asset_uuid: item.status for item in client.oca.subscription_status(30)},
        source, journal=journal, chunk_size=chunk_size, concurrency=concurrency, technologies=technologies,
        wait_confirmed=wait_confirmed, confirm_timeout=confirm_timeout, poll_interval=poll_interval, progress=progress,
    )  # fmt: skip


async def aprovision_assets(
    client: AsyncQualys,
    source: str | Path | Iterable[AssetSpec | Mapping[str, Any]] | None,
    *,
    journal: str | Path | None = None,
    chunk_size: int = MAX_BULK_ROWS,
    concurrency: int = 2,
    technologies: Iterable[str] | None = None,
    wait_confirmed: bool = False,
    confirm_timeout: float = 600.0,
    poll_interval: float = 5.0,
    progress: Callable[[Progress], None] | None = None,
) -> BulkRunResult:
    """:func:`provision_assets` for an :class:`AsyncQualys` client; the same journal, checks and results.

    The run's bookkeeping (reading input, the journal) happens in a worker thread; every call to Qualys
    is made by ``client`` on the caller's event loop.
    """
    loop = asyncio.get_running_loop()

    def send(assets: list[AssetSpec]) -> BulkProvisionResult:
        return asyncio.run_coroutine_threadsafe(client.oca.provision_bulk(assets), loop).result()

    def statuses() -> dict[str, str]:
        items = asyncio.run_coroutine_threadsafe(client.oca.subscription_status(30), loop).result()
        return {item.asset_uuid: item.status for item in items}

    return await asyncio.to_thread(
        _provision, send, statuses, source, journal=journal, chunk_size=chunk_size, concurrency=concurrency,
        technologies=technologies, wait_confirmed=wait_confirmed, confirm_timeout=confirm_timeout,
        poll_interval=poll_interval, progress=progress,
    )  # fmt: skip


def _provision(
    send_chunk: SendChunk,
    statuses: Statuses,
    source: str | Path | Iterable[AssetSpec | Mapping[str, Any]] | None,
    *,
    journal: str | Path | None,
    chunk_size: int,
    concurrency: int,
    technologies: Iterable[str] | None,
    wait_confirmed: bool,
    confirm_timeout: float,
    poll_interval: float,
    progress: Callable[[Progress], None] | None,
) -> BulkRunResult:
    if not 1 <= chunk_size <= MAX_BULK_ROWS:
        raise InputValidationError([InputProblem(f"chunk_size must be 1..{MAX_BULK_ROWS}", field="chunk_size")])
    log = Journal(journal if journal is not None else Path(tempfile.mkdtemp(prefix="qualys-bulk-")) / "journal.jsonl")
    duplicates: list[tuple[int, int]]
    if log.exists:
        log.load()
        if log.header.get("kind") != "provision" or not log.spool.is_file():
            raise InputValidationError([InputProblem("not a provision journal, or its .rows file is missing",
                                                     file=str(log.path))])  # fmt: skip
        chunk_size = int(log.header["chunk_size"])
        duplicates = [(int(line), int(first)) for line, first in log.header.get("duplicates", [])]
    else:
        if source is None:
            raise InputValidationError([InputProblem("no input, and no journal to resume", file=str(log.path))])
        known = frozenset(technologies) if technologies is not None else None
        _, duplicates = spool_rows(source, log.spool, technologies=known)
        log.start({"kind": "provision", "source": str(source) if isinstance(source, str | Path) else "<records>",
                   "chunk_size": chunk_size, "duplicates": duplicates})  # fmt: skip
    run = _Run(send_chunk, log, chunk_size, max(1, concurrency), progress)
    todo = [i for i in range(len(run.bounds)) if log.chunks.get(i) is None or log.chunks[i].state != "done"]
    run._report()
    with log.opened():
        pool = ThreadPoolExecutor(max_workers=run.workers)
        try:
            for future in [pool.submit(run.send, i) for i in todo]:
                future.result()
        except BaseException:
            # Ctrl-C or a fatal error: send no more chunks; the journal says where to resume.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    results: list[RowOutcome] = []
    for index in range(len(run.bounds)):
        results.extend(run.outcomes(index))  # the spool's order: by line
    if duplicates:
        firsts = {first for _, first in duplicates}
        originals = {r.line: r for r in results if r.line in firsts}
        for line, first in duplicates:
            original = originals.get(first)
            host_ip, technology = (original.host_ip, original.technology) if original else ("", "")
            results.append(RowOutcome(line, host_ip, technology, "duplicate", reason=f"same asset as line {first}"))
        results.sort(key=lambda r: r.line)
    unconfirmed: list[str] = []
    if wait_confirmed:
        uuids = {r.uuid for r in results if r.status in ("provisioned", "exists") and r.uuid}
        unconfirmed = _wait_confirmed(statuses, uuids, timeout=confirm_timeout, interval=poll_interval)
    return BulkRunResult(results, log.path, unconfirmed)
