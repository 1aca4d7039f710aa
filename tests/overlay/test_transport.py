"""Retries, rate limits, the total deadline and the no-retry rule for calls that are not safe to repeat."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import respx

from qualys_sdk import (
    APITimeoutError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
)
from qualys_sdk._limiter import Limiter
from qualys_sdk._policy import RetryPolicy
from qualys_sdk._transport import RETRIES_EXTENSION, RetryCore, RetryTransport, call_context

from .fakes import API, GATEWAY, FakeClock, gateway, no_wait_client

UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
STATUS_URL = f"{GATEWAY}/ocaapi/v2.0/asset/{UUID}/status"
PROVISION_URL = f"{GATEWAY}/ocaapi/v2.0/asset"
OK_STATUS = httpx.Response(200, json={"code": 200, "data": {"status": "Provision Confirmed"}})
OK_PROVISION = httpx.Response(200, json={"code": 200, "data": {"assetUUID": UUID}, "message": "sent"})
BLOCKED = httpx.Response(429, headers={"Retry-After": "0"}, json={"_error": {"code": 429, "message": "Too Many"}})


def test_rate_limited_get_is_retried_and_counted() -> None:
    with gateway() as mock:
        route = mock.get(STATUS_URL).mock(side_effect=[BLOCKED, BLOCKED, OK_STATUS])
        client = no_wait_client()
        assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert route.call_count == 3
    assert client.stats.retries == 2


def test_rate_limited_provision_is_retried_because_it_was_not_applied() -> None:
    with gateway() as mock:
        route = mock.post(PROVISION_URL).mock(side_effect=[BLOCKED, OK_PROVISION])
        assert no_wait_client().oca.provision("10.0.0.1", "Fabric 7").asset_uuid == UUID
    assert route.call_count == 2


def test_out_of_retries_raises_rate_limit_error_with_retry_after() -> None:
    blocked = httpx.Response(429, headers={"X-RateLimit-ToWait-Sec": "0", "X-RateLimit-Remaining": "0"},
                             json={"_error": {"code": 429, "message": "Too Many Requests"}})  # fmt: skip
    with gateway() as mock:
        route = mock.get(STATUS_URL).mock(return_value=blocked)
        with pytest.raises(RateLimitError) as info:
            no_wait_client(max_retries=3).oca.get_status(UUID)
    assert route.call_count == 4
    assert info.value.status_code == 429
    assert info.value.retry_after == 0


def test_server_unavailable_get_is_retried() -> None:
    with gateway() as mock:
        route = mock.get(STATUS_URL).mock(side_effect=[httpx.Response(503), httpx.Response(502), OK_STATUS])
        assert no_wait_client().oca.get_status(UUID) == "Provision Confirmed"
    assert route.call_count == 3


def test_provision_after_5xx_is_not_retried_outcome_unknown() -> None:
    with gateway() as mock:
        route = mock.post(PROVISION_URL).mock(side_effect=[httpx.Response(503), OK_PROVISION])
        with pytest.raises(OutcomeUnknownError) as info:
            no_wait_client().oca.provision("10.0.0.1", "Fabric 7")
    assert route.call_count == 1
    assert info.value.request is not None
    assert info.value.request.url.path == "/ocaapi/v2.0/asset"
    assert isinstance(info.value.cause, httpx.Response)


def test_provision_after_read_timeout_is_outcome_unknown() -> None:
    with gateway() as mock:
        route = mock.post(PROVISION_URL).mock(side_effect=[httpx.ReadTimeout("slow"), OK_PROVISION])
        with pytest.raises(OutcomeUnknownError):
            no_wait_client().oca.provision("10.0.0.1", "Fabric 7")
    assert route.call_count == 1


def test_provision_that_never_connected_is_retried() -> None:
    with gateway() as mock:
        route = mock.post(PROVISION_URL).mock(side_effect=[httpx.ConnectError("refused"), OK_PROVISION])
        assert no_wait_client().oca.provision("10.0.0.1", "Fabric 7").asset_uuid == UUID
    assert route.call_count == 2


def test_dropped_connection_on_get_is_retried_then_reported() -> None:
    with gateway() as mock:
        route = mock.get(STATUS_URL).mock(side_effect=httpx.RemoteProtocolError("peer closed"))
        with pytest.raises(Exception, match="RemoteProtocolError") as info:
            no_wait_client(max_retries=1).oca.get_status(UUID)
    assert route.call_count == 2
    assert type(info.value).__name__ == "APIConnectionError"


def test_per_call_max_retries() -> None:
    with gateway() as mock:
        route = mock.get(STATUS_URL).mock(side_effect=[BLOCKED, OK_STATUS])
        with pytest.raises(RateLimitError):
            no_wait_client().oca.get_status(UUID, max_retries=0)
    assert route.call_count == 1


def test_gateway_409_is_a_conflict_not_a_rate_limit() -> None:
    with gateway() as mock:
        route = mock.get(STATUS_URL).mock(
            return_value=httpx.Response(409, json={"_error": {"code": 409, "message": "x"}})
        )
        with pytest.raises(ConflictError):
            no_wait_client().oca.get_status(UUID)
    assert route.call_count == 1


def test_api_server_409_is_a_rate_limit_block() -> None:
    url = f"{API}/qps/rest/1.0/get/ca/agentactkey/1"
    with gateway() as mock:
        route = mock.get(url).mock(return_value=httpx.Response(409, headers={"X-RateLimit-ToWait-Sec": "0"}, text=""))
        with pytest.raises(RateLimitError) as info:
            no_wait_client(max_retries=2).activation_keys.get(1)
    assert route.call_count == 3
    assert info.value.status_code == 409


def test_html_error_page_gives_the_status_and_an_excerpt() -> None:
    page = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</body></html>"
    with gateway() as mock:
        mock.get(STATUS_URL).mock(return_value=httpx.Response(502, text=page, headers={"Content-Type": "text/html"}))
        with pytest.raises(InternalServerError) as info:
            no_wait_client(max_retries=0).oca.get_status(UUID)
    assert info.value.status_code == 502
    assert info.value.body_excerpt.startswith("<html><body><h1>502 Bad Gateway</h1>")
    assert len(info.value.body_excerpt) <= 200


# -- the transport itself, with a fake clock -------------------------------------------------------


def _transport(handler: httpx.MockTransport, clock: FakeClock, *, timeout: float | None = 10.0) -> RetryTransport:
    core = RetryCore(RetryPolicy(max_retries=3, base_delay=1.0, max_delay=8.0), timeout, clock=clock,
                     wall_clock=clock, random=lambda: 0.5)  # fmt: skip
    limiter = Limiter(clock=clock, sleep=clock.sleep)
    return RetryTransport(handler, core, lambda host: limiter, sleep=clock.sleep)


def test_waits_follow_retry_after_then_towait_then_backoff() -> None:
    clock = FakeClock()
    answers = iter([
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(429, headers={"X-RateLimit-ToWait-Sec": "5"}),
        httpx.Response(503),
        httpx.Response(200),
    ])  # fmt: skip
    transport = _transport(httpx.MockTransport(lambda request: next(answers)), clock, timeout=None)
    with httpx.Client(transport=transport) as client:
        response = client.get(STATUS_URL)
    assert response.status_code == 200
    # Retry-After 3, then ToWait-Sec 5, then full-jitter backoff: 0.5 * min(8, 1 * 2**2) = 2.
    assert clock.sleeps == [3.0, 5.0, 2.0]
    assert response.extensions[RETRIES_EXTENSION] == 3


def test_retry_after_beyond_the_cap_is_capped() -> None:
    clock = FakeClock()
    answers = iter([httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200)])
    transport = _transport(httpx.MockTransport(lambda request: next(answers)), clock, timeout=None)
    with httpx.Client(transport=transport) as client:
        client.get(STATUS_URL)
    assert clock.sleeps == [8.0]


def test_no_retry_that_would_end_after_the_deadline() -> None:
    clock = FakeClock()
    transport = _transport(
        httpx.MockTransport(lambda request: httpx.Response(429, headers={"Retry-After": "7"})), clock, timeout=5.0
    )
    with httpx.Client(transport=transport) as client:
        assert client.get(STATUS_URL).status_code == 429
    assert clock.sleeps == []


class _SlowDrip(httpx.SyncByteStream):
    """A body that arrives one byte per second, forever: each read is quick enough for httpx's read timeout."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def __iter__(self) -> Iterator[bytes]:
        while True:
            self.clock.now += 1.0
            yield b" "


def test_total_deadline_stops_a_slow_drip_response() -> None:
    clock = FakeClock()
    handler = httpx.MockTransport(lambda request: httpx.Response(200, stream=_SlowDrip(clock)))
    transport = _transport(handler, clock, timeout=10.0)
    start = clock.now
    with httpx.Client(transport=transport) as client, pytest.raises(APITimeoutError):
        client.get(STATUS_URL)
    assert clock.now - start <= 11.0


def test_slow_drip_on_provision_is_outcome_unknown() -> None:
    clock = FakeClock()
    handler = httpx.MockTransport(lambda request: httpx.Response(200, stream=_SlowDrip(clock)))
    with httpx.Client(transport=_transport(handler, clock, timeout=5.0)) as client, pytest.raises(OutcomeUnknownError):
        client.post(PROVISION_URL, json={})


def test_per_call_timeout_overrides_the_client_default() -> None:
    clock = FakeClock()
    handler = httpx.MockTransport(lambda request: httpx.Response(200, stream=_SlowDrip(clock)))
    transport = _transport(handler, clock, timeout=1000.0)
    start = clock.now
    with httpx.Client(transport=transport) as client, call_context(timeout=3.0), pytest.raises(APITimeoutError):
        client.get(STATUS_URL)
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
            200, headers={"X-Concurrency-Limit-Limit": "2"}, json={"code": 200, "data": {"status": "x"}}
        )

    client = no_wait_client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client._jwt._token = client._jwt._store(httpx.Response(201, text="t"))  # skip /auth: not what is tested here
    client.oca.get_status(UUID)  # learn the limit
    threads = [threading.Thread(target=client.oca.get_status, args=(UUID,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert peak <= 2


def test_user_http_client_keeps_its_transport_and_gains_retries() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/auth":
            return httpx.Response(201, text="token")
        return BLOCKED if len(calls) == 2 else OK_STATUS

    client = no_wait_client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert calls == ["/auth", f"/ocaapi/v2.0/asset/{UUID}/status", f"/ocaapi/v2.0/asset/{UUID}/status"]


def test_auth_is_exempt_from_the_limiter() -> None:
    with respx.mock() as mock:
        mock.post(f"{GATEWAY}/auth").mock(
            return_value=httpx.Response(
                201, text="t", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-ToWait-Sec": "100"}
            )
        )
        mock.get(STATUS_URL).mock(return_value=OK_STATUS)
        client = no_wait_client(timeout=5.0)
        assert client.oca.get_status(UUID) == "Provision Confirmed"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(403, json={"_error": {"code": 403, "message": "no OCA"}}), PermissionDeniedError),
        (httpx.Response(200, text=""), ResponseFormatError),
        (httpx.Response(200, text='{"code": 200, "data": {"sta'), ResponseFormatError),
        (httpx.Response(200, json={"code": 200}), ResponseFormatError),
        (httpx.Response(404, text="<html>Not Found</html>"), NotFoundError),
    ],
    ids=["403", "empty", "truncated", "wrong-shape", "html-404"],
)
def test_error_bodies_map_to_clear_errors(answer: httpx.Response, error: type[Exception]) -> None:
    with gateway() as mock:
        mock.get(STATUS_URL).mock(return_value=answer)
        with pytest.raises(error) as info:
            no_wait_client(max_retries=0).oca.get_status(UUID)
    assert "Traceback" not in str(info.value)
    assert str(info.value)
