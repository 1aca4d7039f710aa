"""The journal of a bulk run: what was sent, and what came back, written before it matters.

A journal is a JSON Lines file. Its first line describes the run; every
later line is an event about one chunk of rows, written and fsynced before
the run moves on:

- ``sending`` before the chunk's request goes out, with its row keys;
- ``done`` after the answer, with the outcome of every row of the chunk.

A run interrupted anywhere (Ctrl-C, a crash, a lost network) resumes from
the journal: chunks with an outcome are never sent again; a chunk left
``sending`` is sent again, and since the server skips rows whose asset
exists, nothing is provisioned twice. A line cut short by a crash while it
was being written is ignored: its event had not happened yet.

The header binds the journal to its input (the input's path and sha256, and
the chunk size), and names the spool of checked rows, which is fsynced before
the header is written; the header itself is written to a side file and
renamed into place. A journal whose header is missing or cut short (an empty
file: a crash between creating it and its fsync), or that records nothing
sent, holds nothing a new run could lose.

In memory the journal keeps little per row: a chunk's size and state and, only
for chunks answered by an earlier run (read by :meth:`Journal.load`), each row's
outcome as a compact (status, uuid, reason) tuple. The run that answers a chunk
keeps what it learned itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .._errors import InputProblem, InputValidationError

#: Version 2 adds the input's identity (``source``, ``sha256``) and the spool's size (``spool_bytes``).
VERSION = 2
#: Journals this code reads and resumes.
READABLE = (1, 2)

#: One row's outcome in memory: (status, uuid, reason).
Outcome = tuple[str, str | None, str | None]


@dataclass
class ChunkState:
    """What the journal knows about one chunk: its rows, its state and, when read from the file, its outcome."""

    index: int
    rows: int
    state: str = "sending"
    #: The outcome of each row by row key, for a chunk answered in an earlier run (read by :meth:`Journal.load`).
    outcome: dict[str, Outcome] = field(default_factory=dict)


def _compact(value: dict[str, Any]) -> Outcome:
    # Statuses repeat on every row: one string each instead of one per row.
    status = str(value["status"])
    return _STATUSES.get(status, status), value.get("uuid"), value.get("reason")


_STATUSES = {s: s for s in ("provisioned", "exists", "failed", "unknown")}


class Journal:
    """Append-only, fsynced record of a bulk run; also the place its spool of checked rows lives."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.header: dict[str, Any] = {}
        self.chunks: dict[int, ChunkState] = {}
        self._file: IO[str] | None = None

    @property
    def spool(self) -> Path:
        """The file of checked rows beside the journal: ``<journal>.rows``."""
        return self.path.with_name(self.path.name + ".rows")

    @property
    def recorded(self) -> bool:
        """A run is recorded: the header is whole (after :meth:`read`)."""
        return bool(self.header)

    @property
    def sent(self) -> bool:
        """Something may have been sent: a chunk was recorded (after :meth:`read`)."""
        return bool(self.chunks)

    def read(self) -> bool:
        """Read the journal when there is one; False when there is no file or no whole header line."""
        self.header, self.chunks = {}, {}
        if not self.path.is_file():
            return False
        self.load()
        return self.recorded

    def load(self) -> None:
        """Read an existing journal; raises InputValidationError naming the line when it is not one.

        An empty file, or a header line without its newline, leaves ``header`` empty: no run was recorded.
        """
        self.header, self.chunks = {}, {}
        reasons: dict[str, str] = {}  # the same few reasons on many rows: one string each
        with self.path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                if not raw.endswith(b"\n"):
                    break  # cut short by a crash mid-write: that event never completed
                try:
                    event = json.loads(raw)
                    if number == 1:
                        if event.get("journal") != "qualys-sdk bulk" or event.get("version") not in READABLE:
                            raise ValueError("not a qualys-sdk bulk journal")
                        self.header = event
                    else:
                        self._apply(event, reasons)
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    # JSON that is not a journal's (UnicodeDecodeError and JSONDecodeError are ValueErrors).
                    message = "not a qualys-sdk bulk journal" if number == 1 else "not a journal line"
                    raise InputValidationError([InputProblem(message, file=str(self.path), line=number)]) from exc

    def _apply(self, event: dict[str, Any], reasons: dict[str, str]) -> None:
        outcome = event.get("outcome")
        size = len(event["keys"]) if "keys" in event else len(outcome or ())
        chunk = self.chunks.setdefault(int(event["chunk"]), ChunkState(int(event["chunk"]), size))
        chunk.state = str(event["state"])
        if "keys" in event:
            chunk.rows = size
        if outcome is not None:
            chunk.outcome = {}
            for key, value in outcome.items():
                status, uuid, reason = _compact(value)
                chunk.outcome[key] = (status, uuid, reasons.setdefault(reason, reason) if reason else reason)

    def start(self, header: dict[str, Any]) -> None:
        """Write the header of a new run; the spool it names must already be on disk."""
        self.header = {"journal": "qualys-sdk bulk", "version": VERSION, **header}
        self.chunks = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all: a crash leaves the old journal, or none, never half a header.
        side = self.path.with_name(self.path.name + ".new")
        with side.open("w", encoding="utf-8") as out:
            out.write(json.dumps(self.header) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(side, self.path)
        fsync_dir(self.path.parent)

    def archive(self) -> Path:
        """Move the journal and its spool aside, as ``<journal>.<UTC time>`` (and ``.rows``); returns the new path.

        The journal first: a crash between the two renames leaves no journal (a new run starts) rather than a
        journal without its spool.
        """
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target, n = self.path.with_name(f"{self.path.name}.{stamp}"), 1
        while target.exists() or Journal(target).spool.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.{stamp}-{n}")
        os.replace(self.path, target)
        if self.spool.exists():
            os.replace(self.spool, Journal(target).spool)
        fsync_dir(self.path.parent)
        self.header, self.chunks = {}, {}
        return target

    @contextmanager
    def opened(self) -> Iterator[Journal]:
        """The journal open for appending: :meth:`sending` and :meth:`done` need it."""
        self._file = self.path.open("a", encoding="utf-8")
        try:
            yield self
        finally:
            self._file.close()
            self._file = None

    def _append(self, event: dict[str, Any]) -> None:
        assert self._file is not None, "use `with journal.opened():`"
        self._file.write(json.dumps(event, separators=(",", ":")) + "\n")
        self._file.flush()
        # The point of the journal: the event is on disk before the run acts on it.
        os.fsync(self._file.fileno())

    def sending(self, index: int, keys: list[str]) -> None:
        """Record that a chunk (its rows' keys) is about to be sent, before it is."""
        self._append({"chunk": index, "state": "sending", "keys": keys})
        self.chunks[index] = ChunkState(index, len(keys))

    def done(self, index: int, outcome: dict[str, dict[str, Any]]) -> None:
        """Record a chunk's answer (each row's outcome by row key); the caller keeps the outcome in memory."""
        self._append({"chunk": index, "state": "done", "outcome": outcome})
        chunk = self.chunks.setdefault(index, ChunkState(index, len(outcome)))
        chunk.state = "done"


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform can: not on Windows)."""
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
