"""Bounds on what one request can make the simulator do, so that bad input gets a 4xx and the server keeps serving.

- bodies: at most :data:`MAX_BODY` bytes (16 MiB; the control plane 1 MiB, ``/auth`` 64 KiB), refused with 413
  from their ``Content-Length`` before anything is read, or as soon as a streamed body passes the bound;
- JSON: at most :data:`MAX_JSON_DEPTH` levels of nesting (400), so that neither the parser nor the schema
  validator recurses without end;
- error answers quote at most :data:`MAX_QUOTE` characters of the input (:func:`clip`).

These are the simulator's own bounds (Qualys documents none; UNCONFIRMED): generous for every documented use
(250 CSAM records, 1000 bulk rows, a device's running-config) and small enough to keep one server healthy.
The bulk provision file is streamed instead (:mod:`.oca.uploads`): refused at its 1001st row, whatever its size.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .errors import SimError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import Message

MAX_BODY = 16 * 1024 * 1024
MAX_CONTROL_BODY = 1024 * 1024
MAX_AUTH_BODY = 64 * 1024
MAX_JSON_DEPTH = 64
#: Longest excerpt of the input an error message quotes, and longest error message.
MAX_QUOTE = 200
MAX_MESSAGE = 1000


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text``, cut to ``limit`` characters (with a marker saying how much was left out)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def too_large(limit: int) -> SimError:
    """The 413 of a body over ``limit`` bytes."""
    return SimError(413, f"Request body too large: at most {limit} bytes are accepted")


def declared_length(request: Request) -> int | None:
    """The request's ``Content-Length``, if it sent one (uvicorn has checked its syntax)."""
    value = request.headers.get("content-length")
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise SimError(400, "Content-Length is not a number")
    return int(value)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The whole body, or :class:`SimError` 413 as soon as it is known to pass ``limit`` bytes."""
    declared = declared_length(request)
    if declared is not None and declared > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def replayed(request: Request, body: bytes) -> Request:
    """A request like ``request`` whose body, already read, is ``body`` (for starlette's form parser)."""
    # Imported here: the backends use this module's bounds and clip(), and hold state without any HTTP framework.
    from starlette.requests import Request  # noqa: PLC0415

    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def depth(value: Any) -> int:
    """How deeply ``value`` (parsed JSON) nests lists and objects, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(raw: bytes) -> Any:
    """``raw`` as JSON (UTF-8, -16 or -32, as ``json.loads`` detects), or :class:`SimError` 400."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise SimError(400, f"request body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:  # UnicodeDecodeError included
        raise SimError(400, clip(f"request body is not valid JSON: {exc}", MAX_QUOTE)) from None
    if depth(value) > MAX_JSON_DEPTH:
        raise SimError(400, f"request body nests deeper than {MAX_JSON_DEPTH} levels")
    return value
