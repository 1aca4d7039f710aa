"""The Qualys documents' own curl samples, sent verbatim with curl (host swapped), against ``qualys sim serve``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from qualys_sdk.testing.cassettes import load_cassettes
from tests.support import CASSETTES

CURL = shutil.which("curl") or "curl"

BODIES = {c.name: c.interactions[0].request_body for api in ("oca", "csam", "agentactkey")
          for c in load_cassettes(CASSETTES / api)}  # fmt: skip


def curl(*args: str) -> tuple[int, str]:
    """Run curl; the last line of its output is the HTTP status."""
    done = subprocess.run([CURL, "-s", "-w", "\\n%{http_code}", *args], capture_output=True, text=True, timeout=30,
                          check=True)  # fmt: skip
    body, _, status = done.stdout.rpartition("\n")
    return int(status), body


def test_oca_guide_samples(server: str, tmp_path: Path) -> None:
    status, token = curl("-X", "POST", f"{server}/auth", "-d", "username=curl_user&password=pw&token=true")
    assert status == 201
    bearer = f"Authorization: Bearer {token}"

    status, body = curl("-X", "GET", f"{server}/ocaapi/v2.0/technology/PolicyCompliance", "-H",
                        "Content-Type: application/json", "-H", bearer)  # fmt: skip
    assert status == 200
    assert len(json.loads(body)["data"]["items"]) == 25

    (tmp_path / "request.json").write_bytes(BODIES["provisionAsset"])
    status, body = curl("-X", "POST", f"{server}/ocaapi/v2.0/asset", "-H", "assetFlowType: DEFAULT", "-H",
                        "Content-Type: application/json", "-H", bearer, "-H", "Content-Type: text/plain",
                        "-d", f"@{tmp_path / 'request.json'}")  # fmt: skip
    assert status == 200, body
    uuid = json.loads(body)["data"]["assetUUID"]

    status, _ = curl("-X", "GET", f"{server}/ocaapi/v2.0/asset/{uuid}/status", "-H", "assetFlowType: DEFAULT",
                     "-H", bearer)  # fmt: skip
    assert status == 200
    status, _ = curl("-X", "GET", f"{server}/ocaapi/v2.0/asset/{uuid}/command/PolicyCompliance", "-H",
                     "assetFlowType: DEFAULT", "-H", bearer)  # fmt: skip
    assert status == 200
    config = tmp_path / "file_path"
    config.write_text('version 6.5\nenable secret "*****"\nhostname "Aruba001"\n')
    status, body = curl("-X", "POST", f"{server}/ocaapi/v2.0/asset/{uuid}/command/output/PolicyCompliance", "-H",
                        "assetFlowType: DEFAULT", "-H", bearer, "-F", f"show running-config=@{config}")  # fmt: skip
    assert status == 200, body
    upload = f"{server}/ocaapi/v2.0/asset/{uuid}/command/output/PolicyCompliance"
    inline = "show running-config=\nversion 6.5\n"
    status, body = curl("-X", "POST", upload, "-H", "assetFlowType: DEFAULT", "-H", bearer, "-F", inline)
    assert status == 200, body

    bulk = tmp_path / "bulk_provision.csv"
    header = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"  # specs/PROVENANCE.md
    bulk.write_text(
        header + ",44.45.36.65,,,,,Fabric 7,PolicyCompliance,\n,44.45.38.89,,,,,Fabric 8,PolicyCompliance,\n"
    )
    status, body = curl("-X", "POST", f"{server}/ocaapi/v2.0/asset/bulk?manifest_types=PolicyCompliance", "-H",
                        "assetFlowType: DEFAULT", "-H", bearer, "-H", "Content-Type: multipart/form-data",
                        "-F", f"data=@{bulk}")  # fmt: skip
    assert status == 200, body
    assert json.loads(body)["data"]["items"]["count"]["successfulProvisions"] == 2

    (tmp_path / "revoke.json").write_text(json.dumps({"assetList": [uuid]}))
    status, body = curl("-X", "DELETE", f"{server}/ocaapi/v2.0/asset/revoke/bulk", "-H", "assetFlowType: DEFAULT",
                        "-H", "Content-Type: application/json", "-H", bearer, "-H", "Content-Type: text/plain",
                        "-d", f"@{tmp_path / 'revoke.json'}")  # fmt: skip
    assert status == 200, body
    assert json.loads(body)["data"]["items"]["successfulRevoke"] == [uuid]

    status, _ = curl("-X", "GET", f"{server}/ocaapi/v2.0/assets/status/subscription/30", "-H",
                     "assetFlowType: DEFAULT", "-H", bearer, "-H", "Content-Type: application/json")  # fmt: skip
    assert status == 200


def test_csam_release_note_samples(server: str, tmp_path: Path) -> None:
    _, token = curl("-X", "POST", f"{server}/auth", "-d", "username=curl_user&password=pw&token=true")
    apps = tmp_path / "business-app-metadata.json"
    apps.write_bytes(BODIES["upsertBusinessAppMetadata"])
    # The release notes feed the file with `< file`, which sends no body; `-d @file` is what they mean.
    status, body = curl("-X", "POST", "-H", "Accept: */*", "-H", f"Authorization: Bearer {token}", "-H",
                        "Content-Type: application/json", f"{server}/rest/2.0/upsert/am/businessapp/metadata",
                        "-d", f"@{apps}")  # fmt: skip
    assert status == 200, body
    assert json.loads(body)["responseCode"] == "SUCCESS"


def test_activation_key_release_note_samples(server: str, tmp_path: Path) -> None:
    create = tmp_path / "create_activation.xml"
    # The sample's key ("Owner", 3714801) is in the simulator's seed data, and titles are unique as on the real
    # service: the same request under another title.
    create.write_bytes(BODIES["createActivationKey"].replace(b"<title>Owner</title>", b"<title>Owner, by curl</title>"))
    status, body = curl("-u", "curl_user:pw", "-X", "POST", "-H", "Content-Type: text/xml", "-H",
                        "X-Requested-With: curl", "--data-binary", f"@{create}",
                        f"{server}/qps/rest/1.0/create/ca/agentactkey/")  # fmt: skip
    assert status == 200
    assert "<responseCode>SUCCESS</responseCode>" in body
    search = tmp_path / "get_all_keys.xml"
    search.write_bytes(BODIES["searchActivationKeys"])
    status, body = curl("-u", "curl_user:pw", "-X", "POST", "-H", "Content-Type: text/xml", "-H",
                        "X-Requested-With: curl", "--data-binary", f"@{search}",
                        f"{server}/qps/rest/1.0/search/ca/agentactkey/")  # fmt: skip
    assert status == 200
    assert "<AgentActKey>" in body
    status, body = curl("-X", "GET", "-H", "X-Requested-With: curl", "-u", "curl_user:pw",
                        f"{server}/qps/rest/1.0/get/ca/agentactkey/3714801")  # fmt: skip
    assert status == 200
    assert "<id>3714801</id>" in body
