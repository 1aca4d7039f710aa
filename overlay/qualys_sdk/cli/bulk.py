"""``qualys bulk ...``: many assets or records at once, resumable journals, and the report of a run.

Results (tables, or JSON with --json) go to stdout; the progress bar, notes and errors go to stderr. Every
command exits 0 when every row or record was done, 8 when some failed (the others were done), and the
provision commands 6 when some rows are unknown (resume the run); Ctrl-C stops a provision run at once, says
how to resume it and exits 130.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..bulk import (
    BulkInterrupted,
    BulkRunResult,
    import_asset_metadata,
    import_business_apps,
    provision_assets,
    read_report,
    revoke_assets,
    upload_outputs,
)
from ..bulk import Progress as BulkProgress
from ._common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTCOME_UNKNOWN,
    EXIT_ROWS_FAILED,
    Yes,
    client,
    confirm,
    console,
    emit,
    errors,
    options,
    say,
    table,
)

if TYPE_CHECKING:
    from rich.progress import Progress

    from .._sync._client import Qualys

app = typer.Typer(help="Bulk provision, revoke, uploads and CSAM imports.", no_args_is_help=True)

#: The columns of a row's outcome, in tables and in ``qualys bulk report --json``.
ROW_COLUMNS = ("line", "hostIP", "technology", "assetUUID", "outcome", "reason")


def exit_code(result: BulkRunResult) -> int:
    """6 while some row is unknown (the run can still settle it), else 8 when some row failed, else 0."""
    if not result.complete:
        return EXIT_OUTCOME_UNKNOWN
    return EXIT_ROWS_FAILED if result.count("failed") else EXIT_OK


def _summary_table(summary: dict[str, int], title: str) -> None:
    # "total", not "rows": the column is already the count of rows.
    table(["outcome", "rows"], [["total" if name == "rows" else name, count] for name, count in summary.items()],
          title=title)  # fmt: skip


def _rows_table(rows: list[dict[str, Any]], title: str) -> None:
    table(ROW_COLUMNS, [[row[c] for c in ROW_COLUMNS] for row in rows], whole=("hostIP", "assetUUID"), title=title)


def _show_provision(result: BulkRunResult) -> None:
    report = result.report()
    _summary_table(result.summary(), "bulk provision")
    unsettled = [row for row in report["rows"] if row["outcome"] in ("failed", "unknown")]
    if unsettled:
        _rows_table(unsettled, "rows that failed or are unknown")


class _Bar:
    """The progress bar on stderr, drawn from the run's first progress report: after the input was checked, so
    that an input error is never printed under a bar."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Progress | None = None
        self.task: Any = None

    def __call__(self, progress: BulkProgress) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: PLC0415

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=console)  # fmt: skip
            self.task = self.bar.add_task("provisioning", total=progress.rows_total)
            self.bar.start()
        self.bar.update(self.task, total=progress.rows_total, completed=progress.rows_done,
                        description=f"provisioning (chunk {progress.chunks_done}/{progress.chunks_total})")  # fmt: skip

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_provision(qualys: Qualys, source: Path | None, journal: Path | None, *, concurrency: int,
                  chunk_size: int | None, wait: bool, quiet: bool, restart: bool = False,
                  check_technologies: bool = True) -> BulkRunResult:  # fmt: skip
    """Bulk provision with a progress bar (rows, chunks, ETA) on stderr unless quiet."""
    bar = _Bar(quiet)
    try:
        return provision_assets(qualys, source, journal=journal, restart=restart, concurrency=concurrency,
                                chunk_size=chunk_size, check_technologies=check_technologies, wait_confirmed=wait,
                                progress=bar)  # fmt: skip
    finally:
        bar.close()


@contextmanager
def _ctrl_c(journal: Path) -> Iterator[None]:
    """Ctrl-C stops the run at once and says how to resume it (exit 130); a second Ctrl-C ends the process there
    and then, whatever it is doing."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if in_main else None

    def again(signum: int, frame: FrameType | None) -> None:
        os._exit(EXIT_INTERRUPTED)

    def first(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGINT, again)
        raise KeyboardInterrupt

    if in_main:
        signal.signal(signal.SIGINT, first)
    try:
        yield
    except BulkInterrupted as exc:
        say(f"interrupted: {exc.rows_settled} of {exc.rows_total} rows settled; "
            f"resume with: qualys bulk provision --resume {exc.journal}")  # fmt: skip
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except KeyboardInterrupt:
        # Before the sending (checking the input) or after it (waiting for confirmations).
        said = f"resume with: qualys bulk provision --resume {journal}" if journal.is_file() else "nothing was sent"
        say(f"interrupted: {said}")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    else:
        if in_main:
            signal.signal(signal.SIGINT, previous)


@app.command()
def provision(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(metavar="FILE", help="CSV (hostIP,technology,...) or JSON Lines "
                                                "file.")] = None,
    journal: Annotated[Path | None, typer.Option(help="Where to record the run (default: FILE.journal).")] = None,
    resume: Annotated[Path | None, typer.Option(metavar="JOURNAL", help="Resume the run recorded in JOURNAL (FILE "
                                                "may be left out).")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Start a new run over an existing journal, keeping "
                                          "the old one as JOURNAL.<UTC time> (existing assets are skipped).")] = False,
    concurrency: Annotated[
        int, typer.Option(min=1, max=16, help="Bulk calls in flight at once (the server's limit caps it).")
    ] = 2,
    chunk_size: Annotated[int | None, typer.Option(min=1, max=1000, help="Rows per call (default 1000; a resumed "
                                                   "run keeps its own).")] = None,
    check_technologies: Annotated[bool, typer.Option(help="Check every technology against `qualys oca "
                                                     "technologies` before sending anything.")] = True,
    wait: Annotated[bool, typer.Option(help="Wait until every asset is Provision Confirmed.")] = False,
) -> None:  # fmt: skip
    """Provision (or re-provision: rows with a uuid) every asset of FILE.

    Run it again with the same FILE (or --resume JOURNAL) to resume an interrupted run; a finished run is
    shown again and nothing is sent. Every row is checked first (technologies too), and nothing is sent when
    one is bad.

    JSON: {summary: {rows, provisioned, exists, failed, duplicate, unknown, unconfirmed}, journal, rows: [{line,
    host_ip, technology, status, uuid, reason}], unconfirmed, already_finished}.
    """
    if file is None and resume is None:
        raise typer.BadParameter("give a FILE, or --resume JOURNAL")
    if resume is not None and journal is not None and resume != journal:
        raise typer.BadParameter("give --resume JOURNAL or --journal JOURNAL, not both")
    if restart and file is None:
        raise typer.BadParameter("--restart runs FILE again: give the FILE")
    log = resume or journal or Path(f"{file}.journal")
    with _ctrl_c(log), errors(ctx):
        result = run_provision(client(ctx), file, log, concurrency=concurrency, chunk_size=chunk_size, wait=wait,
                               quiet=options(ctx).json, restart=restart,
                               check_technologies=check_technologies)  # fmt: skip
    if result.already_finished:
        say(f"{log}: this run was already finished; nothing was sent (--restart runs FILE again)")
    emit(ctx, result.to_dict(), lambda _: _show_provision(result))
    say(f"journal: {result.journal} (qualys bulk report {result.journal} shows every row)")
    if not result.complete:
        say(f"some rows are unknown: run again with --resume {result.journal}")
    raise typer.Exit(exit_code(result))


@app.command()
def report(ctx: typer.Context,
           journal: Annotated[Path, typer.Argument(metavar="JOURNAL", help="The run's journal.")]) -> None:  # fmt: skip
    """Every row's outcome in the run JOURNAL records, and the summary; sends nothing.

    Exits 0 when every row is done, 8 when some failed, 6 when some are unknown (resume the run).

    JSON: {summary: {rows, provisioned, exists, failed, duplicate, unknown}, rows: [{line, hostIP, technology,
    assetUUID, outcome, reason}]}.
    """
    with errors(ctx):
        result = read_report(journal)
    found = result.report()

    def human(value: dict[str, Any]) -> None:
        _rows_table(value["rows"], "rows")
        _summary_table(value["summary"], "summary")

    emit(ctx, found, human)
    raise typer.Exit(exit_code(result))


def _counts(value: dict[str, Any]) -> None:
    table(["what", "count"], [[name, len(v) if isinstance(v, list | dict) else v] for name, v in value.items()])
    failed = value.get("failed")
    if failed:
        items = failed.items() if isinstance(failed, dict) else ((x, "") for x in failed)
        table(["id", "reason"], [[key, why] for key, why in items], whole=("id",), title="failed")


@app.command()
def revoke(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file with one asset UUID per line.")],
    yes: Yes = False,
) -> None:
    """Delete every asset listed in FILE (assets already gone count as deleted); exits 8 when some failed.

    JSON: {revoked, already_gone, failed: [uuid]}.
    """
    with errors(ctx):
        uuids = [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    confirm(f"delete {len(uuids)} assets", yes)
    with errors(ctx):
        result = revoke_assets(client(ctx), uuids)
    emit(ctx, {"revoked": len(result.revoked), "already_gone": len(result.already_gone), "failed": result.failed},
         _counts)  # fmt: skip
    raise typer.Exit(EXIT_OK if result.complete else EXIT_ROWS_FAILED)


@app.command("upload-outputs")
def upload(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="A folder of <asset uuid>.txt files.")],
) -> None:
    """Upload DIRECTORY/<asset uuid>.txt files (every command's output of that asset); exits 8 when some failed.

    JSON: {uploaded: [uuid], failed: {uuid: reason}}.
    """
    with errors(ctx):
        result = upload_outputs(client(ctx), directory)
    emit(ctx, {"uploaded": result.uploaded, "failed": result.failed}, _counts)
    raise typer.Exit(EXIT_OK if not result.failed else EXIT_ROWS_FAILED)


@app.command("import-apps")
def import_apps(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (businessAppId,name,created,lastUpdated,...) or JSON Lines file.")],
) -> None:
    """Import CSAM business apps from CSV (wire field names as columns) or JSON Lines, 250 per call; exits 8 when
    some failed.

    JSON: {imported, failed: {businessAppId: reason}}.
    """
    with errors(ctx):
        result = import_business_apps(client(ctx), file)
    emit(ctx, {"imported": result.imported, "failed": result.failed}, _counts)
    raise typer.Exit(EXIT_OK if result.complete else EXIT_ROWS_FAILED)


@app.command("import-assets")
def import_assets(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (qualysAssetId plus metadata columns) or JSON Lines file.")],
) -> None:
    """Import CSAM asset business metadata (qualysAssetId plus metadata columns), 250 per call; exits 8 when some
    failed.

    JSON: {imported, failed: {qualysAssetId: reason}}.
    """
    with errors(ctx):
        result = import_asset_metadata(client(ctx), file)
    emit(ctx, {"imported": result.imported, "failed": result.failed}, _counts)
    raise typer.Exit(EXIT_OK if result.complete else EXIT_ROWS_FAILED)
