"""Credentials: gateway JWTs (signed with a per-simulator secret) and QPS HTTP Basic.

Qualys gateway tokens are JWTs with ``sub``, ``iat`` and ``exp`` claims that last 4 hours (OCA online
docs, "Fetch Authentication Token"); the simulator signs its own with HMAC so that a token from another
simulator, or an edited one, is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .state import Subscription, World

_HASHES = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class TokenProblem:
    """Why a token was refused: ``expired`` or ``invalid``."""

    reason: str


class Tokens:
    """The JWTs of one simulator: issued, signed with its secret, and checked."""

    def __init__(self, world: World, secret: bytes | None = None) -> None:
        self._world = world
        self._secret = secret or secrets.token_bytes(32)
        self._issued = 0

    def issue(self, username: str) -> str:
        """A new JWT for ``username``, valid for the settings' ``token_lifetime``."""
        algorithm = self._world.settings.jwt_algorithm
        now = int(self._world.clock())
        header = _b64(json.dumps({"alg": algorithm, "typ": "JWT"}).encode())
        with self._world.lock:
            self._issued += 1
            serial = self._issued
        # `jti` keeps two tokens issued in the same second apart: expiring one must not expire the next.
        claims = {
            "sub": username,
            "iat": now,
            "exp": now + int(self._world.settings.token_lifetime),
            "jti": str(serial),
        }
        payload = _b64(json.dumps(claims).encode())
        token = f"{header}.{payload}.{self._sign(algorithm, f'{header}.{payload}')}"
        subscription = self._world.get(username)
        if subscription is not None:
            subscription.issued_tokens.append(token)
        return token

    def _sign(self, algorithm: str, signing_input: str) -> str:
        return _b64(hmac.new(self._secret, signing_input.encode(), _HASHES[algorithm]).digest())

    def claims(self, token: str) -> dict[str, Any] | None:
        """The verified claims of ``token``, whatever its expiry; ``None`` when it is not one of ours."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            header = json.loads(_unb64(parts[0]))
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, binascii.Error):
            return None
        algorithm = header.get("alg") if isinstance(header, dict) else None
        if algorithm not in _HASHES or not isinstance(claims, dict):
            return None
        if not hmac.compare_digest(self._sign(algorithm, f"{parts[0]}.{parts[1]}"), parts[2]):
            return None
        return claims

    def verify(self, token: str) -> Subscription | TokenProblem:
        """The subscription a token belongs to, or why it is refused (invalid, or expired)."""
        claims = self.claims(token)
        if claims is None:
            return TokenProblem("invalid")
        subscription = self._world.get(str(claims.get("sub")))
        if subscription is None:
            return TokenProblem("invalid")
        now = self._world.clock()
        if float(claims.get("exp", 0)) <= now or token in subscription.expired_tokens:
            return TokenProblem("expired")
        return subscription


def bearer(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if there is one."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def basic(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """Username and password of an ``Authorization: Basic`` header, or ``None``."""
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (username, password) if sep and username else None
