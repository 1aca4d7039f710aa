"""OCA's error answers: the guide's ``{"_error": {"code": ..., "message": ...}}`` envelope."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from ..answers import json_response
from ..limits import clip


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The OCA guide's error envelope: ``{"_error": {"code": 400, "message": "ERR-2052 - ..."}}``."""
    return json_response({"_error": {"code": status, "message": clip(message)}}, status, headers)


def front_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """What the gateway answers in front of OCA (a missing or expired token, a block, a fault): the same envelope."""
    return error(status, message, headers)
