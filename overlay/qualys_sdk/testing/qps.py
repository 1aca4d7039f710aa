"""HTTP layer of the QPS activation-key API (API server, HTTP Basic, XML ``ServiceRequest``/``ServiceResponse``).

QPS reports most errors with HTTP 200 and a ``responseCode``; wrong credentials are HTTP 401 with
``UNAUTHORIZED`` (tests/cassettes/agentactkey). Bodies are parsed with the SDK's safe parser (no DTDs or
entities) and validated against the agentactkey XSDs before a backend sees them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from lxml import etree
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from qualys_agentactkey import AgentActKey, ServiceRequest
from qualys_sdk import _xml
from qualys_sdk._errors import QualysError

from . import limits, validation
from .auth import basic
from .errors import SimError
from .keys_backend import INVALID, KeysBackend
from .limits import MAX_QUOTE, clip
from .responses import qps_response
from .state import World

PREFIX = "/qps/rest/1.0"
_UNAUTHORIZED = "You are not authorized to access the application through the API."


# create_key.htm: expireDate "is specified in UTC/GMT format, i.e. YYYY-MM-DD[THH:MM:SSZ]". The XSDs keep the
# published xs:dateTime (what the SDK sends); a date alone is read as midnight UTC of that day (UNCONFIRMED).
_DATE_ONLY = re.compile(rb"<expireDate>\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*</expireDate>")


# Elements of numeric, boolean and date types (the agentactkey XSDs). Their lexical spaces are ASCII ("[\-+]?[0-9]+"
# for xs:long), but Python's int() and xmlschema also take "٣" (Arabic-Indic 3): checked here, before either reads them.
_TYPED_ELEMENTS = frozenset({
    "id", "countPurchased", "countUsed", "datePurchased", "dateLastUsed", "expireDate", "networkId", "isDisabled",
    "applyOnAgents", "suspendSelfPatch", "ownerId", "count", "startFromOffset", "startFromId", "limitResults",
})  # fmt: skip
_PLAIN_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _check_ascii_values(body: bytes) -> None:
    """Refuse a number, flag or date written with other than ASCII characters (call after the safe parse)."""
    for element in etree.fromstring(body, parser=_PLAIN_PARSER).iter():
        if element.tag in _TYPED_ELEMENTS and element.text and not element.text.isascii():
            raise SimError(200, clip(f"Invalid value of {element.tag}: {element.text!r}", MAX_QUOTE), code=INVALID)


def _parse(body: bytes) -> ServiceRequest:
    if not body.strip():
        return ServiceRequest()
    body = _DATE_ONLY.sub(rb"<expireDate>\1T00:00:00Z</expireDate>", body)
    try:
        request = _xml.parse(body, ServiceRequest)
    except QualysError as exc:
        raise SimError(200, f"Invalid XML: {exc}", code=INVALID) from None
    _check_ascii_values(body)
    problems = validation.xml_errors(body)
    if problems:
        raise SimError(200, "The request does not match the agentactkey XSD: " + "; ".join(problems), code=INVALID)
    return request


def _one_key(request: ServiceRequest) -> AgentActKey:
    keys = request.data.agent_act_key if request.data is not None else []
    if len(keys) != 1:
        raise SimError(200, f"Expected one AgentActKey in data, got {len(keys)}", code=INVALID)
    return keys[0]


def _key_id(text: str | None, request: ServiceRequest | None = None) -> int:
    if not text and request is not None:
        found = _one_key(request).id
        if found is not None:
            return found
    if not text or not (text.isascii() and text.isdigit()):  # "٣".isdigit() is true, and int("٣") is 3
        raise SimError(200, clip(f"Invalid activation key id {text!r}", MAX_QUOTE), code=INVALID)
    return int(text)


def _run(keys: KeysBackend, action: str, key_id: str | None, request: ServiceRequest, base_url: str) -> Response:
    if action == "create":
        return qps_response(keys=[keys.create(_one_key(request))], base_url=base_url)
    if action == "update":
        return qps_response(keys=[keys.update(_key_id(key_id, request), _one_key(request))], base_url=base_url)
    if action == "get":
        return qps_response(keys=[keys.get(_key_id(key_id))], base_url=base_url)
    if action == "delete":
        return qps_response(keys=[keys.delete(_key_id(key_id))], base_url=base_url)
    criteria = request.filters.criteria if request.filters is not None else []
    page = keys.search(list(criteria), request.preferences)
    return qps_response(keys=page.keys, has_more=page.has_more, last_id=page.last_id, base_url=base_url)


def endpoint(world: World, action: str) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        base_url = f"{request.url.scheme}://{request.url.netloc}"
        credentials = basic(request.headers)
        subscription = world.login(*credentials) if credentials is not None else None
        if subscription is None:
            return qps_response("UNAUTHORIZED", status=401, message=_UNAUTHORIZED, base_url=base_url)
        key_id = request.path_params.get("key_id")
        if key_id is None and action in ("get", "delete"):
            return qps_response(INVALID, message="The activation key id is missing from the URL", base_url=base_url)
        try:
            parsed = _parse(await limits.read_body(request))
            with world.lock:
                return _run(subscription.keys, action, key_id, parsed, base_url)
        except SimError as exc:
            # QPS errors come with HTTP 200; a body too large for the simulator is refused at the HTTP level (413).
            return qps_response(exc.code or "OTHER_ERROR", status=exc.status, message=exc.message,
                                resolution=exc.resolution, base_url=base_url)  # fmt: skip
        except ClientDisconnect:
            return Response(status_code=400)

    return run


def routes(world: World) -> list[Route]:
    found = []
    for action in ("create", "update", "search", "get", "delete"):
        methods = ["GET", "POST"] if action == "get" else ["POST"]
        run = endpoint(world, action)
        base = f"{PREFIX}/{action}/ca/agentactkey"
        found += [Route(base, run, methods=methods), Route(f"{base}/", run, methods=methods)]
        if action in ("update", "get", "delete"):
            found.append(Route(base + "/{key_id}", run, methods=methods))
    return found
