"""QPS activation-key route handlers.

Each reads the XML ``ServiceRequest``, asks the subscription's :class:`~.models.KeysBackend` and answers with a
``ServiceResponse``.

QPS reports most errors with HTTP 200 and a ``responseCode``; wrong credentials are HTTP 401 with
``UNAUTHORIZED`` (tests/cassettes/agentactkey). Bodies are read by :mod:`.codec` (no DTDs or entities) and
validated against the agentactkey XSDs before a backend sees them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from lxml import etree
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from qualys_agentactkey import AgentActKey, AgentActKeyList, ServiceRequest, ServiceResponse

from .. import limits, validation
from ..auth import basic
from ..errors import SimError
from ..limits import MAX_QUOTE, clip
from ..state import World
from . import exceptions
from .codec import RefusedXml, parse_request, render_response
from .models import INVALID, KeysBackend

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
        if element.tag not in _TYPED_ELEMENTS:
            continue
        # Every text node, not only the first: a comment splits "1<!--x-->٣", which the binding reads as "1٣".
        text = "".join(element.xpath("text()"))
        if not text.isascii():
            raise SimError(200, clip(f"Invalid value of {element.tag}: {text!r}", MAX_QUOTE), code=INVALID)


def read_request(body: bytes) -> ServiceRequest:
    """The request body as a :class:`ServiceRequest` valid against the XSDs, or :class:`SimError` ``INVALID``."""
    if not body.strip():
        return ServiceRequest()
    body = _DATE_ONLY.sub(rb"<expireDate>\1T00:00:00Z</expireDate>", body)
    try:
        request = parse_request(body)
    except RefusedXml as exc:
        raise SimError(200, f"Invalid XML: {exc}", code=INVALID) from None
    _check_ascii_values(body)
    problems = validation.xml_errors(body)
    if problems:
        raise SimError(200, "The request does not match the agentactkey XSD: " + "; ".join(problems), code=INVALID)
    return request


def _answer(
    keys: list[AgentActKey], base_url: str, *, has_more: bool | None = None, last_id: int | None = None
) -> Response:
    body = ServiceResponse(
        response_code="SUCCESS", count=len(keys), has_more_records=has_more, last_id=last_id,
        data=AgentActKeyList(agent_act_key=keys),
    )  # fmt: skip
    return Response(render_response(body, base_url), media_type="application/xml")


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


def create(keys: KeysBackend, key_id: str | None, request: ServiceRequest, base_url: str) -> Response:
    """``POST /qps/rest/1.0/create/ca/agentactkey/``."""
    return _answer([keys.create(_one_key(request))], base_url)


def update(keys: KeysBackend, key_id: str | None, request: ServiceRequest, base_url: str) -> Response:
    """``POST /qps/rest/1.0/update/ca/agentactkey/[<id>]`` (the id in the path or the body)."""
    return _answer([keys.update(_key_id(key_id, request), _one_key(request))], base_url)


def get(keys: KeysBackend, key_id: str | None, request: ServiceRequest, base_url: str) -> Response:
    """``GET`` or ``POST /qps/rest/1.0/get/ca/agentactkey/<id>``."""
    return _answer([keys.get(_key_id(key_id))], base_url)


def delete(keys: KeysBackend, key_id: str | None, request: ServiceRequest, base_url: str) -> Response:
    """``POST /qps/rest/1.0/delete/ca/agentactkey/<id>``."""
    return _answer([keys.delete(_key_id(key_id))], base_url)


def search(keys: KeysBackend, key_id: str | None, request: ServiceRequest, base_url: str) -> Response:
    """``POST /qps/rest/1.0/search/ca/agentactkey/``."""
    criteria = request.filters.criteria if request.filters is not None else []
    page = keys.search(list(criteria), request.preferences)
    return _answer(page.keys, base_url, has_more=page.has_more, last_id=page.last_id)


Handler = Callable[[KeysBackend, str | None, ServiceRequest, str], Response]


def endpoint(world: World, handler: Handler, *, needs_id: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """The route of ``handler``: HTTP Basic credentials, the XML body read and checked, errors answered.

    A :class:`SimError` is answered in a ``ServiceResponse``. ``needs_id``: the call is refused without an id in
    the path.
    """

    async def run(request: Request) -> Response:
        base_url = f"{request.url.scheme}://{request.url.netloc}"
        credentials = basic(request.headers)
        subscription = world.login(*credentials) if credentials is not None else None
        if subscription is None:
            return exceptions.error("UNAUTHORIZED", exceptions.UNAUTHORIZED_MESSAGE, status=401, base_url=base_url)
        key_id = request.path_params.get("key_id")
        if key_id is None and needs_id:
            return exceptions.error(INVALID, "The activation key id is missing from the URL", base_url=base_url)
        try:
            parsed = read_request(await limits.read_body(request))
            with world.lock:
                return handler(subscription.keys, key_id, parsed, base_url)
        except SimError as exc:
            # QPS errors come with HTTP 200; a body too large for the simulator is refused at the HTTP level (413).
            return exceptions.error(exc.code or "OTHER_ERROR", exc.message, status=exc.status,
                                    resolution=exc.resolution, base_url=base_url)  # fmt: skip
        except ClientDisconnect:
            return Response(status_code=400)

    return run
