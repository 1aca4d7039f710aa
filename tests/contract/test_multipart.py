"""Multipart uploads survive content that looks like a multipart boundary.

openapi-python-client 0.29 hard-codes the boundary "+++"; a command output
with a line "--+++" would then end the part early and corrupt the upload.
scripts/regenerate.py patches the template so httpx picks a random boundary;
these tests fail if that patch is lost.
"""

from __future__ import annotations

import io

import respx
from httpx import Response

from qualys_oca import AuthenticatedClient
from qualys_oca.api.bulk import provision_assets_bulk
from qualys_oca.api.commands import upload_command_output
from qualys_oca.models import BulkProvisionUpload, CommandOutputUpload
from qualys_oca.types import File
from tests.support import multipart

BASE_URL = "https://gateway.qg1.apps.qualys.com"
TRICKY = b"hostname core-1\r\n--+++\r\n--+++--\r\nbanner motd ^\n--+++\nend\n"
UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"


def test_command_output_containing_the_old_fixed_boundary_arrives_intact() -> None:
    body = CommandOutputUpload()
    body["show running-config"] = File(payload=io.BytesIO(TRICKY), file_name="running-config.txt")
    body["show version"] = File(payload=io.BytesIO(b"--+++\r\n"))
    with respx.mock(base_url=BASE_URL) as mock:
        route = mock.post(f"/ocaapi/v2.0/asset/{UUID}/command/output/PolicyCompliance").mock(
            return_value=Response(200, json={"code": 200, "message": "Command Output Uploaded Successfully."})
        )
        result = upload_command_output.sync_detailed(
            UUID, client=AuthenticatedClient(base_url=BASE_URL, token="t"), body=body
        )
    assert result.status_code == 200
    sent = route.calls.last.request
    content_type = sent.headers["content-type"]
    assert "boundary=+++" not in content_type
    parts = multipart.parse(sent.content, content_type)
    assert [(p.name, p.data) for p in parts] == [("show running-config", TRICKY), ("show version", b"--+++\r\n")]


def test_each_upload_gets_its_own_boundary() -> None:
    seen = set()
    with respx.mock(base_url=BASE_URL) as mock:
        route = mock.post("/ocaapi/v2.0/asset/bulk").mock(
            return_value=Response(400, json={"_error": {"code": 400, "message": "x"}})
        )
        for _ in range(2):
            body = BulkProvisionUpload(
                data=File(payload=io.BytesIO(TRICKY), file_name="assets.csv", mime_type="text/csv")
            )
            provision_assets_bulk.sync_detailed(
                client=AuthenticatedClient(base_url=BASE_URL, token="t"), body=body, manifest_types="PolicyCompliance"
            )
            seen.add(route.calls.last.request.headers["content-type"])
            (part,) = multipart.parse(
                route.calls.last.request.content, route.calls.last.request.headers["content-type"]
            )
            assert (part.name, part.filename, part.content_type, part.data) == (
                "data",
                "assets.csv",
                "text/csv",
                TRICKY,
            )
    assert len(seen) == 2
