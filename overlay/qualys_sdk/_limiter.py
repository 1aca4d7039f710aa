"""The client-side limiter: in-flight calls and call pacing as the server announced them.

Qualys limits every subscription per API, over a sliding window, and checks
concurrency first (Qualys API limits docs, api_limits.htm and http_headers.htm). A client that waits for the
429/409 wastes a call and, at the API server, a slot of the subscription's
budget, so each limiter learns the limits from the response headers
(:meth:`Limiter.update`) and holds calls back before sending them:

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

import asyncio
import contextlib
import math
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass

from ._errors import ConfigurationError
from ._policy import NO_LIMIT_INFO, RateLimitInfo

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


class _Schedule:
    """Limits learned so far and the booked call starts: the state both limiters share.

    Pacing follows the server's own rule, a sliding window: at most ``limit`` call starts in any
    ``window_sec`` seconds. Calls go out at once while the window has room (a burst of a few calls
    costs nothing), and wait for the oldest start to leave the window, and a small margin more
    (:func:`pacing_margin`), when it has none. Starts are booked in order, so the check only needs the
    ``limit``-th most recent one.

    Not thread-safe on its own: the sync limiter holds its lock around every use, the async one runs on one
    event loop.
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


def _time_left(deadline: float | None, now: float) -> float | None:
    """Seconds until ``deadline`` for a wait for a slot; TimeoutError when it has passed."""
    if deadline is None:
        return None
    if deadline <= now:
        raise TimeoutError("no slot for a call is free and the deadline has passed")
    return deadline - now


@dataclass
class _Waiter:
    wakeup: threading.Condition
    granted: bool = False


class Limiter:
    """Thread-safe limiter for the sync client; one per API host."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        *,
        max_concurrency: int | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._schedule = _Schedule(max_concurrency)
        self._lock = threading.Lock()
        self._waiters: deque[_Waiter] = deque()

    @property
    def in_flight(self) -> int:
        """Calls holding a slot now (acquired, not yet released)."""
        return self._schedule.in_flight

    @property
    def concurrency_limit(self) -> int | None:
        """The cap on calls in flight: the announced limit (2 until announced), at most ``max_concurrency``."""
        return self._schedule.cap

    @property
    def waiting(self) -> int:
        """Callers queued for a slot now."""
        return len(self._waiters)

    def acquire(self, deadline: float | None = None) -> None:
        """Wait for a free slot and for the pacing to allow a call; TimeoutError rather than wait past ``deadline``."""
        schedule = self._schedule
        with self._lock:
            # Anyone already in line goes first, even if a slot looks free.
            if self._waiters or not schedule.slot_free():
                self._wait_for_slot(deadline)
            else:
                schedule.in_flight += 1
            now = self._clock()
            try:
                start = schedule.reserve(now, deadline)
            except TimeoutError:
                self._release_locked()
                raise
        if start <= now:
            return
        try:
            self._sleep_until(start, deadline)
        except BaseException:
            self.release()
            raise

    def _wait_for_slot(self, deadline: float | None) -> None:
        """Queue behind earlier waiters until :meth:`release` hands over a slot; called with the lock held."""
        timeout = _time_left(deadline, self._clock())
        # A condition of its own on the shared lock, so the hand-off wakes exactly this thread.
        waiter = _Waiter(threading.Condition(self._lock))
        self._waiters.append(waiter)
        try:
            if timeout is None:
                while not waiter.granted:
                    waiter.wakeup.wait()
            else:
                # One timed wait: nothing but the hand-off notifies, and a fake clock would not advance here.
                waiter.wakeup.wait(timeout)
        except BaseException:
            self._abandon(waiter)
            raise
        if not waiter.granted:
            self._waiters.remove(waiter)
            raise TimeoutError("no slot for a call came free before the deadline")

    def _abandon(self, waiter: _Waiter) -> None:
        if waiter.granted:
            self._release_locked()
        else:
            self._waiters.remove(waiter)

    def _sleep_until(self, start: float, deadline: float | None) -> None:
        """Sleep (lock not held) until ``start``, and longer if a response meanwhile paused all calls."""
        while True:
            with self._lock:
                now = self._clock()
                start = max(start, self._schedule.paused_until)
                if deadline is not None and start > deadline:
                    raise TimeoutError(f"the rate limit paused calls for {start - now:.3f}s, past the deadline")
            if start <= now:
                return
            self._sleep(start - now)

    def release(self, info: RateLimitInfo = NO_LIMIT_INFO) -> None:
        """Give back the slot taken by :meth:`acquire` (once per successful acquire), and learn ``info``, what
        the answer announced (as :meth:`update` would), under the same lock."""
        with self._lock:
            if not info.is_empty:
                self._schedule.learn(info, self._clock)
            self._release_locked()

    def _release_locked(self) -> None:
        if self._schedule.in_flight <= 0:
            raise RuntimeError("Limiter.release() called more often than acquire()")
        self._schedule.in_flight -= 1
        self._hand_over()

    def _hand_over(self) -> None:
        schedule = self._schedule
        while self._waiters and schedule.slot_free():
            waiter = self._waiters.popleft()
            schedule.in_flight += 1
            waiter.granted = True
            waiter.wakeup.notify()

    def update(self, info: RateLimitInfo, *, now: float | None = None) -> None:
        """Learn the limits a response announced; ``now`` (default: the clock) is when it arrived."""
        if info.is_empty:
            return
        with self._lock:
            self._schedule.learn(info, self._clock if now is None else now)
            if self._waiters:
                self._hand_over()  # the cap may have grown

    @contextlib.contextmanager
    def slot(self, deadline: float | None = None) -> Iterator[None]:
        """``with limiter.slot(deadline): send()``: acquire, and release whatever happens."""
        self.acquire(deadline)
        try:
            yield
        finally:
            self.release()


class AsyncLimiter:
    """The asyncio counterpart of :class:`Limiter`, for one event loop (not thread-safe).

    ``release`` and ``update`` are plain methods: the transport calls them from ``finally`` blocks and
    response handling, where awaiting is not possible or not wanted. That is also why the slot hand-off
    uses futures rather than an ``asyncio.Condition``, whose ``notify`` needs its lock, which needs an await.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        *,
        max_concurrency: int | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._schedule = _Schedule(max_concurrency)
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def in_flight(self) -> int:
        """Calls holding a slot now (acquired, not yet released)."""
        return self._schedule.in_flight

    @property
    def concurrency_limit(self) -> int | None:
        """The cap on calls in flight: the announced limit (2 until announced), at most ``max_concurrency``."""
        return self._schedule.cap

    @property
    def waiting(self) -> int:
        """Callers queued for a slot now."""
        return len(self._waiters)

    async def acquire(self, deadline: float | None = None) -> None:
        """Wait for a free slot and for the pacing to allow a call; TimeoutError rather than wait past ``deadline``."""
        schedule = self._schedule
        if self._waiters or not schedule.slot_free():
            await self._wait_for_slot(deadline)
        else:
            schedule.in_flight += 1
        now = self._clock()
        try:
            start = schedule.reserve(now, deadline)
        except TimeoutError:
            self.release()
            raise
        if start <= now:
            return
        try:
            await self._sleep_until(start, deadline)
        except BaseException:
            self.release()
            raise

    async def _wait_for_slot(self, deadline: float | None) -> None:
        timeout = _time_left(deadline, self._clock())
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(granted)
        try:
            async with asyncio.timeout(timeout):
                await granted
        except BaseException as exc:
            if granted.done() and not granted.cancelled():
                # Handed a slot just as the wait was cancelled or timed out: pass it on.
                self.release()
            else:
                granted.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(granted)
            if isinstance(exc, TimeoutError):
                raise TimeoutError("no slot for a call came free before the deadline") from None
            raise

    async def _sleep_until(self, start: float, deadline: float | None) -> None:
        while True:
            now = self._clock()
            start = max(start, self._schedule.paused_until)
            if deadline is not None and start > deadline:
                raise TimeoutError(f"the rate limit paused calls for {start - now:.3f}s, past the deadline")
            if start <= now:
                return
            await self._sleep(start - now)

    def release(self, info: RateLimitInfo = NO_LIMIT_INFO) -> None:
        """Give back the slot taken by :meth:`acquire` (once per successful acquire), and learn ``info``, what
        the answer announced (as :meth:`update` would)."""
        if not info.is_empty:
            self._schedule.learn(info, self._clock)
        schedule = self._schedule
        if schedule.in_flight <= 0:
            raise RuntimeError("AsyncLimiter.release() called more often than acquire()")
        schedule.in_flight -= 1
        self._hand_over()

    def _hand_over(self) -> None:
        schedule = self._schedule
        while self._waiters and schedule.slot_free():
            granted = self._waiters.popleft()
            if granted.done():  # its wait was cancelled
                continue
            schedule.in_flight += 1
            granted.set_result(None)

    def update(self, info: RateLimitInfo, *, now: float | None = None) -> None:
        """Learn the limits a response announced; ``now`` (default: the clock) is when it arrived."""
        if info.is_empty:
            return
        self._schedule.learn(info, self._clock if now is None else now)
        if self._waiters:
            self._hand_over()  # the cap may have grown

    @contextlib.asynccontextmanager
    async def slot(self, deadline: float | None = None) -> AsyncIterator[None]:
        """``async with limiter.slot(deadline): await send()``: acquire, and release whatever happens."""
        await self.acquire(deadline)
        try:
            yield
        finally:
            self.release()
