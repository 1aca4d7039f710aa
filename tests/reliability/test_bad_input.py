"""A catalogue of bad input, from the user and from the server: each gives a clear typed error, and nothing is
sent (the simulator never sees a provision) or nothing is lost.

Files go through the bulk helper against the in-process simulator; answers no real Qualys would send come from
an ``httpx.MockTransport``; the slow-drip answer comes from the simulator served on loopback, since a drip only
shows over a real socket.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest

from qualys_sdk import (
    APITimeoutError,
    AssetSpec,
    InputValidationError,
    Qualys,
    ResponseFormatError,
)
from qualys_sdk.bulk import provision_assets
from qualys_sdk.testing import Simulator

from .support import PASSWORD, USERNAME, ScheduledTransport, asset_pairs, client_for, new_simulator, served

HEADER = "hostIP,technology,dnsName\n"
GOOD = "10.1.0.1,Fabric 7,a.example.net\n10.1.0.2,Comware 7,b.example.net\n"
BULK = "/ocaapi/v2.0/asset/bulk"


@pytest.fixture
def sim() -> Simulator:
    return new_simulator()


@pytest.fixture
def transport(sim: Simulator) -> ScheduledTransport:
    return ScheduledTransport(sim)


@pytest.fixture
def client(transport: ScheduledTransport) -> Iterator[Qualys]:
    with client_for(transport) as qualys:
        yield qualys


# ------------------------------------------------------------------------------------------- bad files


class BadFile(NamedTuple):
    name: str
    content: bytes
    message: str
    line: int
    field: str | None


BAD_FILES = {
    "cells": BadFile(
        "cells.csv", (HEADER + GOOD + "10.1.0.3,Fabric 7\n").encode(), "2 cells where the header has 3", 4, None
    ),
    "open-quote": BadFile(
        "quote.csv", (HEADER + GOOD + '10.1.0.3,"Fabric 7\n').encode(), "cells where the header has", 4, None
    ),
    "ip-out-of-range": BadFile(
        "ip.csv", (HEADER + GOOD + "10.1.0.300,Fabric 7,c\n").encode(), "'10.1.0.300' is not an IP address", 4, "hostIP"
    ),
    "host-name": BadFile(
        "name.csv", (HEADER + "router-1,Fabric 7,c\n" + GOOD).encode(), "'router-1' is not an IP address", 2, "hostIP"
    ),
    "cidr": BadFile(
        "cidr.csv", (HEADER + GOOD + "10.1.0.0/24,Fabric 7,c\n").encode(), "not an IP address", 4, "hostIP"
    ),
    "no-ip": BadFile("noip.csv", (HEADER + GOOD + ",Fabric 7,c\n").encode(), "hostIP is missing", 4, "hostIP"),
    "not-utf8": BadFile(
        "latin1.csv", (HEADER + GOOD).encode() + b"10.1.0.3,Fabric 7,caf\xe9\n", "not UTF-8 text", 4, None
    ),
    "line-over-1MiB": BadFile(
        "long.csv",
        (HEADER + GOOD).encode() + b"10.1.0.3,Fabric 7," + b"x" * (1024 * 1024) + b"\n",
        "longer than 1048576 bytes",
        4,
        None,
    ),
    "jsonl-invalid": BadFile(
        "bad.jsonl",
        b'{"hostIP": "10.1.0.1", "technology": "Fabric 7"}\n{"hostIP": "10.1.0.2",\n',
        "invalid JSON",
        2,
        None,
    ),
    "jsonl-not-object": BadFile(
        "list.jsonl",
        b'{"hostIP": "10.1.0.1", "technology": "Fabric 7"}\n["10.1.0.2", "Fabric 7"]\n',
        "each line must be a JSON object",
        2,
        None,
    ),
    "jsonl-not-utf8": BadFile(
        "latin1.jsonl", b'{"hostIP": "10.1.0.1", "technology": "caf\xe9"}\n', "not UTF-8 text", 1, None
    ),
}


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_before_anything_is_sent(
    client: Qualys, transport: ScheduledTransport, sim: Simulator, tmp_path: Path, case: BadFile
) -> None:
    before = asset_pairs(sim)
    path = tmp_path / case.name
    path.write_bytes(case.content)
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, path, journal=tmp_path / "j.jsonl")
    problem = info.value.first
    assert case.message in str(info.value)
    assert (problem.file, problem.line, problem.field) == (str(path), case.line, case.field)
    assert transport.requests == []  # not even a login
    assert asset_pairs(sim) == before


def test_every_bad_row_is_listed_at_once(client: Qualys, transport: ScheduledTransport, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(HEADER + GOOD + "10.1.0.256,Fabric 7,x\n" + "fe80::1::2,Fabric 7,y\n" + "10.1.0.9,,z\n")
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, path, journal=tmp_path / "j.jsonl")
    assert [(p.line, p.field) for p in info.value.problems] == [(4, "hostIP"), (5, "hostIP"), (6, "technology")]
    assert transport.requests == []


def test_an_unknown_technology_is_refused_before_provisioning(
    client: Qualys, transport: ScheduledTransport, sim: Simulator, tmp_path: Path
) -> None:
    before = asset_pairs(sim)
    known = [t.technology_version for t in client.oca.list_technologies()]
    path = tmp_path / "tech.csv"
    path.write_text(HEADER + GOOD + "10.1.0.3,Fabric 99,c\n")
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, path, journal=tmp_path / "j.jsonl", technologies=known)
    assert (info.value.first.line, info.value.first.field) == (4, "technology")
    assert "unknown technology 'Fabric 99'" in str(info.value)
    assert [p for _, p in transport.requests if p == BULK] == []
    assert asset_pairs(sim) == before


def test_duplicate_rows_are_reported_and_sent_once(
    client: Qualys, transport: ScheduledTransport, sim: Simulator, tmp_path: Path
) -> None:
    before = asset_pairs(sim)
    path = tmp_path / "dups.csv"
    path.write_text(HEADER + GOOD + " 10.1.0.1 , Fabric 7 ,again\n" + "10.1.0.2,Comware 7,\n" + "10.1.0.2,Fabric 7,\n")
    result = provision_assets(client, path, journal=tmp_path / "j.jsonl")
    assert [(r.line, r.status, r.reason) for r in result.rows] == [
        (2, "provisioned", None),
        (3, "provisioned", None),
        (4, "duplicate", "same asset as line 2"),
        (5, "duplicate", "same asset as line 3"),
        (6, "provisioned", None),
    ]
    added = asset_pairs(sim) - before
    assert added == {("10.1.0.1", "Fabric 7"): 1, ("10.1.0.2", "Comware 7"): 1, ("10.1.0.2", "Fabric 7"): 1}
    assert [p for _, p in transport.requests].count(BULK) == 1


def test_a_single_call_over_the_api_limit_is_refused_unsent(client: Qualys, transport: ScheduledTransport) -> None:
    assets = [AssetSpec(f"10.2.{i // 250}.{i % 250 + 1}", "Fabric 7") for i in range(1001)]
    with pytest.raises(InputValidationError, match="1001 assets in one call; the API takes at most 1000"):
        client.oca.provision_bulk(assets)
    client.oca.provision_bulk(assets[:1000])  # the limit itself is fine
    records = [{"qualysAssetId": 6420613 + i, "metadata": {"attributes": []}} for i in range(251)]
    with pytest.raises(InputValidationError, match="251 assets in one call; the API takes at most 250"):
        client.csam.import_asset_metadata(records)
    apps = [{"businessAppId": i, "name": f"app {i}", "created": 0, "lastUpdated": 0} for i in range(251)]
    with pytest.raises(InputValidationError, match="251 business apps in one call"):
        client.csam.import_business_apps(apps)
    assert [p for _, p in transport.requests].count(BULK) == 1
    assert not any("/csam/" in p for _, p in transport.requests)


# ------------------------------------------------------------------------------- bad answers from a server


def _mocked(answer: Callable[[httpx.Request], httpx.Response]) -> Qualys:
    token = "eyJhbGciOiJIUzUxMiJ9.eyJleHAiOjQwMDAwMDAwMDB9.c2ln"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth":
            return httpx.Response(201, text=token)
        return answer(request)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Qualys(username=USERNAME, password=PASSWORD, platform="US2", http_client=http, max_retries=0)


TECHNOLOGIES_JSON = (
    b'{"code": 200, "data": {"technologies": [{"technology": "Fabric 7", "technologyVersion": "Fabric 7"'
)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html><head><title>Maintenance</title></head><body>Back soon</body></html>"),
        ("application/json", b"<html><body>Gateway says hello</body></html>"),
        ("application/json", b"{'code': 200, 'data': nope}"),
        ("application/json", TECHNOLOGIES_JSON),  # cut short
        ("application/json", b""),
        ("application/json", b'["a list", "not an object"]'),
        ("application/json", b'{"code": 200, "data": {"technologies": "none"}}'),
    ],
    ids=["html", "html-as-json", "invalid-json", "truncated-json", "empty", "list", "wrong-shape"],
)
def test_an_unreadable_gateway_answer_is_a_format_error(content_type: str, body: bytes) -> None:
    client = _mocked(lambda request: httpx.Response(200, headers={"Content-Type": content_type}, content=body))
    with pytest.raises(ResponseFormatError) as info:
        client.oca.list_technologies()
    assert info.value.status_code == 200
    assert len(info.value.body_excerpt) <= 200
    if body:
        assert info.value.body_excerpt
    assert "Traceback" not in str(info.value)


SECRET_MARKER = "top-secret-file-content-7f3a"


def _xxe(secret: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE ServiceResponse [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count><data><AgentActKey>"
        "<id>1</id><title>&xxe;</title></AgentActKey></data></ServiceResponse>"
    ).encode()


def _billion_laughs(_: Path) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        f'<?xml version="1.0"?><!DOCTYPE ServiceResponse [{"".join(entities)}]>'
        "<ServiceResponse><responseCode>&lol9;</responseCode></ServiceResponse>"
    ).encode()


def _truncated(_: Path) -> bytes:
    return b'<?xml version="1.0"?><ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count><data><Agent'


def _html(_: Path) -> bytes:
    return b"<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>"


@pytest.mark.parametrize("payload", [_xxe, _billion_laughs, _truncated, _html], ids=lambda f: f.__name__.strip("_"))
def test_unsafe_or_broken_xml_from_the_api_server_is_refused(payload: Callable[[Path], bytes], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_MARKER)
    body = payload(secret)
    client = _mocked(lambda request: httpx.Response(200, headers={"Content-Type": "application/xml"}, content=body))
    started = time.perf_counter()
    with pytest.raises(ResponseFormatError) as info:
        client.activation_keys.get(1)
    assert time.perf_counter() - started < 1.0  # refused, never expanded
    assert SECRET_MARKER not in str(info.value)
    assert SECRET_MARKER not in info.value.body_excerpt
    assert len(info.value.body_excerpt) <= 200


# ---------------------------------------------------------------------------------- slow drip, on a socket


def test_a_slow_drip_answer_ends_at_the_call_deadline(sim: Simulator) -> None:
    # 16 bytes every 50 ms: each read is quick, so only the call's total deadline can stop it.
    sim.inject("slow_drip", r"/technology/PolicyCompliance$", seconds=0.05)
    with (
        served(sim) as url,
        Qualys(username=USERNAME, password=PASSWORD, gateway_url=url, api_url=url, timeout=0.5) as client,
    ):
        client._core.random = lambda: 0.0
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="timed out"):
            client.oca.list_technologies()
        elapsed = time.monotonic() - started
        assert elapsed < 1.5
        # Without the fault, the same client reads the same answer.
        assert len(client.oca.list_technologies()) == 25
