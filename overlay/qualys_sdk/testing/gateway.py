"""HTTP layer of the gateway APIs (``/auth``, OCA v2, CSAM v2): parse, validate against the spec, call a backend.

Every route goes through :func:`endpoint`, which authenticates, validates parameters and body against the
operation in ``oca.yaml`` / ``csam.yaml``, and turns :class:`SimError` into the API's error body.
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

from . import limits, uploads, validation
from .auth import TokenProblem, Tokens, bearer
from .errors import SimError
from .oca_backend import MAX_BULK_ROWS, check_bulk_filename
from .responses import csam_error, gateway_error, json_response, oca_error
from .state import Subscription, World

Files = dict[str, tuple[str, bytes]]


@dataclass
class Call:
    """A validated request: the subscription, path parameters and the decoded body."""

    subscription: Subscription
    params: dict[str, str]
    body: Any
    files: Files


Handler = Callable[[Call], Any]


def media_type(headers: Any) -> str:
    """The request's media type. Every ``Content-Type`` field counts: the OCA guide's curl samples send
    ``application/json`` and ``text/plain`` together on provision and bulk revoke, and the service takes the
    body as JSON (the first field, as a servlet container reads it); a proxy may join them into one field."""
    values = headers.getlist("content-type") if hasattr(headers, "getlist") else [headers.get("content-type", "")]
    media = [v.split(";")[0].strip().lower() for value in values for v in value.split(",") if v.strip()]
    return media[0] if media else ""


async def _decode(
    request: Request, op: validation.Operation, read: Callable[[], Awaitable[tuple[Any, Files]]] | None = None
) -> tuple[Any, Files]:
    media = media_type(request.headers)
    if read is not None and media == "multipart/form-data":
        return await read()
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
    world: World, tokens: Tokens, spec: str, operation_id: str, handler: Handler
) -> Callable[[Request], Awaitable[Response]]:
    error = csam_error if spec == "csam.yaml" else oca_error
    unauthorized = gateway_error if spec == "csam.yaml" else oca_error

    async def run(request: Request) -> Response:
        op = validation.operation(spec, operation_id)
        token = bearer(request.headers)
        if token is None:
            return unauthorized(401, "Unauthorized user")
        found = tokens.verify(token)
        if isinstance(found, TokenProblem):
            return unauthorized(401, "JWT expired" if found.reason == "expired" else "Unauthorized user")
        params = dict(request.path_params)
        media = media_type(request.headers)
        read = None
        if operation_id == "provisionAssetsBulk":
            # Streamed: refused at the 1001st row (or at a wrong file extension) without reading the rest.
            def read() -> Awaitable[tuple[Any, Files]]:
                return uploads.read_bulk_upload(
                    request, file_field="data", max_rows=MAX_BULK_ROWS, check_filename=check_bulk_filename
                )

        try:
            problems = validation.check_parameters(op, params, dict(request.query_params), dict(request.headers))
            body, files = await _decode(request, op, read) if op.bodies else (None, {})
        except SimError as exc:
            return error(exc.status, exc.message)
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
            return error(exc.status, exc.message)

    return run


async def fetch_token(world: World, tokens: Tokens, request: Request) -> Response:
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


def _ok(data: Any = None, message: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": 200}
    if data is not None:
        body["data"] = data
    if message is not None:
        body["message"] = message
    return body


def _provision(call: Call) -> dict[str, Any]:
    asset_uuid, new = call.subscription.oca.provision(call.body)
    what = "Provisioning" if new else "Reprovisioning"
    return _ok({"assetUUID": asset_uuid}, f"Request for Asset {what} sent Successfully.")


def _delete(call: Call) -> dict[str, Any]:
    call.subscription.oca.delete(call.params["asset_uuid"])
    return _ok({"assetUUID": call.params["asset_uuid"]}, "Asset(s) Revoked Successfully.")


def _upload(call: Call) -> dict[str, Any]:
    outputs = {name: data for name, (_, data) in call.files.items()}
    call.subscription.oca.upload_output(call.params["asset_uuid"], outputs)
    return _ok(message="Command Output Uploaded Successfully.")


def _upload_bulk(call: Call) -> dict[str, Any]:
    filename, data = call.files["data"]
    call.subscription.oca.upload_bulk_output(call.params["asset_uuid"], filename, data)
    return _ok(message="Command Bulk Output Uploaded Successfully.")


def _provision_bulk(call: Call) -> dict[str, Any]:
    filename, data = call.files["data"]
    return _ok({"items": call.subscription.oca.provision_bulk(filename, data)})


def _revoke(call: Call) -> dict[str, Any]:
    done, failed = call.subscription.oca.revoke([str(u) for u in call.body["assetList"]])
    return _ok({"items": {"successfulRevoke": done, "failedRevoke": failed}})


def _status(call: Call) -> dict[str, Any]:
    oca = call.subscription.oca
    return _ok({"status": oca.status(oca.asset(call.params["asset_uuid"]))})


_OCA: list[tuple[str, str, str, Handler]] = [
    ("GET", "/ocaapi/v2.0/technology/PolicyCompliance", "listTechnologies",
     lambda c: _ok({"items": [t.as_dict() for t in c.subscription.oca.technologies]})),
    ("POST", "/ocaapi/v2.0/asset", "provisionAsset", _provision),
    ("POST", "/ocaapi/v2.0/asset/bulk", "provisionAssetsBulk", _provision_bulk),
    ("DELETE", "/ocaapi/v2.0/asset/revoke/bulk", "revokeAssetsBulk", _revoke),
    ("GET", "/ocaapi/v2.0/asset/{asset_uuid}/status", "getAssetStatus", _status),
    # No ":path": a name with "/" (literal or %2F, which the server decodes) matches no route and is not found, as
    # the guide says to send "IBM zOS Security Server RACF 2" here, without the "/" of the technology list.
    ("GET", "/ocaapi/v2.0/technology/{technology_name}/command/PolicyCompliance", "listTechnologyCommands",
     lambda c: _ok({"items": c.subscription.oca.technology_commands(c.params["technology_name"])})),
    ("GET", "/ocaapi/v2.0/asset/{asset_uuid}/command/PolicyCompliance", "listAssetCommands",
     lambda c: _ok({"items": c.subscription.oca.asset_commands(c.params["asset_uuid"])})),
    ("POST", "/ocaapi/v2.0/asset/{asset_uuid}/command/output/PolicyCompliance", "uploadCommandOutput", _upload),
    ("POST", "/ocaapi/v2.0/asset/{asset_uuid}/command/bulk/output/PolicyCompliance", "uploadCommandOutputBulk",
     _upload_bulk),
    ("DELETE", "/ocaapi/v2.0/asset/{asset_uuid}", "deleteAsset", _delete),
    ("GET", "/ocaapi/v2.0/assets/status/subscription/{number_of_days}", "getSubscriptionAssetStatus",
     lambda c: _ok({"items": c.subscription.oca.subscription_status(int(c.params["number_of_days"]))})),
]  # fmt: skip

_CSAM: list[tuple[str, str, str, Handler]] = [
    ("POST", "/rest/2.0/upsert/am/businessapp/metadata", "upsertBusinessAppMetadata",
     lambda c: c.subscription.csam.upsert_business_apps(c.body["data"])),
    ("POST", "/rest/2.0/update/am/asset/business/metadata", "updateAssetBusinessMetadata",
     lambda c: c.subscription.csam.update_asset_metadata(c.body["data"])),
]  # fmt: skip


def routes(world: World, tokens: Tokens) -> list[Route]:
    async def auth(request: Request) -> Response:
        return await fetch_token(world, tokens, request)

    found = [Route("/auth", auth, methods=["POST"])]
    for spec, table in (("oca.yaml", _OCA), ("csam.yaml", _CSAM)):
        found += [
            Route(path, endpoint(world, tokens, spec, op_id, handler), methods=[method])
            for method, path, op_id, handler in table
        ]
    return found
