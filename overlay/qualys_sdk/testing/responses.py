"""The error and envelope bodies of each API, as Qualys sends them (or as the cassettes record them)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from xml.sax.saxutils import escape

from starlette.responses import Response

from qualys_agentactkey import AgentActKey, AgentActKeyList, ResponseErrorDetails, ServiceResponse
from qualys_sdk import _xml

from .limits import clip

QPS_PREFIX = "/qps/rest/1.0/"
CSAM_PREFIX = "/rest/2.0/"
_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}  # fmt: skip


def api_of(path: str) -> str:
    """``qps``, ``csam`` or ``oca`` (the gateway's ``/auth`` answers in the OCA envelope)."""
    if path.startswith("/qps/"):
        return "qps"
    if path.startswith(CSAM_PREFIX):
        return "csam"
    return "oca"


def reason(status: int) -> str:
    return _REASONS.get(status, "Error")


def json_response(body: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status_code=status, headers=headers, media_type="application/json")


def oca_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The OCA guide's error envelope: ``{"_error": {"code": 400, "message": "ERR-2052 - ..."}}``."""
    return json_response({"_error": {"code": status, "message": clip(message)}}, status, headers)


def csam_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """CSAM's own envelope, for what the import service itself refuses."""
    return json_response({"responseCode": "FAILED", "responseMessage": clip(message)}, status, headers)


def gateway_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The gateway's ``{status, error, message}`` body, seen in front of CSAM (``"JWT expired"``)."""
    return json_response({"status": status, "error": reason(status), "message": clip(message)}, status, headers)


def schema_location(base_url: str | None) -> bytes:
    """``xsi:noNamespaceSchemaLocation`` of a QPS answer: ``<API server>/qps/xsd/1.0/ca/agentactkey.xsd``.

    Every published answer carries it: ``<qualys_base_url>/qps/xsd/1.0/ca/agentactkey.xsd`` on delete_key.htm,
    ``https://qualysapi.qg4.apps.qualys.com/qps/xsd/...`` in a real answer (hoangmnsd/hoangmnsd.github.io),
    ``.../portal-api/xsd/1.0/ca/agentactkey.xsd`` in the older release notes' samples. The simulator names
    itself as the API server.
    """
    base = (base_url or "https://qualysapi.qualys.com").rstrip("/")
    return escape(f"{base}/qps/xsd/1.0/ca/agentactkey.xsd", {'"': "&quot;"}).encode("utf-8")


def qps_response(
    code: str = "SUCCESS",
    *,
    keys: list[AgentActKey] | None = None,
    status: int = 200,
    message: str | None = None,
    resolution: str | None = None,
    has_more: bool | None = None,
    last_id: int | None = None,
    headers: Mapping[str, str] | None = None,
    base_url: str | None = None,
) -> Response:
    details = (
        ResponseErrorDetails(error_message=clip(message), error_resolution=clip(resolution) if resolution else None)
        if message
        else None
    )
    body = ServiceResponse(
        response_code=code, count=len(keys) if keys is not None else None, has_more_records=has_more,
        last_id=last_id, response_error_details=details,
        data=AgentActKeyList(agent_act_key=keys) if keys is not None else None,
    )  # fmt: skip
    document = _xml.render(body).replace(
        b"<ServiceResponse>",
        b'<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="'
        + schema_location(base_url) + b'">',
        1,
    )  # fmt: skip
    return Response(document, status_code=status, headers=headers, media_type="application/xml")


def error_for(path: str, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An error of ``status`` in the body the API at ``path`` uses for errors raised in front of it."""
    api = api_of(path)
    if api == "qps":
        code = "UNAUTHORIZED" if status == 401 else "OTHER_ERROR"
        return qps_response(code, status=status, message=message, headers=headers)
    if api == "csam":
        return gateway_error(status, message, headers) if status in (401, 429) else csam_error(status, message, headers)
    return oca_error(status, message, headers)
