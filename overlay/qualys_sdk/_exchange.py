"""What travels with a request into the transport, and what the transport hands back with the answer.

The runner puts a :class:`CallOptions` on every request (``request.extensions[OPTIONS]``): the call's one
deadline, its retry budget and its size cap. The transport answers with the response, an :class:`Exchange`
in ``response.extensions[EXCHANGE]`` (attempts made, the limits the answer announced, whether the outcome is
unknown), or raises :class:`TransportGaveUp` / :class:`BodyTooLarge` carrying the same facts. It never
raises an SDK error: :mod:`._failures` turns these into the error hierarchy.

:class:`RetryCore` holds the decisions the sync and async transports share.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from ._policy import (
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

OPTIONS = "qualys_sdk.options"
EXCHANGE = "qualys_sdk.exchange"
#: Response bodies larger than this, after decompression, are refused (``max_response_bytes``).
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: A JWT is a few hundred bytes; an ``/auth`` answer longer than this is not a token.
MAX_TOKEN_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class CallOptions:
    """One SDK call's options, the same for every request it makes (the token fetch included)."""

    #: When the whole call must be over: a reading of the transport's clock, or None for no limit.
    deadline: float | None
    max_retries: int | None = None
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    #: The request skips the limiter: the gateway does not count ``/auth`` against the limits.
    limiter_exempt: bool = False


@dataclass(frozen=True, slots=True)
class Exchange:
    """What the transport learned serving one request: on ``response.extensions[EXCHANGE]``."""

    #: Attempts sent (1 when no retry was needed).
    attempts: int
    #: The limits the final answer announced (``retry_after`` already in seconds).
    rate_limit: RateLimitInfo
    #: The call is not safe to repeat and its final answer (a 502/503/504) does not say whether it was applied.
    outcome_unknown: bool = False


class TransportGaveUp(Exception):
    """No usable answer came: connection failures, timeouts or a cut-short body, after the retries allowed."""

    def __init__(
        self, request: httpx.Request, error: BaseException, failure: Failure | None, *, attempts: int,
        outcome_unknown: bool,
    ) -> None:  # fmt: skip
        super().__init__(str(error))
        self.request = request
        self.error = error
        self.failure = failure
        self.attempts = attempts
        self.outcome_unknown = outcome_unknown


class BodyTooLarge(Exception):
    """The body grew past the call's size cap while it was read; reading stopped there."""

    def __init__(self, request: httpx.Request, limit: int, status_code: int) -> None:
        super().__init__(f"the response body is larger than {limit} bytes")
        self.request = request
        self.limit = limit
        self.status_code = status_code


class DeadlineExceeded(httpx.ReadTimeout):
    """The call's total deadline passed while waiting for a slot or while the response was arriving."""


class SlotTimeout(httpx.PoolTimeout):
    """No slot of the limiter came free before the call's deadline: the request was never sent."""


class BodyCutShort(httpx.ReadError):
    """The status and headers came, but the body was cut short (a dropped connection, a short Content-Length)."""

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


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
_TIMEOUT_KEYS = ("connect", "read", "write", "pool")


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

    def options(self, timeout: float | None, max_retries: int | None, max_response_bytes: int | None) -> CallOptions:
        """The options of a call starting now; ``None`` arguments take the client's."""
        timeout = self.timeout if timeout is None else timeout
        return CallOptions(
            deadline=None if timeout is None else self.clock() + timeout,
            max_retries=max_retries,
            max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES if max_response_bytes is None else max_response_bytes,
        )

    def options_of(self, request: httpx.Request) -> CallOptions:
        options: CallOptions | None = request.extensions.get(OPTIONS)
        return options if options is not None else self.options(None, None, None)

    def socket_deadline(self, deadline: float | None) -> float | None:
        """``deadline`` as a reading of :func:`time.monotonic`, the socket layer's clock."""
        if deadline is None or self.clock is time.monotonic:
            return deadline
        return time.monotonic() + (deadline - self.clock())

    def bound_timeouts(self, request: httpx.Request, deadline: float | None) -> None:
        """No single connect, write, read or pool wait may outlast what is left of the deadline."""
        if deadline is None:
            return
        left = max(deadline - self.clock(), 0.001)
        current = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {
            key: left if current.get(key) is None or current[key] > left else current[key] for key in _TIMEOUT_KEYS
        }

    def check_deadline(self, deadline: float | None) -> None:
        if deadline is not None and self.clock() > deadline:
            raise DeadlineExceeded("the call's total deadline passed while the response was arriving")

    def answered(self, request: httpx.Request, response: httpx.Response) -> tuple[Failure | None, RateLimitInfo]:
        """The failure an answer means (None: it went through) and the limits it announced."""
        info = RateLimitInfo.from_headers(response.headers, now=self.wall_clock)
        if response.status_code < 400:
            return None, info
        return failure_for_status(response.status_code, api_server=request.url.host in self.api_server_hosts), info

    @staticmethod
    def failure_of_error(error: httpx.TransportError) -> Failure:
        if isinstance(error, _NEVER_SENT):
            return Failure.CONNECT
        if isinstance(error, BodyCutShort) and error.status_code < 500:
            # The server answered; only a server failing mid-answer leaves the outcome unknown.
            return Failure.TRUNCATED
        return Failure.SENT_NO_ANSWER

    def decide(
        self, request: httpx.Request, options: CallOptions, attempt: int, failure: Failure, info: RateLimitInfo
    ) -> tuple[Decision, float | None]:
        """What to do after a failed attempt, and the seconds to wait first when it is a retry in time."""
        policy = self.policy
        if options.max_retries is not None:
            policy = RetryPolicy(options.max_retries, policy.base_delay, policy.max_delay)
        decision = decide(failure, idempotent=is_idempotent(request.method, request.url.path), attempt=attempt,
                          policy=policy)  # fmt: skip
        if decision is not Decision.RETRY:
            return decision, None
        delay = retry_delay(attempt, policy, info, self.random)
        if options.deadline is not None and self.clock() + delay >= options.deadline:
            return Decision.GIVE_UP, None
        log.info(
            "retrying %s %s in %.2fs after %s (retry %d of %d)",
            request.method, request.url.path, delay, failure.value, attempt + 1, policy.max_retries,
        )  # fmt: skip
        return decision, delay

    @staticmethod
    def finish(
        response: httpx.Response, body: bytes, attempt: int, info: RateLimitInfo, *, outcome_unknown: bool = False
    ) -> httpx.Response:
        # The body was read whole within the deadline and decoded; httpx now gets it as it is.
        if "content-encoding" in response.headers:
            del response.headers["content-encoding"]
            response.headers.pop("content-length", None)
        response.stream = httpx.ByteStream(body)
        response.extensions[EXCHANGE] = Exchange(attempt + 1, info, outcome_unknown)
        return response
