"""From an answer, or the failure to get one, to a typed result or an SDK error: the one place API errors are made.

Every call ends in :func:`finish` (an answer came) or :func:`send_error` (none did); the token fetch ends in
:func:`token_of`. HTTP statuses, QPS ``responseCode`` values (often sent with HTTP 200), transport failures,
unknown outcomes and unreadable or oversized bodies all map to :mod:`._errors` here.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from ._calls import BodyProblem, Call
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QualysError,
    RateLimitError,
    ResponseFormatError,
    ResponseTooLargeError,
    excerpt,
    request_of,
)
from ._exchange import EXCHANGE, BodyTooLarge, Exchange, TransportGaveUp
from ._policy import Failure, RateLimitInfo

T = TypeVar("T")

_STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}

#: QPS ``responseCode`` values (often sent with HTTP 200) and the error they mean.
QPS_ERRORS: Mapping[str, type[APIStatusError]] = {
    "INVALID_REQUEST": BadRequestError,
    "UNAUTHORIZED": AuthenticationError,
    "AUTH_CREDENTIALS_NEEDED": AuthenticationError,
    "OBJECT_NOT_FOUND": NotFoundError,
    "INVALID_API_VERSION": BadRequestError,
    "CA_1001_DUPLICATE_KEY": ConflictError,
}

_ERR_CODE = re.compile(r"\b(ERR-\d+)\b")
# Exceptions a generated parser or converter raises on a body of another shape than the documented one.
_UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


def error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status, APIStatusError)


def _what(request: httpx.Request | None) -> str:
    return f"{request.method} {request.url.path}" if request is not None else "request"


def _rate_limit(response: httpx.Response) -> RateLimitInfo:
    exchange: Exchange | None = response.extensions.get(EXCHANGE)
    if exchange is not None:
        return exchange.rate_limit  # read as the answer arrived, HTTP-dates against the wall clock
    return RateLimitInfo.from_headers(response.headers, now=time.time)


def status_error(
    response: httpx.Response, problem: BodyProblem | None = None, *, api_server: bool = False
) -> APIStatusError:
    """The error for an error status; ``problem`` is what the body said, when it could be read."""
    status = response.status_code
    body = excerpt(response.content)
    message, code = (problem.message, problem.code) if problem is not None else (None, None)
    if code is None and message:
        found = _ERR_CODE.search(message)
        code = found.group(1) if found else None
    request_id = problem.request_id if problem is not None else None
    text = f"{_what(request_of(response))}: HTTP {status}" + (f" {code}" if code else "")
    text += f": {message or body or response.reason_phrase}"
    cls = error_class(status)
    if status == 409 and api_server:
        cls = RateLimitError  # the QPS API server blocks calls with 409
    if cls is RateLimitError:
        info = _rate_limit(response)
        retry_after = info.retry_after if info.retry_after is not None else info.to_wait_sec
        return RateLimitError(
            text, response=response, code=code, request_id=request_id, body_excerpt=body,
            retry_after=None if retry_after is None else float(retry_after),
        )  # fmt: skip
    return cls(text, response=response, code=code, request_id=request_id, body_excerpt=body)


def _body_error(response: httpx.Response, problem: BodyProblem) -> APIStatusError:
    """An error a 2xx answer carries in its body (a QPS ``responseCode`` other than SUCCESS)."""
    resolution = f" ({problem.resolution})" if problem.resolution else ""
    text = f"{_what(request_of(response))}: {problem.code or 'no responseCode'}: "
    text += f"{problem.message or excerpt(response.content)}{resolution}"
    cls = QPS_ERRORS.get(problem.code or "", APIStatusError)
    return cls(text, response=response, code=problem.code, body_excerpt=excerpt(response.content))


def _unreadable(response: httpx.Response, exc: BaseException) -> ResponseFormatError:
    if isinstance(exc, ResponseFormatError):
        return ResponseFormatError(
            f"{_what(request_of(response))}: HTTP {response.status_code}: {exc}",
            body_excerpt=exc.body_excerpt,
            status_code=response.status_code,
        )
    reason = "nested too deeply" if isinstance(exc, RecursionError) else type(exc).__name__
    return ResponseFormatError(
        f"{_what(request_of(response))}: HTTP {response.status_code} with a body that is not the documented "
        f"shape ({reason})",
        body_excerpt=excerpt(response.content[:4096]),
        status_code=response.status_code,
    )


def finish(call: Call[T], response: httpx.Response) -> T:
    """The call's result from its answer, or the error the answer means."""
    api_server = call.api == "qps"
    exchange: Exchange | None = response.extensions.get(EXCHANGE)
    request = request_of(response)
    if exchange is not None and exchange.outcome_unknown and request is not None:
        raise OutcomeUnknownError(
            f"{_what(request)} may or may not have been applied (HTTP {response.status_code}); "
            "it is not retried automatically because repeating it is not safe",
            request=request,
            cause=response,
        )
    try:
        parsed = call.read(response)
    except (*_UNREADABLE, ResponseFormatError) as exc:
        if response.status_code >= 400:
            # An error status with a body that is not the documented shape (an HTML page from a proxy, say).
            raise status_error(response, api_server=api_server) from None
        raise _unreadable(response, exc) from None
    problem = call.problem(parsed)
    if response.status_code >= 400:
        raise status_error(response, problem, api_server=api_server)
    if problem is not None:
        raise _body_error(response, problem)
    try:
        return call.convert(parsed)
    except (*_UNREADABLE, ResponseFormatError) as exc:
        raise _unreadable(response, exc) from None


def send_error(exc: BaseException, request: httpx.Request) -> QualysError:
    """The error for a call that got no usable answer (``exc`` from sending ``request``, or the token fetch)."""
    if isinstance(exc, BodyTooLarge):
        return ResponseTooLargeError(
            f"{_what(exc.request)}: HTTP {exc.status_code} with a body larger than the limit of {exc.limit} bytes "
            "(max_response_bytes); reading stopped there",
            limit=exc.limit,
            status_code=exc.status_code,
        )
    if isinstance(exc, TransportGaveUp):
        return _gave_up(exc)
    if isinstance(exc, httpx.DecodingError):
        return ResponseFormatError(f"{_what(request)}: the body could not be decompressed: {exc}")
    return _connection_error(request, exc)


def _gave_up(exc: TransportGaveUp) -> QualysError:
    request, error = exc.request, exc.error
    if exc.outcome_unknown:
        return OutcomeUnknownError(
            f"{_what(request)} may or may not have been applied ({type(error).__name__}: {error}); "
            "it is not retried automatically because repeating it is not safe",
            request=request,
            cause=error,
        )
    if exc.failure is Failure.TRUNCATED:
        return ResponseFormatError(f"{_what(request)}: {error}")
    return _connection_error(request, error)


def _connection_error(request: httpx.Request, error: BaseException) -> APIConnectionError:
    where = f"{request.method} {request.url.scheme}://{request.url.netloc.decode('ascii')}{request.url.path}"
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return APITimeoutError(f"{where} timed out: {error}", request=request)
    return APIConnectionError(f"{where} failed: {type(error).__name__}: {error}", request=request)


def token_of(response: httpx.Response, username: str) -> str:
    """The JWT an ``/auth`` answer carries, or the error it means."""
    if response.status_code == 401:
        raise AuthenticationError(
            f"Qualys rejected the username or password for {username!r} (HTTP 401 from /auth)",
            response=response,
            body_excerpt=excerpt(response.content),
        )
    if response.status_code not in (200, 201):
        raise status_error(response)
    token = response.content.strip()
    # A JWT is printable ASCII without spaces; anything else (an HTML page, JSON, mojibake) is not one.
    if not token or not token.isascii() or not all(33 <= c <= 126 for c in token) or token.startswith((b"<", b"{")):
        raise ResponseFormatError(
            "/auth answered without a token", body_excerpt=excerpt(token[:20]), status_code=response.status_code
        )
    return token.decode("ascii")


def read_json_depth(content: bytes, limit: int = 256) -> None:
    """Refuse JSON nested deeper than ``limit`` levels (json's own parser only stops near the recursion limit).

    Counting brackets is cheap and settles the usual body; a body with more brackets than the limit is parsed
    and its containers walked without recursion.
    """
    if content.count(b"[") + content.count(b"{") <= limit:
        return
    level: list[tuple[Any, int]] = [(json.loads(content), 1)]
    while level:
        value, depth = level.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    raise ResponseFormatError(f"JSON nested deeper than {limit} levels",
                                              body_excerpt=excerpt(content[:4096]))  # fmt: skip
                level.append((child, depth + 1))


def parsed_json(operation: Any, client: Any) -> Any:
    """A reader for ``Call.read``: the generated operation's own parser, behind the depth check."""

    def read(response: httpx.Response) -> Any:
        read_json_depth(response.content)
        return operation._parse_response(client=client, response=response)

    return read
