"""Retries, rate limits, the total deadline, the size cap and the no-retry rule for calls that are not safe to repeat.

Through the client (respx, or a user's httpx client with a mock transport) for what a caller sees; through
:class:`RetryTransport` itself, with a fake clock, for the waits, the deadline and what it hands back.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any

import httpx
import pytest

from qualys_sdk import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    OutcomeUnknownError,
    Qualys,
    RateLimitError,
    ResponseFormatError,
    ResponseTooLargeError,
)
from qualys_sdk._exchange import EXCHANGE, OPTIONS, BodyTooLarge, CallOptions, Exchange, RetryCore, TransportGaveUp
from qualys_sdk._policy import Failure, RetryPolicy
from qualys_sdk._sync._limiter import Limiter
from qualys_sdk._sync._transport import RetryTransport
from tests.core.fakes import API, GATEWAY, gateway, no_wait_async_client, no_wait_client
from tests.support.clock import Drip, FakeClock

Handler = Callable[[httpx.Request], httpx.Response]

UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
STATUS_PATH = f"/ocaapi/v2.0/asset/{UUID}/status"
STATUS_URL = f"{GATEWAY}{STATUS_PATH}"
PROVISION_URL = f"{GATEWAY}/ocaapi/v2.0/asset"


def ok_status(status: str = "Provision Confirmed") -> httpx.Response:
    return httpx.Response(200, json={"code": 200, "data": {"status": status}})


def ok_provision() -> httpx.Response:
    return httpx.Response(200, json={"code": 200, "data": {"assetUUID": UUID}, "message": "sent"})


def blocked(retry_after: str = "0") -> httpx.Response:
    return httpx.Response(
        429, headers={"Retry-After": retry_after}, json={"_error": {"code": 429, "message": "Too Many"}}
    )


def _client_with(handler: Handler, **kwargs: Any) -> Qualys:
    """A client sending through a user's httpx client whose transport is ``handler``; /auth is answered here."""

    def serve(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth":
            return httpx.Response(201, text="token")
        return handler(request)

    return no_wait_client(http_client=httpx.Client(transport=httpx.MockTransport(serve)), **kwargs)


def _exchange(response: httpx.Response) -> Exchange:
    exchange = response.extensions[EXCHANGE]
    assert isinstance(exchange, Exchange)
    return exchange


class _CutShort(httpx.SyncByteStream):
    """The start of a body, then the connection drops."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"code": 200, "data": {"sta'
        raise httpx.ReadError("connection reset by peer")


# -- retries, through the client ------------------------------------------------------------------------------------


def test_rate_limited_get_is_retried_and_counted() -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.get(STATUS_URL).mock(side_effect=[blocked(), blocked(), ok_status()])
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert route.call_count == 3
    assert client.stats.retries == 2
    assert client.stats.requests == 4  # /auth and three attempts


def test_rate_limited_provision_is_retried_because_it_was_not_applied() -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.post(PROVISION_URL).mock(side_effect=[blocked(), ok_provision()])
        assert client.oca.provision("10.0.0.1", "Fabric 7").asset_uuid == UUID
    assert route.call_count == 2


def test_out_of_retries_raises_rate_limit_error_with_retry_after() -> None:
    answer = httpx.Response(429, headers={"X-RateLimit-ToWait-Sec": "0", "X-RateLimit-Remaining": "0"},
                            json={"_error": {"code": 429, "message": "Too Many Requests"}})  # fmt: skip
    with gateway() as mock, no_wait_client(max_retries=3) as client:
        route = mock.get(STATUS_URL).mock(return_value=answer)
        with pytest.raises(RateLimitError) as info:
            client.oca.get_status(UUID)
    assert route.call_count == 4
    assert info.value.status_code == 429
    assert info.value.retry_after == 0


@pytest.mark.parametrize("status", [502, 503, 504])
def test_server_unavailable_get_is_retried(status: int) -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.get(STATUS_URL).mock(side_effect=[httpx.Response(status), httpx.Response(status), ok_status()])
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert route.call_count == 3


def test_500_is_not_retried() -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.get(STATUS_URL).mock(side_effect=[httpx.Response(500, text="boom"), ok_status()])
        with pytest.raises(InternalServerError) as info:
            client.oca.get_status(UUID)
    assert route.call_count == 1
    assert info.value.status_code == 500


def test_provision_after_5xx_is_not_retried_outcome_unknown() -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.post(PROVISION_URL).mock(side_effect=[httpx.Response(503), ok_provision()])
        with pytest.raises(OutcomeUnknownError) as info:
            client.oca.provision("10.0.0.1", "Fabric 7")
    assert route.call_count == 1
    assert info.value.request is not None
    assert info.value.request.url.path == "/ocaapi/v2.0/asset"
    assert isinstance(info.value.cause, httpx.Response)
    assert info.value.cause.status_code == 503


def test_provision_after_read_timeout_is_outcome_unknown() -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.post(PROVISION_URL).mock(side_effect=[httpx.ReadTimeout("slow"), ok_provision()])
        with pytest.raises(OutcomeUnknownError) as info:
            client.oca.provision("10.0.0.1", "Fabric 7")
    assert route.call_count == 1
    assert isinstance(info.value.cause, httpx.ReadTimeout)


@pytest.mark.parametrize("error", [httpx.ConnectError("refused"), httpx.ConnectTimeout("no answer to SYN")])
def test_provision_that_never_connected_is_retried(error: httpx.TransportError) -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.post(PROVISION_URL).mock(side_effect=[error, ok_provision()])
        assert client.oca.provision("10.0.0.1", "Fabric 7").asset_uuid == UUID
    assert route.call_count == 2


def test_connect_errors_on_get_are_retried_then_reported() -> None:
    with gateway() as mock, no_wait_client(max_retries=2) as client:
        route = mock.get(STATUS_URL).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(APIConnectionError, match="ConnectError") as info:
            client.oca.get_status(UUID)
    assert route.call_count == 3
    assert type(info.value) is APIConnectionError


def test_dropped_connection_on_get_is_retried_then_reported() -> None:
    with gateway() as mock, no_wait_client(max_retries=1) as client:
        route = mock.get(STATUS_URL).mock(side_effect=httpx.RemoteProtocolError("peer closed"))
        with pytest.raises(APIConnectionError, match="RemoteProtocolError") as info:
            client.oca.get_status(UUID)
    assert route.call_count == 2
    assert type(info.value) is APIConnectionError


def test_per_call_max_retries() -> None:
    with gateway() as mock, no_wait_client(max_retries=5) as client:
        route = mock.get(STATUS_URL).mock(side_effect=[blocked(), ok_status()])
        with pytest.raises(RateLimitError):
            client.oca.get_status(UUID, max_retries=0)
    assert route.call_count == 1


def test_gateway_409_is_a_conflict_not_a_rate_limit() -> None:
    with gateway() as mock, no_wait_client() as client:
        route = mock.get(STATUS_URL).mock(
            return_value=httpx.Response(409, json={"_error": {"code": 409, "message": "x"}})
        )
        with pytest.raises(ConflictError):
            client.oca.get_status(UUID)
    assert route.call_count == 1


def test_api_server_409_is_a_rate_limit_block() -> None:
    url = f"{API}/qps/rest/1.0/get/ca/agentactkey/1"
    with gateway() as mock, no_wait_client(max_retries=2) as client:
        route = mock.get(url).mock(return_value=httpx.Response(409, headers={"X-RateLimit-ToWait-Sec": "0"}, text=""))
        with pytest.raises(RateLimitError) as info:
            client.activation_keys.get(1)
    assert route.call_count == 3
    assert info.value.status_code == 409


# -- bodies: cut short, undecodable, too large ----------------------------------------------------------------------


def test_a_body_cut_short_is_retried_for_a_get() -> None:
    answers = iter([httpx.Response(200, stream=_CutShort()), ok_status()])
    with _client_with(lambda request: next(answers)) as client:
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert client.stats.retries == 1


def test_a_body_always_cut_short_ends_in_a_format_error() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, stream=_CutShort())

    with _client_with(handler, max_retries=2) as client, pytest.raises(ResponseFormatError) as info:
        client.oca.get_status(UUID)
    assert type(info.value) is ResponseFormatError
    assert "cut short" in str(info.value)
    assert sent == [STATUS_PATH] * 3


def test_a_provision_answer_cut_short_is_a_format_error_not_retried() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, stream=_CutShort())

    # The server answered (the status came): the outcome is known to be an answer, only unreadable.
    with _client_with(handler) as client, pytest.raises(ResponseFormatError) as info:
        client.oca.provision("10.0.0.1", "Fabric 7")
    assert type(info.value) is ResponseFormatError
    assert sent == ["/ocaapi/v2.0/asset"]


def test_a_5xx_answer_cut_short_on_a_provision_is_outcome_unknown() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(503, stream=_CutShort())

    # A server failing mid-answer may have applied the call: unlike a 200 cut short, the outcome is unknown.
    with _client_with(handler) as client, pytest.raises(OutcomeUnknownError):
        client.oca.provision("10.0.0.1", "Fabric 7")
    assert sent == ["/ocaapi/v2.0/asset"]


def test_invalid_gzip_is_a_format_error() -> None:
    answer = httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip at all"))
    with gateway() as mock, no_wait_client() as client:
        mock.get(STATUS_URL).mock(return_value=answer)
        with pytest.raises(ResponseFormatError, match="decompress") as info:
            client.oca.get_status(UUID)
    assert type(info.value) is ResponseFormatError


CAP = 100_000
INFLATED = json.dumps({"code": 200, "data": {"status": "x" * 1_000_000}}).encode()
COMPRESSED = gzip.compress(INFLATED)


def _gzipped() -> httpx.Response:
    return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(COMPRESSED))


def test_max_response_bytes_per_client_counts_after_decompression() -> None:
    assert len(COMPRESSED) < CAP < len(INFLATED)
    with gateway() as mock, no_wait_client(max_response_bytes=CAP) as client:
        mock.get(STATUS_URL).mock(return_value=_gzipped())
        with pytest.raises(ResponseTooLargeError) as info:
            client.oca.get_status(UUID)
        assert info.value.limit == CAP
        assert info.value.status_code == 200
        # A larger cap for one call lets the same answer through.
        assert client.oca.get_status(UUID, max_response_bytes=2 * len(INFLATED)) == "x" * 1_000_000


def test_max_response_bytes_per_call() -> None:
    with gateway() as mock, no_wait_client() as client:
        mock.get(STATUS_URL).mock(return_value=_gzipped())
        assert client.oca.get_status(UUID) == "x" * 1_000_000  # within the default 64 MiB
        with pytest.raises(ResponseTooLargeError) as info:
            client.oca.get_status(UUID, max_response_bytes=CAP)
    assert info.value.limit == CAP


@pytest.mark.parametrize("value", [0, -1, True])
def test_max_response_bytes_must_be_a_positive_whole_number(value: int) -> None:
    with pytest.raises(ConfigurationError):
        no_wait_client(max_response_bytes=value)
    with no_wait_client() as client, pytest.raises(ConfigurationError):
        client.oca.get_status(UUID, max_response_bytes=value)


# -- deadline, limiter and transports, through the client -----------------------------------------------------------


def test_per_call_timeout_overrides_the_client_default() -> None:
    clock = FakeClock()
    client = _client_with(lambda request: httpx.Response(200, stream=Drip(clock)), timeout=1000.0)
    client._core.clock = clock
    start = clock.now
    with pytest.raises(APITimeoutError):
        client.oca.get_status(UUID, timeout=3.0)
    assert clock.now - start <= 4.0


def test_announced_concurrency_limit_is_kept() -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.01)  # a real server takes time; the limiter must keep the others waiting
        with lock:
            in_flight -= 1
        return httpx.Response(
            200, headers={"X-Concurrency-Limit-Limit": "1"}, json={"code": 200, "data": {"status": "x"}}
        )

    client = _client_with(handler)
    client.oca.get_status(UUID)  # learn the limit
    threads = [threading.Thread(target=client.oca.get_status, args=(UUID,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert peak == 1
    assert client.stats.requests == 10  # /auth and nine calls: every thread's call went through


def test_user_http_client_keeps_its_transport_and_gains_retries() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return blocked() if len(calls) == 1 else ok_status()

    with _client_with(handler) as client:
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert calls == [STATUS_PATH, STATUS_PATH]


def test_wrap_transports_keeps_the_mounts() -> None:
    by_default: list[str] = []
    by_mount: list[str] = []
    answers = iter([blocked(), ok_status()])

    def default(request: httpx.Request) -> httpx.Response:
        by_default.append(request.url.path)
        return httpx.Response(500)

    def mounted(request: httpx.Request) -> httpx.Response:
        by_mount.append(request.url.path)
        return httpx.Response(201, text="token") if request.url.path == "/auth" else next(answers)

    http = httpx.Client(
        transport=httpx.MockTransport(default),
        mounts={GATEWAY: httpx.MockTransport(mounted), "all://proxy-bypass.example": None},
    )
    with http, no_wait_client(http_client=http) as client:
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert by_mount == ["/auth", STATUS_PATH, STATUS_PATH]  # the mount served the host, and retried the 429
    assert by_default == []
    mounts = {pattern.pattern: transport for pattern, transport in http._mounts.items()}
    assert isinstance(mounts[GATEWAY], RetryTransport)
    assert mounts["all://proxy-bypass.example"] is None


def test_auth_is_exempt_from_the_limiter() -> None:
    # Were /auth counted, its "no calls left for 100 s" would hold the call past its 5 s deadline.
    exhausted = {"X-RateLimit-Remaining": "0", "X-RateLimit-ToWait-Sec": "100"}
    with gateway() as mock, no_wait_client(timeout=5.0) as client:
        mock.post(f"{GATEWAY}/auth").mock(return_value=httpx.Response(201, text="t", headers=exhausted))
        route = mock.get(STATUS_URL).mock(return_value=ok_status())
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert route.call_count == 1


def test_the_async_client_retries_and_maps_failures_the_same_way() -> None:
    async def main() -> None:
        async with no_wait_async_client(max_response_bytes=CAP) as client:
            assert await client.oca.get_status(UUID) == "Provision Confirmed"  # after a 429 and a 503
            with pytest.raises(OutcomeUnknownError):
                await client.oca.provision("10.0.0.1", "Fabric 7")
            with pytest.raises(ResponseTooLargeError):
                await client.oca.get_status(UUID)
            assert (client.stats.requests, client.stats.retries) == (6, 2)

    with gateway() as mock:
        status = mock.get(STATUS_URL).mock(side_effect=[blocked(), httpx.Response(503), ok_status(), _gzipped()])
        provision = mock.post(PROVISION_URL).mock(side_effect=[httpx.Response(502), ok_provision()])
        asyncio.run(main())
    assert (status.call_count, provision.call_count) == (4, 1)


# -- the transport itself, with a fake clock ------------------------------------------------------------------------


def _core(clock: FakeClock, *, timeout: float | None = None, max_retries: int = 3) -> RetryCore:
    return RetryCore(RetryPolicy(max_retries=max_retries, base_delay=1.0, max_delay=8.0), timeout, clock=clock,
                     wall_clock=clock, random=lambda: 0.5)  # fmt: skip


def _transport(
    handler: Handler,
    clock: FakeClock,
    *,
    core: RetryCore | None = None,
    limiters: Callable[[str], Limiter] | None = None,
) -> RetryTransport:
    limiter = Limiter(clock=clock, sleep=clock.sleep)
    return RetryTransport(
        httpx.MockTransport(handler), core or _core(clock), limiters or (lambda host: limiter), sleep=clock.sleep
    )


def _send(
    transport: RetryTransport,
    clock: FakeClock,
    *,
    method: str = "GET",
    url: str = STATUS_URL,
    timeout: float | None = 10.0,
    **options: Any,
) -> httpx.Response:
    deadline = None if timeout is None else clock.now + timeout
    with httpx.Client(transport=transport) as client:
        return client.request(method, url, extensions={OPTIONS: CallOptions(deadline=deadline, **options)})


def _answers(*responses: httpx.Response) -> Handler:
    queue = iter(responses)
    return lambda request: next(queue)


def test_waits_follow_retry_after_then_towait_then_backoff() -> None:
    clock = FakeClock()
    handler = _answers(
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(429, headers={"X-RateLimit-ToWait-Sec": "5"}),
        httpx.Response(503),
        httpx.Response(200),
    )
    transport = _transport(handler, clock)
    response = _send(transport, clock, timeout=None)
    assert response.status_code == 200
    # Retry-After 3, then ToWait-Sec 5, then full-jitter backoff: 0.5 * min(8, 1 * 2**2) = 2.
    assert clock.sleeps == [3.0, 5.0, 2.0]
    assert _exchange(response).attempts == 4
    assert (transport.core.stats.requests, transport.core.stats.retries) == (4, 3)


def test_one_attempt_is_one_attempt() -> None:
    clock = FakeClock()
    response = _send(_transport(_answers(httpx.Response(200, text="ok")), clock), clock)
    exchange = _exchange(response)
    assert exchange.attempts == 1
    assert not exchange.outcome_unknown
    assert response.text == "ok"


def test_an_http_date_retry_after_is_waited_for() -> None:
    clock = FakeClock()
    when = formatdate(clock.now + 5, usegmt=True)
    transport = _transport(_answers(httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200)), clock)
    assert _send(transport, clock).status_code == 200
    assert clock.sleeps == [5.0]


def test_retry_after_beyond_the_cap_is_capped() -> None:
    clock = FakeClock()
    transport = _transport(_answers(httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200)), clock)
    assert _send(transport, clock, timeout=None).status_code == 200
    assert clock.sleeps == [8.0]


def test_no_retry_that_would_end_after_the_deadline() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(429, headers={"Retry-After": "7"}), clock)
    response = _send(transport, clock, timeout=5.0)
    assert response.status_code == 429
    assert _exchange(response).attempts == 1
    assert clock.sleeps == []


def test_the_deadline_covers_retries_and_their_waits() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(429, headers={"Retry-After": "2"}), clock)
    response = _send(transport, clock, timeout=5.0)
    # Waits of 2 s at 0 and 2; a third would end at 6 s, past the deadline.
    assert clock.sleeps == [2.0, 2.0]
    assert _exchange(response).attempts == 3
    assert response.status_code == 429


def test_the_deadline_covers_the_wait_for_the_limiter() -> None:
    clock = FakeClock()
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-ToWait-Sec": "100"})

    transport = _transport(handler, clock)
    _send(transport, clock)  # the limiter learns: no call for 100 s
    start = clock.now
    with pytest.raises(TransportGaveUp) as info:
        _send(transport, clock, timeout=10.0)
    assert isinstance(info.value.error, httpx.TimeoutException)
    assert sent == [STATUS_PATH]  # held back, not sent
    assert clock.now - start <= 10.0


def test_a_provision_held_back_by_the_limiter_past_its_deadline_is_a_timeout() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-ToWait-Sec": "100"},
                              json={"code": 200, "data": {"status": "x"}})  # fmt: skip

    with _client_with(handler, timeout=5.0) as client:
        client.oca.get_status(UUID)  # the limiter learns: no call for 100 s
        with pytest.raises(APITimeoutError):
            client.oca.provision("10.0.0.1", "Fabric 7")  # never sent: its outcome is known
    assert sent == [STATUS_PATH]


def test_total_deadline_stops_a_slow_drip_response() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(200, stream=Drip(clock)), clock)
    start = clock.now
    with pytest.raises(TransportGaveUp) as info:
        _send(transport, clock, timeout=10.0)
    assert clock.now - start <= 11.0
    assert isinstance(info.value.error, httpx.TimeoutException)
    assert info.value.failure is Failure.SENT_NO_ANSWER
    assert not info.value.outcome_unknown


def test_a_request_without_options_gets_the_clients_timeout() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(200, stream=Drip(clock)), clock, core=_core(clock, timeout=7))
    start = clock.now
    with httpx.Client(transport=transport) as client, pytest.raises(TransportGaveUp):
        client.get(STATUS_URL)
    assert clock.now - start <= 8.0


def test_slow_drip_on_provision_is_outcome_unknown() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(200, stream=Drip(clock)), clock)
    with pytest.raises(TransportGaveUp) as info:
        _send(transport, clock, method="POST", url=PROVISION_URL, timeout=5.0)
    assert info.value.outcome_unknown
    assert info.value.attempts == 1


def test_5xx_answers_are_marked_outcome_unknown_only_for_unsafe_calls() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(503), clock)
    provision = _send(transport, clock, method="POST", url=PROVISION_URL)
    assert provision.status_code == 503
    assert _exchange(provision).attempts == 1
    assert _exchange(provision).outcome_unknown
    status = _send(transport, clock, timeout=None)
    assert status.status_code == 503
    assert _exchange(status).attempts == 4
    assert not _exchange(status).outcome_unknown


def test_a_body_cut_short_is_retried_then_given_up() -> None:
    clock = FakeClock()
    transport = _transport(lambda request: httpx.Response(200, stream=_CutShort()), clock)
    with pytest.raises(TransportGaveUp) as info:
        _send(transport, clock, timeout=None)
    assert info.value.failure is Failure.TRUNCATED
    assert info.value.attempts == 4
    assert not info.value.outcome_unknown


def test_the_body_is_handed_back_decompressed_within_the_cap() -> None:
    clock = FakeClock()
    body = b"configuration " * 1000
    handler = _answers(*(
        httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(gzip.compress(body)))
        for _ in range(2)
    ))  # fmt: skip
    transport = _transport(handler, clock)
    response = _send(transport, clock, max_response_bytes=len(body))
    assert response.content == body
    assert "content-encoding" not in response.headers
    with pytest.raises(BodyTooLarge) as info:
        _send(transport, clock, max_response_bytes=len(body) - 1)
    assert (info.value.limit, info.value.status_code) == (len(body) - 1, 200)


def test_exempt_requests_skip_the_limiter() -> None:
    clock = FakeClock()
    asked: list[str] = []
    limiter = Limiter(clock=clock, sleep=clock.sleep)

    def limiters(host: str) -> Limiter:
        asked.append(host)
        return limiter

    transport = _transport(lambda request: httpx.Response(200), clock, limiters=limiters)
    _send(transport, clock, method="POST", url=f"{GATEWAY}/auth", limiter_exempt=True)
    assert asked == []
    _send(transport, clock)
    assert asked == ["gateway.qg2.apps.qualys.com"]
