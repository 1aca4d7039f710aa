"""What the client-side limiter knows and decides: in-flight calls and call pacing as the server announced them.

Qualys limits every subscription per API, over a sliding window, and checks
concurrency first (Qualys API limits docs, api_limits.htm and http_headers.htm). A client that waits for the
429/409 wastes a call and, at the API server, a slot of the subscription's
budget, so each limiter learns the limits from the response headers
(as each slot is given back) and holds calls back before sending them:

- at most ``X-Concurrency-Limit-Limit`` calls in flight (and never more than
  the user's ``max_concurrency``); waiters get free slots first come, first
  served;
- at most ``X-RateLimit-Limit`` call starts in any ``X-RateLimit-Window-Sec``
  seconds (the server's sliding window, with a margin of 5%, at most 100 ms,
  for the time calls take to arrive): bursts go out at once while the
  window has room;
- no call before ``Retry-After``, or before ``X-RateLimit-ToWait-Sec`` once
  the server said no calls remain.

Before any header is seen, ``max_concurrency`` applies, or the Qualys default
concurrency of 2 when the user set none. The clock and the
sleep are injected: tests drive both with a fake clock. ``deadline`` values
are readings of that clock; a wait for a free slot relies on it counting
seconds, as :func:`time.monotonic` does.

Slot hand-off is direct: ``release`` gives the slot to the longest waiter
(like :class:`asyncio.Semaphore`), so a newcomer can never overtake a waiter.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from ._errors import ConfigurationError
from ._policy import RateLimitInfo

# Starts remembered so that a window learned late still counts the calls made before it was known.
_HISTORY = 512
#: In-flight calls allowed before the server announced its concurrency limit: the Qualys default (Standard tier).
DEFAULT_CONCURRENCY = 2


def pacing_margin(window: float) -> float:
    """Seconds added to the server's window when pacing: 5% of it, at most 100 ms.

    The limiter books a start the moment the oldest counted start leaves the window, but the server counts
    a call when it arrives, a little after the client sent it and not always equally late (connection set-up,
    thread scheduling, the network). Paced exactly at the window's edge, a call that arrives early relative to
    the one it replaces is the window's ``limit + 1``-th: the server answers 429 with a ``Retry-After`` of a
    second or more, far costlier than the margin. Measured against the simulator on loopback with 20 calls
    per second, arrivals spread by up to about 45 ms: a 2% margin (20 ms) met a 429 in about one run in three,
    5% in none of six. For the long windows Qualys uses (minutes to a day) the 100 ms cap is negligible.
    """
    return min(0.1, 0.05 * window)


class Schedule:
    """Limits learned so far and the booked call starts: the state both limiters share.

    Pacing follows the server's own rule, a sliding window: at most ``limit`` call starts in any
    ``window_sec`` seconds. Calls go out at once while the window has room (a burst of a few calls
    costs nothing), and wait for the oldest start to leave the window, and a small margin more
    (:func:`pacing_margin`), when it has none. Starts are booked in order, so the check only needs the
    ``limit``-th most recent one.

    Not thread-safe on its own: each limiter holds its lock around every use.
    """

    def __init__(self, max_concurrency: int | None) -> None:
        if max_concurrency is not None and (
            isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1
        ):
            raise ConfigurationError(f"max_concurrency must be a whole number >= 1 or None, not {max_concurrency!r}")
        self.max_concurrency = max_concurrency
        # Until the server says, stay at the documented default rather than storm it.
        self.cap: int | None = max_concurrency if max_concurrency is not None else DEFAULT_CONCURRENCY
        self.in_flight = 0
        self.limit: int | None = None
        self.window = 0.0
        # The least time between a start and the ``limit``-th start after it: the window and its margin.
        self.spacing = 0.0
        self.paused_until = -math.inf
        self.starts: deque[float] = deque(maxlen=_HISTORY)

    def slot_free(self) -> bool:
        return self.cap is None or self.in_flight < self.cap

    def reserve(self, now: float, deadline: float | None) -> float:
        """Book the next call start (``>= now``); TimeoutError if it would come after ``deadline``."""
        start = max(now, self.paused_until, self.starts[-1] if self.starts else -math.inf)
        if self.limit is not None and len(self.starts) >= self.limit:
            # The window ending at ``start`` must hold fewer than ``limit`` earlier starts; the margin keeps
            # that true where the server counts, on arrival (see pacing_margin).
            start = max(start, self.starts[-self.limit] + self.spacing)
        if deadline is not None and start > deadline:
            raise TimeoutError(f"the rate limit allows the next call in {start - now:.3f}s, after the deadline")
        self.starts.append(start)
        return start

    def learn(self, info: RateLimitInfo, now: float | Callable[[], float]) -> None:
        """Take in what a response announced; ``now`` (or a clock, read only if a pause starts) is its arrival."""
        # Values that would stop every call for good (a limit of 0) are ignored; the 429/409 speaks instead.
        if info.concurrency_limit is not None and info.concurrency_limit >= 1:
            announced = info.concurrency_limit
            self.cap = announced if self.max_concurrency is None else min(announced, self.max_concurrency)
        if info.limit is not None and info.limit >= 1 and info.window_sec is not None and info.window_sec >= 1:
            self.limit, self.window = info.limit, float(info.window_sec)
            self.spacing = self.window + pacing_margin(self.window)
            if self.starts.maxlen is not None and self.starts.maxlen < info.limit:
                self.starts = deque(self.starts, maxlen=info.limit)
        pause = self._pause_of(info)
        if pause > 0:
            arrived = now() if callable(now) else now
            self.paused_until = max(self.paused_until, arrived + pause)

    @staticmethod
    def _pause_of(info: RateLimitInfo) -> float:
        if info.retry_after is not None:
            return info.retry_after
        # ToWait-Sec may come without Remaining (it can be missing until the limit is reached), but a
        # positive Remaining says calls are still allowed.
        if info.to_wait_sec is not None and not info.remaining:
            return float(info.to_wait_sec)
        return 0.0


def time_left(deadline: float | None, now: float) -> float | None:
    """Seconds until ``deadline`` for a wait for a slot; TimeoutError when it has passed."""
    if deadline is None:
        return None
    if deadline <= now:
        raise TimeoutError("no slot for a call is free and the deadline has passed")
    return deadline - now
