"""Injected faults, and the ASGI layer in front of the API routes that applies them and the rate limits.

Faults are matched by a regular expression on the request path and fire for the next N matching calls or
with a probability (drawn from the simulator's seeded random generator). The rate limits and their headers
are in :mod:`.ratelimits`.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from . import mutations, ratelimits
from .answers import api_of
from .auth import Tokens, basic, bearer
from .exceptions import error_for
from .state import Subscription, World

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KINDS = ("status", "latency", "slow_drip", "drop", "drop_after", "token_expired", "mutate")
#: Bounds of a fault's fields: a day of latency at most, a path pattern of reasonable length.
MAX_SECONDS = 86400.0
MAX_PATH_PATTERN = 1000


def _check_int(name: str, value: object, low: int, high: int | None = None) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f"{low} or more"
        raise ValueError(f"{name} must be an integer {bounds}, got {value!r}")


def _check_number(name: str, value: object, low: float, high: float) -> None:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} must be a number {low:g}..{high:g}, got {value!r}")


class DroppedConnection(ConnectionResetError):
    """Raised out of the app to cut the connection; uvicorn closes the socket, a test client sees the error."""


@dataclass
class Fault:
    """One injected fault. ``kind`` is one of :data:`KINDS`.

    ``status``: answer ``status`` (429, 409, 5xx...) without reaching the API, with rate-limit headers and
    ``Retry-After: retry_after`` for 429/409. ``latency``: wait ``seconds`` first. ``slow_drip``: send the
    body ``chunk_size`` bytes at a time, ``seconds`` apart. ``drop``: close the connection unanswered.
    ``drop_after``: let the API apply the request, then close the connection unanswered.
    ``token_expired``: answer 401 as for an expired JWT. ``mutate``: let the API answer, then change the answer
    (``json_patch``, ``xml``, ``status``, ``drop_headers``: see :mod:`.mutations`).
    """

    kind: str
    path: str = ".*"
    times: int | None = 1
    probability: float = 1.0
    #: The answer's status: 503 for a ``status`` fault when not given; a ``mutate`` fault keeps the API's.
    status: int | None = None
    seconds: float = 0.0
    retry_after: int = 17
    chunk_size: int = 16
    json_patch: list[Any] | None = None
    xml: list[Any] | None = None
    drop_headers: list[str] | None = None

    def __post_init__(self) -> None:
        # Checked here, once, so that a bad fault is refused when it is added (400 over /_sim) instead of breaking
        # every later call that it is matched against.
        if not isinstance(self.kind, str) or self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if not isinstance(self.path, str) or len(self.path) > MAX_PATH_PATTERN:
            raise ValueError(f"path must be a regular expression of at most {MAX_PATH_PATTERN} characters")
        try:
            self._pattern = re.compile(self.path)
        except re.error as exc:
            raise ValueError(f"path is not a valid regular expression: {exc}") from None
        if self.times is not None:
            _check_int("times", self.times, 0)
        _check_number("probability", self.probability, 0.0, 1.0)
        if self.status is not None:
            _check_int("status", self.status, 100, 599)
        if self.kind != "mutate" and (self.json_patch, self.xml, self.drop_headers) != (None, None, None):
            raise ValueError("json_patch, xml and drop_headers belong to a mutate fault")
        self._patch = mutations.json_patch(self.json_patch) if self.json_patch is not None else None
        self._edits = mutations.xml_edits(self.xml) if self.xml is not None else ()
        if self.drop_headers is not None and not (
            isinstance(self.drop_headers, list) and all(isinstance(h, str) and h for h in self.drop_headers)
        ):
            raise ValueError("drop_headers must be a list of header names")
        _check_number("seconds", self.seconds, 0.0, MAX_SECONDS)
        _check_int("retry_after", self.retry_after, 0, int(MAX_SECONDS))
        _check_int("chunk_size", self.chunk_size, 1)

    def matches(self, path: str) -> bool:
        """Whether the fault applies to a call to ``path`` (and has calls left)."""
        return (self.times is None or self.times > 0) and self._pattern.search(path) is not None

    def dropped(self) -> set[str]:
        """The names (lower case) of the headers a ``mutate`` fault removes."""
        return {name.lower() for name in self.drop_headers or ()}

    def mutated(self, body: bytes) -> bytes:
        """``body`` as a ``mutate`` fault changes it (a JSON patch on JSON, XML edits on XML)."""
        if self._patch is not None:
            body = mutations.patch_json(body, self._patch)
        if self._edits:
            body = mutations.edit_xml(body, self._edits)
        return body


class Faults:
    """The active faults of one simulator."""

    def __init__(self, world: World) -> None:
        self._world = world
        self.active: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Make ``fault`` active."""
        with self._world.lock:
            self.active.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault."""
        with self._world.lock:
            self.active.clear()

    def fire(self, path: str) -> list[Fault]:
        """The faults that fire for this call (each used up by one)."""
        fired = []
        with self._world.lock:
            for fault in self.active:
                if not fault.matches(path):
                    continue
                if fault.probability < 1.0 and self._world.random.random() >= fault.probability:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                fired.append(fault)
            self.active = [f for f in self.active if f.times is None or f.times > 0]
        return fired


async def _start_unfinished_answer(send: Send) -> None:
    """Begin an answer whose body never comes, before a drop raises :class:`DroppedConnection`.

    An app that raises before starting its answer makes uvicorn send a 500, which is no dropped connection;
    once an answer has started, uvicorn closes the socket instead, and the client's read fails as on a real
    reset. In process, ``httpx.ASGITransport`` re-raises the exception either way.
    """
    await send({"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"1")]})


class FaultLayer:
    """ASGI middleware: faults, rate limits and their headers around the API app."""

    def __init__(self, app: ASGIApp, world: World, faults: Faults, tokens: Tokens) -> None:
        self.app = app
        self.world = world
        self.faults = faults
        self.tokens = tokens

    def _subscription(self, scope: Scope) -> Subscription | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        token = bearer(headers)
        if token is not None:
            claims = self.tokens.claims(token)
            return self.world.get(str(claims.get("sub"))) if claims else None
        credentials = basic(headers)
        return self.world.get(credentials[0]) if credentials else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Apply the faults and rate limits to an HTTP call, then the API (``/_sim`` goes straight through)."""
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/_sim"):
            await self.app(scope, receive, send)
            return
        # The rate limit counts a call when it arrives, before any injected latency: a real server stamps it at its
        # edge, whatever happens after.
        arrived = self.world.clock()
        fired = self.faults.fire(path)
        latency = sum(f.seconds for f in fired if f.kind == "latency")
        terminal = next((f for f in fired if f.kind in ("status", "drop", "token_expired")), None)
        subscription = None if path == "/auth" else self._subscription(scope)
        if terminal is not None:
            if latency:
                await asyncio.sleep(latency)
            if terminal.kind == "drop":
                await _start_unfinished_answer(send)
            await self._fault_response(terminal, path, subscription)(scope, receive, send)
            return
        blocked = ratelimits.take(self.world, subscription, arrived)
        if blocked is not None:
            status = 409 if api_of(path) == "qps" else 429
            headers = ratelimits.limit_headers(subscription, self.world.clock(), blocked=blocked)
            message = ratelimits.blocked_message(path, status, blocked, headers.get("X-RateLimit-ToWait-Sec"))
            await error_for(path, status, message, headers)(scope, receive, send)
            return
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                ratelimits.release(self.world, subscription)

        try:
            if latency:
                # A slow call holds its place among the running calls while it waits.
                await asyncio.sleep(latency)
            await self._forward(scope, receive, send, fired, subscription, answered=release)
        finally:
            release()

    def _fault_response(self, fault: Fault, path: str, subscription: Subscription | None) -> Response:
        if fault.kind == "drop":
            raise DroppedConnection(f"simulated dropped connection on {path}")
        if fault.kind == "token_expired":
            return error_for(path, 401, "JWT expired")
        now = self.world.clock()
        headers: dict[str, str] = {}
        status = fault.status or 503
        message = "Service Unavailable" if status == 503 else "Internal Server Error"
        if status in (409, 429):
            headers = ratelimits.limit_headers(
                subscription, now, blocked=ratelimits.WINDOW, retry_after=fault.retry_after
            )
            if subscription is None or subscription.rate_limit is None:
                headers.update({"X-RateLimit-Limit": "300", "X-RateLimit-Window-Sec": "3600"})
            message = ratelimits.blocked_message(path, status, ratelimits.WINDOW, fault.retry_after)
        elif status < 500:
            message = "Simulated error"
        return error_for(path, status, message, headers)

    async def _forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        fired: list[Fault],
        subscription: Subscription | None,
        *,
        answered: Callable[[], None],
    ) -> None:
        """Run the call; ``answered`` is called as the last of the answer goes out: the call no longer runs then.

        (Counting it as running until the send returns would let a client that got its answer and sent its next
        call at once find its slot still taken: a concurrency block the real service would not give.)
        """
        drop_after = any(f.kind == "drop_after" for f in fired)
        drip = next((f for f in fired if f.kind == "slow_drip"), None)
        extra = ratelimits.limit_headers(subscription, self.world.clock()) if subscription is not None else {}

        async def wrapped(message: Message) -> None:
            if drop_after:
                if message["type"] == "http.response.start":
                    await _start_unfinished_answer(send)
                return
            if message["type"] == "http.response.start" and extra:
                message["headers"] = list(message.get("headers", [])) + [
                    (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()
                ]
            if drip is not None and message["type"] == "http.response.body":
                body: bytes = message.get("body", b"")
                more = bool(message.get("more_body", False))
                size = max(drip.chunk_size, 1)
                for start in range(0, len(body), size):
                    await send({"type": "http.response.body", "body": body[start : start + size], "more_body": True})
                    await asyncio.sleep(drip.seconds)
                if not more:
                    answered()
                await send({"type": "http.response.body", "body": b"", "more_body": more})
                return
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered()
            await send(message)

        mutate = next((f for f in fired if f.kind == "mutate"), None)
        if mutate is not None:
            dropped = mutate.dropped()
            extra = {k: v for k, v in extra.items() if k.lower() not in dropped}
        await self.app(scope, receive, wrapped if mutate is None else _mutating(wrapped, mutate))
        if drop_after:
            raise DroppedConnection(f"simulated dropped connection after {scope.get('path')} was applied")


def _mutating(send: Send, fault: Fault) -> Send:
    """A ``send`` that holds the whole answer, changes it as ``fault`` says, and passes it on in one piece."""
    start: Message = {}
    body = bytearray()

    async def mutate(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body.extend(message.get("body", b""))
        if message.get("more_body", False):
            return
        changed = fault.mutated(bytes(body))
        dropped = fault.dropped() | {"content-length"}
        headers = [(k, v) for k, v in start.get("headers", []) if k.decode("latin-1").lower() not in dropped]
        headers.append((b"content-length", str(len(changed)).encode()))
        status = fault.status if fault.status is not None else start["status"]
        await send({**start, "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": changed, "more_body": False})

    return mutate
