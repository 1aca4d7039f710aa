"""The one fake clock of the test suites whose code under test sleeps: its sleep advances it instead of waiting.

(``qualys_sdk.testing.FakeClock``, the simulator's, has no sleep: it moves only when told to.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx


class FakeClock:
    """A clock that moves only when someone sleeps on it (or a test sets ``now``); each sleep is recorded.

    Safe to share between threads: a sleep records itself and moves the clock in one step.
    """

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        # Does not yield to the event loop: the sleeping task moves the clock to exactly the time it asked for.
        self.sleep(seconds)


class Drip(httpx.SyncByteStream):
    """A body that arrives one byte per second of ``clock``, for ever: each read is quick enough for httpx."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def __iter__(self) -> Iterator[bytes]:
        while True:
            self.clock.now += 1.0
            yield b" "
