"""From a raw or generated response to a typed result or one of the SDK's errors: the one place errors are raised.

Resource clients describe each operation as a :class:`Call` (the generated
operation module, its arguments, and how to convert its result); the sync
and async runners here execute it inside a call context, translate every
failure into the error hierarchy, and convert the success.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar

import httpx

from ._errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    QualysError,
    RateLimitError,
    ResponseFormatError,
    excerpt,
    request_of,
)
from ._policy import RateLimitInfo
from ._transport import CallContext, call_context

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


def error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status, APIStatusError)


def status_error(
    response: httpx.Response,
    *,
    message: str | None = None,
    code: str | None = None,
    request_id: str | None = None,
    api_server: bool = False,
) -> APIStatusError:
    """The error for an error response; ``message`` and ``code`` come from the body when it could be read."""
    status = response.status_code
    body = excerpt(response.content)
    if code is None and message:
        found = _ERR_CODE.search(message)
        code = found.group(1) if found else None
    request = request_of(response)
    what = f"{request.method} {request.url.path}" if request is not None else "request"
    text = f"{what}: HTTP {status}" + (f" {code}" if code else "") + f": {message or body or response.reason_phrase}"
    cls = error_class(status)
    if status == 409 and api_server:
        cls = RateLimitError  # the QPS API server blocks calls with 409
    if cls is RateLimitError:
        info = RateLimitInfo.from_headers(response.headers, now=0.0)
        retry_after = info.retry_after if info.retry_after is not None else info.to_wait_sec
        return RateLimitError(
            text, response=response, code=code, request_id=request_id, body_excerpt=body,
            retry_after=None if retry_after is None else float(retry_after),
        )  # fmt: skip
    return cls(text, response=response, code=code, request_id=request_id, body_excerpt=body)


class Runner(Protocol):
    """What resource clients need from ``Qualys``: run one call."""

    def run(self, call: Call[T], *, timeout: float | None, max_retries: int | None) -> T: ...


class AsyncRunner(Protocol):
    """What async resource clients need from ``AsyncQualys``."""

    async def run(self, call: Call[T], *, timeout: float | None, max_retries: int | None) -> T: ...


# Not frozen: one is made for every SDK call, and a frozen dataclass pays for object.__setattr__ on each field.
@dataclass(slots=True)
class Call(Generic[T]):
    """One generated operation, ready to run: module (``sync_detailed``/``asyncio_detailed``), arguments, converter."""

    operation: ModuleType
    kwargs: dict[str, Any]
    convert: Callable[[Any], T]
    client: str = "oca"
    error_fields: Callable[[Any], tuple[str | None, str | None, str | None]] = field(
        default=lambda parsed: (None, None, None)
    )


def _unreadable(ctx: CallContext, exc: Exception) -> QualysError:
    raw = ctx.last_response
    if raw is None:
        return ResponseFormatError(f"the response could not be read: {type(exc).__name__}")
    if raw.status_code >= 400:
        # An error status with a body that is not the documented shape (an HTML page from a proxy, say).
        return status_error(raw)
    return ResponseFormatError(
        f"HTTP {raw.status_code} with a body that is not the documented shape ({type(exc).__name__})",
        body_excerpt=excerpt(raw.content),
        status_code=raw.status_code,
    )


def finish(call: Call[T], detailed: Any, ctx: CallContext) -> T:
    raw = ctx.last_response
    if detailed.status_code >= 400:
        message, code, request_id = call.error_fields(detailed.parsed)
        raise status_error(raw or _as_response(detailed), message=message, code=code, request_id=request_id)
    try:
        return call.convert(detailed.parsed)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _unreadable(ctx, exc) from None


def _as_response(detailed: Any) -> httpx.Response:
    return httpx.Response(int(detailed.status_code), headers=detailed.headers, content=detailed.content)


_GENERATED_READ_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


def run_sync(call: Call[T], client: Any, *, timeout: float | None, max_retries: int | None) -> T:
    with call_context(timeout=timeout, max_retries=max_retries) as ctx:
        try:
            detailed = call.operation.sync_detailed(client=client, **call.kwargs)
        except QualysError:
            raise
        except httpx.HTTPError as exc:
            raise APIConnectionError(f"the call failed: {type(exc).__name__}: {exc}") from exc
        except _GENERATED_READ_ERRORS as exc:
            raise _unreadable(ctx, exc) from None
        return finish(call, detailed, ctx)


async def run_async(call: Call[T], client: Any, *, timeout: float | None, max_retries: int | None) -> T:
    with call_context(timeout=timeout, max_retries=max_retries) as ctx:
        try:
            detailed = await call.operation.asyncio_detailed(client=client, **call.kwargs)
        except QualysError:
            raise
        except httpx.HTTPError as exc:
            raise APIConnectionError(f"the call failed: {type(exc).__name__}: {exc}") from exc
        except _GENERATED_READ_ERRORS as exc:
            raise _unreadable(ctx, exc) from None
        return finish(call, detailed, ctx)
