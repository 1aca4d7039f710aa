"""QPS error answers: a ``ServiceResponse`` whose ``responseCode`` says what went wrong.

Details are in ``responseErrorDetails``. QPS sends most of them with HTTP 200; wrong credentials get 401
``UNAUTHORIZED``.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from qualys_agentactkey import ResponseErrorDetails, ServiceResponse

from ..limits import clip
from .codec import render_response

UNAUTHORIZED_MESSAGE = "You are not authorized to access the application through the API."


def error(
    code: str,
    message: str,
    *,
    status: int = 200,
    resolution: str | None = None,
    headers: Mapping[str, str] | None = None,
    base_url: str | None = None,
) -> Response:
    """A ``ServiceResponse`` of ``code`` with ``message`` (and ``resolution``) in ``responseErrorDetails``."""
    details = (
        ResponseErrorDetails(error_message=clip(message), error_resolution=clip(resolution) if resolution else None)
        if message
        else None
    )
    document = render_response(ServiceResponse(response_code=code, response_error_details=details), base_url)
    return Response(document, status_code=status, headers=headers, media_type="application/xml")


def front_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """What the API server answers before the API sees a call (a block, a fault, an unknown route)."""
    code = "UNAUTHORIZED" if status == 401 else "OTHER_ERROR"
    return error(code, message, status=status, headers=headers)
