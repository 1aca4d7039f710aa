"""``qualys oca ...``: every OCA operation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ._common import Yes, client, confirm, console, emit, errors

app = typer.Typer(help="OCA: technologies, assets, commands and their output.", no_args_is_help=True)


def _table(columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(*columns)
    for row in rows:
        table.add_row(*(str(c) if c is not None else "" for c in row))
    console.print(table)


@app.command()
def technologies(ctx: typer.Context) -> None:
    """List the technologies OCA assesses (use the technologyVersion when provisioning)."""
    with errors(ctx):
        found = client(ctx).oca.list_technologies()
    emit(ctx, found, lambda v: _table(["technology", "technologyVersion", "updated"],
                                      [[t.technology, t.technology_version, t.updated_at] for t in v]))  # fmt: skip


@app.command()
def commands(ctx: typer.Context, technology: str) -> None:
    """Commands whose output a technology needs (its name with or without '/')."""
    with errors(ctx):
        found = client(ctx).oca.list_technology_commands(technology)
    emit(ctx, found, lambda v: typer.echo("\n".join(v)))


@app.command("asset-commands")
def asset_commands(ctx: typer.Context, uuid: str) -> None:
    """Commands whose output an asset needs."""
    with errors(ctx):
        found = client(ctx).oca.list_asset_commands(uuid)
    emit(ctx, found, lambda v: typer.echo("\n".join(v)))


@app.command()
def provision(
    ctx: typer.Context,
    host_ip: str,
    technology: str,
    dns_name: Annotated[str | None, typer.Option()] = None,
    mac: Annotated[str | None, typer.Option()] = None,
    netbios: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Provision one asset."""
    with errors(ctx):
        result = client(ctx).oca.provision(host_ip, technology, dns_name=dns_name, mac=mac, netbios=netbios)
    emit(ctx, result, lambda r: typer.echo(r.asset_uuid))


@app.command()
def reprovision(
    ctx: typer.Context,
    uuid: str,
    host_ip: str,
    technology: str,
    dns_name: Annotated[str | None, typer.Option()] = None,
    mac: Annotated[str | None, typer.Option()] = None,
    netbios: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Re-provision an asset (hostIP and technology must be its current ones)."""
    with errors(ctx):
        result = client(ctx).oca.reprovision(uuid, host_ip, technology, dns_name=dns_name, mac=mac, netbios=netbios)
    emit(ctx, result, lambda r: typer.echo(r.asset_uuid))


@app.command()
def status(ctx: typer.Context, uuid: str) -> None:
    """Provision status of an asset."""
    with errors(ctx):
        found = client(ctx).oca.get_status(uuid)
    emit(ctx, {"uuid": uuid, "status": found}, lambda v: typer.echo(v["status"]))


@app.command("subscription-status")
def subscription_status(ctx: typer.Context, days: Annotated[int, typer.Option(min=1, max=30)] = 30) -> None:
    """Status of every asset provisioned in the last DAYS days."""
    with errors(ctx):
        found = client(ctx).oca.subscription_status(days)
    emit(ctx, found, lambda v: _table(["assetUUID", "status"], [[i.asset_uuid, i.status] for i in v]))


@app.command()
def upload(ctx: typer.Context, uuid: str, command: str, file: Path) -> None:
    """Upload the output of COMMAND for an asset from FILE."""
    with errors(ctx):
        message = client(ctx).oca.upload_command_output(uuid, command, file)
    emit(ctx, {"uuid": uuid, "message": message}, lambda v: typer.echo(v["message"]))


@app.command("upload-bulk")
def upload_bulk(ctx: typer.Context, uuid: str, file: Path) -> None:
    """Upload one .txt file with the output of every command of an asset."""
    with errors(ctx):
        message = client(ctx).oca.upload_command_output_bulk(uuid, file)
    emit(ctx, {"uuid": uuid, "message": message}, lambda v: typer.echo(v["message"]))


@app.command()
def delete(ctx: typer.Context, uuid: str, yes: Yes = False) -> None:
    """Delete an asset with all its configuration data and reports."""
    confirm(f"delete asset {uuid}", yes)
    with errors(ctx):
        gone = client(ctx).oca.delete(uuid)
    emit(ctx, {"deleted": gone}, lambda v: typer.echo(v["deleted"]))
