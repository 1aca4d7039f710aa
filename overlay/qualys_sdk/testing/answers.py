"""What the simulator's HTTP layers share to answer: JSON bodies, and which API a request path belongs to."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.responses import Response

QPS_PREFIX = "/qps/"
CSAM_PREFIX = "/rest/2.0/"


def api_of(path: str) -> str:
    """``qps``, ``csam`` or ``oca`` (the gateway's ``/auth`` answers in the OCA envelope)."""
    if path.startswith(QPS_PREFIX):
        return "qps"
    if path.startswith(CSAM_PREFIX):
        return "csam"
    return "oca"


def json_response(body: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """``body`` as ``json.dumps`` writes it (``", "`` and ``": "`` separators, ASCII escapes)."""
    return Response(json.dumps(body), status_code=status, headers=headers, media_type="application/json")
