"""CSAM imports of any size: business apps and asset metadata in chunks of 250, failures per record."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .._errors import InputProblem, InputValidationError
from ..csam import MAX_RECORDS
from ..types import ImportResult

_INTEGER_FIELDS = {"created", "lastUpdated"}


@dataclass
class ImportRunResult:
    """``imported``: records sent in chunks the server accepted; ``failed``: id -> why, per record."""

    imported: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True when no record failed."""
        return not self.failed


def _from_csv_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A flat CSV row to the wire shape: ``assignedLocation.city`` nests, ``businessAppIds`` splits on ``;``."""
    record: dict[str, Any] = {}
    for column, value in row.items():
        if value is None or value == "":
            continue
        target = record
        parts = column.split(".")
        if parts[0] != "qualysAssetId" and "qualysAssetId" in row and parts[0] != "metadata":
            parts = ["metadata", *parts]  # asset files: every column but the id is metadata
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        name = parts[-1]
        if name == "businessAppIds":
            target[name] = [v.strip() for v in value.split(";") if v.strip()]
        elif name in _INTEGER_FIELDS:
            target[name] = int(value)
        else:
            target[name] = value
    return record


def read_records(source: str | Path | Iterable[Mapping[str, Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, record) from a CSV or JSON Lines file, or from an iterable of mappings."""
    if not isinstance(source, str | Path):
        for index, item in enumerate(source, start=1):
            yield index, dict(item)
        return
    path = Path(source)
    with path.open(encoding="utf-8", newline="") as stream:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            for number, text in enumerate(stream, start=1):
                if text.strip():
                    try:
                        yield number, json.loads(text)
                    except json.JSONDecodeError as exc:
                        raise InputValidationError([InputProblem(f"invalid JSON: {exc.msg}", file=str(path),
                                                                 line=number)]) from None  # fmt: skip
            return
        reader = csv.DictReader(stream)
        for row in reader:
            try:
                yield reader.line_num, _from_csv_row(row)
            except ValueError as exc:
                raise InputValidationError([InputProblem(str(exc), file=str(path), line=reader.line_num)]) from None


def checked_chunks(source: str | Path | Iterable[Mapping[str, Any]], id_field: str) -> list[list[dict[str, Any]]]:
    """Every record, checked for its id (InputValidationError lists every problem), in chunks of 250."""
    records = list(read_records(source))
    problems = [
        InputProblem(f"{id_field} is missing", line=line, field=id_field,
                     file=str(source) if isinstance(source, str | Path) else None)
        for line, record in records if not record.get(id_field)
    ]  # fmt: skip
    if problems:
        raise InputValidationError(problems)
    iterator = iter(record for _, record in records)
    return list(iter(lambda: list(islice(iterator, MAX_RECORDS)), []))


def account(result: ImportRunResult, chunk: list[dict[str, Any]], answer: ImportResult, id_field: str) -> None:
    """Count a chunk's records as imported, or failed when the server lists them in ``failedIds``.

    An answer that is not SUCCESS and names none of the chunk's records (a real one said ``FAILED`` with
    ``failedIds: ["null"]`` and stored nothing) fails the whole chunk: nothing says any record went in.
    """
    failed = {str(x) for x in answer.failed_ids}
    keys = [str(record[id_field]) for record in chunk]
    whole_chunk = answer.response_code != "SUCCESS" and not failed.intersection(keys)
    for key in keys:
        if whole_chunk:
            result.failed[key] = f"the import failed ({answer.response_code}: {answer.message})"
        elif key in failed:
            result.failed[key] = f"listed in failedIds ({answer.response_code}: {answer.message})"
        else:
            result.imported += 1
