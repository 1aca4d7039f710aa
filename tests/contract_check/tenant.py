"""A fake Qualys tenant in process (an httpx MockTransport): answers every call of the contract check's plan as
the specs document it, records what it was sent, and lets a test replace any answer by a mutated one."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx

from qualys_sdk import Qualys
from qualys_sdk.contract.capture import RawExchange
from qualys_sdk.contract.plan import Operation, Plan, build_plan
from qualys_sdk.contract.report import Report
from qualys_sdk.contract.runner import run_check

GATEWAY = "https://gateway.qg2.apps.qualys.com"
API = "https://qualysapi.qg2.apps.qualys.com"
USERNAME = "contract_check_user"
PASSWORD = "Contract-Check-Pass-42"
ACTIVATION_KEY = "3fcd9610-7fa0-4242-b2b7-2d4b24484d3c"
ASSET_UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
RATE_LIMITS = {"X-RateLimit-Limit": "300", "X-RateLimit-Window-Sec": "3600", "X-RateLimit-Remaining": "299"}
TECHNOLOGIES = ["Comware 7", "Fabric 7", "IBM z/OS Security Server RACF 2", "ArubaOS 6"]


def jwt() -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS512'})}.{part({'sub': USERNAME, 'exp': 2_000_000_000})}.c2lnbmF0dXJl"


TOKEN = jwt()


def ok_json(body: Any, headers: dict[str, str] | None = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers or {})


def key_xml(*, key_id: int = 3714801, activation_key: str = ACTIVATION_KEY, status: str = "ACTIVE",
            extra: str = "") -> str:  # fmt: skip
    return (f"<AgentActKey><id>{key_id}</id><activationKey>{activation_key}</activationKey>"
            f"<status>{status}</status><type>UNLIMITED</type><title>Owner</title><isDisabled>false</isDisabled>"
            f"{extra}</AgentActKey>")  # fmt: skip


def qps(data: str, *, code: str = "SUCCESS", head: str = "") -> httpx.Response:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ServiceResponse><responseCode>{code}</responseCode>{head}'
            f"<data>{data}</data></ServiceResponse>")  # fmt: skip
    return httpx.Response(200, content=body.encode(), headers={"Content-Type": "application/xml"})


Answer = Callable[[httpx.Request], httpx.Response]


class FakeTenant:
    """Answers by operation id; ``answers[operation_id]`` may be replaced to send a mutated answer."""

    def __init__(self, *, assets: list[str] | None = None, keys: int = 2) -> None:
        uuids = [ASSET_UUID] if assets is None else assets
        items = [{"technology": v.split(" ")[0], "technologyVersion": v, "createdAt": "2019-01-21T07:06:07.000+0000",
                  "updatedAt": "2020-06-30T11:15:13.000+0000"} for v in TECHNOLOGIES]  # fmt: skip
        statuses = [{"assetUUID": u, "status": "Provision Confirmed"} for u in uuids]
        self.sent: list[httpx.Request] = []
        self.answers: dict[str, Answer] = {
            "fetchToken": lambda r: httpx.Response(201, text=TOKEN, headers={"Content-Type": "text/plain"}),
            "listTechnologies": lambda r: ok_json({"code": 200, "data": {"items": items}}, RATE_LIMITS),
            "listTechnologyCommands": lambda r: ok_json({"code": 200, "data": {"items": ["show running-config"]}}),
            "getSubscriptionAssetStatus": lambda r: ok_json({"code": 200, "data": {"items": statuses}}),
            "getAssetStatus": lambda r: ok_json({"code": 200, "data": {"status": "Provision Confirmed"}}),
            "listAssetCommands": lambda r: ok_json({"code": 200, "data": {"items": ["show running-config"]}}),
            "searchActivationKeys": lambda r: qps(
                "".join(key_xml(key_id=3714801 + i) for i in range(keys)),
                head=f"<count>{keys}</count><hasMoreRecords>false</hasMoreRecords>",
            ),
            "getActivationKey": lambda r: qps(key_xml(), head="<count>1</count>"),
        }

    @staticmethod
    def operation(request: httpx.Request) -> str:
        path = request.url.path
        if path == "/auth":
            return "fetchToken"
        if path == "/ocaapi/v2.0/technology/PolicyCompliance":
            return "listTechnologies"
        if path.startswith("/ocaapi/v2.0/technology/"):
            return "listTechnologyCommands"
        if path.startswith("/ocaapi/v2.0/assets/status/subscription/"):
            return "getSubscriptionAssetStatus"
        if path.endswith("/status"):
            return "getAssetStatus"
        if path.startswith("/ocaapi/v2.0/asset/"):
            return "listAssetCommands"
        if path.startswith("/qps/rest/1.0/search/"):
            return "searchActivationKeys"
        if path.startswith("/qps/rest/1.0/get/"):
            return "getActivationKey"
        raise AssertionError(f"the fake tenant has no answer for {request.method} {path}")

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append(request)
        return self.answers[self.operation(request)](request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def connect(self, http: httpx.Client) -> Qualys:
        client = Qualys(username=USERNAME, password=PASSWORD, gateway_url=GATEWAY, api_url=API, http_client=http,
                        max_retries=0)  # fmt: skip
        client._core.random = lambda: 0.0  # no jitter: retries, if any, never really sleep
        return client

    def check(self, plan: Plan | None = None, *, max_calls: int = 30, strict: bool = False) -> Report:
        return run_check(plan or build_plan(), self.connect, max_calls=max_calls, strict=strict,
                         transport=self.transport())  # fmt: skip


def raw(operation: Operation, body: Any, *, status: int = 200, headers: dict[str, str] | None = None,
        path: str | None = None) -> RawExchange:  # fmt: skip
    """An exchange as the runner captures it: ``body`` as JSON unless it is bytes or text already; JSON answers
    get ``application/json`` unless ``headers`` name a Content-Type."""
    content = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    given = {k.lower() for k in headers or {}}
    default = {} if "content-type" in given or isinstance(body, bytes | str) else {"Content-Type": "application/json"}
    url = (API if operation.host == "api" else GATEWAY) + (path or operation.path)
    return RawExchange(operation, operation.method, url, (("Authorization", f"Bearer {TOKEN}"),), b"", status, "",
                       tuple({**default, **(headers or {})}.items()), content)  # fmt: skip


__all__ = ["FakeTenant", "raw"]
