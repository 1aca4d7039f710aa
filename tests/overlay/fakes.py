"""Fakes shared by the overlay tests: a clock, JWTs with a chosen expiry, a client wired to respx."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import respx

from qualys_sdk import AsyncQualys, Qualys

GATEWAY = "https://gateway.qg2.apps.qualys.com"
API = "https://qualysapi.qg2.apps.qualys.com"
USERNAME = "acme_ab1"
PASSWORD = "S3cret!pass"


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


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
