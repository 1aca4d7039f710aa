"""``Qualys`` and ``AsyncQualys``: the clients users import.

One httpx client carries every call: its base URL is the gateway (the
generated OCA and CSAM clients send relative URLs), its auth is the JWT
flow, and its transports are wrapped by the retry/rate-limit/deadline
transport. QPS calls go to the API server with absolute URLs and Basic auth
per request.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit

import httpx

import qualys_csam
import qualys_oca

from . import __version__
from ._auth import DEFAULT_REFRESH_MARGIN, JWTAuth, QPSAuth
from ._calls import Call, run_async, run_sync
from ._config import Settings, resolve
from ._errors import APIConnectionError, ConfigurationError, QualysError
from ._limiter import AsyncLimiter, Limiter
from ._policy import RetryPolicy
from ._secret import Secret
from ._transport import (
    AsyncRetryTransport,
    RetryCore,
    RetryTransport,
    TransportStats,
    call_context,
    wrap_async_client_transports,
    wrap_client_transports,
)
from .activation_keys import ActivationKeys, AsyncActivationKeys, QPSRequest, build_http_request, read_response
from .csam import CSAM, AsyncCSAM
from .oca import OCA, AsyncOCA
from .oca import _Plans as _OCAPlans

T = TypeVar("T")
L = TypeVar("L", Limiter, AsyncLimiter)

#: Seconds one call may take in all, retries and waits for the rate limit included.
DEFAULT_TIMEOUT = 300.0
#: httpx timeouts for each single attempt.
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


class _GatewayURLs:
    """The httpx client as the generated clients see it: their relative URLs joined to the gateway URL as text.

    httpx parses a relative URL and then parses it again merged with ``base_url``; joining the text first
    leaves one parse, a large part of what a call costs beyond the network. The generated code only ever
    calls ``request``; sync or async is the wrapped client's.
    """

    def __init__(self, http: httpx.Client | httpx.AsyncClient, gateway_url: str) -> None:
        self._http = http
        self._prefix = gateway_url

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        return self._http.request(method, self._prefix + url if url.startswith("/") else url, **kwargs)


def _verify(verify: bool) -> bool:
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


class _Base:
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
        token_refresh_margin: float,
    ) -> None:
        self._settings: Settings = resolve(
            username=username, password=password, platform=platform, gateway_url=gateway_url, api_url=api_url,
            profile=profile, config_file=config_file,
        )  # fmt: skip
        api_host = urlsplit(self._settings.api_url).hostname or ""
        self._core = RetryCore(RetryPolicy(max_retries=max_retries), timeout, api_server_hosts=frozenset({api_host}))
        self._jwt = JWTAuth(
            username=self._settings.username,
            password=self._settings.password,
            auth_url=f"{self._settings.gateway_url}/auth",
            refresh_margin=token_refresh_margin,
        )
        self._qps_auth = QPSAuth(
            username=self._settings.username, password=self._settings.password, requested_with=USER_AGENT
        )
        self._generated_clients: dict[str, Any] = {}

    @property
    def gateway_url(self) -> str:
        return self._settings.gateway_url

    @property
    def api_url(self) -> str:
        return self._settings.api_url

    @property
    def stats(self) -> TransportStats:
        """Requests sent and retries taken over the life of this client."""
        return self._core.stats

    def _generated(self, call: Call[Any], http: httpx.Client | httpx.AsyncClient) -> Any:
        """The generated client ``call`` needs, sending through ``http``; one per API for the life of this object."""
        client = self._generated_clients.get(call.client)
        if client is not None:
            return client
        if not self._settings.gateway_url:
            raise ConfigurationError("no gateway URL configured: pass platform= or gateway_url= to use OCA and CSAM")
        module = qualys_oca if call.client == "oca" else qualys_csam
        client = module.Client(base_url=self._settings.gateway_url)
        # The generated Client keeps sync and async httpx clients in separate slots; it reads only the one set.
        urls = _GatewayURLs(http, self._settings.gateway_url)
        if isinstance(http, httpx.AsyncClient):
            client.set_async_httpx_client(urls)
        else:
            client.set_httpx_client(urls)
        self._generated_clients[call.client] = client
        return client

    def _configure(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """Point the httpx client at Qualys: the gateway as base URL (the generated clients send relative
        URLs), the JWT flow as its auth (QPS calls pass Basic auth per request), and our User-Agent."""
        if self._settings.gateway_url:
            http.base_url = httpx.URL(self._settings.gateway_url)
        http.auth = self._jwt
        http.headers["User-Agent"] = USER_AGENT

    def _qps_request(self, plan: QPSRequest, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        if not self._settings.api_url:
            raise ConfigurationError("no API server URL configured: pass platform= or api_url= for activation keys")
        return build_http_request(plan, self._settings.api_url, http)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(username={self._settings.username!r}, "
            f"gateway_url={self._settings.gateway_url!r}, api_url={self._settings.api_url!r})"
        )


class Qualys(_Base):
    """The synchronous client: ``qualys.oca``, ``qualys.csam``, ``qualys.activation_keys``.

    Credentials and platform come from the arguments, then ``QUALYS_*`` environment variables, then the
    config file (see :mod:`qualys_sdk._config`). ``timeout`` bounds each call in total, retries included;
    ``max_retries`` applies to rate-limit blocks, 502/503/504 and connection failures, for calls that are
    safe to repeat. Pass ``http_client`` for proxies, custom CA bundles or test transports: it is
    configured for Qualys (base URL, auth, transports wrapped), so do not share it with other code.

    Real platforms are reached over https only, with certificates verified. ``verify=False`` turns
    verification off (it warns: use it only against a test server); it applies only to the httpx client
    this object builds: with ``http_client``, verification is that client's own setting (``verify=`` is
    ignored), so configure it there.

    Example::

        from qualys_sdk import Qualys

        with Qualys(username="acme_ab1", password="...", platform="US2") as qualys:
            print([t.technology_version for t in qualys.oca.list_technologies()])
    """

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | Secret | None = None,
        platform: str | None = None,
        gateway_url: str | None = None,
        api_url: str | None = None,
        profile: str | None = None,
        config_file: str | None = None,
        http_client: httpx.Client | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_concurrency: int | None = None,
        token_refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        verify: bool = True,
    ) -> None:
        super().__init__(
            username=username, password=password, platform=platform, gateway_url=gateway_url, api_url=api_url,
            profile=profile, config_file=config_file, timeout=timeout, max_retries=max_retries,
            token_refresh_margin=token_refresh_margin,
        )  # fmt: skip
        self._owns_http = http_client is None
        http = http_client or httpx.Client(timeout=DEFAULT_HTTP_TIMEOUT, verify=_verify(verify))
        limiters = PerHost(lambda: Limiter(max_concurrency=max_concurrency))
        wrap_client_transports(http, lambda inner: RetryTransport(inner, self._core, limiters))
        self._configure(http)
        self._http = http
        self.oca = OCA(self, _OCAPlans())
        self.csam = CSAM(self)
        self.activation_keys = ActivationKeys(self)

    def run(self, call: Call[T], *, timeout: float | None, max_retries: int | None) -> T:
        return run_sync(call, self._generated(call, self._http), timeout=timeout, max_retries=max_retries)

    def run_qps(self, plan: QPSRequest, *, timeout: float | None, max_retries: int | None) -> Any:
        request = self._qps_request(plan, self._http)
        with call_context(timeout=timeout, max_retries=max_retries):
            try:
                response = self._http.send(request, auth=self._qps_auth)
            except QualysError:
                raise
            except httpx.HTTPError as exc:
                raise APIConnectionError(f"{request.method} {request.url.path} failed: {exc}", request=request) from exc
        return read_response(plan, response)

    def close(self) -> None:
        """Close the connections (only those of an httpx client this object created)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncQualys(_Base):
    """The asyncio client: the same resources as :class:`Qualys`, with awaitable methods.

    The same options as :class:`Qualys`; ``verify`` likewise applies only to the ``httpx.AsyncClient``
    this object builds, not to a ``http_client`` passed in.

    Example::

        async with AsyncQualys(platform="US2") as qualys:
            technologies = await qualys.oca.list_technologies()
    """

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | Secret | None = None,
        platform: str | None = None,
        gateway_url: str | None = None,
        api_url: str | None = None,
        profile: str | None = None,
        config_file: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_concurrency: int | None = None,
        token_refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        verify: bool = True,
    ) -> None:
        super().__init__(
            username=username, password=password, platform=platform, gateway_url=gateway_url, api_url=api_url,
            profile=profile, config_file=config_file, timeout=timeout, max_retries=max_retries,
            token_refresh_margin=token_refresh_margin,
        )  # fmt: skip
        self._owns_http = http_client is None
        http = http_client or httpx.AsyncClient(timeout=DEFAULT_HTTP_TIMEOUT, verify=_verify(verify))
        limiters = PerHost(lambda: AsyncLimiter(max_concurrency=max_concurrency))
        wrap_async_client_transports(http, lambda inner: AsyncRetryTransport(inner, self._core, limiters))
        self._configure(http)
        self._http = http
        self.oca = AsyncOCA(self, _OCAPlans())
        self.csam = AsyncCSAM(self)
        self.activation_keys = AsyncActivationKeys(self)

    async def run(self, call: Call[T], *, timeout: float | None, max_retries: int | None) -> T:
        return await run_async(call, self._generated(call, self._http), timeout=timeout, max_retries=max_retries)

    async def run_qps(self, plan: QPSRequest, *, timeout: float | None, max_retries: int | None) -> Any:
        request = self._qps_request(plan, self._http)
        with call_context(timeout=timeout, max_retries=max_retries):
            try:
                response = await self._http.send(request, auth=self._qps_auth)
            except QualysError:
                raise
            except httpx.HTTPError as exc:
                raise APIConnectionError(f"{request.method} {request.url.path} failed: {exc}", request=request) from exc
        return read_response(plan, response)

    async def close(self) -> None:
        """Close the connections (only those of an httpx client this object created)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
