"""CSAM's error answers.

Its own envelope for what the import service refuses, the gateway's body for what is refused in front of it.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from ..answers import json_response
from ..limits import clip

_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}  # fmt: skip


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """CSAM's own envelope, for what the import service itself refuses."""
    return json_response({"responseCode": "FAILED", "responseMessage": clip(message)}, status, headers)


def gateway_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The gateway's ``{status, error, message}`` body, seen in front of CSAM (``"JWT expired"``)."""
    body = {"status": status, "error": _REASONS.get(status, "Error"), "message": clip(message)}
    return json_response(body, status, headers)


def front_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """What is refused in front of CSAM: the gateway's body for 401 and 429, CSAM's envelope otherwise."""
    return gateway_error(status, message, headers) if status in (401, 429) else error(status, message, headers)
