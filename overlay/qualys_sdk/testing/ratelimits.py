"""Rate-limit emulation: calls per window and calls at once per subscription, and the headers that tell of them.

The limits follow the Qualys header reference (``X-RateLimit-*``, ``X-Concurrency-Limit-*``): the gateway blocks
with 429, the QPS API server with 409. :class:`~.faults.FaultLayer` counts each call here as it arrives and lets
it go as its answer goes out.
"""

from __future__ import annotations

import math

from .answers import api_of
from .state import Subscription, World

#: Why a call is blocked: too many calls at once, or too many in the window. Qualys checks both and "the concurrency
#: limit error takes precedence" (docs.qualys.com/en/vm/api/assets/get_started/api_limits.htm); its API v2 tells
#: them apart by code, 1960 (concurrency) and 1965 (rate) (appendix_d.htm).
CONCURRENCY = "concurrency"
WINDOW = "window"


def take(world: World, subscription: Subscription | None, now: float) -> str | None:
    """Count a call, which arrived at ``now``, against the subscription's limits; why it is blocked, if it is.

    Both limits are checked; the concurrency limit takes precedence (api_limits.htm). A blocked call is not
    counted in the window.
    """
    if subscription is None or subscription.rate_limit is None:
        return None
    with world.lock:
        limit = subscription.rate_limit
        if now >= limit.window_start + limit.window_sec:
            limit.window_start, limit.used = now, 0
        if limit.concurrency is not None and limit.running >= limit.concurrency:
            return CONCURRENCY
        if limit.used >= limit.calls:
            return WINDOW
        limit.used += 1
        limit.running += 1
        return None


def release(world: World, subscription: Subscription | None) -> None:
    """A call counted by :func:`take` no longer runs."""
    if subscription is not None and subscription.rate_limit is not None:
        with world.lock:
            subscription.rate_limit.running = max(subscription.rate_limit.running - 1, 0)


def limit_headers(
    subscription: Subscription | None,
    now: float,
    *,
    blocked: str | None = None,
    retry_after: int | None = None,
) -> dict[str, str]:
    """The ``X-RateLimit-*`` / ``X-Concurrency-Limit-*`` headers of an answer; ``blocked`` says why it was blocked.

    ``X-RateLimit-ToWait-Sec`` (and ``Retry-After``) come only with a block of the rate window: the header
    reference defines ToWait-Sec as the wait "before you can make the next API call without being blocked by the
    rate limiting rule", which a concurrency block does not know (it ends when a running call does).
    ``retry_after`` forces them (an injected 429/409 fault).
    """
    limit = subscription.rate_limit if subscription is not None else None
    headers: dict[str, str] = {}
    if limit is not None:
        headers = {
            "X-RateLimit-Limit": str(limit.calls), "X-RateLimit-Window-Sec": str(limit.window_sec),
            "X-RateLimit-Remaining": str(0 if blocked == WINDOW else max(limit.calls - limit.used, 0)),
        }  # fmt: skip
        if limit.concurrency is not None:
            headers["X-Concurrency-Limit-Limit"] = str(limit.concurrency)
            headers["X-Concurrency-Limit-Running"] = str(limit.running)
        if blocked == WINDOW and retry_after is None:
            retry_after = max(1, math.ceil(limit.window_start + limit.window_sec - now))
    if retry_after is not None:
        headers.setdefault("X-RateLimit-Remaining", "0")
        headers["X-RateLimit-ToWait-Sec"] = str(retry_after)
        headers["Retry-After"] = str(retry_after)
    return headers


def blocked_message(path: str, status: int, why: str, wait: int | str | None) -> str:
    """What a block says: the API server's FO-style text (409), or the gateway's 429 text.

    The window texts follow the cassettes (tests/cassettes/agentactkey/*__409.yaml, modelled on the FO 1965 text;
    tests/cassettes/csam/*__429.yaml). The concurrency texts are the simulator's own (UNCONFIRMED: no published
    answer of a concurrency block by QPS or the gateway), worded after the FO 1960 meaning, "too many other API
    requests currently running".
    """
    if status == 409:
        if why == CONCURRENCY:
            return "This API cannot be run again until one of the calls currently running has finished."
        return f"This API cannot be run again for another {wait} seconds."
    if why == CONCURRENCY:
        return "API concurrency limit exceeded" if api_of(path) == "csam" else "Too Many Requests: concurrency limit"
    # In front of CSAM the gateway says so in its own body (tests/cassettes/csam/*__429.yaml).
    return "API rate limit exceeded" if api_of(path) == "csam" else "Too Many Requests"
