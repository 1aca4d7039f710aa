"""Upload command outputs for many assets from a directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._errors import InputProblem, InputValidationError


@dataclass
class UploadRunResult:
    """``uploaded``: the UUIDs whose file went up; ``failed``: UUID -> the error of its upload."""

    uploaded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def output_files(directory: str | Path) -> list[Path]:
    """The ``<asset uuid>.txt`` files of a directory; an input error when there is none."""
    folder = Path(directory)
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise InputValidationError([InputProblem("no <asset uuid>.txt file to upload", file=str(folder))])
    return files
