"""From an answer, or the lack of one, to the SDK's error: through the client, and ``finish`` / ``send_error`` /
``token_of`` themselves."""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Any

import httpx
import pytest

from qualys_sdk import (
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
)
from qualys_sdk._calls import BodyProblem, Call
from qualys_sdk._exchange import EXCHANGE, BodyTooLarge, Exchange, TransportGaveUp
from qualys_sdk._failures import finish, send_error, token_of
from qualys_sdk._policy import NO_LIMIT_INFO, Failure, RateLimitInfo
from tests.core.fakes import API, GATEWAY, USERNAME, gateway, no_wait_client
from tests.support.clock import FakeClock

UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
STATUS_URL = f"{GATEWAY}/ocaapi/v2.0/asset/{UUID}/status"
PROVISION_URL = f"{GATEWAY}/ocaapi/v2.0/asset"


# -- through the client ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(403, json={"_error": {"code": 403, "message": "no OCA"}}), PermissionDeniedError),
        (httpx.Response(200, text=""), ResponseFormatError),
        (httpx.Response(200, text='{"code": 200, "data": {"sta'), ResponseFormatError),
        (httpx.Response(200, json={"code": 200}), ResponseFormatError),
        (httpx.Response(200, text="<html>maintenance</html>"), ResponseFormatError),
        (httpx.Response(404, text="<html>Not Found</html>"), NotFoundError),
    ],
    ids=["403", "empty", "truncated", "wrong-shape", "html-200", "html-404"],
)
def test_error_bodies_map_to_clear_errors(answer: httpx.Response, error: type[QualysError]) -> None:
    with gateway() as mock, no_wait_client(max_retries=0) as client:
        mock.get(STATUS_URL).mock(return_value=answer)
        with pytest.raises(QualysError) as info:
            client.oca.get_status(UUID)
    assert type(info.value) is error
    assert "Traceback" not in str(info.value)
    assert str(info.value)


def test_an_error_message_carries_the_qualys_code() -> None:
    answer = httpx.Response(400, json={"_error": {"code": 400, "message": "ERR-2052 technology is not supported"}})
    with gateway() as mock, no_wait_client() as client:
        mock.get(STATUS_URL).mock(return_value=answer)
        with pytest.raises(BadRequestError) as info:
            client.oca.get_status(UUID)
    assert info.value.code == "ERR-2052"
    assert "ERR-2052 technology is not supported" in str(info.value)
    assert f"GET /ocaapi/v2.0/asset/{UUID}/status: HTTP 400" in str(info.value)


def test_html_error_page_gives_the_status_and_an_excerpt() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</body></html>"
    with gateway() as mock, no_wait_client(max_retries=0) as client:
        mock.get(STATUS_URL).mock(return_value=httpx.Response(502, text=page, headers={"Content-Type": "text/html"}))
        with pytest.raises(InternalServerError) as info:
            client.oca.get_status(UUID)
    assert info.value.status_code == 502
    assert info.value.body_excerpt.startswith("<html><body><h1>502 Bad Gateway</h1>")
    assert len(info.value.body_excerpt) <= 200


def _status_with(kind: str, depth: int) -> bytes:
    """A status answer of the documented shape, but for one extra field nested ``depth`` levels deep."""
    deep = b"[" * depth + b"]" * depth if kind == "list" else b'{"a":' * depth + b"1" + b"}" * depth
    return b'{"code": 200, "data": {"status": "Provision Confirmed", "extra": ' + deep + b"}}"


@pytest.mark.parametrize("depth", [300, 10_000])
@pytest.mark.parametrize("kind", ["list", "dict"])
def test_deeply_nested_json_on_a_200_is_a_format_error(kind: str, depth: int) -> None:
    with gateway() as mock, no_wait_client() as client:
        mock.get(STATUS_URL).mock(return_value=httpx.Response(200, content=_status_with(kind, depth)))
        with pytest.raises(QualysError) as info:
            client.oca.get_status(UUID)
    assert type(info.value) is ResponseFormatError
    assert info.value.status_code == 200


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_json_nested_within_the_limit_is_read(kind: str) -> None:
    with gateway() as mock, no_wait_client() as client:
        mock.get(STATUS_URL).mock(return_value=httpx.Response(200, content=_status_with(kind, 200)))
        assert client.oca.get_status(UUID) == "Provision Confirmed"


def test_an_http_date_retry_after_gives_seconds() -> None:
    when = formatdate(time.time() + 3600, usegmt=True)
    with gateway() as mock, no_wait_client(max_retries=0) as client:
        mock.get(STATUS_URL).mock(return_value=httpx.Response(429, headers={"Retry-After": when}))
        with pytest.raises(RateLimitError) as info:
            client.oca.get_status(UUID)
    assert info.value.retry_after is not None
    assert 3000 < info.value.retry_after <= 3600


def test_an_http_date_retry_after_is_read_with_the_wall_clock_when_the_answer_came() -> None:
    clock = FakeClock()
    when = formatdate(clock.now + 90, usegmt=True)
    url = f"{API}/qps/rest/1.0/get/ca/agentactkey/1"
    with gateway() as mock, no_wait_client(max_retries=0) as client:
        client._core.wall_clock = clock
        mock.get(url).mock(return_value=httpx.Response(409, headers={"Retry-After": when}, text=""))
        with pytest.raises(RateLimitError) as info:
            client.activation_keys.get(1)
    assert info.value.retry_after == 90.0


# -- finish -------------------------------------------------------------------------------------------------------


def _call(problem: BodyProblem | None = None, api: str = "oca") -> Call[Any]:
    return Call(
        api,
        {"method": "GET", "url": "/x"},
        read=lambda response: response.json(),
        convert=lambda parsed: parsed["data"],
        problem=lambda parsed: problem,
    )


def _answer(status: int, *, method: str = "GET", url: str = STATUS_URL, **kwargs: Any) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request(method, url), **kwargs)


def test_finish_returns_the_converted_result() -> None:
    assert finish(_call(), _answer(200, json={"data": [1, 2]})) == [1, 2]


def test_finish_reports_an_unknown_outcome_before_reading_the_body() -> None:
    response = _answer(503, method="POST", url=PROVISION_URL, json={"data": 1})
    response.extensions[EXCHANGE] = Exchange(1, NO_LIMIT_INFO, outcome_unknown=True)
    with pytest.raises(OutcomeUnknownError) as info:
        finish(_call(), response)
    assert info.value.cause is response
    assert info.value.request is response.request


def test_finish_an_error_status_with_an_unreadable_body_is_the_status_error() -> None:
    with pytest.raises(QualysError) as info:
        finish(_call(), _answer(403, text="<html>Forbidden</html>"))
    assert type(info.value) is PermissionDeniedError
    assert isinstance(info.value, APIStatusError)
    assert info.value.body_excerpt == "<html>Forbidden</html>"


def test_finish_a_result_of_another_shape_is_a_format_error() -> None:
    with pytest.raises(QualysError) as info:
        finish(_call(), _answer(200, json={"no data": 1}))
    assert type(info.value) is ResponseFormatError
    assert info.value.status_code == 200
    assert "KeyError" in str(info.value)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("INVALID_REQUEST", BadRequestError),
        ("UNAUTHORIZED", AuthenticationError),
        ("AUTH_CREDENTIALS_NEEDED", AuthenticationError),
        ("OBJECT_NOT_FOUND", NotFoundError),
        ("CA_1001_DUPLICATE_KEY", ConflictError),
        ("SOMETHING_NEW", APIStatusError),
    ],
)
def test_finish_a_qps_error_code_sent_with_http_200(code: str, error: type[APIStatusError]) -> None:
    problem = BodyProblem("it went wrong", code, resolution="try again")
    with pytest.raises(APIStatusError) as info:
        finish(_call(problem, api="qps"), _answer(200, json={"data": 1}))
    assert type(info.value) is error
    assert info.value.code == code
    assert info.value.status_code == 200
    assert "it went wrong (try again)" in str(info.value)


def test_finish_a_409_is_a_conflict_on_the_gateway_and_a_rate_limit_on_the_api_server() -> None:
    with pytest.raises(APIStatusError) as gateway_error:
        finish(_call(), _answer(409, json={}))
    assert type(gateway_error.value) is ConflictError
    with pytest.raises(APIStatusError) as api_error:
        finish(_call(api="qps"), _answer(409, json={}, headers={"X-RateLimit-ToWait-Sec": "12"}))
    assert type(api_error.value) is RateLimitError
    assert api_error.value.retry_after == 12.0


def test_finish_retry_after_comes_from_the_limits_the_transport_read() -> None:
    response = _answer(429, json={}, headers={"Retry-After": "1"})
    response.extensions[EXCHANGE] = Exchange(1, RateLimitInfo(retry_after=42.5))
    with pytest.raises(RateLimitError) as info:
        finish(_call(), response)
    assert info.value.retry_after == 42.5


def test_finish_an_http_date_retry_after_without_the_transport_still_gives_seconds() -> None:
    response = _answer(429, json={}, headers={"Retry-After": formatdate(time.time() + 600, usegmt=True)})
    with pytest.raises(RateLimitError) as info:
        finish(_call(), response)
    assert info.value.retry_after is not None
    assert 500 < info.value.retry_after <= 600


# -- send_error -----------------------------------------------------------------------------------------------------

REQUEST = httpx.Request("GET", STATUS_URL)
PROVISION = httpx.Request("POST", PROVISION_URL)


def _gave_up(
    error: BaseException, failure: Failure | None, *, request: httpx.Request = REQUEST, unknown: bool = False
) -> TransportGaveUp:
    return TransportGaveUp(request, error, failure, attempts=3, outcome_unknown=unknown)


UNSAFE_TIMED_OUT = _gave_up(httpx.ReadTimeout("slow"), Failure.SENT_NO_ANSWER, request=PROVISION, unknown=True)


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (_gave_up(httpx.ConnectError("refused"), Failure.CONNECT), APIConnectionError),
        (_gave_up(httpx.ConnectTimeout("no answer"), Failure.CONNECT), APITimeoutError),
        (_gave_up(httpx.ReadTimeout("slow"), Failure.SENT_NO_ANSWER), APITimeoutError),
        (_gave_up(httpx.RemoteProtocolError("closed"), Failure.SENT_NO_ANSWER), APIConnectionError),
        (_gave_up(httpx.ReadError("reset"), Failure.TRUNCATED), ResponseFormatError),
        (UNSAFE_TIMED_OUT, OutcomeUnknownError),
        (httpx.DecodingError("incorrect header check"), ResponseFormatError),
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.PoolTimeout("no connection free"), APITimeoutError),
    ],
    ids=["connect", "connect-timeout", "read-timeout", "dropped", "cut-short", "unknown", "gzip", "raw", "pool"],
)
def test_send_error_maps_every_failure_to_an_sdk_error(exc: BaseException, error: type[QualysError]) -> None:
    result = send_error(exc, REQUEST)
    assert type(result) is error
    assert str(result)


def test_send_error_a_body_too_large_says_the_limit() -> None:
    result = send_error(BodyTooLarge(REQUEST, 1000, 200), REQUEST)
    assert isinstance(result, ResponseTooLargeError)
    assert (result.limit, result.status_code) == (1000, 200)
    assert "1000 bytes" in str(result)


def test_send_error_an_unknown_outcome_names_the_request_and_cause() -> None:
    cause = httpx.ReadTimeout("slow")
    result = send_error(_gave_up(cause, Failure.SENT_NO_ANSWER, request=PROVISION, unknown=True), PROVISION)
    assert isinstance(result, OutcomeUnknownError)
    assert result.request is PROVISION
    assert result.cause is cause
    assert "POST /ocaapi/v2.0/asset" in str(result)


# -- token_of -------------------------------------------------------------------------------------------------------


def test_token_of_returns_the_token_without_surrounding_space() -> None:
    assert token_of(_answer(201, text="  eyJ.abc.def\n"), USERNAME) == "eyJ.abc.def"
    assert token_of(_answer(200, text="eyJ.abc.def"), USERNAME) == "eyJ.abc.def"


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationError), (403, PermissionDeniedError), (429, RateLimitError), (500, InternalServerError)],
)
def test_token_of_an_error_status(status: int, error: type[APIStatusError]) -> None:
    with pytest.raises(APIStatusError) as info:
        token_of(_answer(status, text="no"), USERNAME)
    assert type(info.value) is error
    assert info.value.status_code == status


def test_token_of_a_401_names_the_user() -> None:
    with pytest.raises(AuthenticationError, match=USERNAME):
        token_of(_answer(401, text=""), USERNAME)


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<html>login</html>", b'{"token": "x"}', b"two words", "t\u00f6ken".encode(), b"tok\x00en"],
    ids=["empty", "blank", "html", "json", "space", "non-ascii", "control"],
)
def test_token_of_a_body_that_is_not_a_token(body: bytes) -> None:
    with pytest.raises(ResponseFormatError) as info:
        token_of(_answer(201, content=body), USERNAME)
    assert info.value.status_code == 201
