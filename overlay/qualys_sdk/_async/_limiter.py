"""The client-side limiter of one API host: a slot per call in flight, and the pacing of :mod:`.._schedule`."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

from .._concurrency import AsyncWaiter, async_sleep
from .._policy import NO_LIMIT_INFO, RateLimitInfo
from .._schedule import Schedule, time_left


class AsyncLimiter:
    """Slots for calls to one API host, handed to waiters first come, first served.

    The state is guarded by a thread lock that is never held across a wait, so one limiter serves any
    number of threads (sync) or tasks of one event loop (async).
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = async_sleep,
        *,
        max_concurrency: int | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._schedule = Schedule(max_concurrency)
        self._lock = threading.Lock()
        self._waiters: deque[AsyncWaiter] = deque()

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
        waiter = None
        with self._lock:
            # Anyone already in line goes first, even if a slot looks free.
            if self._waiters or not schedule.slot_free():
                waiter = AsyncWaiter()
                self._waiters.append(waiter)
            else:
                schedule.in_flight += 1
        if waiter is not None:
            await self._wait_for_slot(waiter, deadline)
        with self._lock:
            now = self._clock()
            try:
                start = schedule.reserve(now, deadline)
            except TimeoutError:
                self._give_back()
                raise
        if start <= now:
            return
        try:
            await self._sleep_until(start, deadline)
        except BaseException:
            self.release()
            raise

    async def _wait_for_slot(self, waiter: AsyncWaiter, deadline: float | None) -> None:
        """Wait until :meth:`release` hands ``waiter`` a slot; TimeoutError at ``deadline``."""
        try:
            # One timed wait: nothing but the hand-off wakes the waiter, and a fake clock would not advance here.
            woken = await waiter.wait(time_left(deadline, self._clock()))
        except BaseException:
            with self._lock:
                if waiter.granted:
                    self._give_back()  # handed a slot just as the wait was cancelled: pass it on
                else:
                    self._waiters.remove(waiter)
            raise
        if woken:
            return
        with self._lock:
            if waiter.granted:
                return  # handed a slot just as the wait timed out: use it
            self._waiters.remove(waiter)
        raise TimeoutError("no slot for a call came free before the deadline")

    async def _sleep_until(self, start: float, deadline: float | None) -> None:
        """Sleep until ``start``, and longer if a response meanwhile paused all calls."""
        while True:
            with self._lock:
                now = self._clock()
                start = max(start, self._schedule.paused_until)
            if deadline is not None and start > deadline:
                raise TimeoutError(f"the rate limit paused calls for {start - now:.3f}s, past the deadline")
            if start <= now:
                return
            await self._sleep(start - now)

    def release(self, info: RateLimitInfo = NO_LIMIT_INFO) -> None:
        """Give back the slot taken by :meth:`acquire` (once per successful acquire), and learn ``info``, the
        limits the answer announced."""
        with self._lock:
            if not info.is_empty:
                self._schedule.learn(info, self._clock)
            self._give_back()

    def _give_back(self) -> None:
        """Free one slot and hand free slots to the longest waiters; called with the lock held."""
        schedule = self._schedule
        if schedule.in_flight <= 0:
            raise RuntimeError("release() called more often than acquire()")
        schedule.in_flight -= 1
        while self._waiters and schedule.slot_free():
            waiter = self._waiters.popleft()
            schedule.in_flight += 1
            waiter.granted = True
            waiter.wake()
