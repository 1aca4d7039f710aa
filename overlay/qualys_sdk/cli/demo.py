"""``qualys demo``: a tour of the SDK against the embedded simulator. No account, no network, no QUALYS_*."""

from __future__ import annotations

import ipaddress
import os
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn

from .._sync._client import Qualys
from ..activation_keys import criterion
from ..bulk import import_asset_metadata, import_business_apps, revoke_assets, upload_outputs
from ._common import console, emit, need_extra, table
from .bulk import run_provision

app = typer.Typer()

USERNAME, PASSWORD = "demo_user", "demo-password"
SIM_URL = "http://localhost"
SUMMARY_JSON = (
    "{devices, provisioned, settled_by_resend, already_there, failed, duplicate, unknown, unconfirmed, "
    "outputs_uploaded, csam_assets_updated, keys_found, revoked, requests, retries, left_in_simulator, seconds}"
)


def _step(text: str) -> None:
    console.print(f"\n[bold cyan]==[/bold cyan] {escape(text)}", highlight=False)


def _say(text: str, *, dim: bool = False) -> None:
    console.print(f"[dim]{escape(text)}[/dim]" if dim else escape(text), highlight=False)


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
    samples = sim.assets(USERNAME)  # the assets a new subscription of the simulator starts with
    there_before = {(a["hostIP"], a["technology"]) for a in samples}
    # What a real subscription does to a busy client: a rate limit, and a few failures on the way.
    sim.set_rate_limit(USERNAME, calls=30, window_sec=1, concurrency=2)
    sim.inject("status", r"/ocaapi/v2\.0/technology/PolicyCompliance$", status=429, retry_after=1, times=1)
    sim.inject("status", r"/ocaapi/v2\.0/assets/status/subscription", status=503, times=1)
    sim.inject("drop_after", r"/ocaapi/v2\.0/asset/bulk$", times=1)
    with sim_client(sim.app, SIM_URL) as http, Qualys(username=USERNAME, password=PASSWORD, gateway_url=SIM_URL,
                                                      api_url=SIM_URL, http_client=http) as qualys:  # fmt: skip
        _step("Technologies OCA assesses")
        techs = qualys.oca.list_technologies()
        _say(f"{len(techs)} technologies, e.g. " + ", ".join(t.technology_version for t in techs[:5]))

        _step(f"Bulk provision of {devices:,} devices from a CSV (chunks of 1000, 2 at a time)")
        source = workdir / "devices.csv"
        _devices(source, devices)
        result = run_provision(qualys, source, workdir / "devices.journal", concurrency=2, chunk_size=1000,
                               wait=True, quiet=False)  # fmt: skip
        counts = result.summary()
        # Every device is new to this simulator: a row that came back "exists" was created by this run, on the
        # first sending of a chunk whose answer was dropped; the chunk was sent again and the server named the
        # assets it had made, so each was counted once.
        resent = sum(1 for r in result.rows if r.status == "exists" and (r.host_ip, r.technology) not in there_before)
        provisioned = counts["provisioned"] + resent
        _say(
            f"provisioned {provisioned:,} ({resent:,} of them settled by a re-send: one chunk's answer was dropped "
            "on purpose, so the chunk was sent again and the server reported those devices as already made, "
            f"with their UUIDs); already there before {counts['exists'] - resent}, failed {counts['failed']}, "
            f"duplicates {counts['duplicate']}, unknown {counts['unknown']}, not confirmed {counts['unconfirmed']}"
        )
        _say(
            f"{qualys.stats.retries} retries taken (a 429 and a 503 were injected, and each retried after its wait)",
            dim=True,
        )
        uuids = [r.uuid for r in result.rows if r.uuid]

        _step("Commands and their output for a sample of 10 devices")
        sample = uuids[:10]
        _say(f"commands for {sample[0]}: {', '.join(qualys.oca.list_asset_commands(sample[0]))}")
        outputs = workdir / "outputs"
        outputs.mkdir(exist_ok=True)
        for uuid in sample:
            (outputs / f"{uuid}.txt").write_text(f"show running-config\nhostname {uuid[:8]}\n", encoding="utf-8")
        uploaded = upload_outputs(qualys, outputs)
        _say(f"uploaded the output of {len(uploaded.uploaded)} devices")

        _step("CSAM business metadata for the sample")
        apps = import_business_apps(qualys, [
            {"businessAppId": "demo-banking", "name": "Banking Service", "created": 1620643264000,
             "lastUpdated": 1620653309000, "businessCriticality": "1 - Most Critical"},
        ])  # fmt: skip
        by_uuid = {a["uuid"]: a["qualysAssetId"] for a in sim.assets(USERNAME)}
        _say("each device's qualysAssetId is read from the simulator's control plane (sim.assets(username)); "
             "with a real account, look it up in CSAM", dim=True)  # fmt: skip
        metadata = import_asset_metadata(qualys, [
            {"qualysAssetId": str(by_uuid[uuid]), "metadata": {"environment": "Production", "department": "Network",
                                                               "businessAppIds": ["demo-banking"]}}
            for uuid in sample
        ])  # fmt: skip
        _say(f"business apps imported: {apps.imported}; assets updated: {metadata.imported}, "
             f"failed: {len(metadata.failed)}")  # fmt: skip

        _step("Cloud Agent activation keys")
        key = qualys.activation_keys.create(type="UNLIMITED", title="demo-linux", modules=["VM_LICENSE", "PC_LICENSE"])
        found = list(qualys.activation_keys.iter_all([criterion("title", "CONTAINS", "demo")]))
        _say(f"created key {key.id} ({key.activation_key}); {len(found)} key(s) titled *demo*")

        _step("Revoke everything")
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
            bar.add_task(f"revoking {len(uuids):,} assets", total=None)
            revoked = revoke_assets(qualys, uuids)
        _say(f"revoked {len(revoked.revoked):,}, already gone {len(revoked.already_gone)}, "
             f"failed {len(revoked.failed)}")  # fmt: skip
        qualys.activation_keys.delete(int(key.id or 0))
        summary: dict[str, Any] = {
            "devices": devices, "provisioned": provisioned, "settled_by_resend": resent,
            "already_there": counts["exists"] - resent, "failed": counts["failed"], "duplicate": counts["duplicate"],
            "unknown": counts["unknown"], "unconfirmed": counts["unconfirmed"],
            "outputs_uploaded": len(uploaded.uploaded),
            "csam_assets_updated": metadata.imported, "keys_found": len(found), "revoked": len(revoked.revoked),
            "requests": qualys.stats.requests, "retries": qualys.stats.retries,
            "left_in_simulator": len(sim.assets(USERNAME)) - len(samples),
            "seconds": round(time.monotonic() - started, 1),
        }  # fmt: skip
    return summary


@app.command(help="A tour: thousands of devices on the embedded simulator.\n\nProvision, inspect, enrich and "
             "revoke them with no account and no network (needs the sim extra). The tour goes to stderr, the "
             "summary to stdout."
             f"\n\nJSON: the summary, {SUMMARY_JSON}.")  # fmt: skip
def demo(
    ctx: typer.Context,
    devices: Annotated[int, typer.Option(min=1, max=100_000, help="How many devices to provision.")] = 5000,
) -> None:
    for name in [n for n in os.environ if n.startswith("QUALYS_") and n != "QUALYS_LOG"]:
        del os.environ[name]  # the demo never talks to a real account, whatever the environment says
    try:
        with tempfile.TemporaryDirectory(prefix="qualys-demo-") as tmp:
            summary = run_demo(devices, Path(tmp))
    except ImportError as exc:
        raise need_extra(exc) from None
    emit(ctx, summary, lambda v: table(["field", "value"], [[k, f"{x:,}" if isinstance(x, int) else x]
                                                            for k, x in v.items()], title="summary"))  # fmt: skip
