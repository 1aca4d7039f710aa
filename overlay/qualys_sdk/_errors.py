"""The one error hierarchy of qualys-sdk.

Users catch :class:`QualysError` or one of its subclasses; no httpx,
xsdata or generated exception leaks out of the SDK. The names follow the
openai and anthropic SDKs::

    QualysError
    ├── ConfigurationError            bad arguments, environment or config file
    ├── InputValidationError          bad input rows (file, line, field); nothing was sent
    ├── ResponseFormatError           the server sent something the SDK cannot read
    │   └── ResponseTooLargeError         a body over the size cap (counted after decompression)
    └── APIError
        ├── APIStatusError            the server answered with an error
        │   ├── BadRequestError           400, QPS INVALID_REQUEST
        │   ├── AuthenticationError       401, QPS UNAUTHORIZED / AUTH_CREDENTIALS_NEEDED
        │   ├── PermissionDeniedError     403
        │   ├── NotFoundError             404, QPS OBJECT_NOT_FOUND
        │   ├── ConflictError             409 that is not a rate-limit block
        │   ├── RateLimitError            429, and 409 from the QPS API server (retry_after)
        │   └── InternalServerError       5xx
        ├── APIConnectionError        no answer
        │   └── APITimeoutError
        └── OutcomeUnknownError       a non-idempotent call may or may not have been applied

Messages never carry a password, a token or an Authorization header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

EXCERPT_CHARS = 200


def excerpt(body: bytes | str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a body, on one line, for an error message: never the whole body."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def request_of(response: httpx.Response) -> httpx.Request | None:
    """The request a response answers, or None for a response built without one."""
    try:
        return response.request
    except RuntimeError:
        return None


class QualysError(Exception):
    """Base class of every error qualys-sdk raises."""


class ConfigurationError(QualysError, ValueError):
    """Arguments, environment variables or the config file do not make a usable client."""


class ResponseFormatError(QualysError):
    """The server sent a body the SDK cannot read: malformed, truncated, refused as unsafe, or of another shape.

    ``body_excerpt`` holds at most 200 characters of it.
    """

    def __init__(self, message: str, *, body_excerpt: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.body_excerpt = body_excerpt[:EXCERPT_CHARS]
        self.status_code = status_code


class ResponseTooLargeError(ResponseFormatError):
    """A response body grew past the size cap (``max_response_bytes``, counted after decompression).

    ``limit`` is the cap in bytes; reading stopped there, so a gzip bomb or an endless body costs at most that.
    """

    def __init__(self, message: str, *, limit: int, status_code: int | None = None) -> None:
        super().__init__(message, status_code=status_code)
        self.limit = limit


@dataclass(frozen=True)
class InputProblem:
    """One problem with one input record: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        field = f" field {self.field!r}" if self.field else ""
        return f"{where}{field}: {self.message}" if where or field else self.message


class InputValidationError(QualysError, ValueError):
    """Input records failed validation before anything was sent. ``problems`` lists every one."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} input problem(s): {shown}{more}")

    @property
    def first(self) -> InputProblem:
        """The first problem listed."""
        return self.problems[0]


class APIError(QualysError):
    """A call to Qualys failed. ``request`` is the httpx request (its Authorization header is never shown)."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIStatusError(APIError):
    """The server answered with an error status or an error ``responseCode`` (QPS errors often come with HTTP 200).

    ``status_code``: the HTTP status; ``code``: the Qualys error code when there is one (``ERR-2052``, a QPS
    ``responseCode`` such as ``INVALID_REQUEST``); ``request_id``: the server's request id when it sends one.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        code: str | None = None,
        request_id: str | None = None,
        body_excerpt: str = "",
    ) -> None:
        super().__init__(message, request=request_of(response))
        self.response = response
        self.status_code = response.status_code
        self.code = code
        self.request_id = request_id
        self.body_excerpt = body_excerpt[:EXCERPT_CHARS]


class BadRequestError(APIStatusError):
    """400, or QPS ``INVALID_REQUEST``."""


class AuthenticationError(APIStatusError):
    """401, or QPS ``UNAUTHORIZED`` / ``AUTH_CREDENTIALS_NEEDED``: wrong credentials or an expired token."""


class PermissionDeniedError(APIStatusError):
    """403: the user or subscription may not use this API."""


class NotFoundError(APIStatusError):
    """404, or QPS ``OBJECT_NOT_FOUND`` (missing, or outside the user's scope)."""


class ConflictError(APIStatusError):
    """409 that is not a rate-limit block."""


class RateLimitError(APIStatusError):
    """The call was blocked by a rate or concurrency limit (gateway 429, API-server 409).

    ``retry_after``: seconds to wait before the next call will not be blocked, when the server said.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        code: str | None = None,
        request_id: str | None = None,
        body_excerpt: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, response=response, code=code, request_id=request_id, body_excerpt=body_excerpt)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx."""


class APIConnectionError(APIError):
    """No answer from the server: it could not be reached, or the connection broke."""


class APITimeoutError(APIConnectionError):
    """The call did not finish within its timeout or its total deadline."""


class OutcomeUnknownError(APIError):
    """A call that is not safe to repeat may or may not have been applied by the server.

    Raised instead of retrying a provision, an upload or an import after a timeout, a dropped
    connection or a 5xx. ``request`` is the request that was sent; ``cause`` what happened. Check
    the server's state (for a provision: the asset status or a bulk re-send, which skips assets
    that exist) before sending it again.
    """

    def __init__(self, message: str, *, request: httpx.Request, cause: BaseException | httpx.Response) -> None:
        super().__init__(message, request=request)
        self.cause = cause
