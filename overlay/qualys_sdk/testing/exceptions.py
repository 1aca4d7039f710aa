"""The error answer of the API a path belongs to, for what is refused in front of the APIs.

That is: faults, rate limits, unknown routes. Each API's own error bodies are in its ``exceptions`` module.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from .activation_keys import exceptions as activation_keys
from .answers import api_of
from .csam import exceptions as csam
from .oca import exceptions as oca


def error_for(path: str, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An error of ``status`` in the body the API at ``path`` uses for errors raised in front of it."""
    api = api_of(path)
    if api == "qps":
        return activation_keys.front_error(status, message, headers)
    if api == "csam":
        return csam.front_error(status, message, headers)
    return oca.front_error(status, message, headers)
