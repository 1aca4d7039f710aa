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
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .._errors import InputProblem, InputValidationError

VERSION = 1


@dataclass
class ChunkState:
    """What the journal knows about one chunk."""

    index: int
    keys: list[str]
    state: str = "sending"
    outcome: dict[str, dict[str, Any]] = field(default_factory=dict)


class Journal:
    """Append-only, fsynced record of a bulk run; also the place its spool of checked rows lives."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.header: dict[str, Any] = {}
        self.chunks: dict[int, ChunkState] = {}
        self._file: IO[str] | None = None

    @property
    def spool(self) -> Path:
        return self.path.with_name(self.path.name + ".rows")

    @property
    def exists(self) -> bool:
        return self.path.is_file() and self.path.stat().st_size > 0

    def load(self) -> None:
        """Read an existing journal; raises InputValidationError naming the line when it is not one."""
        self.header, self.chunks = {}, {}
        with self.path.open(encoding="utf-8") as lines:
            for number, text in enumerate(lines, start=1):
                if not text.endswith("\n"):
                    break  # cut short by a crash mid-write: that event never completed
                try:
                    event = json.loads(text)
                except json.JSONDecodeError:
                    raise InputValidationError(
                        [InputProblem("not a journal line", file=str(self.path), line=number)]
                    ) from None
                if number == 1:
                    if event.get("journal") != "qualys-sdk bulk" or event.get("version") != VERSION:
                        raise InputValidationError(
                            [InputProblem("not a qualys-sdk bulk journal", file=str(self.path), line=1)]
                        )
                    self.header = event
                    continue
                chunk = self.chunks.setdefault(event["chunk"], ChunkState(event["chunk"], event.get("keys", [])))
                chunk.state = event["state"]
                if "keys" in event:
                    chunk.keys = event["keys"]
                if "outcome" in event:
                    chunk.outcome = event["outcome"]

    def start(self, header: dict[str, Any]) -> None:
        self.header = {"journal": "qualys-sdk bulk", "version": VERSION, **header}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("w", encoding="utf-8") as out:
            out.write(json.dumps(self.header) + "\n")
            out.flush()
            os.fsync(out.fileno())

    @contextmanager
    def opened(self) -> Iterator[Journal]:
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
        self._append({"chunk": index, "state": "sending", "keys": keys})
        self.chunks[index] = ChunkState(index, keys)

    def done(self, index: int, outcome: dict[str, dict[str, Any]]) -> None:
        self._append({"chunk": index, "state": "done", "outcome": outcome})
        chunk = self.chunks.setdefault(index, ChunkState(index, list(outcome)))
        chunk.state, chunk.outcome = "done", outcome
