"""A catalogue of malformed requests sent to ``qualys sim serve`` (``tests/support/served.py``): each is refused
with a 4xx, and the simulator answers a well-formed call right after each one.

Malformed: multipart bodies, CSV files, JSON, XML (bombs and deep nesting among them), control-plane calls,
headers and request heads (sent on a raw socket, where httpx would not send them). QPS reports a bad request
body with HTTP 200 and an error ``responseCode`` (``INVALID_REQUEST``), as the real API server does
(tests/cassettes/agentactkey): for those, that envelope is the refusal the catalogue checks; every other entry
must get a 4xx status, and at least 40 entries do.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.served import served_simulator

QUALYS = str(Path(sys.executable).with_name("qualys"))
USER, PASSWORD = "catalogue_user", "catalogue-password"
SAMPLE = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
PROVISION = "/ocaapi/v2.0/asset"
BULK = "/ocaapi/v2.0/asset/bulk?manifest_types=PolicyCompliance"
UPLOAD = f"/ocaapi/v2.0/asset/{SAMPLE}/command/output/PolicyCompliance"
UPLOAD_BULK = f"/ocaapi/v2.0/asset/{SAMPLE}/command/bulk/output/PolicyCompliance"
ASSETS = "/rest/2.0/update/am/asset/business/metadata"
APPS = "/rest/2.0/upsert/am/businessapp/metadata"
SEARCH_KEYS = "/qps/rest/1.0/search/ca/agentactkey/"
CREATE_KEY = "/qps/rest/1.0/create/ca/agentactkey/"
HEADER = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"
JSON = "application/json"
BEARER = "bearer"  # placeholder: replaced by a real token when sent
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


@dataclass(frozen=True)
class Bad:
    name: str
    method: str = "POST"
    path: str = PROVISION
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    raw: bytes | None = None  # a whole request sent on a socket as it is

    @property
    def qps(self) -> bool:
        return self.path.startswith("/qps/")


def _multipart(*parts: bytes, boundary: str = "b") -> tuple[dict[str, str], bytes]:
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts) + f"--{boundary}--\r\n".encode()
    return {"Authorization": BEARER, "Content-Type": f"multipart/form-data; boundary={boundary}"}, body


def _file(name: str, filename: str, content: bytes) -> bytes:
    return f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n\r\n'.encode() + content


def _form(path: str, *parts: bytes) -> Bad:
    headers, body = _multipart(*parts)
    return Bad("", path=path, headers=headers, body=body)


def _cut(path: str, content_type: str, body: bytes) -> Bad:
    return Bad("", path=path, headers={"Authorization": BEARER, "Content-Type": content_type}, body=body)


def _bulk(content: bytes, filename: str = "assets.csv") -> Bad:
    return _form(BULK, _file("data", filename, content))


def _json(path: str, body: bytes | object, content_type: str = JSON) -> Bad:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Bad("", path=path, headers={"Authorization": BEARER, "Content-Type": content_type}, body=raw)


def _xml(path: str, body: bytes) -> Bad:
    return Bad("", path=path, headers={"Authorization": BASIC, "Content-Type": "text/xml"}, body=body)


def _named(name: str, bad: Bad) -> Bad:
    return Bad(name, bad.method, bad.path, bad.headers, bad.body, bad.raw)


ROWS_1001 = HEADER + "".join(f",10.0.{i // 250}.{i % 250 + 1},,,,,Fabric 7,PolicyCompliance,\n" for i in range(1001))
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ServiceRequest><data><AgentActKey><title>&lol3;</title></AgentActKey></data></ServiceRequest>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ServiceRequest><data><AgentActKey><title>&x;</title></AgentActKey></data></ServiceRequest>"""
XINCLUDE = b"""<ServiceRequest xmlns:xi="http://www.w3.org/2001/XInclude"><data><AgentActKey><title>
<xi:include href="file:///etc/passwd" parse="text"/></title></AgentActKey></data></ServiceRequest>"""


def _head(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


CATALOGUE: list[Bad] = [
    # --- multipart
    _named("multipart without a boundary", _cut(BULK, "multipart/form-data", b"--b\r\n")),
    _named(
        "multipart cut short", _cut(BULK, "multipart/form-data; boundary=b", b"--b\r\n" + _file("data", "a.csv", b"x"))
    ),
    _named("multipart part without form-data", _form(BULK, b"Content-Disposition: attachment\r\n\r\nx")),
    _named(
        "multipart with 20 parts",
        _form(BULK, *[f'Content-Disposition: form-data; name="f{i}"\r\n\r\nx'.encode() for i in range(20)]),
    ),
    _named("multipart name not UTF-8", _form(BULK, b'Content-Disposition: form-data; name="\xff"\r\n\r\nx')),
    _named("multipart without the data field", _form(BULK, _file("other", "a.csv", HEADER.encode()))),
    _named("multipart garbage", _cut(BULK, "multipart/form-data; boundary=b", b"\x00\x01garbage")),
    _named("command output upload with no part", _form(UPLOAD)),
    _named("command output for an unknown command", _form(UPLOAD, _file("rm -rf", "a.txt", b"x"))),
    _named("bulk command output not .txt (ERR-2070)", _form(UPLOAD_BULK, _file("data", "a.csv", b"x"))),
    _named(
        "bulk command output upload cut short",
        _cut(UPLOAD_BULK, "multipart/form-data; boundary=zz", b"--zz\r\nContent-Disp"),
    ),
    # --- CSV bulk files
    _named("CSV with a wrong extension (ERR-2052)", _bulk(HEADER.encode(), "assets.xlsx")),
    _named("CSV without the header columns", _bulk(b"a,b,c\n1,2,3\n")),
    _named("CSV not UTF-8", _bulk(HEADER.encode() + b",\xff\xfe,,,,,Fabric 7,PolicyCompliance,\n")),
    _named("CSV of 1001 rows", _bulk(ROWS_1001.encode())),
    _named("CSV empty", _bulk(b"")),
    _named("CSV with only a header", _bulk(HEADER.encode())),
    _named("CSV with a field past csv's limit", _bulk(HEADER.encode() + b'"' + b"x" * 200_000 + b'"\n')),
    _named("CSV one endless row", _bulk(b'"' + b"x" * (17 * 1024 * 1024))),
    # --- JSON
    _named("JSON nested 100000 deep (arrays)", _json(PROVISION, b"[" * 100_000 + b"]" * 100_000)),
    _named("JSON nested 100000 deep (objects)", _json(ASSETS, b'{"a":' * 100_000 + b"1" + b"}" * 100_000)),
    _named("JSON not UTF-8", _json(PROVISION, b'{"hostIP": "\xff\xfe"}')),
    _named("JSON syntax error", _json(ASSETS, b'{"data": [')),
    _named("JSON NaN where a string belongs", _json(PROVISION, b'{"hostIP": NaN, "technology": "Fabric 7"}')),
    _named("JSON a list, not an object", _json(PROVISION, [1, 2, 3])),
    _named(
        "JSON blank hostIP", _json(PROVISION, {"hostIP": "   ", "technology": "Fabric 7", "type": "PolicyCompliance"})
    ),
    _named("JSON superscript asset id", _json(ASSETS, {"data": [{"qualysAssetId": "\u00b9"}]})),
    _named("JSON Arabic-Indic asset id", _json(ASSETS, {"data": [{"qualysAssetId": "\u0663\u0664"}]})),
    _named("JSON 251 records", _json(ASSETS, {"data": [{"qualysAssetId": "1"}] * 251})),
    _named(
        "JSON businessAppId over 40 characters",
        _json(APPS, {"data": [{"businessAppId": "a" * 41, "name": "n", "created": 0, "lastUpdated": 0}]}),
    ),
    _named("JSON 10 MB string in a bad record", _json(ASSETS, {"data": [{"qualysAssetId": "x" * 10_000_000}]})),
    _named("JSON body over 16 MiB", _json(PROVISION, b" " * (16 * 1024 * 1024 + 1))),
    _named("JSON empty body", _json(PROVISION, b"")),
    _named("JSON sent as text/plain only", _json(PROVISION, {"hostIP": "1.1.1.1"}, "text/plain")),
    _named("bulk revoke without assetList", _json("/ocaapi/v2.0/asset/revoke/bulk", {"list": []})),
    # --- XML
    _named("XML billion laughs to QPS", _xml(CREATE_KEY, BILLION_LAUGHS)),
    _named("XML external entity to QPS", _xml(CREATE_KEY, XXE)),
    _named("XML XInclude to QPS", _xml(CREATE_KEY, XINCLUDE)),
    _named("XML nested 100000 deep to QPS", _xml(SEARCH_KEYS, b"<a>" * 100_000)),
    _named("XML not UTF-8 to QPS", _xml(SEARCH_KEYS, b"<ServiceRequest>\xff\xfe</ServiceRequest>")),
    _named(
        "XML with a key type outside the enum",
        _xml(
            CREATE_KEY, b"<ServiceRequest><data><AgentActKey><type>FOREVER</type></AgentActKey></data></ServiceRequest>"
        ),
    ),
    _named(
        "XML with an Arabic-Indic count",
        _xml(
            CREATE_KEY,
            "<ServiceRequest><data><AgentActKey><type>"
            "COUNT_LIMITED</type><countPurchased>\u0663</countPurchased></AgentActKey></data></ServiceRequest>".encode(),
        ),
    ),
    _named(
        "XML with a count split by a comment",
        _xml(
            SEARCH_KEYS,
            "<ServiceRequest><preferences><limitResults>1<!--x-->\u0663</limitResults></preferences>"
            "</ServiceRequest>".encode(),
        ),
    ),
    _named(
        "XML with an xsi:type naming no type",
        _xml(
            SEARCH_KEYS,
            b'<ServiceRequest xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><preferences xsi:type="x"/>'
            b"</ServiceRequest>",
        ),
    ),
    _named("XML billion laughs to CSAM", _json(ASSETS, BILLION_LAUGHS, "application/xml")),
    _named("XML body over 16 MiB to QPS", _xml(SEARCH_KEYS, b"<ServiceRequest>" + b" " * (16 * 1024 * 1024))),
    # --- control plane
    _named("fault with times 'x'", _json("/_sim/faults", {"kind": "status", "times": "x"})),
    _named("fault with an invalid regex", _json("/_sim/faults", {"kind": "status", "path": "(["})),
    _named("fault of an unknown kind", _json("/_sim/faults", {"kind": "meteor"})),
    _named("mutate fault with a bad JSON patch", _json("/_sim/faults", {"kind": "mutate", "json_patch": [{"op": 1}]})),
    _named("fault body not an object", _json("/_sim/faults", [["kind", "status"]])),
    _named("control plane JSON nested deep", _json("/_sim/faults", b"[" * 100_000)),
    _named("rate limit of 'x' calls", _json(f"/_sim/subscriptions/{USER}/rate-limit", {"calls": "x"})),
    _named("advance the clock by NaN", _json("/_sim/clock/advance", b'{"seconds": NaN}')),
    _named("CSAM asset id '\u00b9'", _json(f"/_sim/subscriptions/{USER}/csam/assets", {"qualysAssetId": "\u00b9"})),
    _named("control plane body over 1 MiB", _json("/_sim/faults", b" " * (1024 * 1024 + 1))),
    # --- headers and paths
    _named("no Authorization", Bad("", "GET", TECHNOLOGIES)),
    _named("a Bearer token that is not one", Bad("", "GET", TECHNOLOGIES, {"Authorization": "Bearer a.b.c"})),
    _named("Basic credentials not base64", Bad("", "POST", SEARCH_KEYS, {"Authorization": "Basic %%%"})),
    _named(
        "Basic credentials of another password",
        Bad("", "POST", SEARCH_KEYS, {"Authorization": "Basic " + base64.b64encode(f"{USER}:wrong".encode()).decode()}),
    ),
    _named(
        "days as a superscript digit",
        Bad("", "GET", "/ocaapi/v2.0/assets/status/subscription/\u00b9", {"Authorization": BEARER}),
    ),
    _named(
        "days as an Arabic-Indic digit",
        Bad("", "GET", "/ocaapi/v2.0/assets/status/subscription/\u0663", {"Authorization": BEARER}),
    ),
    _named(
        "technology name with %2F",
        Bad(
            "",
            "GET",
            "/ocaapi/v2.0/technology/IBM z%2FOS Security Server RACF 2/command/PolicyCompliance",
            {"Authorization": BEARER},
        ),
    ),
    _named("a method the path does not take", Bad("", "PUT", TECHNOLOGIES, {"Authorization": BEARER})),
    _named(
        "request head over 16 KiB",
        Bad("", raw=_head(f"GET {TECHNOLOGIES} HTTP/1.1\nHost: x\nX-Big: {'a' * 20000}\n\n")),
    ),
    _named(
        "Content-Length not a number",
        Bad("", raw=_head(f"POST {PROVISION} HTTP/1.1\nHost: x\nContent-Length: ten\n\n")),
    ),
    _named(
        "Content-Length and chunked together",
        Bad(
            "", raw=_head(f"POST {PROVISION} HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n")
        ),
    ),
    _named("a request line that is not HTTP", Bad("", raw=b"HELLO THERE\r\n\r\n")),
    _named("a header line without a colon", Bad("", raw=_head(f"GET {TECHNOLOGIES} HTTP/1.1\nHost: x\nbroken\n\n"))),
]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with served_simulator([QUALYS]) as served:
        yield served


@pytest.fixture(scope="module")
def token(url: str) -> str:
    answer = httpx.post(f"{url}/auth", data={"username": USER, "password": PASSWORD, "token": "true"})
    assert answer.status_code == 201, answer.text
    return answer.text


def _raw(url: str, data: bytes) -> int:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(data)
        answer = conn.recv(65536)
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    assert match, answer[:200]
    return int(match.group(1))


def _healthy(url: str, token: str) -> None:
    answer = httpx.get(f"{url}{TECHNOLOGIES}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["data"]["items"]) == 25
    again = httpx.post(f"{url}/auth", data={"username": USER, "password": PASSWORD, "token": "true"}, timeout=10)
    assert again.status_code == 201


def test_the_catalogue_has_at_least_40_requests_answered_with_a_4xx() -> None:
    assert len({bad.name for bad in CATALOGUE}) == len(CATALOGUE)
    assert sum(1 for bad in CATALOGUE if not bad.qps) >= 40


@pytest.mark.parametrize("bad", CATALOGUE, ids=lambda bad: bad.name)
def test_a_malformed_request_is_refused_and_the_simulator_keeps_serving(bad: Bad, url: str, token: str) -> None:
    if bad.raw is not None:
        status = _raw(url, bad.raw)
        assert 400 <= status < 500, status
    else:
        headers = {k: (f"Bearer {token}" if v == BEARER else v) for k, v in bad.headers.items()}
        answer = httpx.request(bad.method, f"{url}{bad.path}", headers=headers, content=bad.body or None, timeout=60)
        if bad.qps and answer.status_code == 200:
            # QPS refuses a bad body inside an HTTP 200 answer, with an error responseCode.
            code = re.search(rb"<responseCode>([A-Z_0-9]+)</responseCode>", answer.content)
            assert code is not None, answer.text[:300]
            assert code.group(1) != b"SUCCESS"
        else:
            assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
        assert len(answer.content) < 8192, "an error quotes at most an excerpt of the input"
    _healthy(url, token)
