"""The one fake clock of the tests (``qualys_sdk.testing.FakeClock``: its sleep advances it), and a dripping body."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from qualys_sdk.testing import FakeClock


class Drip(httpx.SyncByteStream):
    """A body that arrives one byte per second of ``clock``, for ever: each read is quick enough for httpx."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def __iter__(self) -> Iterator[bytes]:
        while True:
            self.clock.now += 1.0
            yield b" "


__all__ = ["Drip", "FakeClock"]
