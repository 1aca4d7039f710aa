"""``qualys bulk ...``: many assets or records at once, with progress, a summary, and resumable journals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..bulk import (
    BulkRunResult,
    import_asset_metadata,
    import_business_apps,
    provision_assets,
    revoke_assets,
    upload_outputs,
)
from ..bulk import Progress as BulkProgress
from ._common import Yes, client, confirm, console, emit, errors, options

app = typer.Typer(help="Bulk provision, revoke, uploads and CSAM imports.", no_args_is_help=True)


def _summary(result: BulkRunResult) -> None:
    table = Table("outcome", "rows", title="bulk provision")
    for name, count in result.summary().items():
        table.add_row(name, str(count))
    console.print(table)
    for row in result.rows:
        if row.status in ("failed", "unknown"):
            console.print(
                f"  line {row.line}: {row.host_ip} {row.technology}: {row.status}: {row.reason}", highlight=False
            )
    console.print(f"journal: {result.journal}", highlight=False)
    if not result.complete:
        console.print(f"[yellow]some rows are unknown: run again with --resume {result.journal}[/yellow]")


def run_provision(qualys: Any, source: Path | None, journal: Path | None, *, concurrency: int, chunk_size: int,
                  wait: bool, quiet: bool) -> BulkRunResult:  # fmt: skip
    """Bulk provision with a progress bar (rows, chunks, ETA) unless quiet."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=quiet) as bar:  # fmt: skip
        task = bar.add_task("provisioning", total=None)

        def show(p: BulkProgress) -> None:
            bar.update(task, total=p.rows_total, completed=p.rows_done,
                       description=f"provisioning (chunk {p.chunks_done}/{p.chunks_total})")  # fmt: skip

        return provision_assets(qualys, source, journal=journal, concurrency=concurrency, chunk_size=chunk_size,
                                wait_confirmed=wait, progress=show)  # fmt: skip


@app.command()
def provision(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="CSV (hostIP,technology,...) or JSON Lines file")] = None,
    journal: Annotated[Path | None, typer.Option(help="Where to record the run (default: FILE.journal)")] = None,
    resume: Annotated[Path | None, typer.Option(help="Resume the run recorded in this journal")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=16)] = 2,
    chunk_size: Annotated[int, typer.Option(min=1, max=1000)] = 1000,
    wait: Annotated[bool, typer.Option(help="Wait until every asset is Provision Confirmed")] = False,
) -> None:
    """Provision (or re-provision: rows with a uuid) every asset of FILE; --resume JOURNAL finishes a run."""
    if file is None and resume is None:
        raise typer.BadParameter("give a FILE, or --resume JOURNAL")
    log = resume or journal or Path(f"{file}.journal")
    if resume is None and log.exists():
        console.print(f"[red]error:[/red] {log} exists: use --resume {log} to finish that run", highlight=False)
        raise typer.Exit(2)
    with errors(ctx):
        result = run_provision(client(ctx), None if resume else file, log, concurrency=concurrency,
                               chunk_size=chunk_size, wait=wait, quiet=options(ctx).json)  # fmt: skip
    emit(ctx, result.to_dict(), lambda _: _summary(result))
    raise typer.Exit(0 if result.complete else 6)


@app.command()
def revoke(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file with one asset UUID per line")],
    yes: Yes = False,
) -> None:
    """Delete every asset listed in FILE (assets already gone count as deleted)."""
    with errors(ctx):
        uuids = [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    confirm(f"delete {len(uuids)} assets", yes)
    with errors(ctx):
        result = revoke_assets(client(ctx), uuids)
    emit(ctx, {"revoked": len(result.revoked), "already_gone": len(result.already_gone), "failed": result.failed},
         console.print)  # fmt: skip
    raise typer.Exit(0 if result.complete else 1)


@app.command("upload-outputs")
def upload(ctx: typer.Context, directory: Path) -> None:
    """Upload DIRECTORY/<asset uuid>.txt files (every command's output of that asset)."""
    with errors(ctx):
        result = upload_outputs(client(ctx), directory)
    emit(ctx, {"uploaded": result.uploaded, "failed": result.failed}, console.print)
    raise typer.Exit(0 if not result.failed else 1)


@app.command("import-apps")
def import_apps(ctx: typer.Context, file: Path) -> None:
    """Import CSAM business apps from CSV (wire field names as columns) or JSON Lines, 250 per call."""
    with errors(ctx):
        result = import_business_apps(client(ctx), file)
    emit(ctx, {"imported": result.imported, "failed": result.failed}, console.print)
    raise typer.Exit(0 if result.complete else 1)


@app.command("import-assets")
def import_assets(ctx: typer.Context, file: Path) -> None:
    """Import CSAM asset business metadata (qualysAssetId plus metadata columns), 250 per call."""
    with errors(ctx):
        result = import_asset_metadata(client(ctx), file)
    emit(ctx, {"imported": result.imported, "failed": result.failed}, console.print)
    raise typer.Exit(0 if result.complete else 1)
