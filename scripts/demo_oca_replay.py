#!/usr/bin/env python3
"""Call every OCA operation through the generated client against a replay of the recorded exchanges.

No Qualys account and no network: the responses come from tests/cassettes/oca
(the samples of the OCA v2 guide), served by an in-process httpx transport.
QUALYS_* variables are ignored on purpose.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from qualys_oca import AuthenticatedClient, Client
from qualys_oca.api.assets import delete_asset, get_asset_status, get_subscription_asset_status, provision_asset
from qualys_oca.api.auth import fetch_token
from qualys_oca.api.bulk import provision_assets_bulk, revoke_assets_bulk
from qualys_oca.api.commands import list_asset_commands, upload_command_output, upload_command_output_bulk
from qualys_oca.api.technologies import list_technologies, list_technology_commands
from qualys_oca.models import (
    AssetListRequest,
    AssetRequest,
    AuthRequest,
    BulkCommandOutputUpload,
    BulkProvisionUpload,
    CommandOutputUpload,
    ErrorResponse,
)
from qualys_oca.types import File, Response
from qualys_sdk.testing.cassettes import CassetteReplay, load_cassettes

GATEWAY = "https://gateway.qg1.apps.qualys.com"
CASSETTES = Path(__file__).resolve().parent.parent / "tests" / "cassettes" / "oca"
ASSET = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
RUNNING_CONFIG = (
    b'version 6.5\nenable secret "*****"\nenable bypass\nhostname "Aruba001"\nclock timezone GMT 0\nbanner motd ^\n'
)
BULK_CSV = b"dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n" + b"".join(
    f",{ip},,,,,{tech},PolicyCompliance,\n".encode()
    for ip, tech in [
        ("44.45.36.65", "Fabric 7"),
        ("44.45.38.89", "Fabric 8"),
        ("45.45.34.66", "Fabric 7"),
        ("44.45.37.62", "Fabric 8"),
    ]
)


def show(title: str, response: Response[Any]) -> Any:
    parsed = response.parsed
    if isinstance(parsed, ErrorResponse):
        sys.exit(f"{title}: HTTP {response.status_code} {parsed.field_error.message}")
    print(f"\n== {title}  (HTTP {int(response.status_code)})")
    return parsed


def main() -> None:
    replay = CassetteReplay(c for c in load_cassettes(CASSETTES) if all(i.status < 400 for i in c.interactions))
    transport = {"transport": replay.transport()}

    token = show(
        "POST /auth",
        fetch_token.sync_detailed(
            client=Client(base_url=GATEWAY, httpx_args=transport),
            body=AuthRequest(username="demo", password="demo-password"),  # noqa: S106 - the replay ignores it
        ),
    )
    print(f"token: {token!r} (scrubbed in the recording)")

    with AuthenticatedClient(base_url=GATEWAY, token=token, httpx_args=transport) as client:
        techs = show("list technologies", list_technologies.sync_detailed(client=client))
        for t in techs.data.items[:5]:
            print(f"  {t.technology:<20} technologyVersion={t.technology_version!r}  updated {t.updated_at}")
        print(f"  ... {len(techs.data.items)} technologies")

        cmds = show("commands for ArubaOS 6", list_technology_commands.sync_detailed("ArubaOS 6", client=client))
        print(f"  {cmds.data.items}")

        device = AssetRequest.from_dict(
            {"dnsName": "Fabric 7 ASSET", "hostIP": "23.42.52.55", "mac": "23-42-55-54-22-11",
             "netbios": "Web-test.com", "technology": "Fabric 7", "type": "PolicyCompliance"}
        )  # fmt: skip
        new = show("provision 23.42.52.55 (Fabric 7)", provision_asset.sync_detailed(client=client, body=device))
        print(f"  {new.message} assetUUID={new.data.asset_uuid}")

        device.uuid = "4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14"
        again = show("re-provision it with its uuid", provision_asset.sync_detailed(client=client, body=device))
        print(f"  {again.message} assetUUID={again.data.asset_uuid}")

        status = show(f"status of {ASSET}", get_asset_status.sync_detailed(ASSET, client=client))
        print(f"  {status.data.status}")

        asset_cmds = show("commands the asset needs", list_asset_commands.sync_detailed(ASSET, client=client))
        print(f"  {asset_cmds.data.items}")

        outputs = CommandOutputUpload()
        outputs["show running-config"] = File(payload=io.BytesIO(RUNNING_CONFIG))
        uploaded = show(
            "upload 'show running-config'", upload_command_output.sync_detailed(ASSET, client=client, body=outputs)
        )
        print(f"  {uploaded.message}")

        all_outputs = BulkCommandOutputUpload(
            data=File(
                payload=io.BytesIO(b"show running-config\n" + RUNNING_CONFIG),
                file_name="command_output.txt",
                mime_type="text/plain",
            )
        )
        bulk_up = show(
            "upload every output in one .txt",
            upload_command_output_bulk.sync_detailed(ASSET, client=client, body=all_outputs),
        )
        print(f"  {bulk_up.message}")

        bulk = show(
            "bulk provision 4 assets from CSV",
            provision_assets_bulk.sync_detailed(
                client=client,
                manifest_types="PolicyCompliance",
                body=BulkProvisionUpload(
                    data=File(payload=io.BytesIO(BULK_CSV), file_name="bulk_provision.csv", mime_type="text/csv")
                ),
            ),
        )
        items = bulk.data.items
        print(f"  counts: {items.count.to_dict()}")
        for a in items.successful_provisions:
            print(f"  provisioned {a.ip:<12} {a.technology:<9} uuid={a.uuid}")

        recent = show(
            "assets provisioned in the last 30 days", get_subscription_asset_status.sync_detailed(30, client=client)
        )
        for item in recent.data.items:
            print(f"  {item.asset_uuid}  {item.status}")

        gone = show("delete one asset", delete_asset.sync_detailed(ASSET, client=client))
        print(f"  {gone.message} assetUUID={gone.data.asset_uuid}")

        revoked = show(
            "bulk revoke 2 assets",
            revoke_assets_bulk.sync_detailed(
                client=client,
                body=AssetListRequest(
                    asset_list=["4x5xx573-x145-4182-916x-x3997x9xx259", "5xxxxx860-25x1-4x8x-x336-8x20x6x163xx"]
                ),
            ),
        )
        print(f"  revoked: {revoked.data.items.successful_revoke}  failed: {revoked.data.items.failed_revoke}")

    print(f"\n{len(replay.served)} calls answered from the recordings in {CASSETTES}")


if __name__ == "__main__":
    main()
