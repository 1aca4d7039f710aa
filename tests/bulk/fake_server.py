"""A small in-process OCA/CSAM server for the bulk helpers' tests: assets keyed by (hostIP, technology).

It applies requests the way the simulator and (UNCONFIRMED) the real service do: a bulk row whose asset
exists is skipped with the existing UUID. ``drop_after_apply`` makes the next bulk call apply its rows and
then lose the connection, as a network failure after the server did the work. ``technologies`` is the list
the technology endpoint gives (``technology_calls`` counts its calls); ``slow_bulk`` makes each bulk call
take that many seconds.
"""

from __future__ import annotations

import csv
import io
import json
import time
import uuid as uuids
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from qualys_sdk import Qualys
from tests.support import multipart


class FakeOCA:
    def __init__(self) -> None:
        self.assets: dict[tuple[str, str], str] = {}
        self.status: dict[str, str] = {}
        self.bulk_calls = 0
        self.drop_after_apply = 0
        self.interrupt_after_apply: int | None = None
        self.csam_calls: list[list[dict[str, object]]] = []
        self.known_asset_ids: set[str] = set()
        self.uploads: list[str] = []
        self.technologies = ["Fabric 7", "Fabric 8", "Comware 7", "IBM z/OS Security Server RACF 2"]
        self.technology_calls = 0
        self.slow_bulk = 0.0

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/auth":
            return httpx.Response(201, text="token")
        if path == "/ocaapi/v2.0/asset/bulk":
            return self._bulk(request)
        if path == "/ocaapi/v2.0/technology/PolicyCompliance":
            self.technology_calls += 1
            items = [{"technology": t.rsplit(" ", 1)[0], "technologyVersion": t} for t in self.technologies]
            return httpx.Response(200, json={"code": 200, "data": {"items": items}})
        if path == "/ocaapi/v2.0/asset/revoke/bulk":
            wanted = json.loads(request.content)["assetList"]
            gone = [u for u in wanted if self.status.pop(u, None) is not None]
            self.assets = {k: v for k, v in self.assets.items() if v not in gone}
            return httpx.Response(200, json={"code": 200, "data": {"items": {
                "successfulRevoke": gone, "failedRevoke": [u for u in wanted if u not in gone]}}})  # fmt: skip
        if path.endswith("/status") and path.startswith("/ocaapi/v2.0/asset/"):
            asset = path.split("/")[4]
            if asset not in self.status:
                return httpx.Response(404, json={"_error": {"code": 404, "message": "not found"}})
            return httpx.Response(200, json={"code": 200, "data": {"status": self.status[asset]}})
        if path.startswith("/ocaapi/v2.0/assets/status/subscription/"):
            items = [{"assetUUID": u, "status": s} for u, s in self.status.items()]
            return httpx.Response(200, json={"code": 200, "data": {"items": items}})
        if path.endswith("/command/bulk/output/PolicyCompliance"):
            self.uploads.append(path.split("/")[4])
            return httpx.Response(200, json={"code": 200, "message": "Command Bulk Output Uploaded Successfully."})
        if path.startswith("/rest/2.0/"):
            data = json.loads(request.content)["data"]
            self.csam_calls.append(data)
            failed = [
                r["qualysAssetId"]
                for r in data
                if "qualysAssetId" in r and r["qualysAssetId"] not in self.known_asset_ids
            ]
            code = "FAILED" if failed else "SUCCESS"
            answer = {"requestId": "r", "responseMessage": "ok", "responseCode": code, "failedIds": failed or None}
            return httpx.Response(200, json=answer)
        return httpx.Response(404, json={"_error": {"code": 404, "message": path}})

    def _bulk(self, request: httpx.Request) -> httpx.Response:
        self.bulk_calls += 1
        if self.slow_bulk:
            time.sleep(self.slow_bulk)
        (part,) = multipart.parse(request.content, request.headers["content-type"])
        ok, skipped, failed = [], [], []
        for row in csv.DictReader(io.StringIO(part.data.decode())):
            key = (row["hostIP"], row["technology"])
            if row["hostIP"].startswith("0."):
                failed.append({"ip": row["hostIP"], "technology": row["technology"], "reason": "reserved address"})
            elif key in self.assets and not row["uuid"]:
                skipped.append({"uuid": self.assets[key], "ip": key[0], "technology": key[1], "reason": "exists"})
            else:
                asset = row["uuid"] or str(uuids.uuid4())
                self.assets[key] = asset
                self.status[asset] = "Provision Requested"
                ok.append({"uuid": asset, "ip": key[0], "technology": key[1]})
        if self.drop_after_apply:
            self.drop_after_apply -= 1
            raise httpx.RemoteProtocolError("connection dropped after the server applied the request")
        if self.interrupt_after_apply is not None and self.bulk_calls >= self.interrupt_after_apply:
            raise KeyboardInterrupt  # the process dies between the server's work and the journal's record
        counts = {"successfulProvisions": len(ok), "failedProvisions": len(failed), "skippedProvisions": len(skipped)}
        items = {"count": counts, "successfulProvisions": ok, "failedProvisions": failed, "skippedProvisions": skipped}
        return httpx.Response(200, json={"code": 200, "data": {"items": items}})

    def confirm_all(self) -> None:
        self.status = dict.fromkeys(self.status, "Provision Confirmed")


@contextmanager
def fake_client(server: FakeOCA, *, max_retries: int = 0) -> Iterator[Qualys]:
    """A ``Qualys`` client whose every call ``server`` answers in process; retries do not wait."""
    http = httpx.Client(transport=httpx.MockTransport(server.handler))
    qualys = Qualys(username="u", password="p", platform="US1", http_client=http, max_retries=max_retries)
    qualys._core.random = lambda: 0.0
    with http:
        yield qualys
