"""The client users import, and the one path every call takes: request, transport, then result or error.

One httpx client carries every call: the transport it sends through is wrapped by the
retry/rate-limit/deadline/size-cap transport. Gateway calls (OCA, CSAM) carry the JWT, API-server calls
(activation keys) HTTP Basic; both are built from a :class:`~.._calls.Call` and end in
:func:`~.._failures.finish`.
"""

from __future__ import annotations

import functools
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

import httpx

from .._base import DEFAULT_HTTP_TIMEOUT, DEFAULT_TIMEOUT, ClientBase, PerHost, verify_flag
from .._calls import Call
from .._exchange import DEFAULT_MAX_RESPONSE_BYTES, OPTIONS, BodyTooLarge, TransportGaveUp
from .._failures import finish, send_error
from .._secret import Secret
from .._tokens import DEFAULT_REFRESH_MARGIN, authorize
from ._limiter import AsyncLimiter
from ._tokens import AsyncTokens
from ._transport import AsyncRetryTransport, wrap_transports

if TYPE_CHECKING:
    from .activation_keys import AsyncActivationKeys
    from .csam import AsyncCSAM
    from .oca import AsyncOCA

T = TypeVar("T")


class AsyncQualys(ClientBase):
    """The client: ``qualys.oca``, ``qualys.csam``, ``qualys.activation_keys``.

    Credentials and platform come from the arguments, then ``QUALYS_*`` environment variables, then the
    config file (``~/.config/qualys/config.toml``, or qualysapi's ``~/.qcrc``).

    ``timeout`` bounds each call in total (300 s): the token fetch, every attempt, its body and the waits
    between them. ``max_retries`` (2) counts the retries after a rate-limit block or a failure to connect, and,
    for calls that are safe to repeat, after a 502/503/504, a timeout, a dropped connection or a body cut
    short. ``max_response_bytes`` caps each answer's body, counted after decompression (64 MiB). Every method
    takes these three too, for one call. ``max_concurrency`` caps the calls in flight to each API host below
    what the server announces (2 until it does); a token is renewed ``token_refresh_margin`` seconds (300)
    before it expires.

    Pass ``http_client`` for proxies, custom CA bundles or test transports:
    it is configured for Qualys (transports wrapped, its own auth replaced), so do not share it with other
    code. Its ``event_hooks`` see every answer, the token fetch's included, with its body already read:
    the way to record raw exchanges.

    Real platforms are reached over https only, with certificates verified. ``verify=False`` turns
    verification off (it warns: use it only against a test server); it applies only to the httpx client
    this object builds: with ``http_client``, verification is that client's own setting.

    Example::

        from qualys_sdk import AsyncQualys

        async with AsyncQualys() as qualys:  # credentials and platform from QUALYS_* or the config file
            print([t.technology_version for t in await qualys.oca.list_technologies()][:2])
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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        token_refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        verify: bool = True,
    ) -> None:
        super().__init__(
            username=username, password=password, platform=platform, gateway_url=gateway_url, api_url=api_url,
            profile=profile, config_file=config_file, timeout=timeout, max_retries=max_retries,
            max_response_bytes=max_response_bytes,
        )  # fmt: skip
        self._owns_http = http_client is None
        http = http_client or httpx.AsyncClient(timeout=DEFAULT_HTTP_TIMEOUT, verify=verify_flag(verify))
        limiters = PerHost(lambda: AsyncLimiter(max_concurrency=max_concurrency))

        # httpcore loads with the first client, not with `import qualys_sdk`: httpx itself defers it.
        from ._network import install_deadline  # noqa: PLC0415

        def wrap(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
            install_deadline(inner)
            return AsyncRetryTransport(inner, self._core, limiters)

        wrap_transports(http, wrap)
        self._configure(http)
        self._http = http
        self._tokens = AsyncTokens(
            username=self._settings.username, password=self._settings.password,
            auth_url=f"{self._settings.gateway_url}/auth", refresh_margin=token_refresh_margin,
        )  # fmt: skip

    # Each API's part (its generated client and models; xsdata and lxml for activation keys) loads on first
    # use: most programs use one API, and `import qualys_sdk` stays light.
    @functools.cached_property
    def oca(self) -> AsyncOCA:
        """OCA v2: provisioning, command outputs, status."""
        from .oca import AsyncOCA  # noqa: PLC0415

        return AsyncOCA(self)

    @functools.cached_property
    def csam(self) -> AsyncCSAM:
        """CSAM business-metadata imports."""
        from .csam import AsyncCSAM  # noqa: PLC0415

        return AsyncCSAM(self)

    @functools.cached_property
    def activation_keys(self) -> AsyncActivationKeys:
        """Cloud Agent activation keys (QPS)."""
        from .activation_keys import AsyncActivationKeys  # noqa: PLC0415

        return AsyncActivationKeys(self)

    async def run(
        self,
        call: Call[T],
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        max_response_bytes: int | None = None,
    ) -> T:
        """Run one call: its result, or the SDK error its answer (or the lack of one) means."""
        options = self._options(timeout, max_retries, max_response_bytes)
        request = self._request(call, options, self._http)
        try:
            send = self._http.send if call.api == "qps" else self._send_with_token
            response = await send(request)
        except (TransportGaveUp, BodyTooLarge, httpx.HTTPError) as exc:
            raise send_error(exc, request) from exc
        return finish(call, response)

    async def _send_with_token(self, request: httpx.Request) -> httpx.Response:
        options = request.extensions[OPTIONS]
        token = await self._tokens.get(self._http, options)
        authorize(request, token)
        response = await self._http.send(request)
        if response.status_code != 401:
            return response
        # The token may have expired in flight, or been revoked: one fresh token, one more try.
        token = await self._tokens.renew(self._http, options, stale=token)
        authorize(request, token)
        return await self._http.send(request)

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
