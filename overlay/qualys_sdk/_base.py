"""What ``Qualys`` and ``AsyncQualys`` share: settings, the retry core, building a call's request, the limiters."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx

from . import __version__
from ._calls import Call
from ._config import Settings, resolve
from ._errors import ConfigurationError
from ._exchange import OPTIONS, CallOptions, RetryCore, TransportStats
from ._policy import RetryPolicy
from ._secret import Secret
from ._tokens import BasicAuth

L = TypeVar("L")

#: Seconds one call may take in all: the token fetch, retries and waits for the rate limit included.
DEFAULT_TIMEOUT = 300.0
#: httpx timeouts for each single attempt (each also ends by the call's total deadline).
DEFAULT_HTTP_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
USER_AGENT = f"qualys-sdk/{__version__}"


class PerHost(Generic[L]):
    """One limiter per API host: the gateway and the API server announce separate limits."""

    def __init__(self, factory: Callable[[], L]) -> None:
        self._factory: Callable[[], L] = factory
        self._by_host: dict[str, L] = {}
        self._lock = threading.Lock()

    def __call__(self, host: str) -> L:
        limiter = self._by_host.get(host)  # a dict read is atomic; the lock is for creating one
        if limiter is not None:
            return limiter
        with self._lock:
            limiter = self._by_host.get(host)
            if limiter is None:
                limiter = self._by_host[host] = self._factory()
            return limiter


def verify_flag(verify: bool) -> bool:
    """``verify`` for the httpx client the SDK builds; turning verification off warns, every time."""
    if not isinstance(verify, bool):
        raise ConfigurationError(f"verify must be True or False, not {verify!r} (for a CA bundle, pass http_client)")
    if not verify:
        warnings.warn(
            "verify=False: TLS certificates are not checked, so anyone on the network path can read the "
            "credentials and tokens this client sends; use it only against a test server",
            UserWarning,
            stacklevel=3,
        )
    return verify


def _size_cap(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_response_bytes must be a whole number >= 1, not {value!r}")
    return value


class ClientBase:
    """What ``Qualys`` and ``AsyncQualys`` share: their settings, retry core and limits."""

    def __init__(
        self,
        *,
        username: str | None,
        password: str | Secret | None,
        platform: str | None,
        gateway_url: str | None,
        api_url: str | None,
        profile: str | None,
        config_file: str | None,
        timeout: float | None,
        max_retries: int,
        max_response_bytes: int,
    ) -> None:
        self._settings: Settings = resolve(
            username=username, password=password, platform=platform, gateway_url=gateway_url, api_url=api_url,
            profile=profile, config_file=config_file,
        )  # fmt: skip
        api_host = urlsplit(self._settings.api_url).hostname or ""
        self._core = RetryCore(RetryPolicy(max_retries=max_retries), timeout, api_server_hosts=frozenset({api_host}))
        self._max_response_bytes = _size_cap(max_response_bytes)
        self._basic = BasicAuth(username=self._settings.username, password=self._settings.password,
                                requested_with=USER_AGENT)  # fmt: skip

    @property
    def gateway_url(self) -> str:
        """The API gateway this client calls for OCA and CSAM (and the token)."""
        return self._settings.gateway_url

    @property
    def api_url(self) -> str:
        """The API server this client calls for activation keys."""
        return self._settings.api_url

    @property
    def stats(self) -> TransportStats:
        """Requests sent and retries taken over the life of this client."""
        return self._core.stats

    def _options(self, timeout: float | None, max_retries: int | None, max_response_bytes: int | None) -> CallOptions:
        cap = self._max_response_bytes if max_response_bytes is None else _size_cap(max_response_bytes)
        return self._core.options(timeout, max_retries, cap)

    def _request(self, call: Call[Any], options: CallOptions, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        """The HTTP request of ``call``, built by ``http`` so that its default headers and cookies apply."""
        if call.api == "qps":
            base = self._settings.api_url
            if not base:
                raise ConfigurationError("no API server URL configured: pass platform= or api_url= for activation keys")
        else:
            base = self._settings.gateway_url
            if not base:
                raise ConfigurationError(
                    "no gateway URL configured: pass platform= or gateway_url= to use OCA and CSAM"
                )
        kwargs = dict(call.request)
        kwargs["url"] = base + kwargs["url"]
        request = http.build_request(**kwargs, extensions={OPTIONS: options})
        if call.api == "qps":
            self._basic.apply(request)
        return request

    @staticmethod
    def _configure(http: httpx.Client | httpx.AsyncClient) -> None:
        """Point the httpx client at Qualys: the SDK authenticates each request itself, with its User-Agent."""
        http.auth = httpx.Auth()  # no-op: the SDK authenticates each request itself
        http.headers["User-Agent"] = USER_AGENT

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(username={self._settings.username!r}, "
            f"gateway_url={self._settings.gateway_url!r}, api_url={self._settings.api_url!r})"
        )
