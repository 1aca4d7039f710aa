"""Authentication as httpx.Auth flows: JWT for the gateway APIs, HTTP Basic for the QPS API server.

The JWT comes from ``POST /auth`` on the gateway and lasts 4 hours. It is
cached, refreshed ``refresh_margin`` seconds before its ``exp`` (read from
the token without verifying it: only Qualys verifies it), fetched once for
all the threads or asyncio tasks that need it at the same time, and, when a
call comes back 401 anyway, dropped and fetched again for one retry.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable, Generator

import httpx

from ._errors import APIStatusError, AuthenticationError, ResponseFormatError, excerpt
from ._secret import Secret
from ._transport import LIMITER_EXEMPT

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


class JWTAuth(httpx.Auth):
    """Bearer JWT for the gateway (OCA, CSAM), fetched from ``auth_url`` with the username and password."""

    def __init__(
        self,
        *,
        username: str,
        password: Secret,
        auth_url: str,
        clock: Callable[[], float] = time.time,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        default_lifetime: float = DEFAULT_TOKEN_LIFETIME,
    ) -> None:
        self._username = username
        self._password = password
        self._auth_url = auth_url
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._default_lifetime = default_lifetime
        self._token: Secret | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        # asyncio locks belong to one event loop; a client may be used from several (asyncio.run twice).
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        #: How many tokens were fetched: visible for tests and diagnostics.
        self.tokens_fetched = 0

    def __repr__(self) -> str:
        return f"JWTAuth(username={self._username!r}, auth_url={self._auth_url!r})"

    # -- token cache -------------------------------------------------------------------------

    def _current(self) -> Secret | None:
        if self._token is not None and self._clock() < self._expires_at - self._refresh_margin:
            return self._token
        return None

    def invalidate(self, token: Secret | None = None) -> None:
        """Drop the cached token (only if it is still ``token``, when given: another caller may have refreshed it)."""
        if token is None or self._token == token:
            self._token = None

    def _auth_request(self) -> httpx.Request:
        form = {"username": self._username, "password": self._password.reveal(), "token": "true"}
        return httpx.Request(
            "POST", self._auth_url, data=form, headers={"Accept": "text/plain"}, extensions={LIMITER_EXEMPT: True}
        )

    def _store(self, response: httpx.Response) -> Secret:
        if response.status_code == 401:
            raise AuthenticationError(
                f"Qualys rejected the username or password for {self._username!r} (HTTP 401 from /auth)",
                response=response,
                body_excerpt=excerpt(response.content),
            )
        if response.status_code not in (200, 201):
            raise APIStatusError(
                f"could not get a token: HTTP {response.status_code} from /auth",
                response=response,
                body_excerpt=excerpt(response.content),
            )
        token = response.text.strip()
        if not token or any(c.isspace() for c in token) or token.startswith(("<", "{")):
            raise ResponseFormatError(
                "/auth answered without a token", body_excerpt=excerpt(token[:20]), status_code=response.status_code
            )
        now = self._clock()
        expiry = token_expiry(token)
        self._expires_at = expiry if expiry is not None else now + self._default_lifetime
        self._token = Secret(token)
        self.tokens_fetched += 1
        return self._token

    @staticmethod
    def _authorize(request: httpx.Request, token: Secret) -> None:
        request.headers["Authorization"] = f"Bearer {token.reveal()}"

    # -- flows ---------------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # Overriding sync_auth_flow skips httpx's requires_response_body handling: read bodies here.
        token = self._current()
        if token is None:
            with self._lock:  # single flight: the first thread fetches, the others find the new token
                token = self._current()
                if token is None:
                    answer = yield self._auth_request()
                    answer.read()
                    token = self._store(answer)
        self._authorize(request, token)
        response = yield request
        if response.status_code != 401:
            return
        with self._lock:
            self.invalidate(token)
            fresh = self._current()
            if fresh is None:
                answer = yield self._auth_request()
                answer.read()
                fresh = self._store(answer)
        self._authorize(request, fresh)
        yield request

    def _async_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._async_locks.get(loop)
        if lock is None:
            lock = self._async_locks[loop] = asyncio.Lock()
        return lock

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self._current()
        if token is None:
            async with self._async_lock():
                token = self._current()
                if token is None:
                    answer = yield self._auth_request()
                    await answer.aread()
                    token = self._store(answer)
        self._authorize(request, token)
        response = yield request
        if response.status_code != 401:
            return
        async with self._async_lock():
            self.invalidate(token)
            fresh = self._current()
            if fresh is None:
                answer = yield self._auth_request()
                await answer.aread()
                fresh = self._store(answer)
        self._authorize(request, fresh)
        yield request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # httpx calls sync_auth_flow / async_auth_flow; this one only satisfies the base class.
        raise NotImplementedError  # pragma: no cover


class QPSAuth(httpx.Auth):
    """HTTP Basic plus the ``X-Requested-With`` header the QPS API server requires."""

    def __init__(self, *, username: str, password: Secret, requested_with: str) -> None:
        self._username = username
        self._requested_with = requested_with
        # Made once, kept as a Secret like the password it encodes (never in a repr or a log).
        raw = f"{username}:{password.reveal()}".encode()
        self._authorization = Secret("Basic " + base64.b64encode(raw).decode("ascii"))

    def __repr__(self) -> str:
        return f"QPSAuth(username={self._username!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._authorization.reveal()
        request.headers["X-Requested-With"] = self._requested_with
        yield request
