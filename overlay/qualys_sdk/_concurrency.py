"""The few waiting primitives whose sync and async forms differ, side by side (as httpcore's ``_synchronization``).

Everything else of the client is written once, in ``_async/``, against the ``Async*`` names here;
``scripts/unasync.py`` writes ``_sync/`` from it by dropping ``async``/``await`` and the ``Async`` prefix, so
``AsyncLock`` becomes :class:`Lock`, ``AsyncWaiter`` :class:`Waiter` and ``async_sleep`` :func:`sleep`.
"""

from __future__ import annotations

import threading
import time
import weakref
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

sleep = time.sleep


# asyncio is imported where it is used: `import qualys_sdk` for the sync client should not pay for it.


async def async_sleep(seconds: float) -> None:
    import asyncio  # noqa: PLC0415

    await asyncio.sleep(seconds)


class Lock:
    """A mutex for threads, held across the sending of a request (the token fetch's single flight)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._lock.release()


class AsyncLock:
    """A mutex for asyncio tasks; one ``asyncio.Lock`` per event loop, so a client survives ``asyncio.run`` twice."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def _lock(self) -> asyncio.Lock:
        import asyncio  # noqa: PLC0415

        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def __aenter__(self) -> None:
        await self._lock().acquire()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._lock().release()


class Waiter:
    """One thread waiting for a slot: ``granted`` is set (under the limiter's lock) before :meth:`wake`."""

    def __init__(self) -> None:
        self.granted = False
        self._event = threading.Event()

    def wake(self) -> None:
        self._event.set()

    def wait(self, timeout: float | None) -> bool:
        """Wait until woken (True) or ``timeout`` seconds pass (False)."""
        return self._event.wait(timeout)


class AsyncWaiter:
    """One task waiting for a slot; woken from the same event loop."""

    def __init__(self) -> None:
        import asyncio  # noqa: PLC0415

        self.granted = False
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    async def wait(self, timeout: float | None) -> bool:
        """Wait until woken (True) or ``timeout`` seconds pass (False)."""
        import asyncio  # noqa: PLC0415

        try:
            async with asyncio.timeout(timeout):
                await self._event.wait()
        except TimeoutError:
            return self._event.is_set()
        return True
