"""Per-call overhead: an SDK call against an in-process transport versus the same exchange done by hand.

Both sides use ``httpx.MockTransport`` with the same handler, so the difference is what the SDK adds per call:
its transport wrapper (deadline, limiter, retries), auth, the generated client or the QPS request building,
and typed parsing. The hand-made side does the least a careful caller would: one httpx request and
``json.loads``, or one httpx request, ``lxml.etree.fromstring`` and a walk to dicts.

Each call is measured with :class:`Qualys` against ``httpx.Client`` and with :class:`AsyncQualys` against
``httpx.AsyncClient``. An async timed batch is many awaits in a row inside one event loop (one
``asyncio.Runner`` for the whole measurement), so the loop's start and stop are not part of a call.

The anchor is another SDK built on httpx, measured the same way: ``openai``'s ``models.retrieve`` against
the same request and ``json.loads`` by hand. It has no target: it says what "SDK / raw httpx" looks like for
a widely used SDK. ``tox -e bench`` pins openai; elsewhere the figure is skipped when openai is missing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed

from qualys_sdk import AsyncQualys, Qualys
from tests.bench.common import Figure, interleaved_medians

GATEWAY = "https://gateway.bench.example"
API = "https://api.bench.example"
UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
KEY_ID = 3714801
TOKEN = "bench-token"
STATUS = b'{\n  "code": 200,\n  "data": {\n    "status": "Provision Confirmed"\n  }\n}\n'
KEY = b"""<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://qualysapi.qualys.com/portal-api/xsd/1.0/ca/agentactkey.xsd">
  <responseCode>SUCCESS</responseCode>
  <count>1</count>
  <data>
    <AgentActKey>
      <id>3714801</id>
      <activationKey>3fcd9610-7fa0-4242-b2b7-2d4b24484d3c</activationKey>
      <status>ACTIVE</status>
      <countPurchased>0</countPurchased>
      <countUsed>0</countUsed>
      <datePurchased>2021-05-19T10:57:48Z</datePurchased>
      <type>UNLIMITED</type>
      <title>Owner</title>
      <networkId>0</networkId>
      <isDisabled>false</isDisabled>
      <applyOnAgents>false</applyOnAgents>
      <modules>
        <list>
          <ActivationKeyModule>
            <license>PC_LICENSE</license>
          </ActivationKeyModule>
        </list>
      </modules>
      <suspendSelfPatch>false</suspendSelfPatch>
      <ownerId>381715587</ownerId>
    </AgentActKey>
  </data>
</ServiceResponse>
"""
# What real answers carry besides the body: the gateway's rate-limit headers (the OCA rate-limit page's sample,
# with limits no benchmark run reaches), and the API server's rate and concurrency headers. The SDK reads them
# on every answer; the hand-made client ignores them. Each call is measured with them and without.
GATEWAY_LIMITS = {"X-RateLimit-Limit": "1000000", "X-RateLimit-Window-Sec": "3600", "X-RateLimit-Remaining": "999999"}
API_LIMITS = {**GATEWAY_LIMITS, "X-Concurrency-Limit-Limit": "2", "X-Concurrency-Limit-Running": "1"}
TARGET_RATIO = 1.5
# Calls per timed run: the sync side loops ``inner`` times, the async side awaits this many in one batch.
CALLS_PER_RUN = 200
# What the hand-made client sends: the JWT for the gateway, Basic auth for the QPS API.
BEARER = {"Authorization": f"Bearer {TOKEN}", "assetFlowType": "DEFAULT", "Accept": "application/json"}
BASIC = httpx.BasicAuth("bench", "bench-password")
QPS = {"X-Requested-With": "bench", "Accept": "application/xml"}
STATUS_URL = f"{GATEWAY}/ocaapi/v2.0/asset/{UUID}/status"
KEY_URL = f"{API}/qps/rest/1.0/get/ca/agentactkey/{KEY_ID}"
# The anchor: an OpenAI-style model object, as GET /v1/models/{model} answers it.
ANCHOR_URL = "https://anchor.bench.example/v1"
ANCHOR_KEY = "k"
MODEL_ID = "gpt-x"
MODEL = b'{"id": "gpt-x", "object": "model", "created": 1686935002, "owned_by": "bench"}'
ANCHOR_NAME = "anchor: openai models.retrieve, openai / raw httpx"

Runs = dict[str, dict[str, Callable[[], object]]]


def make_handler(*, limits: bool) -> Callable[[httpx.Request], httpx.Response]:
    """The server side, shared by the SDK and the hand-made client: /auth, asset status, activation key."""
    json_headers = {"Content-Type": "application/json", **(GATEWAY_LIMITS if limits else {})}
    xml_headers = {"Content-Type": "application/xml", **(API_LIMITS if limits else {})}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/auth":
            return httpx.Response(200, text=TOKEN)
        if path.startswith("/qps/"):
            return httpx.Response(200, content=KEY, headers=xml_headers)
        return httpx.Response(200, content=STATUS, headers=json_headers)

    return handler


def to_dicts(element: Any) -> Any:
    """An element as nested dicts of lists, leaves as their text: what a hand-written client would do."""
    if not len(element):
        return element.text
    out: dict[str, list[Any]] = {}
    for child in element:
        out.setdefault(child.tag, []).append(to_dicts(child))
    return out


def sdk_client(*, limits: bool = True) -> Qualys:
    http = httpx.Client(transport=httpx.MockTransport(make_handler(limits=limits)))
    return Qualys(username="bench", password="bench-password", gateway_url=GATEWAY, api_url=API, http_client=http)


def async_sdk_client(*, limits: bool = True) -> AsyncQualys:
    http = httpx.AsyncClient(transport=httpx.MockTransport(make_handler(limits=limits)))
    return AsyncQualys(username="bench", password="bench-password", gateway_url=GATEWAY, api_url=API, http_client=http)


def read_status(response: httpx.Response) -> Any:
    return json.loads(response.content)["data"]["status"]


def read_key(response: httpx.Response) -> Any:
    return to_dicts(etree.fromstring(response.content))["data"][0]["AgentActKey"][0]


def candidates(*, limits: bool = True) -> Runs:
    qualys = sdk_client(limits=limits)
    raw = httpx.Client(transport=httpx.MockTransport(make_handler(limits=limits)))

    def raw_status() -> Any:
        return read_status(raw.get(STATUS_URL, headers=BEARER))

    def raw_key() -> Any:
        return read_key(raw.get(KEY_URL, headers=QPS, auth=BASIC))

    assert qualys.oca.get_status(UUID) == raw_status() == "Provision Confirmed"
    assert qualys.activation_keys.get(KEY_ID).id == int(raw_key()["id"][0])
    return {
        "oca.get_status": {"sdk": lambda: qualys.oca.get_status(UUID), "raw": raw_status},
        "activation_keys.get": {"sdk": lambda: qualys.activation_keys.get(KEY_ID), "raw": raw_key},
    }


def batch(runner: asyncio.Runner, call: Callable[[], Awaitable[object]]) -> Callable[[], object]:
    """One timed run of an async call: ``CALLS_PER_RUN`` awaits in a row, in the runner's one event loop."""

    async def calls() -> None:
        for _ in range(CALLS_PER_RUN):
            await call()

    return lambda: runner.run(calls())


def async_candidates(runner: asyncio.Runner, *, limits: bool = True) -> Runs:
    """The async calls as batches: each candidate, called once, makes ``CALLS_PER_RUN`` calls."""
    qualys = async_sdk_client(limits=limits)
    raw = httpx.AsyncClient(transport=httpx.MockTransport(make_handler(limits=limits)))

    async def raw_status() -> Any:
        return read_status(await raw.get(STATUS_URL, headers=BEARER))

    async def raw_key() -> Any:
        return read_key(await raw.get(KEY_URL, headers=QPS, auth=BASIC))

    async def check() -> None:
        assert await qualys.oca.get_status(UUID) == await raw_status() == "Provision Confirmed"
        assert (await qualys.activation_keys.get(KEY_ID)).id == int((await raw_key())["id"][0])

    runner.run(check())
    return {
        "oca.get_status": {
            "sdk": batch(runner, lambda: qualys.oca.get_status(UUID)),
            "raw": batch(runner, raw_status),
        },
        "activation_keys.get": {
            "sdk": batch(runner, lambda: qualys.activation_keys.get(KEY_ID)),
            "raw": batch(runner, raw_key),
        },
    }


def overhead(name: str, times: dict[str, float], *, target: float | None = TARGET_RATIO, note: str = "") -> Figure:
    """The figure for one call: seconds per call of the SDK over those of the hand-made client."""
    return Figure(
        name=name,
        value=round(times["sdk"] / times["raw"], 3),
        unit="x",
        target=target,
        detail={"sdk_us": round(times["sdk"] * 1e6, 1), "raw_us": round(times["raw"] * 1e6, 1)},
        note=note,
    )


def anchor_handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=MODEL, headers={"Content-Type": "application/json"})


def anchor(repeats: int) -> Figure:
    """openai's ``models.retrieve`` against the same GET and ``json.loads`` by hand, on one MockTransport."""
    try:
        import openai  # type: ignore[import-not-found, unused-ignore]  # pinned in tox -e bench only
    except ImportError:
        return Figure(name=ANCHOR_NAME, value=None, unit="x", note="skipped: openai is not installed (tox -e bench)")
    transport = httpx.MockTransport(anchor_handler)
    try:
        client = openai.OpenAI(
            api_key=ANCHOR_KEY, base_url=ANCHOR_URL, http_client=httpx.Client(transport=transport), max_retries=0
        )
    except TypeError as exc:  # openai 3 is built on httpx2 and refuses an httpx.Client
        return Figure(name=ANCHOR_NAME, value=None, unit="x", note=f"skipped: openai {openai.__version__}: {exc}")
    raw = httpx.Client(transport=transport)
    headers = {"Authorization": f"Bearer {ANCHOR_KEY}", "Accept": "application/json"}

    def raw_model() -> Any:
        return json.loads(raw.get(f"{ANCHOR_URL}/models/{MODEL_ID}", headers=headers).content)

    assert client.models.retrieve(MODEL_ID).id == raw_model()["id"] == MODEL_ID
    times = interleaved_medians(
        {"sdk": lambda: client.models.retrieve(MODEL_ID), "raw": raw_model},
        repeats=repeats,
        inner=CALLS_PER_RUN,
        warmup=1,
    )
    note = f"openai {openai.__version__}; a reference point, not a target: another SDK on httpx, measured alike"
    return overhead(ANCHOR_NAME, times, target=None, note=note)


def run(repeats: int) -> list[Figure]:
    figures = []
    for limits, answers in ((True, "answers with rate-limit headers"), (False, "bare answers")):
        for name, runs in candidates(limits=limits).items():
            times = interleaved_medians(runs, repeats=repeats, inner=CALLS_PER_RUN, warmup=1)
            figures.append(overhead(f"per-call overhead: {name}, sync, {answers}, SDK / raw httpx", times))
        with asyncio.Runner() as runner:
            for name, runs in async_candidates(runner, limits=limits).items():
                batches = interleaved_medians(runs, repeats=repeats, inner=1, warmup=1)
                times = {side: seconds / CALLS_PER_RUN for side, seconds in batches.items()}
                figures.append(overhead(f"per-call overhead: {name}, async, {answers}, SDK / raw httpx", times))
    figures.append(anchor(repeats))
    return figures
