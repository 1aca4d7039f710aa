"""Retries, rate limits, the total deadline and the size cap, at the one seam every request crosses: the transport.

:class:`AsyncRetryTransport` wraps each transport of the httpx client the SDK sends through. For each request
it

- waits for a slot of the client-side limiter (in-flight calls and pacing as the server announced them;
  ``/auth`` is exempt, as on the server);
- sends it with every socket operation cut at the call's deadline (``_network``), and reads the whole body,
  decompressed, within that deadline and the call's size cap;
- after a rate-limit block, a 502/503/504, a broken connection or a cut-short body, decides with the pure
  policies of :mod:`.._policy` whether to retry.

It answers with the response and an :class:`~.._exchange.Exchange`, or raises
:class:`~.._exchange.TransportGaveUp` / :class:`~.._exchange.BodyTooLarge`: never an SDK error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx

from .._concurrency import async_sleep
from .._deadline import DEADLINE
from .._exchange import (
    BodyCutShort,
    BodyTooLarge,
    CallOptions,
    RetryCore,
    SlotTimeout,
    TransportGaveUp,
)
from .._policy import NO_LIMIT_INFO, Decision, Failure, RateLimitInfo
from ._limiter import AsyncLimiter

# Compressed chunks are inflated this many bytes at a time, so that one chunk of a gzip bomb cannot grow
# past the size cap by much (deflate inflates at most about 1,000 times).
_INFLATE_SLICE = 16 * 1024


class _Slices(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            if len(chunk) <= _INFLATE_SLICE:
                yield chunk
                continue
            for start in range(0, len(chunk), _INFLATE_SLICE):
                yield chunk[start : start + _INFLATE_SLICE]

    async def aclose(self) -> None:
        await self._stream.aclose()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Limiter, total deadline, size cap and retries around ``inner``."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        core: RetryCore,
        limiters: Callable[[str], AsyncLimiter],
        sleep: Callable[[float], Awaitable[None]] = async_sleep,
    ) -> None:
        self.inner = inner
        self.core = core
        self.limiters = limiters
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core = self.core
        options = core.options_of(request)
        limiter = None if options.limiter_exempt else self.limiters(request.url.host)
        attempt = 0
        while True:
            response: httpx.Response | None = None
            error: httpx.TransportError | None = None
            body = b""
            info = NO_LIMIT_INFO
            try:
                response, body, failure, info = await self._attempt(request, options, limiter)
            except httpx.TransportError as exc:
                error, failure = exc, core.failure_of_error(exc)
            else:
                if failure is None:
                    return core.finish(response, body, attempt, info)
            decision, delay = core.decide(request, options, attempt, failure, info)
            if delay is None:
                unknown = decision is Decision.OUTCOME_UNKNOWN
                if response is None:
                    raise TransportGaveUp(request, error or httpx.TransportError("no answer"), failure,
                                          attempts=attempt + 1, outcome_unknown=unknown)  # fmt: skip
                return core.finish(response, body, attempt, info, outcome_unknown=unknown)
            await self._sleep(delay)
            attempt += 1
            core.stats.count(retry=True)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def _attempt(
        self, request: httpx.Request, options: CallOptions, limiter: AsyncLimiter | None
    ) -> tuple[httpx.Response, bytes, Failure | None, RateLimitInfo]:
        """One attempt: the answer, its whole body, the failure it means (None: it went through), its limits."""
        core = self.core
        deadline = options.deadline
        core.bound_timeouts(request, deadline)
        if limiter is not None:
            try:
                await limiter.acquire(deadline)
            except TimeoutError as exc:
                raise SlotTimeout("waited for the rate limit until the call's total deadline") from exc
        learned = NO_LIMIT_INFO
        marked = DEADLINE.set(core.socket_deadline(deadline))
        try:
            core.stats.count(retry=False)
            response = await self.inner.handle_async_request(request)
            body = await self._read(request, response, options)
            failure, info = core.answered(request, response)
            # Only answers that went through teach the limiter: the wait after a block is the retry policy's.
            learned = info if failure is None else NO_LIMIT_INFO
            return response, body, failure, info
        finally:
            DEADLINE.reset(marked)
            if limiter is not None:
                limiter.release(learned)

    async def _read(self, request: httpx.Request, response: httpx.Response, options: CallOptions) -> bytes:
        """The whole body, decompressed as its Content-Encoding says, within the deadline and the size cap."""
        limit = options.max_response_bytes
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        chunks: AsyncIterator[bytes] = stream.__aiter__()
        if "content-encoding" in response.headers:
            # A response of its own decodes the body as httpx would (gzip, deflate, ...), counted as it inflates.
            decoding = httpx.Response(response.status_code, headers=response.headers, stream=_Slices(stream))
            chunks = decoding.aiter_bytes()
        body = bytearray()
        try:
            async for chunk in chunks:
                if len(body) + len(chunk) > limit:
                    raise BodyTooLarge(request, limit, response.status_code)
                body += chunk
                self.core.check_deadline(options.deadline)
        except (httpx.TimeoutException, BodyCutShort):
            raise
        except httpx.TransportError as exc:
            message = f"HTTP {response.status_code}: the body was cut short: {exc}"
            raise BodyCutShort(message, status_code=response.status_code) from exc
        finally:
            await stream.aclose()
        return bytes(body)


def wrap_transports(
    client: httpx.AsyncClient, wrap: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]
) -> None:
    """Put ``wrap`` around every transport of an httpx client (its default and its mounts).

    httpx has no public way to replace the transport of an existing client; this touches its
    ``_transport`` and ``_mounts`` (stable across httpx 0.23-0.28, the versions the generated clients
    accept). tests/core/test_transport.py checks it still works; it can go if httpx adds a public way.
    """
    client._transport = wrap(client._transport)
    client._mounts = {pattern: wrap(t) if t is not None else None for pattern, t in client._mounts.items()}
