"""Reading and checking bulk input: CSV files, JSON Lines files, or any iterable of records.

Input of any size is read as a stream, one line at a time; nothing holds it
whole. Every row is checked before anything is sent, and every problem is
reported with its file, line and field (:class:`InputValidationError`).
Rows that pass go to a spool file (JSON Lines, next to the journal), which the
sending phase and any resumed run read instead of the original input, one chunk
at a time (:func:`spool_chunks`, :func:`read_rows`).

One device is one identity: a hostIP is spooled as :mod:`ipaddress` writes it
(``2001:DB8::0005`` becomes ``2001:db8::5``) and, when the technology list is
known (:class:`Technologies`), a technology as the list spells it (``IBM zOS ...``
and ``ibm z/os ...`` become ``IBM z/OS ...``); duplicates are found on those forms,
and those forms are what is sent.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import ipaddress
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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


def normal_ip(text: str) -> str | None:
    """The address as :mod:`ipaddress` writes it (compressed, lower case), or None when it is not one."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # ipaddress takes an IPv4 address only in its one form (no leading zeros or signs): no need to write it again.
    return text if address.version == 4 else str(address)


def technology_key(name: str) -> str:
    """What two spellings of one technology share: ``IBM z/OS ...``, ``IBM zOS ...`` and ``ibm z/os ...``."""
    return name.replace("/", "").casefold()


class Technologies:
    """The technologyVersion values a subscription knows, and the one spelling of each that is sent.

    An input that is not in the list but differs from one entry only by a ``/`` (the z/OS of ``IBM z/OS
    Security Server RACF 2``, which some paths of the API drop) or by letter case maps to that entry.
    """

    def __init__(self, versions: Iterable[str]) -> None:
        self.versions = tuple(dict.fromkeys(v for v in versions if v))
        self._exact = frozenset(self.versions)
        by_key: dict[str, str | None] = {}
        for version in self.versions:
            key = technology_key(version)
            # Two entries that differ only by "/" or case: neither is chosen for a third spelling.
            by_key[key] = None if by_key.get(key, version) != version else version
        self._by_key = by_key

    def canonical(self, name: str) -> str | None:
        """The list's spelling of ``name``, or None when the list has no such technology."""
        if name in self._exact:
            return name
        return self._by_key.get(technology_key(name))

    def close_to(self, name: str) -> list[str]:
        """Up to three entries spelled most like ``name`` (compared without "/" and case)."""
        keys = {technology_key(v): v for v in self.versions}
        return [keys[k] for k in difflib.get_close_matches(technology_key(name), list(keys), n=3)]

    def problem(self, name: str, where: Mapping[str, Any]) -> InputProblem:
        """The input problem of an unknown technology at ``where``, naming the closest known ones."""
        close = self.close_to(name)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "no known technology is close"
        return InputProblem(f"unknown technology {name!r}: {hint}", field="technology", **where)


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
        """The row a spool record (:meth:`to_json`) holds."""
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
    fields: Mapping[str, str | None], where: dict[str, Any], technologies: Technologies | None
) -> list[InputProblem]:
    """Every problem of one record (an unknown technology only when ``technologies`` is given)."""
    return _checked(fields, where, technologies)[2]


def _checked(
    fields: Mapping[str, str | None], where: dict[str, Any], technologies: Technologies | None
) -> tuple[str, str, list[InputProblem]]:
    """(the hostIP as sent, the technology as sent, the problems): the record's identity, and what is wrong."""
    problems = []
    host_ip, technology = fields.get("host_ip") or "", fields.get("technology") or ""
    if not host_ip:
        problems.append(InputProblem("hostIP is missing", field="hostIP", **where))
    else:
        normal = normal_ip(host_ip)
        if normal is None:
            problems.append(InputProblem(f"{host_ip!r} is not an IP address", field="hostIP", **where))
        else:
            host_ip = normal
    if not technology:
        problems.append(InputProblem("technology is missing", field="technology", **where))
    elif technologies is not None:
        canonical = technologies.canonical(technology)
        if canonical is None:
            problems.append(technologies.problem(technology, where))
        else:
            technology = canonical
    if fields.get("type") not in (None, "PolicyCompliance"):
        problems.append(InputProblem(f"type must be PolicyCompliance, got {fields['type']!r}", field="type", **where))
    return host_ip, technology, problems


def _check_header(header: list[str], file: str, line: int) -> None:
    """A header row that names none of the known columns is no header: say what is likely wrong."""
    if not header:
        raise InputValidationError([InputProblem("the header row is empty", file=file, line=line)])
    if any(_COLUMNS.get(name.strip().lower()) for name in header):
        return
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        message = "the delimiter must be ',' (this header is separated by ';' or a tab)"
    else:
        message = "missing header? the first row must name the columns, e.g. hostIP,technology"
    raise InputValidationError([InputProblem(message, file=file, line=line)])


def _records_from_file(path: Path) -> Iterator[tuple[dict[str, Any], Mapping[str, Any]]]:
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
            _check_header(header, where_file, at[0])
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


def _as_fields(record: Any, where: dict[str, Any]) -> tuple[dict[str, str | None], list[InputProblem]]:
    """A record's fields by AssetSpec name, and the problems of its columns."""
    if isinstance(record, AssetSpec):
        return {name: getattr(record, name) for name, _ in _SPOOLED}, []
    if isinstance(record, Mapping):
        return _fields(record, where)
    return {}, [InputProblem(f"a record must be an AssetSpec or a mapping, not {type(record).__name__}", **where)]


@dataclass
class Spooled:
    """What :func:`spool_rows` wrote: the rows, the duplicates left out, and what identifies the input."""

    rows: int
    #: (line, line of the first row with the same identity), for each duplicate left out.
    duplicates: list[tuple[int, int]]
    #: sha256 of every good record as read (the IP normalised, the technology as given), in spool form.
    digest: str
    #: Technologies not checked yet (``defer``), each with where it is used (the first MAX_PROBLEMS places).
    unchecked: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def spool_rows(
    source: str | Path | Iterable[AssetSpec | Mapping[str, Any]],
    spool: Path,
    *,
    technologies: Technologies | None = None,
    defer: bool = False,
) -> Spooled:
    """Check every record and write the good ones to ``spool`` (JSON Lines, fsynced).

    Raises :class:`InputValidationError` listing every problem when any record is bad; then nothing is
    meant to be sent. With ``technologies``, unknown technologies are problems and the others are spooled
    as the list spells them. With ``defer`` (the list is to be fetched once the input is otherwise good, so
    that a bad file costs no login), duplicates are found as if the list were known and the technologies
    used are returned to be checked (:func:`unknown_technologies`, :func:`respell`).
    """
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    duplicates: list[tuple[int, int]] = []
    unchecked: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, str] = {}  # technology_key of each technology in ``unchecked``
    digest = hashlib.sha256()
    count = 0
    with spool.open("w", encoding="utf-8") as out:
        for where, record in _records(source):
            fields, found = _as_fields(record, where)
            if fields:  # else not a record at all: nothing more to say about it
                host_ip, technology, more = _checked(fields, where, technologies)
                found += more
            if found:
                problems.extend(found)
                if len(problems) >= MAX_PROBLEMS:
                    break
                continue
            line = int(where["line"])
            given = fields["technology"] or ""
            fields["host_ip"] = host_ip
            text = json.dumps(spool_record(line, fields))
            # The digest identifies the input whatever the options: the technology as given, duplicates included.
            digest.update(text.encode())
            if technology != given:
                fields["technology"] = technology
                text = json.dumps(spool_record(line, fields))
            identity = technology
            if defer:
                places = unchecked.get(technology)
                if places is None:
                    places = unchecked[technology] = []
                    keys[technology] = technology_key(technology)
                if len(places) < MAX_PROBLEMS:
                    places.append(where)
                identity = keys[technology]
            first = seen.setdefault(f"{host_ip}|{identity}", line)
            if first != line:
                duplicates.append((line, first))
                continue
            out.write(text + "\n")
            count += 1
        out.flush()
        # The journal's header will name this spool: it must be on disk first.
        os.fsync(out.fileno())
    if problems:
        raise InputValidationError(problems)
    return Spooled(count, duplicates, digest.hexdigest(), unchecked)


def unknown_technologies(unchecked: Mapping[str, list[dict[str, Any]]], known: Technologies) -> list[InputProblem]:
    """A problem for every use of a technology the list does not know, by line."""
    problems = [known.problem(name, where) for name, places in unchecked.items() if known.canonical(name) is None
                for where in places]  # fmt: skip
    problems.sort(key=lambda p: p.line or 0)
    return problems[:MAX_PROBLEMS]


def respell(spool: Path, spelling: Mapping[str, str]) -> None:
    """Rewrite ``spool`` with each technology in ``spelling`` as it maps (to the list's spelling), fsynced."""
    if not spelling:
        return
    rewritten = spool.with_name(spool.name + ".respelled")
    with spool.open("rb") as lines, rewritten.open("w", encoding="utf-8") as out:
        for raw in lines:
            if raw.strip():
                record = json.loads(raw)
                record["technology"] = spelling.get(record["technology"], record["technology"])
                out.write(json.dumps(record) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(rewritten, spool)


def file_digest(path: str | Path) -> str:
    """sha256 of a file's bytes: what binds a journal to its input file."""
    with Path(path).open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()


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
