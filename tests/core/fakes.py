"""Fakes shared by the client tests: JWTs with a chosen expiry, a client wired to respx (and the shared FakeClock)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import respx

from qualys_sdk import AsyncQualys, Qualys
from tests.support.clock import FakeClock

GATEWAY = "https://gateway.qg2.apps.qualys.com"
API = "https://qualysapi.qg2.apps.qualys.com"
USERNAME = "acme_ab1"
PASSWORD = "S3cret!pass"


def make_jwt(exp: float | None, subject: str = USERNAME) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims: dict[str, Any] = {"sub": subject}
    if exp is not None:
        claims["exp"] = int(exp)
    return f"{part({'alg': 'HS512'})}.{part(claims)}.c2lnbmF0dXJl"


def no_wait_client(platform: str = "US2", **kwargs: Any) -> Qualys:
    """A Qualys client whose retries never really sleep (zero jitter, zero-delay backoff)."""
    client = Qualys(username=USERNAME, password=PASSWORD, platform=platform, **kwargs)
    client._core.random = lambda: 0.0
    return client


def no_wait_async_client(platform: str = "US2", **kwargs: Any) -> AsyncQualys:
    client = AsyncQualys(username=USERNAME, password=PASSWORD, platform=platform, **kwargs)
    client._core.random = lambda: 0.0
    return client


@contextmanager
def gateway(token: str | None = None) -> Iterator[respx.MockRouter]:
    """respx routes for both hosts, with /auth answering ``token``."""
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        mock.post(f"{GATEWAY}/auth").mock(return_value=httpx.Response(201, text=token or make_jwt(2_000_000_000)))
        yield mock


__all__ = [
    "API",
    "GATEWAY",
    "PASSWORD",
    "USERNAME",
    "FakeClock",
    "gateway",
    "make_jwt",
    "no_wait_async_client",
    "no_wait_client",
]
