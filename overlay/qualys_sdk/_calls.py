"""One operation, described once for the sync and async clients: its request and how to read its answer.

Resource modules describe each operation as a :class:`Call`; the client runs it the same way for OCA,
CSAM and QPS: build the request, send it through the transport, then convert the answer or raise
(:func:`qualys_sdk._failures.finish`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BodyProblem:
    """What a body says went wrong: a message, a Qualys code (``ERR-2052``, a QPS ``responseCode``), more."""

    message: str | None
    code: str | None = None
    request_id: str | None = None
    resolution: str | None = None


def no_problem(parsed: Any) -> BodyProblem | None:
    return None


@dataclass(slots=True)
class Call(Generic[T]):
    """One operation ready to run.

    ``api`` is ``"oca"`` or ``"csam"`` (the gateway, with a JWT) or ``"qps"`` (the API server, with Basic
    auth); ``request`` the keywords of ``httpx.Client.build_request`` with a URL relative to that API's
    base URL; ``read`` turns the answer into a parsed body (raising ``ValueError`` and kin, or
    ``ResponseFormatError``, when it cannot); ``problem`` finds an error the parsed body reports; ``convert``
    makes the result of a success.
    """

    api: str
    request: dict[str, Any]
    read: Callable[[httpx.Response], Any]
    convert: Callable[[Any], T]
    problem: Callable[[Any], BodyProblem | None] = no_problem


class RequestOptions(TypedDict, total=False):
    """Keywords every API method takes; each defaults to the client's setting.

    ``timeout``: seconds for the whole call, the token fetch, retries and waits included; ``max_retries``:
    retries after the first attempt, for failures that are safe to retry; ``max_response_bytes``: the cap
    on the answer's body, counted after decompression.
    """

    timeout: float | None
    max_retries: int | None
    max_response_bytes: int | None
