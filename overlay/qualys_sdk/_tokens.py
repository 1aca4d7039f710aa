"""What the token caches of both clients share: the JWT's expiry, and the QPS API server's Basic header."""

from __future__ import annotations

import base64
import binascii
import json

import httpx

from ._secret import Secret

#: Token lifetime Qualys documents; used when a token carries no readable ``exp``.
DEFAULT_TOKEN_LIFETIME = 4 * 3600.0
DEFAULT_REFRESH_MARGIN = 300.0


def token_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT, unverified, or None when the token has none that can be read."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def authorize(request: httpx.Request, token: Secret) -> None:
    request.headers["Authorization"] = f"Bearer {token.reveal()}"


class BasicAuth:
    """HTTP Basic plus the ``X-Requested-With`` header the QPS API server requires."""

    def __init__(self, *, username: str, password: Secret, requested_with: str) -> None:
        self._username = username
        self._requested_with = requested_with
        # Made once, kept as a Secret like the password it encodes (never in a repr or a log).
        raw = f"{username}:{password.reveal()}".encode()
        self._authorization = Secret("Basic " + base64.b64encode(raw).decode("ascii"))

    def __repr__(self) -> str:
        return f"BasicAuth(username={self._username!r})"

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = self._authorization.reveal()
        request.headers["X-Requested-With"] = self._requested_with
