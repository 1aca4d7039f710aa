"""``qualys oca ...``: every OCA operation.

With --json each command prints the shape its help names; tables show the same field names as headers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..types import ProvisionResult
from ._common import Yes, client, confirm, emit, errors, table

app = typer.Typer(help="OCA: technologies, assets, commands and their output.", no_args_is_help=True)

UUID = Annotated[str, typer.Argument(metavar="UUID", help="The asset's UUID (see qualys oca subscription-status).")]
HOST_IP = Annotated[str, typer.Argument(metavar="HOST_IP", help="The device's IP address.")]
TECHNOLOGY = Annotated[str, typer.Argument(
    metavar="TECHNOLOGY", help="A technology_version such as 'Comware 7' (see qualys oca technologies)."
)]  # fmt: skip
DNS_NAME = Annotated[str | None, typer.Option(metavar="NAME", help="The device's DNS name.")]
MAC = Annotated[str | None, typer.Option(metavar="MAC", help="The device's MAC address.")]
NETBIOS = Annotated[str | None, typer.Option(metavar="NAME", help="The device's NetBIOS name.")]

#: What to do when OCA does not know an asset.
NO_ASSET = "check the UUID (qualys oca subscription-status lists the assets of the last 30 days)"


def _provisioned(ctx: typer.Context, result: ProvisionResult) -> None:
    emit(ctx, {"asset_uuid": result.asset_uuid, "message": result.message}, lambda v: typer.echo(v["asset_uuid"]))


@app.command()
def technologies(ctx: typer.Context) -> None:
    """List the technologies OCA assesses.

    Use a technology_version when provisioning. JSON: a list of {technology, technology_version, created_at,
    updated_at} (times in ISO 8601, or null).
    """
    with errors(ctx):
        found = client(ctx).oca.list_technologies()
    rows = [{"technology": t.technology, "technology_version": t.technology_version, "created_at": t.created_at,
             "updated_at": t.updated_at} for t in found]  # fmt: skip
    columns = ["technology", "technology_version", "updated_at"]
    emit(ctx, rows, lambda v: table(columns, [[r[c] for c in columns] for r in v]))


@app.command()
def commands(ctx: typer.Context, technology: TECHNOLOGY) -> None:
    """Commands whose output a technology needs.

    One a line; TECHNOLOGY with or without '/'. JSON: a list of strings.
    """
    with errors(ctx, not_found="list the technologies with: qualys oca technologies (use a technology_version)"):
        found = client(ctx).oca.list_technology_commands(technology)
    emit(ctx, found, lambda v: typer.echo("\n".join(v)))


@app.command("asset-commands")
def asset_commands(ctx: typer.Context, uuid: UUID) -> None:
    """Commands whose output an asset needs.

    One a line. JSON: a list of strings.
    """
    with errors(ctx, not_found=NO_ASSET):
        found = client(ctx).oca.list_asset_commands(uuid)
    emit(ctx, found, lambda v: typer.echo("\n".join(v)))


@app.command()
def provision(
    ctx: typer.Context,
    host_ip: HOST_IP,
    technology: TECHNOLOGY,
    dns_name: DNS_NAME = None,
    mac: MAC = None,
    netbios: NETBIOS = None,
) -> None:
    """Provision one asset; prints its UUID.

    JSON: {asset_uuid, message}.
    """
    with errors(ctx, not_found="list the technologies with: qualys oca technologies"):
        result = client(ctx).oca.provision(host_ip, technology, dns_name=dns_name, mac=mac, netbios=netbios)
    _provisioned(ctx, result)


@app.command()
def reprovision(
    ctx: typer.Context,
    uuid: UUID,
    host_ip: HOST_IP,
    technology: TECHNOLOGY,
    dns_name: DNS_NAME = None,
    mac: MAC = None,
    netbios: NETBIOS = None,
) -> None:
    """Re-provision an asset; prints its UUID.

    HOST_IP and TECHNOLOGY must be its current ones. JSON: {asset_uuid, message}.
    """
    with errors(ctx, not_found=NO_ASSET):
        result = client(ctx).oca.reprovision(uuid, host_ip, technology, dns_name=dns_name, mac=mac, netbios=netbios)
    _provisioned(ctx, result)


@app.command()
def status(ctx: typer.Context, uuid: UUID) -> None:
    """Provision status of an asset.

    "Provision Requested", "Provision Confirmed", ... JSON: {asset_uuid, status}.
    """
    with errors(ctx, not_found=NO_ASSET):
        found = client(ctx).oca.get_status(uuid)
    emit(ctx, {"asset_uuid": uuid, "status": found}, lambda v: typer.echo(v["status"]))


@app.command("subscription-status")
def subscription_status(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=30, help="How many days back to look.")] = 30,
) -> None:
    """Status of every asset of the last DAYS days.

    The assets provisioned in the last DAYS days. JSON: a list of {asset_uuid, status}.
    """
    with errors(ctx):
        found = client(ctx).oca.subscription_status(days)
    rows = [{"asset_uuid": item.asset_uuid, "status": item.status} for item in found]
    emit(ctx, rows, lambda v: table(["asset_uuid", "status"], [[r["asset_uuid"], r["status"]] for r in v],
                                    whole={"asset_uuid"}))  # fmt: skip


@app.command()
def upload(
    ctx: typer.Context,
    uuid: UUID,
    command: Annotated[str, typer.Argument(metavar="COMMAND", help="The command, as qualys oca asset-commands "
                                           "names it.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file with that command's output.")],
) -> None:  # fmt: skip
    """Upload the output of one command of an asset.

    The output of COMMAND is read from FILE; prints the server's message. JSON: {asset_uuid, message}.
    """
    with errors(ctx, not_found=NO_ASSET):
        message = client(ctx).oca.upload_command_output(uuid, command, file)
    emit(ctx, {"asset_uuid": uuid, "message": message}, lambda v: typer.echo(v["message"] or "uploaded"))


@app.command("upload-bulk")
def upload_bulk(
    ctx: typer.Context,
    uuid: UUID,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One .txt file with the output of every command.")],
) -> None:
    """Upload the output of every command of an asset.

    FILE: one .txt file with the output of every command; prints the server's message.
    JSON: {asset_uuid, message}.
    """
    with errors(ctx, not_found=NO_ASSET):
        message = client(ctx).oca.upload_command_output_bulk(uuid, file)
    emit(ctx, {"asset_uuid": uuid, "message": message}, lambda v: typer.echo(v["message"] or "uploaded"))


@app.command()
def delete(ctx: typer.Context, uuid: UUID, yes: Yes = False) -> None:
    """Delete an asset and all its data; prints its UUID.

    Its configuration data and reports go with it. JSON: {asset_uuid, deleted: true}.
    """
    confirm(f"delete asset {uuid}", yes)
    with errors(ctx, not_found=NO_ASSET):
        gone = client(ctx).oca.delete(uuid)
    emit(ctx, {"asset_uuid": gone, "deleted": True}, lambda v: typer.echo(v["asset_uuid"]))
