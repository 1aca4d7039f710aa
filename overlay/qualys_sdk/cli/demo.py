"""``qualys demo``: a tour of the SDK against the embedded simulator. No account, no network, no QUALYS_*."""

from __future__ import annotations

import ipaddress
import os
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from .._sync._client import Qualys
from ..activation_keys import criterion
from ..bulk import import_asset_metadata, import_business_apps, revoke_assets, upload_outputs
from ._common import console
from .bulk import run_provision

app = typer.Typer()

USERNAME, PASSWORD = "demo_user", "demo-password"
SIM_URL = "http://localhost"


def _step(text: str) -> None:
    console.print(f"\n[bold cyan]==[/bold cyan] {text}", highlight=False)


def _devices(path: Path, count: int) -> None:
    technologies = ["Fabric 7", "Comware 7", "ArubaOS 8", "Cisco WLC 8", "Juniper IVE 8"]
    network = ipaddress.ip_network("10.20.0.0/16")
    with path.open("w", encoding="utf-8") as out:
        out.write("hostIP,technology,dnsName\n")
        for i, address in zip(range(count), network.hosts(), strict=False):
            out.write(f"{address},{technologies[i % len(technologies)]},device-{i:05d}.example.net\n")


def run_demo(devices: int, workdir: Path) -> dict[str, Any]:
    from ..testing import Simulator  # noqa: PLC0415  # the [sim] extra
    from ..testing.transport import sim_client  # noqa: PLC0415

    started = time.monotonic()
    sim = Simulator(seed=7, provision_delay=1.0)
    sim.create_subscription(USERNAME, PASSWORD)
    # What a real subscription does to a busy client: a rate limit, and a few failures on the way.
    sim.set_rate_limit(USERNAME, calls=30, window_sec=1, concurrency=2)
    sim.inject("status", r"/ocaapi/v2\.0/technology/PolicyCompliance$", status=429, retry_after=1, times=1)
    sim.inject("status", r"/ocaapi/v2\.0/assets/status/subscription", status=503, times=1)
    sim.inject("drop_after", r"/ocaapi/v2\.0/asset/bulk$", times=1)
    summary: dict[str, Any] = {}
    with sim_client(sim.app, SIM_URL) as http, Qualys(username=USERNAME, password=PASSWORD, gateway_url=SIM_URL,
                                                      api_url=SIM_URL, http_client=http) as qualys:  # fmt: skip
        _step("Technologies OCA assesses")
        techs = qualys.oca.list_technologies()
        console.print(f"{len(techs)} technologies, e.g. " + ", ".join(t.technology_version for t in techs[:5]))

        _step(f"Bulk provision of {devices:,} devices from a CSV (chunks of 1000, 2 at a time)")
        source = workdir / "devices.csv"
        _devices(source, devices)
        journal = workdir / "devices.journal"
        result = run_provision(qualys, source, journal, concurrency=2, chunk_size=1000, wait=True, quiet=False)
        counts = result.summary()
        console.print(f"provisioned {counts['provisioned']:,}, already there {counts['exists']:,}, failed "
                      f"{counts['failed']}, duplicates {counts['duplicate']}, unconfirmed {counts['unconfirmed']}; "
                      f"journal {journal.name}")  # fmt: skip
        console.print(
            f"[dim]{qualys.stats.retries} retries taken (429s, a 503 and a dropped connection were "
            "injected; the dropped chunk was re-sent and its rows came back as already there)[/dim]"
        )
        uuids = [r.uuid for r in result.rows if r.uuid]

        _step("Commands and their output for a sample of 10 devices")
        sample = uuids[:10]
        console.print(f"commands for {sample[0]}: {qualys.oca.list_asset_commands(sample[0])}")
        outputs = workdir / "outputs"
        outputs.mkdir(exist_ok=True)
        for uuid in sample:
            (outputs / f"{uuid}.txt").write_text(f"show running-config\nhostname {uuid[:8]}\n", encoding="utf-8")
        uploaded = upload_outputs(qualys, outputs)
        console.print(f"uploaded the output of {len(uploaded.uploaded)} devices")

        _step("CSAM business metadata for the sample")
        apps = import_business_apps(qualys, [
            {"businessAppId": "demo-banking", "name": "Banking Service", "created": 1620643264000,
             "lastUpdated": 1620653309000, "businessCriticality": "1 - Most Critical"},
        ])  # fmt: skip
        by_uuid = {a["uuid"]: a["qualysAssetId"] for a in sim.assets(USERNAME)}
        console.print(
            "[dim]each device's qualysAssetId is read from the simulator's control plane (sim.assets(username)); "
            "with a real account, look it up in CSAM[/dim]"
        )
        metadata = import_asset_metadata(qualys, [
            {"qualysAssetId": str(by_uuid[uuid]), "metadata": {"environment": "Production", "department": "Network",
                                                               "businessAppIds": ["demo-banking"]}}
            for uuid in sample
        ])  # fmt: skip
        console.print(f"business apps imported: {apps.imported}; assets updated: {metadata.imported}, "
                      f"failed: {len(metadata.failed)}")  # fmt: skip

        _step("Cloud Agent activation keys")
        key = qualys.activation_keys.create(type="UNLIMITED", title="demo-linux", modules=["VM_LICENSE", "PC_LICENSE"])
        found = list(qualys.activation_keys.iter_all([criterion("title", "CONTAINS", "demo")]))
        console.print(f"created key {key.id} ({key.activation_key}); {len(found)} key(s) titled *demo*")

        _step("Revoke everything")
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
            bar.add_task(f"revoking {len(uuids):,} assets", total=None)
            revoked = revoke_assets(qualys, uuids)
        console.print(f"revoked {len(revoked.revoked):,}, already gone {len(revoked.already_gone)}, "
                      f"failed {len(revoked.failed)}")  # fmt: skip
        qualys.activation_keys.delete(int(key.id or 0))
        summary = {
            "devices": devices, **{f"rows_{k}": v for k, v in counts.items()},
            "outputs_uploaded": len(uploaded.uploaded),
            "csam_assets_updated": metadata.imported, "keys_found": len(found), "revoked": len(revoked.revoked),
            "requests": qualys.stats.requests, "retries": qualys.stats.retries,
            "left_in_simulator": len(sim.assets(USERNAME)) - 4,  # the four sample assets the simulator starts with
            "seconds": round(time.monotonic() - started, 1),
        }  # fmt: skip
    return summary


@app.command()
def demo(
    devices: Annotated[int, typer.Option(min=1, max=100_000, help="How many devices to provision")] = 5000,
) -> None:
    """Provision, inspect, enrich and revoke thousands of devices against the embedded simulator."""
    for name in [n for n in os.environ if n.startswith("QUALYS_")]:
        del os.environ[name]  # the demo never talks to a real account, whatever the environment says
    with tempfile.TemporaryDirectory(prefix="qualys-demo-") as tmp:
        summary = run_demo(devices, Path(tmp))
    table = Table("what", "value", title="summary")
    for name, value in summary.items():
        table.add_row(name, f"{value:,}" if isinstance(value, int) else str(value))
    console.print(table)
