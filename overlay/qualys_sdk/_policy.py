"""Pure retry and rate-limit policies: what the headers say, whether to retry, how long to wait.

Nothing here does I/O, keeps state or reads a clock: the caller passes the
time (``now``) and the randomness (``random``), so the transport stays the
one place with side effects and these functions can be tested exhaustively.
Sources for the header names and the 429/409 split: the Qualys header reference (http_headers.htm),
the API limits page (api_limits.htm) and the OCA rate-limit page (api_rate_limits.htm).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Final, NamedTuple

import httpx

from ._errors import ConfigurationError

# Header values at or beyond this many seconds (about 31 years) are garbage, not limits; refusing them keeps
# every wait derived from a header within what time.sleep and asyncio accept.
_MAX_SECONDS = 10**9

_COUNT = re.compile(r"[0-9]{1,9}")
_DELTA_SECONDS = re.compile(r"[0-9]{1,9}(?:\.[0-9]+)?")


# The whole-number headers and the field each fills. Where the docs print two spellings the hyphenated one,
# what servers were seen sending, is preferred: it wins over the other when both carry a number.
_COUNT_FIELDS: Final = {
    "x-ratelimit-limit": "limit",
    "x-ratelimit-window-sec": "window_sec",
    "x-ratelimit-remaining": "remaining",
    "x-ratelimit-towait-sec": "to_wait_sec",
    "x-concurrency-limit-limit": "concurrency_limit",
    "x-concurrencylimit-limit": "concurrency_limit",
    "x-concurrency-limit-running": "concurrency_running",
    "x-concurrencylimit-running": "concurrency_running",
}
_SECOND_SPELLINGS: Final = frozenset({"x-concurrencylimit-limit", "x-concurrencylimit-running"})
_HEADER_NAMES: Final = frozenset(_COUNT_FIELDS) | {"retry-after"}


def _values(headers: Mapping[str, str]) -> dict[str, list[str]]:
    """Every value of the rate-limit headers, by lower-cased name: a plain dict may hold one name in several cases,
    and ``httpx.Headers`` keeps each repeat of a header."""
    pairs = headers.multi_items() if isinstance(headers, httpx.Headers) else headers.items()
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        lowered = name.lower()
        if lowered in _HEADER_NAMES:
            found.setdefault(lowered, []).append(value)
    return found


def _single(values: list[str], *, comma_joined: bool = True) -> str | None:
    """The one value a header carries; repeats that agree (a proxy adding its own copy) count once.

    httpx joins repeated headers with commas, so a list header is split on them; an HTTP-date holds a
    comma of its own, so ``Retry-After`` is not (``comma_joined=False``).
    """
    if len(values) == 1 and not (comma_joined and "," in values[0]):
        return values[0].strip()  # the usual header: sent once, one value
    parts = (part for value in values for part in (value.split(",") if comma_joined else [value]))
    distinct = {part.strip() for part in parts}
    return distinct.pop() if len(distinct) == 1 else None


def _counts(found: dict[str, list[str]]) -> dict[str, int]:
    """The fields whose header carries a non-negative whole number, from the headers present only."""
    counts: dict[str, int] = {}
    for name, values in found.items():
        field = _COUNT_FIELDS.get(name)
        if field is None or (field in counts and name in _SECOND_SPELLINGS):
            continue
        value = _single(values)
        if value is not None and _COUNT.fullmatch(value):
            counts[field] = int(value)
    return counts


def _retry_after(found: dict[str, list[str]], now: float) -> float | None:
    value = _single(found.get("retry-after", []), comma_joined=False)
    if not value:
        return None
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # RFC 9110 HTTP-dates are always GMT
    try:
        seconds = when.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None
    if not math.isfinite(seconds) or seconds >= _MAX_SECONDS:
        return None
    # A date already past means "retry now" (RFC 9110 §10.2.3), not a malformed header.
    return max(seconds, 0.0)


class RateLimitInfo(NamedTuple):
    """What one response said about the rate and concurrency limits; ``None`` where it said nothing usable.

    ``retry_after`` is in seconds from the response (an HTTP-date is converted); the other fields are
    the Qualys ``X-RateLimit-*`` and ``X-Concurrency-Limit-*`` headers as sent.
    """

    limit: int | None = None
    window_sec: int | None = None
    remaining: int | None = None
    to_wait_sec: int | None = None
    concurrency_limit: int | None = None
    concurrency_running: int | None = None
    retry_after: float | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], *, now: float | Callable[[], float]) -> RateLimitInfo:
        """Read the headers case-insensitively; a malformed, negative or absurd value counts as absent.

        ``now`` (a Unix timestamp, or a function giving one, called only for a ``Retry-After`` header) turns
        an HTTP-date ``Retry-After`` into seconds. Never raises on a header value.
        """
        found = _values(headers)
        if not found:
            return NO_LIMIT_INFO
        retry_after = None
        if "retry-after" in found:
            retry_after = _retry_after(found, now() if callable(now) else now)
        counts = _counts(found)
        if not counts and retry_after is None:
            return NO_LIMIT_INFO
        return cls(**counts, retry_after=retry_after)

    @property
    def is_empty(self) -> bool:
        """True when the response carried no usable rate-limit header at all."""
        return self == NO_LIMIT_INFO


#: What a response without any rate-limit header says; ``from_headers`` returns this very object then.
NO_LIMIT_INFO: Final = RateLimitInfo()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: ``max_retries`` after the first attempt, backoff from ``base_delay``
    doubling per attempt, every wait capped at ``max_delay`` seconds (server-announced waits included)."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 60.0

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ConfigurationError(f"max_retries must be a whole number >= 0, not {self.max_retries!r}")
        for name in ("base_delay", "max_delay"):
            value = getattr(self, name)
            # `not value >= 0` also refuses NaN; an infinite cap would let a server make us sleep forever.
            if not isinstance(value, int | float) or not math.isfinite(value) or not value >= 0:
                raise ConfigurationError(f"{name} must be a finite number of seconds >= 0, not {value!r}")
        if self.base_delay > self.max_delay:
            raise ConfigurationError(f"base_delay ({self.base_delay}) must not exceed max_delay ({self.max_delay})")


def backoff_ceiling(attempt: int, policy: RetryPolicy) -> float:
    """The largest backoff for ``attempt`` (from 0): ``base_delay * 2**attempt``, capped at ``max_delay``."""
    if attempt < 0:
        raise ValueError(f"attempt counts from 0, not {attempt}")
    try:
        # ldexp scales by 2**attempt exactly, subnormal bases included; its overflow just means "past the cap".
        return min(policy.max_delay, math.ldexp(policy.base_delay, attempt))
    except OverflowError:
        return policy.max_delay


def backoff_delay(attempt: int, policy: RetryPolicy, random: Callable[[], float]) -> float:
    """Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").

    Full jitter spreads the retries of many clients that failed together over the whole interval, so they do
    not come back in lock-step. ``random`` returns a float in [0, 1).
    """
    return random() * backoff_ceiling(attempt, policy)


def retry_delay(attempt: int, policy: RetryPolicy, info: RateLimitInfo, random: Callable[[], float]) -> float:
    """Seconds to wait before retry ``attempt + 1``: what the server asked for, else backoff; within ``[0, max_delay]``.

    ``Retry-After`` wins over ``X-RateLimit-ToWait-Sec``: it is the standard header and, when a gateway sends
    both, the more specific answer for this response.
    """
    if info.retry_after is not None:
        delay = info.retry_after
    elif info.to_wait_sec is not None:
        delay = float(info.to_wait_sec)
    else:
        delay = backoff_delay(attempt, policy, random)
    return min(max(delay, 0.0), policy.max_delay)


class Failure(enum.Enum):
    """Why an attempt failed, in the terms that decide whether it may be repeated."""

    #: The server refused the call before doing anything: gateway 429, API-server 409.
    RATE_LIMITED = "rate_limited"
    #: 502, 503, 504: possibly from a proxy after the backend applied the request.
    SERVER_UNAVAILABLE = "server_unavailable"
    #: No connection: the request never left, so the server never saw it.
    CONNECT = "connect"
    #: Sent, but no (complete) answer: timeout or dropped connection; the server may have applied it.
    SENT_NO_ANSWER = "sent_no_answer"
    #: The status and headers came, the body was cut short: the server answered, so this is no unknown outcome.
    TRUNCATED = "truncated"


class Decision(enum.Enum):
    """What to do after a failed attempt."""

    RETRY = "retry"
    #: Not retryable, or out of retries: the caller raises the error matching the failure.
    GIVE_UP = "give_up"
    #: A call that is not safe to repeat may have been applied: the caller raises OutcomeUnknownError.
    OUTCOME_UNKNOWN = "outcome_unknown"


_SERVER_UNAVAILABLE = frozenset({502, 503, 504})


def failure_for_status(status: int, *, api_server: bool) -> Failure | None:
    """The retryable failure an HTTP status means, or None.

    409 is a rate-limit block only on the API server (FO and QPS block with 409, http_headers.htm); on the gateway a
    409 is a real conflict. 500 is not retried: it is a bug or a bad request, and repeating it rarely helps.
    """
    if status == 429 or (status == 409 and api_server):
        return Failure.RATE_LIMITED
    if status in _SERVER_UNAVAILABLE:
        return Failure.SERVER_UNAVAILABLE
    return None


# The server did not apply the request in these cases, so repeating it is safe whatever it does.
_NOT_APPLIED = frozenset({Failure.RATE_LIMITED, Failure.CONNECT})


def decide(failure: Failure | None, *, idempotent: bool, attempt: int, policy: RetryPolicy) -> Decision:
    """Retry, give up, or report an unknown outcome after attempt number ``attempt`` (from 0) failed."""
    if attempt < 0:
        raise ValueError(f"attempt counts from 0, not {attempt}")
    if failure is None:
        return Decision.GIVE_UP
    if failure is Failure.TRUNCATED and not idempotent:
        return Decision.GIVE_UP
    if failure not in _NOT_APPLIED and not idempotent:
        # Checked before the retry budget: running out of retries does not make the outcome any more known.
        return Decision.OUTCOME_UNKNOWN
    if attempt >= policy.max_retries:
        return Decision.GIVE_UP
    return Decision.RETRY


_SEGMENT = r"[^/]+"

# (method, path) of the Qualys operations that are safe to send twice, besides every GET and HEAD.
# Anything not listed is treated as not idempotent: OCA provision (`POST /ocaapi/v2.0/asset`, which
# re-provisions when the body names a uuid) and bulk provision, command output uploads, CSAM imports
# (`upsert`/`update` of business metadata), QPS create and update.
_IDEMPOTENT_OPERATIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (method, re.compile(path))
    for method, path in (
        # Deleting an asset twice leaves the same state; the second answer may be a 404.
        ("DELETE", rf"/ocaapi/v2\.0/asset/{_SEGMENT}"),
        # Revoking twice leaves the same state; the caller counts UUIDs already gone as revoked.
        ("DELETE", r"/ocaapi/v2\.0/asset/revoke/bulk"),
        # Getting a second JWT is harmless: the first one stays valid until it expires.
        ("POST", r"/auth"),
        # QPS reads use POST (the search criteria travel in the body) but change nothing.
        ("POST", r"/qps/rest/1\.0/search/ca/agentactkey"),
        ("POST", rf"/qps/rest/1\.0/get/ca/agentactkey/{_SEGMENT}"),
        # Deleting one key by id twice leaves the same state; the second answer is an error for a missing key.
        ("POST", rf"/qps/rest/1\.0/delete/ca/agentactkey/{_SEGMENT}"),
    )
)


def is_idempotent(method: str, path: str) -> bool:
    """Whether sending this operation twice is as safe as sending it once.

    ``path`` may carry a query string and a trailing slash; only the path counts.
    """
    method = method.upper()
    if method in ("GET", "HEAD"):
        return True
    bare = path.split("?", 1)[0].split("#", 1)[0]
    bare = bare.rstrip("/") or "/"
    return any(method == row_method and pattern.fullmatch(bare) for row_method, pattern in _IDEMPOTENT_OPERATIONS)
