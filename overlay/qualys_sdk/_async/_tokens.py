"""The gateway's JWT: fetched from ``POST /auth``, cached, refreshed before it expires, fetched once at a time.

The token lasts 4 hours. It is refreshed ``refresh_margin`` seconds before its ``exp`` (read from the token
without verifying it: only Qualys verifies it), fetched once for all the threads or tasks that need it at
the same time, and, when a call comes back 401 anyway, dropped and fetched again for one retry. The fetch
is a request of the call that needs it: the same deadline, through the same transport.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from .._concurrency import AsyncLock
from .._exchange import MAX_TOKEN_BYTES, OPTIONS, CallOptions
from .._failures import token_of
from .._secret import Secret
from .._tokens import DEFAULT_REFRESH_MARGIN, DEFAULT_TOKEN_LIFETIME, token_expiry


class AsyncTokens:
    """The token cache of one client, for ``auth_url``, with the username and password."""

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
        self._lock = AsyncLock()
        #: How many tokens were fetched: visible for tests and diagnostics.
        self.fetched = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(username={self._username!r}, auth_url={self._auth_url!r})"

    def current(self) -> Secret | None:
        """The cached token while it is not due for refresh."""
        if self._token is not None and self._clock() < self._expires_at - self._refresh_margin:
            return self._token
        return None

    async def get(self, http: httpx.AsyncClient, options: CallOptions) -> Secret:
        """A valid token, fetched if none is cached (single flight: one fetch for all who wait)."""
        token = self.current()
        if token is not None:
            return token
        async with self._lock:
            token = self.current()
            if token is None:
                token = await self._fetch(http, options)
            return token

    async def renew(self, http: httpx.AsyncClient, options: CallOptions, stale: Secret) -> Secret:
        """A token other than ``stale``, which the server just refused (another caller may have renewed it)."""
        async with self._lock:
            if self._token == stale:
                self._token = None
            token = self.current()
            if token is None:
                token = await self._fetch(http, options)
            return token

    async def _fetch(self, http: httpx.AsyncClient, options: CallOptions) -> Secret:
        form = {"username": self._username, "password": self._password.reveal(), "token": "true"}
        cap = min(MAX_TOKEN_BYTES, options.max_response_bytes)
        extensions = {OPTIONS: replace(options, limiter_exempt=True, max_response_bytes=cap)}
        request = http.build_request(
            "POST", self._auth_url, data=form, headers={"Accept": "text/plain"}, extensions=extensions
        )
        token = token_of(await http.send(request), self._username)
        expiry = token_expiry(token)
        self._expires_at = expiry if expiry is not None else self._clock() + self._default_lifetime
        self._token = Secret(token)
        self.fetched += 1
        return self._token
