"""The raw exchanges of a check, taken through the httpx client's ``event_hooks`` (the SDK's raw-exchange hook),
and the two guards that make the check safe by construction: only the plan's read-only requests leave, and at
most ``max_calls`` of them.

Both guards raise from the request hook, before the request is sent; the SDK does not catch these exceptions
(they are neither httpx's nor its own), so they end the call that made the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from .plan import Operation, operation_for


class PlanViolation(Exception):
    """A request outside the plan's read-only operations was about to be sent (a bug: refused, not sent)."""


class CallBudgetSpent(Exception):
    """The check reached ``--max-calls`` requests; the request that would pass it was not sent."""


@dataclass(frozen=True, slots=True)
class RawExchange:
    """One request and the answer it got, as they went over the wire (the body read and decompressed).

    Holds credentials (the Authorization header, the /auth form and token) until it is scrubbed for a
    cassette: its repr shows none of that.
    """

    operation: Operation
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...] = field(repr=False)
    request_body: bytes = field(repr=False)
    status: int
    reason: str
    response_headers: tuple[tuple[str, str], ...] = field(repr=False)
    response_body: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        """The first value of a response header, matched case-insensitively."""
        return next((v for k, v in self.response_headers if k.lower() == name.lower()), None)

    @property
    def media_type(self) -> str:
        """The response's media type in lower case, without parameters (``application/json``), or ""."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


def _headers(headers: httpx.Headers) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw)


def raw_exchange(operation: Operation, response: httpx.Response) -> RawExchange:
    request = response.request
    return RawExchange(
        operation=operation,
        method=request.method,
        url=str(request.url),
        request_headers=_headers(request.headers),
        request_body=request.content,
        status=response.status_code,
        reason=response.reason_phrase,
        response_headers=_headers(response.headers),
        response_body=response.read(),
    )


class Capture:
    """The event hooks of a check's httpx client: guard each request, keep each answer.

    ``bases`` maps each host kind (``gateway``, ``api``) to its base URL; a request is matched to a read-only
    operation by its path below that base.
    """

    def __init__(self, max_calls: int) -> None:
        self.max_calls = max_calls
        self.sent = 0
        self.exchanges: list[RawExchange] = []
        self._bases: dict[str, str] = {}

    def bind(self, *, gateway_url: str, api_url: str) -> None:
        self._bases = {"gateway": gateway_url, "api": api_url}

    def hooks(self) -> Mapping[str, list[Callable[[Any], Any]]]:
        return {"request": [self._on_request], "response": [self._on_response]}

    def operation(self, request: httpx.Request) -> Operation | None:
        """The plan's operation this request is, or None."""
        url = request.url
        kinds: tuple[Literal["gateway", "api"], ...] = ("gateway", "api")
        for kind in kinds:
            if kind not in self._bases:
                continue
            base = httpx.URL(self._bases[kind])
            prefix = base.path.rstrip("/")
            same_origin = (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)
            if same_origin and url.path.startswith(prefix + "/"):
                found = operation_for(request.method, url.path[len(prefix) :], kind)
                if found is not None:
                    return found
        return None

    def _on_request(self, request: httpx.Request) -> None:
        if self.operation(request) is None or request.url.query:
            raise PlanViolation(f"refused to send {request.method} {request.url.path}: not a call of the plan")
        if self.sent >= self.max_calls:
            raise CallBudgetSpent(f"--max-calls {self.max_calls} reached; {request.method} {request.url.path} not sent")
        self.sent += 1

    def _on_response(self, response: httpx.Response) -> None:
        operation = self.operation(response.request)
        if operation is not None:  # always, since the request hook let the request through
            self.exchanges.append(raw_exchange(operation, response))
