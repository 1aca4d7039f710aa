"""The client-side limiter, sync and async, driven by a fake clock whose sleep advances it.

A limiter learns the server's limits only as a call gives its slot back (``release(info)``), so a test
announces limits with a call whose answer carries them. Behaviour both limiters share runs against each
through a small driver; what needs real concurrency (threads, tasks, waiting in line) has its own tests,
and what the schedule does with a single announcement is tested on :class:`Schedule` itself.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine
from typing import Protocol

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualys_sdk._async._limiter import AsyncLimiter
from qualys_sdk._errors import ConfigurationError
from qualys_sdk._policy import NO_LIMIT_INFO, RateLimitInfo
from qualys_sdk._schedule import DEFAULT_CONCURRENCY, Schedule, pacing_margin, time_left
from qualys_sdk._sync._limiter import Limiter
from tests.support.clock import FakeClock

T0 = 1000.0
# Real seconds after which a thread or task that never got its slot counts as hung: a safety net so that a
# broken limiter fails the test instead of blocking the run, never reached when the limiter works.
HANG = 10.0


def paced(window: float) -> float:
    """The least time between a start and the ``limit``-th start after it: the window and the pacing margin.

    Computed as the schedule computes it, so that expected start times match to the last bit.
    """
    return window + pacing_margin(window)


class Interrupted(Exception):
    """Raised from inside the limiter's sleep, as a KeyboardInterrupt or a timeout of the caller would be."""


class Driver(Protocol):
    """One limiter, sync or async, behind the same blocking calls."""

    clock: FakeClock
    #: Runs after each sleep of the limiter has moved the clock: what happens while a call waits.
    on_sleep: Callable[[], None] | None

    def acquire(self, deadline: float | None = None) -> None: ...
    def release(self, info: RateLimitInfo = NO_LIMIT_INFO) -> None: ...
    def in_flight(self) -> int: ...
    def concurrency_limit(self) -> int | None: ...


class _Shared:
    """What both drivers do alike: everything but acquire, the one call that may wait."""

    limiter: Limiter | AsyncLimiter

    def __init__(self) -> None:
        self.clock = FakeClock(T0)
        self.on_sleep: Callable[[], None] | None = None

    def sleep(self, seconds: float) -> None:
        """The limiter's sleep: the fake clock's, then whatever the test has happen meanwhile."""
        assert seconds > 0, "the limiter asked for a sleep of nothing"
        self.clock.sleep(seconds)
        if self.on_sleep is not None:
            self.on_sleep()

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def release(self, info: RateLimitInfo = NO_LIMIT_INFO) -> None:
        self.limiter.release(info)

    def in_flight(self) -> int:
        return self.limiter.in_flight

    def concurrency_limit(self) -> int | None:
        return self.limiter.concurrency_limit


class SyncDriver(_Shared):
    def __init__(self, max_concurrency: int | None) -> None:
        super().__init__()
        self.limiter = self._sync = Limiter(self.clock, self.sleep, max_concurrency=max_concurrency)

    def acquire(self, deadline: float | None = None) -> None:
        self._sync.acquire(deadline)


class AsyncDriver(_Shared):
    def __init__(self, max_concurrency: int | None) -> None:
        super().__init__()
        self.limiter = self._async = AsyncLimiter(self.clock, self.async_sleep, max_concurrency=max_concurrency)

    def acquire(self, deadline: float | None = None) -> None:
        run(self._async.acquire(deadline))


MakeDriver = Callable[..., Driver]


@pytest.fixture(params=[SyncDriver, AsyncDriver], ids=["sync", "async"])
def make(request: pytest.FixtureRequest) -> MakeDriver:
    kind: type[SyncDriver | AsyncDriver] = request.param

    def build(max_concurrency: int | None = None) -> Driver:
        return kind(max_concurrency)

    return build


def run(main: Coroutine[None, None, None]) -> None:
    """asyncio.run with the hang guard."""
    asyncio.run(asyncio.wait_for(main, HANG))


def call(driver: Driver, deadline: float | None = None, info: RateLimitInfo = NO_LIMIT_INFO) -> float:
    """One call: acquire, note when it started, release with what its answer announced."""
    driver.acquire(deadline)
    started = driver.clock()
    driver.release(info)
    return started


# ---------------------------------------------------------------------------------------------------------------
# Both limiters


# Without a max_concurrency, the Qualys default of 2.
@pytest.mark.parametrize(("max_concurrency", "cap"), [(None, 2), (1, 1), (5, 5), (50, 50)])
def test_before_any_header_only_the_concurrency_cap_holds(
    make: MakeDriver, max_concurrency: int | None, cap: int
) -> None:
    driver = make(max_concurrency)
    assert driver.concurrency_limit() == cap
    for _ in range(cap):
        driver.acquire(deadline=driver.clock())  # would raise if it had to wait at all
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=driver.clock())
    assert driver.in_flight() == cap
    for _ in range(cap):
        driver.release()
    # No pacing yet: one call after another goes out at once, however many.
    assert [call(driver, deadline=driver.clock()) for _ in range(50)] == [T0] * 50
    assert driver.clock.sleeps == []


def test_release_learns_what_the_answer_announced(make: MakeDriver) -> None:
    # The transport hands a response's limits over as it gives the slot back, in one step.
    driver = make()
    driver.acquire()
    driver.release(RateLimitInfo(concurrency_limit=5, limit=3, window_sec=10, remaining=0, to_wait_sec=4))
    assert driver.in_flight() == 0
    assert driver.concurrency_limit() == 5
    assert call(driver) == T0 + 4  # waits out the announced pause
    assert driver.clock.sleeps == [4.0]


def test_responses_without_limits_change_nothing(make: MakeDriver) -> None:
    driver = make()
    call(driver, info=RateLimitInfo())
    call(driver, info=RateLimitInfo(concurrency_running=5, remaining=3))
    call(driver, info=RateLimitInfo(limit=0, window_sec=100, concurrency_limit=0))  # would stop every call for good
    call(driver, info=RateLimitInfo(limit=1, window_sec=0))  # a window of nothing
    assert driver.concurrency_limit() == DEFAULT_CONCURRENCY
    for _ in range(DEFAULT_CONCURRENCY):
        driver.acquire(deadline=driver.clock())
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=driver.clock())
    for _ in range(DEFAULT_CONCURRENCY):
        driver.release()
    assert [call(driver, deadline=driver.clock()) for _ in range(10)] == [T0] * 10
    assert driver.clock.sleeps == []


@pytest.mark.parametrize(
    ("max_concurrency", "announced", "cap"),
    [
        (None, None, DEFAULT_CONCURRENCY),
        (3, None, 3),
        (None, 2, 2),
        (None, 1, 1),
        (None, 5, 5),
        (1, 3, 1),
        (5, 2, 2),
        (2, 2, 2),
    ],
)
def test_concurrency_cap(make: MakeDriver, max_concurrency: int | None, announced: int | None, cap: int) -> None:
    driver = make(max_concurrency)
    call(driver, info=RateLimitInfo(concurrency_limit=announced))
    assert driver.concurrency_limit() == cap
    for _ in range(cap):
        driver.acquire(deadline=driver.clock())
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=driver.clock())
    driver.release()
    driver.acquire(deadline=driver.clock())
    assert driver.in_flight() == cap


def test_the_latest_header_sets_the_cap_within_the_user_cap(make: MakeDriver) -> None:
    driver = make(2)
    call(driver, info=RateLimitInfo(concurrency_limit=1))
    assert driver.concurrency_limit() == 1
    call(driver, info=RateLimitInfo(concurrency_limit=8))
    assert driver.concurrency_limit() == 2


def test_a_burst_of_limit_calls_in_a_fresh_window_starts_at_once(make: MakeDriver) -> None:
    driver = make()
    call(driver, info=RateLimitInfo(limit=5, window_sec=100, concurrency_limit=5))
    fresh = driver.clock.now = T0 + 200  # the announcing call has left the window
    for _ in range(5):
        driver.acquire(deadline=fresh)  # would raise if it had to wait at all
    assert driver.in_flight() == 5
    assert driver.clock.sleeps == []
    for _ in range(5):
        driver.release()
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=fresh + 99)  # a sixth start would put six into the window from `fresh`
    assert call(driver) == fresh + paced(100)  # once the first start has left the window, and the margin passed


def test_at_most_limit_starts_in_any_window(make: MakeDriver) -> None:
    driver = make()
    # The call whose answer announces the limit counts in the window like every other.
    starts = [call(driver, info=RateLimitInfo(limit=5, window_sec=100, remaining=4))]
    starts += [call(driver) for _ in range(11)]
    # Each full window waits for its oldest start to leave it (and the margin): bursts of five, 100 s apart.
    second = T0 + paced(100)
    third = second + paced(100)
    assert starts == [T0] * 5 + [second] * 5 + [third] * 2
    assert driver.clock.sleeps == [pytest.approx(paced(100))] * 2


def test_the_window_counts_the_calls_sent_before_the_limit_was_known(make: MakeDriver) -> None:
    driver = make()
    driver.acquire()
    driver.acquire()
    driver.clock.now += 0.125
    driver.release(RateLimitInfo(limit=3, window_sec=1))
    driver.release()
    # The two calls at T0 hold two of the window's three starts: one more now, the next once they leave it.
    assert call(driver) == T0 + 0.125
    assert call(driver) == T0 + paced(1)
    assert call(driver) == T0 + paced(1)
    assert call(driver) == T0 + 0.125 + paced(1)


def test_a_limit_beyond_the_remembered_history_still_holds() -> None:
    # Sync only: the schedule is shared, and 600 event loops would slow the run for nothing.
    driver = SyncDriver(None)
    call(driver, info=RateLimitInfo(limit=600, window_sec=10))
    assert [call(driver, deadline=T0) for _ in range(599)] == [T0] * 599
    assert call(driver) == T0 + paced(10)


def test_a_newcomer_never_starts_before_a_call_already_waiting_on_the_window() -> None:
    driver = SyncDriver(None)
    driver.acquire()  # a call still in flight when the limit is announced
    call(driver, info=RateLimitInfo(limit=1, window_sec=100))
    raised: list[BaseException] = []

    def meanwhile() -> None:
        # While the next call waits for T0 + 100 (and the margin), the call in flight comes back with a larger
        # limit and a newcomer asks: the window would have room at T0, but the starts are booked in order.
        driver.on_sleep = None
        driver.clock.now = T0  # on_sleep runs once the clock has moved: the newcomer asks before that
        driver.release(RateLimitInfo(limit=5, window_sec=100))
        try:
            driver.acquire(deadline=T0 + 99)
        except TimeoutError as exc:
            raised.append(exc)
        driver.clock.now = T0 + paced(100)

    driver.on_sleep = meanwhile
    driver.acquire()
    assert driver.clock() == T0 + paced(100)
    assert len(raised) == 1
    assert driver.in_flight() == 1


def test_pacing_adds_no_delay_to_calls_already_within_the_limit(make: MakeDriver) -> None:
    driver = make()
    info = RateLimitInfo(limit=4, window_sec=1)
    # Every answer announces the limit; the fifth call asks just as the first leaves the window and the margin passed.
    for asked in [T0, T0 + 0.25, T0 + 0.5, T0 + 0.75, T0 + paced(1)]:
        driver.clock.now = asked
        assert call(driver, info=info) == asked
    assert driver.clock.sleeps == []


def earliest_start(history: list[float], asked: float, limit: int | None, window: float) -> float:
    """Reference model of the sliding window: the earliest moment from ``asked`` on at which the window
    ending there, widened by the pacing margin, ``(t - window - margin, t]``, holds fewer than ``limit`` of
    the earlier starts (all at or before ``asked``). The answer is ``asked`` or the moment one of those
    starts leaves the widened window.
    """
    if limit is None:
        return asked
    span = paced(window)
    candidates = sorted({asked, *(s + span for s in history if s + span > asked)})
    return next(t for t in candidates if sum(1 for s in history if s + span > t) < limit)


@given(
    limit=st.integers(min_value=1, max_value=8),
    # Windows and gaps stay below T0, so that the fake clock lands on each start exactly (Sterbenz).
    window=st.integers(min_value=1, max_value=600),
    announcer=st.integers(min_value=0, max_value=3),
    gaps=st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=200.0)),
        min_size=1,
        max_size=30,
    ),
)
def test_each_call_starts_as_early_as_the_window_allows(
    limit: int, window: int, announcer: int, gaps: list[float]
) -> None:
    driver = SyncDriver(None)
    info = RateLimitInfo(limit=limit, window_sec=window)
    starts: list[float] = []
    for i, gap in enumerate(gaps):
        driver.clock.now += gap
        asked = driver.clock()
        # Call number `announcer` brings the limit back; the calls up to it started without knowing it.
        started = call(driver, info=info if i == announcer else NO_LIMIT_INFO)
        assert started == earliest_start(starts, asked, limit if i > announcer else None, window)
        starts.append(started)
    # Never more than `limit` starts in any window of `window` seconds, and the margin, that holds a start made
    # once the limit was known (the calls before it could not know).
    for i in range(len(starts) - limit):
        if i + limit > announcer:
            assert starts[i] + paced(window) <= starts[i + limit]


@pytest.mark.parametrize(
    ("info", "pause"),
    [
        pytest.param(RateLimitInfo(remaining=0, to_wait_sec=42), 42.0, id="remaining-0-to-wait"),
        pytest.param(RateLimitInfo(to_wait_sec=42), 42.0, id="to-wait-alone"),
        pytest.param(RateLimitInfo(retry_after=7.5), 7.5, id="retry-after"),
        pytest.param(RateLimitInfo(remaining=0, to_wait_sec=42, retry_after=5.0), 5.0, id="retry-after-wins"),
        pytest.param(RateLimitInfo(remaining=3, to_wait_sec=42), 0.0, id="calls-remaining"),
        pytest.param(RateLimitInfo(remaining=0, to_wait_sec=0), 0.0, id="nothing-to-wait"),
        pytest.param(RateLimitInfo(remaining=0), 0.0, id="remaining-0-alone"),
    ],
)
def test_a_blocked_window_holds_new_calls_until_it_ends(make: MakeDriver, info: RateLimitInfo, pause: float) -> None:
    driver = make()
    call(driver, info=info)
    assert call(driver) == T0 + pause
    assert driver.clock.sleeps == ([pause] if pause else [])


def test_a_pause_counts_from_when_the_answer_came_back(make: MakeDriver) -> None:
    driver = make()
    driver.acquire()
    driver.clock.now = T0 + 10  # the call took ten seconds
    driver.release(RateLimitInfo(remaining=0, to_wait_sec=42))
    assert call(driver) == T0 + 52


def test_a_pause_learned_during_a_wait_extends_it(make: MakeDriver) -> None:
    driver = make()
    call(driver, info=RateLimitInfo(limit=2, window_sec=20))
    driver.acquire()  # in flight while the next call waits: the window (and the margin) is full until T0 + 20

    def blocked_meanwhile() -> None:
        driver.on_sleep = None
        driver.release(RateLimitInfo(remaining=0, to_wait_sec=100))

    driver.on_sleep = blocked_meanwhile
    assert call(driver) == T0 + paced(20) + 100
    assert driver.clock.sleeps == [pytest.approx(paced(20)), pytest.approx(100.0)]


def test_a_deadline_the_pause_would_pass_raises_without_sleeping(make: MakeDriver) -> None:
    driver = make()
    call(driver, info=RateLimitInfo(remaining=0, to_wait_sec=42))
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=T0 + 41)
    assert driver.clock.sleeps == []
    assert driver.in_flight() == 0
    assert call(driver, deadline=T0 + 42) == T0 + 42  # a call may start right at its deadline


def test_a_deadline_the_full_window_would_pass_raises_and_keeps_the_turn_free(make: MakeDriver) -> None:
    driver = make()
    call(driver, info=RateLimitInfo(limit=2, window_sec=20))
    call(driver)
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=T0 + 19)
    assert driver.clock.sleeps == []
    assert driver.in_flight() == 0
    # The failed call booked no start: both of the next window's starts are still free.
    assert call(driver) == T0 + paced(20)
    assert call(driver) == T0 + paced(20)


def test_a_pause_learned_during_a_wait_respects_the_deadline(make: MakeDriver) -> None:
    driver = make()
    call(driver, info=RateLimitInfo(limit=2, window_sec=20))
    driver.acquire()  # the next call waits until T0 + 20 (and the margin), and learns of a 100 s pause then
    driver.on_sleep = lambda: driver.release(RateLimitInfo(remaining=0, to_wait_sec=100))
    with pytest.raises(TimeoutError):
        driver.acquire(deadline=T0 + 50)
    assert driver.clock() <= T0 + 50
    assert driver.in_flight() == 0


def test_a_call_interrupted_while_it_waits_on_the_window_gives_its_slot_back(make: MakeDriver) -> None:
    driver = make(1)
    call(driver, info=RateLimitInfo(limit=1, window_sec=60))

    def interrupt() -> None:
        raise Interrupted

    driver.on_sleep = interrupt
    with pytest.raises(Interrupted):
        driver.acquire()
    assert driver.clock.sleeps == [pytest.approx(paced(60))]
    assert driver.in_flight() == 0


def test_release_without_acquire_is_an_error(make: MakeDriver) -> None:
    driver = make()
    with pytest.raises(RuntimeError, match="more often than acquire"):
        driver.release()
    driver.acquire()
    driver.release()
    with pytest.raises(RuntimeError, match="more often than acquire"):
        driver.release()


@pytest.mark.parametrize("value", [0, -1, True, 1.5])
@pytest.mark.parametrize("kind", [Limiter, AsyncLimiter])
def test_max_concurrency_must_be_a_positive_whole_number(kind: type[Limiter | AsyncLimiter], value: object) -> None:
    with pytest.raises(ConfigurationError, match="max_concurrency"):
        kind(max_concurrency=value)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------------
# The schedule on its own: what one announcement does


def test_a_pause_counts_from_the_arrival_the_schedule_is_told() -> None:
    schedule = Schedule(None)
    schedule.learn(RateLimitInfo(remaining=0, to_wait_sec=42), T0 - 40)
    assert schedule.reserve(T0, None) == T0 + 2


def test_the_schedule_reads_the_clock_only_when_a_pause_starts() -> None:
    reads: list[float] = []

    def clock() -> float:
        reads.append(T0)
        return T0

    schedule = Schedule(None)
    schedule.learn(RateLimitInfo(limit=5, window_sec=10, remaining=4, to_wait_sec=9, concurrency_limit=3), clock)
    assert reads == []
    schedule.learn(RateLimitInfo(retry_after=5.0), clock)
    assert reads == [T0]
    assert schedule.reserve(T0, None) == T0 + 5


def test_a_shorter_pause_never_cuts_a_longer_one_short() -> None:
    schedule = Schedule(None)
    schedule.learn(RateLimitInfo(remaining=0, to_wait_sec=100), T0)
    schedule.learn(RateLimitInfo(retry_after=5.0), T0 + 1)
    with pytest.raises(TimeoutError):
        schedule.reserve(T0 + 1, T0 + 99)
    assert schedule.reserve(T0 + 1, None) == T0 + 100


def test_time_left() -> None:
    assert time_left(None, T0) is None
    assert time_left(T0 + 3, T0) == 3
    for deadline in (T0, T0 - 1):
        with pytest.raises(TimeoutError):
            time_left(deadline, T0)


# ---------------------------------------------------------------------------------------------------------------
# Sync: threads


def yielding_sleep(clock: FakeClock) -> Callable[[float], None]:
    """The fake clock's sleep, letting other threads run as a real sleep would."""

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        os.sched_yield()

    return sleep


def test_threads_never_exceed_the_announced_concurrency() -> None:
    clock = FakeClock(T0)
    limiter = Limiter(clock, yielding_sleep(clock))
    limiter.acquire()
    limiter.release(RateLimitInfo(concurrency_limit=3, limit=20, window_sec=10))
    threads, rounds = 8, 25
    guard = threading.Lock()
    active = peak = calls = 0
    errors: list[BaseException] = []
    ready = threading.Barrier(threads)

    def worker() -> None:
        nonlocal active, peak, calls
        try:
            ready.wait()
            for _ in range(rounds):
                limiter.acquire()
                try:
                    with guard:
                        active += 1
                        peak = max(peak, active)
                        calls += 1
                    for _ in range(20):
                        os.sched_yield()  # give the others every chance to crowd in
                    with guard:
                        active -= 1
                finally:
                    limiter.release()
        except BaseException as exc:  # reported below: pytest would only warn about a thread's exception
            errors.append(exc)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=HANG)
    assert not any(thread.is_alive() for thread in pool), "a thread never got a slot"
    assert errors == []
    assert calls == threads * rounds
    assert peak <= 3
    assert (limiter.in_flight, limiter.waiting) == (0, 0)
    # The starts the limiter booked, the announcing call's first (threads sleeping at once push the fake clock
    # past them, so the clock read inside a slot would not tell): never more than 20 in any 10 s and the margin,
    # so the 201 calls took at least 100 s.
    booked = list(limiter._schedule.starts)
    assert len(booked) == calls + 1
    assert booked == sorted(booked)
    assert all(booked[i] + paced(10) <= booked[i + 20] for i in range(len(booked) - 20))
    assert clock.sleeps
    assert clock() >= booked[-1] >= T0 + (len(booked) - 1) // 20 * 10


def _start_waiting(limiter: Limiter, target: Callable[[], None]) -> threading.Thread:
    """Start a thread that queues for a slot, and return once it is in the queue."""
    before = limiter.waiting
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    while limiter.waiting == before and thread.is_alive():
        os.sched_yield()
    return thread


def test_a_freed_slot_goes_to_the_longest_waiter_not_a_newcomer() -> None:
    clock = FakeClock(T0)
    limiter = Limiter(clock, clock.sleep, max_concurrency=1)
    served: list[str] = []

    def waiter(name: str) -> Callable[[], None]:
        def serve() -> None:
            limiter.acquire()
            served.append(name)
            limiter.release()

        return serve

    limiter.acquire()
    first = _start_waiting(limiter, waiter("first"))
    second = _start_waiting(limiter, waiter("second"))
    limiter.release()
    with pytest.raises(TimeoutError):
        limiter.acquire(deadline=clock())  # the slot was handed over, not left for the taking
    first.join(timeout=HANG)
    second.join(timeout=HANG)
    assert not first.is_alive()
    assert not second.is_alive()
    assert served == ["first", "second"]
    assert (limiter.in_flight, limiter.waiting) == (0, 0)


def test_a_waiter_with_a_deadline_gets_a_slot_freed_in_time() -> None:
    clock = FakeClock(T0)
    limiter = Limiter(clock, clock.sleep, max_concurrency=1)
    got: list[bool] = []

    def wait_then_note() -> None:
        limiter.acquire(deadline=clock() + 30)
        got.append(True)

    limiter.acquire()
    thread = _start_waiting(limiter, wait_then_note)
    limiter.release()
    thread.join(timeout=HANG)
    assert not thread.is_alive()
    assert got == [True]
    assert limiter.in_flight == 1


def test_a_raised_cap_lets_every_waiter_it_allows_in() -> None:
    clock = FakeClock(T0)
    limiter = Limiter(clock, clock.sleep)
    limiter.acquire()
    limiter.release(RateLimitInfo(concurrency_limit=1))
    limiter.acquire()
    first = _start_waiting(limiter, limiter.acquire)
    second = _start_waiting(limiter, limiter.acquire)
    # The call in flight comes back announcing two: both waiters get a slot, not only the one it gave back.
    limiter.release(RateLimitInfo(concurrency_limit=2))
    first.join(timeout=HANG)
    second.join(timeout=HANG)
    assert not first.is_alive()
    assert not second.is_alive()
    assert (limiter.in_flight, limiter.waiting) == (2, 0)


def test_waiting_for_a_slot_past_the_deadline_raises() -> None:
    clock = FakeClock(T0)
    limiter = Limiter(clock, clock.sleep, max_concurrency=1)
    limiter.acquire()
    # The wait for a slot runs on the real clock: a millisecond keeps the test fast.
    with pytest.raises(TimeoutError):
        limiter.acquire(deadline=clock() + 0.001)
    assert (limiter.in_flight, limiter.waiting) == (1, 0)
    limiter.release()
    limiter.acquire(deadline=clock())


# ---------------------------------------------------------------------------------------------------------------
# Async: tasks


def test_tasks_never_exceed_the_announced_concurrency_and_keep_the_window() -> None:
    clock = FakeClock(T0)
    limiter = AsyncLimiter(clock, clock.async_sleep)
    active = peak = 0
    starts: list[float] = []

    async def worker() -> None:
        nonlocal active, peak
        for _ in range(5):
            await limiter.acquire()
            try:
                starts.append(clock())
                active += 1
                peak = max(peak, active)
                for _ in range(3):
                    await asyncio.sleep(0)  # let the other tasks try to crowd in
                active -= 1
            finally:
                limiter.release()

    async def main() -> None:
        await limiter.acquire()
        starts.append(clock())
        limiter.release(RateLimitInfo(concurrency_limit=2, limit=4, window_sec=1))
        await asyncio.gather(*(worker() for _ in range(6)))

    run(main())
    assert peak == 2
    bursts = [T0]
    for _ in range(7):
        bursts.append(bursts[-1] + paced(1))
    # Bursts of four, a second (and the margin) apart; the announcing call is the first of the first burst.
    assert starts == [bursts[i // 4] for i in range(31)]
    assert (limiter.in_flight, limiter.waiting) == (0, 0)


def test_async_waiters_are_served_in_order_and_a_raised_cap_lets_them_in() -> None:
    clock = FakeClock(T0)
    limiter = AsyncLimiter(clock, clock.async_sleep, max_concurrency=3)
    served: list[int] = []

    async def waiter(n: int) -> None:
        await limiter.acquire()
        served.append(n)

    async def main() -> None:
        await limiter.acquire()
        limiter.release(RateLimitInfo(concurrency_limit=1))
        await limiter.acquire()
        tasks = [asyncio.create_task(waiter(n)) for n in range(5)]
        await asyncio.sleep(0)
        assert limiter.waiting == 5
        limiter.release()
        with pytest.raises(TimeoutError):
            await limiter.acquire(deadline=clock())  # handed over to waiter 0, not left for the taking
        await asyncio.sleep(0)
        assert served == [0]
        limiter.release(RateLimitInfo(concurrency_limit=5))  # waiter 0 is done; the user's cap of 3 still holds
        await asyncio.sleep(0)
        assert served == [0, 1, 2, 3]
        assert limiter.waiting == 1
        limiter.release()  # waiter 1 is done
        await asyncio.gather(*tasks)
        assert served == [0, 1, 2, 3, 4]

    run(main())
    assert (limiter.in_flight, limiter.waiting) == (3, 0)


def test_async_wait_for_a_slot_past_the_deadline_raises() -> None:
    clock = FakeClock(T0)
    limiter = AsyncLimiter(clock, clock.async_sleep, max_concurrency=1)

    async def main() -> None:
        await limiter.acquire()
        # The wait for a slot runs on the event loop's clock: a millisecond keeps the test fast.
        with pytest.raises(TimeoutError):
            await limiter.acquire(deadline=clock() + 0.001)
        assert (limiter.in_flight, limiter.waiting) == (1, 0)
        limiter.release()
        await limiter.acquire(deadline=clock())

    run(main())


def test_a_cancelled_waiter_leaves_the_line_and_a_slot_handed_to_it_moves_on() -> None:
    clock = FakeClock(T0)
    limiter = AsyncLimiter(clock, clock.async_sleep, max_concurrency=1)

    async def main() -> None:
        await limiter.acquire()
        gone, handed, last = (asyncio.create_task(limiter.acquire()) for _ in range(3))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.sleep(0)
        assert limiter.waiting == 2
        limiter.release()  # hands the slot to `handed`...
        handed.cancel()  # ...which is cancelled before it could run: the slot must reach `last`
        await asyncio.wait([gone, handed, last])
        assert (gone.cancelled(), handed.cancelled(), last.done()) == (True, True, True)
        assert (limiter.in_flight, limiter.waiting) == (1, 0)

    run(main())


def test_a_task_cancelled_while_it_waits_on_the_window_hands_its_slot_on() -> None:
    clock = FakeClock(T0)

    async def main() -> None:
        asleep = asyncio.Event()

        async def sleep_until_cancelled(seconds: float) -> None:
            asleep.set()
            await asyncio.Event().wait()  # never set: only a cancellation ends this sleep

        limiter = AsyncLimiter(clock, sleep_until_cancelled, max_concurrency=1)
        await limiter.acquire()
        limiter.release(RateLimitInfo(limit=1, window_sec=60))
        pacing = asyncio.create_task(limiter.acquire())
        await asleep.wait()
        asleep.clear()
        behind = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0)
        assert (limiter.in_flight, limiter.waiting) == (1, 1)
        pacing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pacing
        await asleep.wait()  # `behind` got the slot, and waits on the window in its turn
        assert (limiter.in_flight, limiter.waiting) == (1, 0)
        behind.cancel()
        with pytest.raises(asyncio.CancelledError):
            await behind
        assert (limiter.in_flight, limiter.waiting) == (0, 0)

    run(main())
