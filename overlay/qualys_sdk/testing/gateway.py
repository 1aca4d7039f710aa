"""The HTTP layer the gateway's APIs share (OCA v2, CSAM v2), and the gateway's own ``/auth``.

Every OCA and CSAM route goes through :func:`endpoint`, which authenticates, validates parameters and body against
the operation in ``oca.yaml`` / ``csam.yaml``, calls the API's handler and turns :class:`SimError` into the API's
error body. The routes themselves are in each API's ``urls`` module.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from . import limits, validation
from .answers import json_response
from .auth import TokenProblem, Tokens, bearer
from .errors import SimError
from .oca.exceptions import error as oca_error
from .state import Subscription, World

Files = dict[str, tuple[str, bytes]]
#: Reads a multipart body its own way (as a stream), in place of starlette's form parser.
FormReader = Callable[[Request], Awaitable[tuple[Any, Files]]]
ErrorAnswer = Callable[[int, str], Response]


@dataclass
class Call:
    """A validated request: the subscription, path parameters and the decoded body."""

    subscription: Subscription
    params: dict[str, str]
    body: Any
    files: Files


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Api:
    """What differs between the gateway's APIs: the spec requests are checked against, and the error bodies."""

    spec: str
    #: What the API itself refuses with (a bad request, an unknown asset...).
    error: ErrorAnswer
    #: What a missing, foreign or expired token gets.
    unauthorized: ErrorAnswer


def media_type(headers: Any) -> str:
    """The request's media type.

    Every ``Content-Type`` field counts: the OCA guide's curl samples send ``application/json`` and
    ``text/plain`` together on provision and bulk revoke, and the service takes the body as JSON (the first
    field, as a servlet container reads it); a proxy may join them into one field.
    """
    values = headers.getlist("content-type") if hasattr(headers, "getlist") else [headers.get("content-type", "")]
    media = [v.split(";")[0].strip().lower() for value in values for v in value.split(",") if v.strip()]
    return media[0] if media else ""


async def _decode(request: Request, op: validation.Operation, read_form: FormReader | None = None) -> tuple[Any, Files]:
    media = media_type(request.headers)
    if read_form is not None and media == "multipart/form-data":
        return await read_form(request)
    raw = await limits.read_body(request)
    if not raw:
        if op.body_required:
            raise SimError(400, "request body is required")
        return None, {}
    if media == "application/json":
        return limits.parse_json(raw), {}
    if media in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            form = await limits.replayed(request, raw).form()
        except Exception as exc:  # starlette raises several types for a broken form
            raise SimError(400, limits.clip(f"malformed form body: {exc}")) from None
        fields: dict[str, Any] = {}
        files: Files = {}
        try:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[name] = (value.filename or "", await value.read())
                    fields[name] = value.filename or ""
                else:
                    files[name] = ("", value.encode("utf-8", "surrogateescape"))
                    fields[name] = value
        finally:
            await form.close()
        return fields, files
    raise SimError(400, limits.clip(f"unsupported content type {media or '(none)'}", limits.MAX_QUOTE))


def endpoint(
    world: World,
    tokens: Tokens,
    api: Api,
    operation_id: str,
    handler: Handler,
    *,
    read_form: FormReader | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """The route of ``handler``: the JWT checked, parameters and body validated against the spec, errors answered."""

    async def run(request: Request) -> Response:
        op = validation.operation(api.spec, operation_id)
        token = bearer(request.headers)
        if token is None:
            return api.unauthorized(401, "Unauthorized user")
        found = tokens.verify(token)
        if isinstance(found, TokenProblem):
            return api.unauthorized(401, "JWT expired" if found.reason == "expired" else "Unauthorized user")
        params = dict(request.path_params)
        media = media_type(request.headers)
        try:
            problems = validation.check_parameters(op, params, dict(request.query_params), dict(request.headers))
            body, files = await _decode(request, op, read_form) if op.bodies else (None, {})
        except SimError as exc:
            return api.error(exc.status, exc.message)
        except ClientDisconnect:
            return Response(status_code=400)  # nobody is left to read it

        def work() -> Response:
            if op.bodies and (body is not None or op.body_required):
                problems.extend(validation.check_body(op, media, body))
            if problems:
                raise SimError(400, "Invalid request: " + "; ".join(problems[:5]))
            with world.lock:
                result = handler(Call(found, params, body, files))
            return json_response(result)  # a thousand results take a while to serialise, too

        try:
            # A body (a bulk call's thousand assets) takes a while to validate and apply: that runs in a worker
            # thread, so that the event loop keeps taking in other calls and counts each against the rate limit
            # when it arrives, as the real service does, rather than when this one is done.
            return await asyncio.to_thread(work) if body is not None else work()
        except SimError as exc:
            return api.error(exc.status, exc.message)

    return run


async def fetch_token(world: World, tokens: Tokens, request: Request) -> Response:
    """``POST /auth``: a JWT for a form's ``username`` and ``password``.

    Refusals come in the OCA envelope, as the OCA guide, which documents this call, shows them.
    """
    op = validation.operation("oca.yaml", "fetchToken")
    try:
        raw = await limits.read_body(request, limits.MAX_AUTH_BODY)
        try:
            raw.decode("utf-8")  # starlette would read other bytes as Latin-1 and log a user in under that name
        except UnicodeDecodeError:
            raise SimError(400, "the request body is not UTF-8 text") from None
        body, _ = await _decode(limits.replayed(request, raw), op)
        problems = validation.check_body(op, media_type(request.headers), body)
        if problems:
            raise SimError(400, "Invalid request: " + "; ".join(problems[:5]))
    except SimError as exc:
        return oca_error(exc.status, exc.message)
    except ClientDisconnect:
        return Response(status_code=400)
    if world.login(str(body["username"]), str(body["password"])) is None:
        return oca_error(401, "Unauthorized user")
    return Response(tokens.issue(str(body["username"])), status_code=201, media_type="text/plain")


def routes(world: World, tokens: Tokens) -> list[Route]:
    """``POST /auth``, shared by OCA and CSAM."""

    async def auth(request: Request) -> Response:
        return await fetch_token(world, tokens, request)

    return [Route("/auth", auth, methods=["POST"])]
