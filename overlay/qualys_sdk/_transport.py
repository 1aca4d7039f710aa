"""Retries, rate limits and the total deadline, at the one seam every call crosses: the httpx transport.

:class:`RetryTransport` / :class:`AsyncRetryTransport` wrap the transport of
the httpx client the generated clients use. For each request they

- wait for a slot of the client-side limiter (in-flight calls and pacing as
  the server announced them; ``/auth`` is exempt, as on the server);
- send it, reading the whole body within the call's total deadline (httpx's
  read timeout alone restarts with every chunk, so a slow-drip response
  could last forever);
- on a rate-limit block, a 502/503/504 or a broken connection, decide with
  the pure policies of :mod:`._policy` whether to retry, give up, or, for a
  call that is not safe to repeat and may have been applied, raise
  :class:`OutcomeUnknownError` instead of retrying.

Per-call options (timeout, max retries) and per-call results (retries
taken, the last raw response) travel in a context variable set by the
resource clients, so the generated code needs no change.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field

import httpx

from ._errors import APIConnectionError, APITimeoutError, OutcomeUnknownError
from ._limiter import AsyncLimiter, Limiter
from ._policy import (
    NO_LIMIT_INFO,
    Decision,
    Failure,
    RateLimitInfo,
    RetryPolicy,
    decide,
    failure_for_status,
    is_idempotent,
    retry_delay,
)

log = logging.getLogger("qualys_sdk")

RETRIES_EXTENSION = "qualys_retries_taken"
#: A request extension: the request skips the limiter. The JWT request carries it (the gateway does not count
#: ``/auth`` against the limits); marking the request is cheaper than matching its path on every call.
LIMITER_EXEMPT = "qualys_limiter_exempt"


@dataclass(slots=True)
class CallContext:
    """Options for one SDK call and what the transport observed while serving it.

    Used as a context manager (see :func:`call_context`), it is the current call's context while the
    ``with`` block runs.
    """

    timeout: float | None = None
    max_retries: int | None = None
    retries_taken: int = 0
    last_response: httpx.Response | None = None
    _token: Token[CallContext | None] | None = field(default=None, repr=False, compare=False)

    def __enter__(self) -> CallContext:
        self._token = _CALL.set(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _CALL.reset(self._token)
            self._token = None


_CALL: ContextVar[CallContext | None] = ContextVar("qualys_sdk_call", default=None)


def call_context(*, timeout: float | None = None, max_retries: int | None = None) -> CallContext:
    """Run one SDK call with these options: ``with call_context(...) as ctx``; ``ctx`` collects retries and the
    raw response. (A class rather than a generator-based context manager: every call enters one.)"""
    return CallContext(timeout=timeout, max_retries=max_retries)


@dataclass
class TransportStats:
    """Counters over the life of a client (thread-safe)."""

    requests: int = 0
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, *, retry: bool) -> None:
        with self._lock:
            if retry:
                self.retries += 1
            else:
                self.requests += 1


_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_APPLIED = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


_TIMEOUT_KEYS = ("connect", "read", "write", "pool")
# One attempt's answer: the response, its whole body, the failure it means (None: it went through), its limits.
_Attempt = tuple[httpx.Response, bytes, "Failure | None", RateLimitInfo]


class _DeadlineExceeded(httpx.ReadTimeout):
    """The call's total deadline passed while the response was still arriving."""


@dataclass
class RetryCore:
    """What the sync and async transports share: configuration and the decisions around each attempt."""

    policy: RetryPolicy
    timeout: float | None
    api_server_hosts: frozenset[str] = frozenset()
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    random: Callable[[], float] = random.random
    stats: TransportStats = field(default_factory=TransportStats)

    def start(self, request: httpx.Request) -> tuple[CallContext, float | None, bool]:
        """The call's context, its deadline, and whether it is exempt from the limiter (see LIMITER_EXEMPT)."""
        ctx = _CALL.get() or CallContext()
        timeout = ctx.timeout if ctx.timeout is not None else self.timeout
        deadline = self.clock() + timeout if timeout is not None else None
        return ctx, deadline, LIMITER_EXEMPT in request.extensions

    def bound_timeouts(self, request: httpx.Request, deadline: float | None) -> None:
        """No single connect, write or read wait may outlast what is left of the deadline."""
        if deadline is None:
            return
        left = max(deadline - self.clock(), 0.001)
        current = request.extensions.get("timeout") or {}
        if len(current) == len(_TIMEOUT_KEYS):
            try:
                if max(current.values()) <= left:
                    return  # the usual case: every per-attempt timeout ends well before the deadline
            except TypeError:
                pass  # a None (no timeout) among them: bounded below
        bounded: dict[str, float] = {}
        changed = False
        for key in _TIMEOUT_KEYS:
            value = current.get(key)
            if value is None or value > left:
                value, changed = left, True
            bounded[key] = value
        if changed:
            request.extensions["timeout"] = bounded

    def check_deadline(self, deadline: float | None) -> None:
        if deadline is not None and self.clock() > deadline:
            raise _DeadlineExceeded("the call's total deadline passed while the response was arriving")

    def answered(
        self, request: httpx.Request, response: httpx.Response
    ) -> tuple[Failure | None, RateLimitInfo, RateLimitInfo]:
        """The failure an answer means (None: it went through), its limits, and what the limiter may learn;
        ties ``response`` to ``request`` on the way.

        Only answers that went through teach the limiter: the wait after a block is the retry policy's to
        decide, and to cap.
        """
        response.request = request
        info = RateLimitInfo.from_headers(response.headers, now=self.wall_clock)
        status = response.status_code
        if status < 400:
            return None, info, info
        failure = failure_for_status(status, api_server=request.url.host in self.api_server_hosts)
        return failure, info, info if failure is None else NO_LIMIT_INFO

    @staticmethod
    def failure_of_error(error: httpx.TransportError) -> Failure | None:
        if isinstance(error, _NEVER_SENT):
            return Failure.CONNECT
        if isinstance(error, _MAYBE_APPLIED):
            return Failure.SENT_NO_ANSWER
        return None

    def next_step(
        self,
        *,
        request: httpx.Request,
        ctx: CallContext,
        deadline: float | None,
        attempt: int,
        failure: Failure | None,
        info: RateLimitInfo,
        response: httpx.Response | None,
        error: httpx.TransportError | None,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to stop; raises when the call must fail."""
        policy = self.policy
        if ctx.max_retries is not None:
            policy = RetryPolicy(ctx.max_retries, policy.base_delay, policy.max_delay)
        idempotent = is_idempotent(request.method, request.url.path)
        decision = decide(failure, idempotent=idempotent, attempt=attempt, policy=policy)
        if decision is Decision.OUTCOME_UNKNOWN:
            what = f"HTTP {response.status_code}" if response is not None else type(error).__name__
            raise OutcomeUnknownError(
                f"{request.method} {request.url.path} may or may not have been applied ({what}); "
                "it is not retried automatically because repeating it is not safe",
                request=request,
                cause=response if response is not None else error or RuntimeError("unknown"),
            )
        if decision is Decision.RETRY:
            delay = retry_delay(attempt, policy, info, self.random)
            if deadline is None or self.clock() + delay < deadline:
                what = f"HTTP {response.status_code}" if response is not None else type(error).__name__
                log.info(
                    "retrying %s %s in %.2fs after %s (retry %d of %d)",
                    request.method, request.url.path, delay, what, attempt + 1, policy.max_retries,
                )  # fmt: skip
                return delay
        if response is None and error is not None:
            raise self.connection_error(request, error)
        return None

    @staticmethod
    def connection_error(request: httpx.Request, error: BaseException) -> APIConnectionError:
        where = f"{request.method} {request.url.scheme}://{request.url.host}{request.url.path}"
        if isinstance(error, httpx.TimeoutException | TimeoutError):
            return APITimeoutError(f"{where} timed out: {error}", request=request)
        return APIConnectionError(f"{where} failed: {type(error).__name__}: {error}", request=request)

    def finish(self, response: httpx.Response, body: bytes, ctx: CallContext, attempt: int) -> httpx.Response:
        # The inner stream was read whole (within the deadline) and closed; the response now streams that body
        # to httpx, which decodes it as it would have the original stream.
        response.stream = httpx.ByteStream(body)
        response.extensions[RETRIES_EXTENSION] = attempt
        ctx.last_response = response
        ctx.retries_taken += attempt
        return response


class RetryTransport(httpx.BaseTransport):
    """Sync transport wrapper: limiter, total deadline and retries around ``inner``."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        core: RetryCore,
        limiters: Callable[[str], Limiter],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner
        self.core = core
        self.limiters = limiters
        self._sleep = sleep

    def _send(self, request: httpx.Request, deadline: float | None, limiter: Limiter | None) -> _Attempt:
        core = self.core
        core.bound_timeouts(request, deadline)
        if limiter is not None:
            try:
                limiter.acquire(deadline)
            except TimeoutError as exc:
                raise _DeadlineExceeded("waited for the rate limit until the call's total deadline") from exc
        learned = NO_LIMIT_INFO
        try:
            core.stats.count(retry=False)
            response = self.inner.handle_request(request)
            stream = response.stream
            try:
                chunks = []
                for chunk in stream:  # type: ignore[union-attr]
                    chunks.append(chunk)
                    core.check_deadline(deadline)
            finally:
                stream.close()  # type: ignore[union-attr]
            failure, info, learned = core.answered(request, response)
            return response, b"".join(chunks), failure, info
        finally:
            if limiter is not None:
                limiter.release(learned)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        ctx, deadline, exempt = self.core.start(request)
        limiter = None if exempt else self.limiters(request.url.host)
        attempt = 0
        while True:
            response: httpx.Response | None = None
            body = b""
            error: httpx.TransportError | None = None
            failure: Failure | None
            info = NO_LIMIT_INFO
            try:
                response, body, failure, info = self._send(request, deadline, limiter)
            except httpx.TransportError as exc:
                error, failure = exc, self.core.failure_of_error(exc)
            else:
                if failure is None:
                    return self.core.finish(response, body, ctx, attempt)
            delay = self.core.next_step(
                request=request, ctx=ctx, deadline=deadline, attempt=attempt, failure=failure, info=info,
                response=response, error=error,
            )  # fmt: skip
            if delay is None:
                assert response is not None
                return self.core.finish(response, body, ctx, attempt)
            self._sleep(delay)
            attempt += 1
            self.core.stats.count(retry=True)

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Async transport wrapper: limiter, total deadline and retries around ``inner``."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        core: RetryCore,
        limiters: Callable[[str], AsyncLimiter],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.inner = inner
        self.core = core
        self.limiters = limiters
        self._sleep = sleep

    async def _send(self, request: httpx.Request, deadline: float | None, limiter: AsyncLimiter | None) -> _Attempt:
        core = self.core
        core.bound_timeouts(request, deadline)
        if limiter is not None:
            try:
                await limiter.acquire(deadline)
            except TimeoutError as exc:
                raise _DeadlineExceeded("waited for the rate limit until the call's total deadline") from exc
        learned = NO_LIMIT_INFO
        try:
            core.stats.count(retry=False)
            response = await self.inner.handle_async_request(request)
            stream = response.stream
            try:
                chunks = []
                async for chunk in stream:  # type: ignore[union-attr]
                    chunks.append(chunk)
                    core.check_deadline(deadline)
            finally:
                await stream.aclose()  # type: ignore[union-attr]
            failure, info, learned = core.answered(request, response)
            return response, b"".join(chunks), failure, info
        finally:
            if limiter is not None:
                limiter.release(learned)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        ctx, deadline, exempt = self.core.start(request)
        limiter = None if exempt else self.limiters(request.url.host)
        attempt = 0
        while True:
            response: httpx.Response | None = None
            body = b""
            error: httpx.TransportError | None = None
            failure: Failure | None
            info = NO_LIMIT_INFO
            try:
                if deadline is None:
                    response, body, failure, info = await self._send(request, deadline, limiter)
                else:
                    # A hard bound for async: cancel the whole attempt when the deadline passes.
                    async with asyncio.timeout(max(deadline - self.core.clock(), 0)):
                        response, body, failure, info = await self._send(request, deadline, limiter)
            except TimeoutError as exc:
                error, failure = _DeadlineExceeded(str(exc) or "total deadline passed"), Failure.SENT_NO_ANSWER
            except httpx.TransportError as exc:
                error, failure = exc, self.core.failure_of_error(exc)
            else:
                if failure is None:
                    return self.core.finish(response, body, ctx, attempt)
            delay = self.core.next_step(
                request=request, ctx=ctx, deadline=deadline, attempt=attempt, failure=failure, info=info,
                response=response, error=error,
            )  # fmt: skip
            if delay is None:
                assert response is not None
                return self.core.finish(response, body, ctx, attempt)
            await self._sleep(delay)
            attempt += 1
            self.core.stats.count(retry=True)

    async def aclose(self) -> None:
        await self.inner.aclose()


def wrap_client_transports(client: httpx.Client, wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport]) -> None:
    """Put ``wrap`` around every transport of a user's httpx.Client (its default and its mounts).

    httpx has no public way to replace the transport of an existing client; this touches its
    ``_transport`` and ``_mounts`` (stable across httpx 0.23-0.28, the versions the generated clients
    accept). tests/unit/test_transport.py checks it still works; it can go if httpx adds a public way.
    """
    client._transport = wrap(client._transport)
    client._mounts = {pattern: wrap(t) if t is not None else None for pattern, t in client._mounts.items()}


def wrap_async_client_transports(
    client: httpx.AsyncClient, wrap: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]
) -> None:
    """The async counterpart of :func:`wrap_client_transports`."""
    client._transport = wrap(client._transport)
    client._mounts = {pattern: wrap(t) if t is not None else None for pattern, t in client._mounts.items()}
