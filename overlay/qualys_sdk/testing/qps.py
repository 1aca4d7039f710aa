"""HTTP layer of the QPS activation-key API (API server, HTTP Basic, XML ``ServiceRequest``/``ServiceResponse``).

QPS reports most errors with HTTP 200 and a ``responseCode``; wrong credentials are HTTP 401 with
``UNAUTHORIZED`` (tests/cassettes/agentactkey). Bodies are parsed with the SDK's safe parser (no DTDs or
entities) and validated against the agentactkey XSDs before a backend sees them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from qualys_agentactkey import AgentActKey, ServiceRequest
from qualys_sdk import _xml
from qualys_sdk._errors import QualysError

from . import validation
from .auth import basic
from .errors import SimError
from .keys_backend import INVALID, KeysBackend
from .responses import qps_response
from .state import World

PREFIX = "/qps/rest/1.0"
_UNAUTHORIZED = "You are not authorized to access the application through the API."


def _parse(body: bytes) -> ServiceRequest:
    if not body.strip():
        return ServiceRequest()
    try:
        request = _xml.parse(body, ServiceRequest)
    except QualysError as exc:
        raise SimError(200, f"Invalid XML: {exc}", code=INVALID) from None
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
    if not text or not text.isdigit():
        raise SimError(200, f"Invalid activation key id {text!r}", code=INVALID)
    return int(text)


def _run(keys: KeysBackend, action: str, key_id: str | None, request: ServiceRequest) -> Response:
    if action == "create":
        return qps_response(keys=[keys.create(_one_key(request))])
    if action == "update":
        return qps_response(keys=[keys.update(_key_id(key_id, request), _one_key(request))])
    if action == "get":
        return qps_response(keys=[keys.get(_key_id(key_id))])
    if action == "delete":
        return qps_response(keys=[keys.delete(_key_id(key_id))])
    criteria = request.filters.criteria if request.filters is not None else []
    page = keys.search(list(criteria), request.preferences)
    return qps_response(keys=page.keys, has_more=page.has_more, last_id=page.last_id)


def endpoint(world: World, action: str) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        credentials = basic(request.headers)
        subscription = world.login(*credentials) if credentials is not None else None
        if subscription is None:
            return qps_response("UNAUTHORIZED", status=401, message=_UNAUTHORIZED)
        key_id = request.path_params.get("key_id")
        if key_id is None and action in ("get", "delete"):
            return qps_response(INVALID, message="The activation key id is missing from the URL")
        try:
            parsed = _parse(await request.body())
            with world.lock:
                return _run(subscription.keys, action, key_id, parsed)
        except SimError as exc:
            return qps_response(exc.code or "OTHER_ERROR", status=exc.status, message=exc.message,
                                resolution=exc.resolution)  # fmt: skip

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
