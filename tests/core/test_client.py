"""The client's one request path: the raw-exchange hook, lazy API parts, and the same path for sync and async."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys

import httpx

from qualys_sdk import AsyncQualys, Qualys
from qualys_sdk._exchange import EXCHANGE, Exchange

from .fakes import GATEWAY, PASSWORD, USERNAME

UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?><ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count>'
    b"<data><AgentActKey><id>7</id></AgentActKey></data></ServiceResponse>"
)


def _serve(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/auth":
        return httpx.Response(201, text="token-1")
    if request.url.path.startswith("/qps/"):
        return httpx.Response(200, content=KEY, headers={"Content-Type": "application/xml"})
    body = gzip.compress(json.dumps({"code": 200, "data": {"status": "Provision Confirmed"}}).encode())
    return httpx.Response(200, content=body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})


Seen = list[tuple[str, int, bytes, int]]


def test_event_hooks_see_every_answer_with_its_body_decompressed() -> None:
    seen: Seen = []

    def record(response: httpx.Response) -> None:
        exchange = response.extensions[EXCHANGE]
        assert isinstance(exchange, Exchange)
        seen.append((response.request.url.path, response.status_code, response.read(), exchange.attempts))

    http = httpx.Client(transport=httpx.MockTransport(_serve), event_hooks={"response": [record]})
    with Qualys(username=USERNAME, password=PASSWORD, platform="US2", http_client=http) as qualys:
        assert qualys.oca.get_status(UUID) == "Provision Confirmed"
        assert qualys.activation_keys.get(7).id == 7
    assert [(path, status, attempts) for path, status, _, attempts in seen] == [
        ("/auth", 201, 1),
        (f"/ocaapi/v2.0/asset/{UUID}/status", 200, 1),
        ("/qps/rest/1.0/get/ca/agentactkey/7", 200, 1),
    ]
    assert seen[0][2] == b"token-1"
    assert json.loads(seen[1][2])["data"]["status"] == "Provision Confirmed"  # decoded: no gzip left
    assert seen[2][2] == KEY


def test_the_async_client_takes_the_same_path() -> None:
    seen: list[str] = []

    async def record(response: httpx.Response) -> None:
        await response.aread()
        seen.append(response.request.url.path)

    async def run() -> tuple[str, int | None]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_serve), event_hooks={"response": [record]})
        async with AsyncQualys(username=USERNAME, password=PASSWORD, platform="US2", http_client=http) as qualys:
            return await qualys.oca.get_status(UUID), (await qualys.activation_keys.get(7)).id

    assert asyncio.run(run()) == ("Provision Confirmed", 7)
    assert seen == ["/auth", f"/ocaapi/v2.0/asset/{UUID}/status", "/qps/rest/1.0/get/ca/agentactkey/7"]


def test_requests_go_to_each_apis_base_url() -> None:
    urls: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return _serve(request)

    http = httpx.Client(transport=httpx.MockTransport(serve), base_url="https://elsewhere.example")
    with Qualys(username=USERNAME, password=PASSWORD, platform="US2", http_client=http) as qualys:
        qualys.oca.get_status(UUID)
        qualys.activation_keys.get(7)
    assert urls == [
        f"{GATEWAY}/auth",
        f"{GATEWAY}/ocaapi/v2.0/asset/{UUID}/status",
        "https://qualysapi.qg2.apps.qualys.com/qps/rest/1.0/get/ca/agentactkey/7",
    ]


def test_import_qualys_sdk_loads_no_generated_client_nor_xml_nor_asyncio() -> None:
    code = (
        "import sys, qualys_sdk; "
        "print(sorted(m for m in ('qualys_oca', 'qualys_csam', 'qualys_agentactkey', 'xsdata', 'lxml', 'asyncio') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = "import qualys_sdk; print(qualys_sdk.AssetSpec.__name__, qualys_sdk.criterion.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["AssetSpec", "criterion"]
