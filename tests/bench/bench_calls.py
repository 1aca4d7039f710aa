"""Per-call overhead: an SDK call against an in-process transport versus the same exchange done by hand.

Both sides use ``httpx.MockTransport`` with the same handler, so the difference is what the SDK adds per call:
its transport wrapper (deadline, limiter, retries), auth, the generated client or the QPS request building,
and typed parsing. The hand-made side does the least a careful caller would: one httpx request and
``json.loads``, or one httpx request, ``lxml.etree.fromstring`` and a walk to dicts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed

from qualys_sdk import Qualys
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
TARGET_RATIO = 1.15


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


def candidates(*, limits: bool = True) -> dict[str, dict[str, Callable[[], object]]]:
    qualys = sdk_client(limits=limits)
    raw = httpx.Client(transport=httpx.MockTransport(make_handler(limits=limits)))
    bearer = {"Authorization": f"Bearer {TOKEN}", "assetFlowType": "DEFAULT", "Accept": "application/json"}
    basic = httpx.BasicAuth("bench", "bench-password")
    qps = {"X-Requested-With": "bench", "Accept": "application/xml"}

    def raw_status() -> object:
        response = raw.get(f"{GATEWAY}/ocaapi/v2.0/asset/{UUID}/status", headers=bearer)
        return json.loads(response.content)["data"]["status"]

    def raw_key() -> Any:
        response = raw.get(f"{API}/qps/rest/1.0/get/ca/agentactkey/{KEY_ID}", headers=qps, auth=basic)
        return to_dicts(etree.fromstring(response.content))["data"][0]["AgentActKey"][0]

    assert qualys.oca.get_status(UUID) == raw_status() == "Provision Confirmed"
    assert qualys.activation_keys.get(KEY_ID).id == int(raw_key()["id"][0])
    return {
        "oca.get_status": {"sdk": lambda: qualys.oca.get_status(UUID), "raw": raw_status},
        "activation_keys.get": {"sdk": lambda: qualys.activation_keys.get(KEY_ID), "raw": raw_key},
    }


def run(repeats: int) -> list[Figure]:
    figures = []
    for limits, answers in ((True, "answers with rate-limit headers"), (False, "bare answers")):
        for name, runs in candidates(limits=limits).items():
            times = interleaved_medians(runs, repeats=repeats, inner=200, warmup=1)
            figures.append(
                Figure(
                    name=f"per-call overhead: {name}, {answers}, SDK / raw httpx",
                    value=round(times["sdk"] / times["raw"], 3),
                    unit="x",
                    target=TARGET_RATIO,
                    detail={"sdk_us": round(times["sdk"] * 1e6, 1), "raw_us": round(times["raw"] * 1e6, 1)},
                )
            )
    return figures
