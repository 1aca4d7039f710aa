"""Upload command outputs for many assets from a directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import InputProblem, InputValidationError, QualysError

if TYPE_CHECKING:
    from .._sync._client import Qualys


@dataclass
class UploadRunResult:
    uploaded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def upload_outputs(client: Qualys, directory: str | Path) -> UploadRunResult:
    """Upload ``<directory>/<asset uuid>.txt`` files, each holding the output of every command of that asset.

    Each file goes through the bulk command output upload. Errors are collected per file (``failed``
    maps the UUID to the error); an empty directory is an input error.
    """
    result = UploadRunResult()
    for path in output_files(directory):
        try:
            client.oca.upload_command_output_bulk(path.stem, path)
        except QualysError as exc:
            result.failed[path.stem] = f"{type(exc).__name__}: {exc}"
        else:
            result.uploaded.append(path.stem)
    return result


def output_files(directory: str | Path) -> list[Path]:
    """The ``<asset uuid>.txt`` files of a directory; an input error when there is none."""
    folder = Path(directory)
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise InputValidationError([InputProblem("no <asset uuid>.txt file to upload", file=str(folder))])
    return files
