"""Reading and checking bulk input: CSV files, JSON Lines files, or any iterable of records.

Input of any size is read as a stream, one line at a time; nothing holds it
whole. Every row is checked before anything is sent, and every problem is
reported with its file, line and field (:class:`InputValidationError`).
Rows that pass go to a spool file (JSON Lines, next to the journal), which the
sending phase and any resumed run read instead of the original input, one chunk
at a time (:func:`spool_chunks`, :func:`read_rows`).
"""

from __future__ import annotations

import csv
import ipaddress
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import InputProblem, InputValidationError
from ..oca import AssetSpec

#: A single line longer than this is an input error, not something to buffer.
MAX_LINE_BYTES = 1024 * 1024
#: Problems reported at most (the count of the rest is still given).
MAX_PROBLEMS = 1000
# AssetSpec fields and the names a spool line gives them (see Row.to_json).
_SPOOLED = (
    ("host_ip", "hostIP"), ("technology", "technology"), ("dns_name", "dnsName"), ("mac", "mac"),
    ("model_name", "modelName"), ("netbios", "netbios"), ("serial_number", "serialNumber"), ("uuid", "uuid"),
)  # fmt: skip

# Column names accepted in input files, mapped to AssetSpec fields: the bulk file's own names, and snake case.
_COLUMNS = {
    "hostip": "host_ip", "host_ip": "host_ip", "ip": "host_ip",
    "technology": "technology",
    "dnsname": "dns_name", "dns_name": "dns_name",
    "mac": "mac",
    "modelname": "model_name", "model_name": "model_name",
    "netbios": "netbios",
    "serialnumber": "serial_number", "serial_number": "serial_number",
    "uuid": "uuid",
    "type": "type",
}  # fmt: skip


def spool_record(line: int, fields: Mapping[str, str | None]) -> dict[str, Any]:
    """A checked record as the spool keeps it: its line and the fields that are set, by their wire names."""
    record: dict[str, Any] = {"line": line}
    for name, key in _SPOOLED:
        value = fields.get(name)
        if value is not None:
            record[key] = value
    return record


@dataclass(frozen=True, slots=True)
class Row:
    """One input record, checked, with where it came from."""

    line: int
    asset: AssetSpec

    @property
    def key(self) -> str:
        """The asset's identity as one string: ``hostIP|technology``."""
        return f"{self.asset.host_ip}|{self.asset.technology}"

    def to_json(self) -> dict[str, Any]:
        """The spool's record of the row; optional fields that are unset are left out (read back as None)."""
        return spool_record(self.line, {name: getattr(self.asset, name) for name, _ in _SPOOLED})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Row:
        return cls(
            line=int(data["line"]),
            asset=AssetSpec(
                host_ip=data["hostIP"], technology=data["technology"], dns_name=data.get("dnsName"),
                mac=data.get("mac"), model_name=data.get("modelName"), netbios=data.get("netbios"),
                serial_number=data.get("serialNumber"), uuid=data.get("uuid"),
            ),
        )  # fmt: skip


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Decoded lines with their numbers, refusing over-long lines and text that is not UTF-8."""
    with path.open("rb") as raw:
        number = 0
        while True:
            line = raw.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                raise InputValidationError(
                    [InputProblem(f"line is longer than {MAX_LINE_BYTES} bytes", file=str(path), line=number)]
                )
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputValidationError(
                    [InputProblem(f"not UTF-8 text (byte {exc.start + 1})", file=str(path), line=number)]
                ) from None
            yield number, text


def _fields(raw: Mapping[str, Any], where: dict[str, Any]) -> tuple[dict[str, str | None], list[InputProblem]]:
    fields: dict[str, str | None] = {}
    problems = []
    for name, value in raw.items():
        target = _COLUMNS.get(str(name).strip().lower()) if name is not None else None
        if target is None:
            problems.append(InputProblem(f"unknown column {name!r}", field=str(name), **where))
            continue
        text = None if value is None else str(value).strip()
        fields[target] = text or None
    return fields, problems


def check(
    fields: Mapping[str, str | None], where: dict[str, Any], technologies: frozenset[str] | None
) -> list[InputProblem]:
    problems = []
    host_ip, technology = fields.get("host_ip"), fields.get("technology")
    if not host_ip:
        problems.append(InputProblem("hostIP is missing", field="hostIP", **where))
    else:
        try:
            ipaddress.ip_address(host_ip)
        except ValueError:
            problems.append(InputProblem(f"{host_ip!r} is not an IP address", field="hostIP", **where))
    if not technology:
        problems.append(InputProblem("technology is missing", field="technology", **where))
    elif technologies is not None and technology not in technologies:
        problems.append(InputProblem(f"unknown technology {technology!r}", field="technology", **where))
    if fields.get("type") not in (None, "PolicyCompliance"):
        problems.append(InputProblem(f"type must be PolicyCompliance, got {fields['type']!r}", field="type", **where))
    return problems


def _records_from_file(path: Path) -> Iterator[tuple[dict[str, Any], Mapping[str, Any]]]:  # noqa: PLR0912
    """(where, raw record) pairs from a CSV or JSON Lines file."""
    where_file = str(path)
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for number, text in _lines(path):
            if not text.strip():
                continue
            where: dict[str, Any] = {"file": where_file, "line": number}
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputValidationError([InputProblem(f"invalid JSON: {exc.msg}", **where)]) from None
            if not isinstance(record, dict):
                raise InputValidationError([InputProblem("each line must be a JSON object", **where)])
            yield where, record
        return
    # One csv.reader over the whole stream (quoted cells may span lines); ``at`` tracks the physical line.
    at = [0]

    def texts() -> Iterator[str]:
        for number, text in _lines(path):
            at[0] = number
            yield text

    reader = csv.reader(texts())
    header: list[str] | None = None
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputValidationError([InputProblem(f"malformed CSV: {exc}", file=where_file, line=at[0])]) from None
        if header is None:
            header = cells
            if not header:
                raise InputValidationError([InputProblem("the header row is empty", file=where_file, line=at[0])])
            continue
        if not cells or not any(c.strip() for c in cells):
            continue
        where = {"file": where_file, "line": at[0]}
        if len(cells) != len(header):
            raise InputValidationError(
                [InputProblem(f"{len(cells)} cells where the header has {len(header)}", **where)]
            )
        yield where, dict(zip(header, cells, strict=True))
    if header is None:
        raise InputValidationError([InputProblem("the file is empty", file=where_file)])


def _records(source: str | Path | Iterable[AssetSpec | Mapping[str, Any]]) -> Iterator[tuple[dict[str, Any], Any]]:
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise InputValidationError([InputProblem("no such file", file=str(path))])
        yield from _records_from_file(path)
        return
    for index, record in enumerate(source, start=1):
        yield {"file": "<records>", "line": index}, record


def spool_rows(
    source: str | Path | Iterable[AssetSpec | Mapping[str, Any]],
    spool: Path,
    *,
    technologies: frozenset[str] | None = None,
) -> tuple[int, list[tuple[int, int]]]:
    """Check every record and write the good ones to ``spool`` (JSON Lines).

    Returns (rows spooled, duplicates as (line, first line)). Raises :class:`InputValidationError` listing
    every problem when any record is bad; then nothing is meant to be sent.
    """
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    duplicates: list[tuple[int, int]] = []
    count = 0
    with spool.open("w", encoding="utf-8") as out:
        for where, record in _records(source):
            fields: Mapping[str, str | None]
            if isinstance(record, AssetSpec):
                fields = {name: getattr(record, name) for name, _ in _SPOOLED}
                found = check(fields, where, technologies)
            else:
                fields, found = _fields(record, where)
                found += check(fields, where, technologies)
            if found:
                problems.extend(found)
                if len(problems) >= MAX_PROBLEMS:
                    break
                continue
            line = int(where["line"])
            first = seen.setdefault(f"{fields['host_ip']}|{fields['technology']}", line)  # Row.key
            if first != line:
                duplicates.append((line, first))
                continue
            out.write(json.dumps(spool_record(line, fields)) + "\n")
            count += 1
    if problems:
        raise InputValidationError(problems)
    return count, duplicates


def spool_chunks(spool: Path, size: int) -> list[tuple[int, int]]:
    """Where each chunk of ``size`` rows starts in ``spool`` and how many rows it has: (byte offset, rows).

    Only the boundaries: the rows themselves are read when their chunk is sent (:func:`read_rows`).
    """
    bounds: list[tuple[int, int]] = []
    offset = start = count = 0
    with spool.open("rb") as lines:
        for raw in lines:
            if raw.strip():
                if count == 0:
                    start = offset
                count += 1
                if count == size:
                    bounds.append((start, count))
                    count = 0
            offset += len(raw)
    if count:
        bounds.append((start, count))
    return bounds


def read_rows(spool: Path, offset: int, count: int) -> list[Row]:
    """The ``count`` rows of ``spool`` from byte ``offset`` on: one chunk (see :func:`spool_chunks`)."""
    rows: list[Row] = []
    with spool.open("rb") as lines:
        lines.seek(offset)
        for raw in lines:
            if raw.strip():
                rows.append(Row.from_json(json.loads(raw)))
                if len(rows) == count:
                    break
    return rows
