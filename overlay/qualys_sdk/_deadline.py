"""The deadline of the attempt being sent, for the socket layer (see ``_async/_network.py``).

It travels down only: the transport sets it around one attempt and resets it after; nothing comes back up
this way. ``None`` outside an attempt, or for a call without a total deadline.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

#: The current attempt's deadline, as a reading of :func:`time.monotonic`.
DEADLINE: ContextVar[float | None] = ContextVar("qualys_sdk_deadline", default=None)


def bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    """``timeout`` cut to what is left before the current deadline; ``timeout_error`` if it has passed."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise timeout_error("the call's total deadline passed")
    return left if timeout is None or timeout > left else timeout
