"""The gateway's JWT through the client: cached, refreshed before expiry, fetched once at a time, renewed once
after a 401; the /auth answers that are errors; HTTP Basic for the QPS API server."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import respx

from qualys_sdk import (
    APITimeoutError,
    AsyncQualys,
    AuthenticationError,
    Qualys,
    ResponseFormatError,
    ResponseTooLargeError,
)
from qualys_sdk._async._tokens import AsyncTokens
from qualys_sdk._base import USER_AGENT
from qualys_sdk._exchange import MAX_TOKEN_BYTES, CallOptions
from qualys_sdk._secret import Secret
from qualys_sdk._sync._tokens import Tokens
from qualys_sdk._tokens import DEFAULT_TOKEN_LIFETIME, BasicAuth, token_expiry
from qualys_sdk.testing.cassettes import load_cassettes
from tests.core.fakes import API, GATEWAY, PASSWORD, USERNAME, make_jwt, no_wait_async_client, no_wait_client
from tests.support import CASSETTES
from tests.support.clock import Drip, FakeClock

UUID = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
AUTH_URL = f"{GATEWAY}/auth"
STATUS_URL = f"{GATEWAY}/ocaapi/v2.0/asset/{UUID}/status"
OK_STATUS = httpx.Response(200, json={"code": 200, "data": {"status": "Provision Confirmed"}})
UNAUTHORIZED = httpx.Response(401, json={"_error": {"code": 401, "message": "token expired"}})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


def _tokens(mock: respx.MockRouter, *tokens: str) -> respx.Route:
    return mock.post(AUTH_URL).mock(side_effect=[httpx.Response(201, text=t) for t in tokens])


def _client(clock: FakeClock, margin: float = 300.0) -> Qualys:
    """A client whose token cache reads ``clock``: the one thing the public constructor cannot inject."""
    client = no_wait_client(token_refresh_margin=margin)
    client._tokens = Tokens(
        username=USERNAME, password=Secret(PASSWORD), auth_url=AUTH_URL, clock=clock, refresh_margin=margin
    )
    return client


def _async_client(clock: FakeClock) -> AsyncQualys:
    client = no_wait_async_client()
    client._tokens = AsyncTokens(username=USERNAME, password=Secret(PASSWORD), auth_url=AUTH_URL, clock=clock)
    return client


def _bearer(route: respx.Route) -> list[str]:
    return [call.request.headers["authorization"] for call in route.calls]


def test_token_expiry_reads_exp_without_verifying() -> None:
    assert token_expiry(make_jwt(1234567890)) == 1234567890
    assert token_expiry(make_jwt(None)) is None
    assert token_expiry("not-a-jwt") is None
    assert token_expiry("a.!!!.c") is None


def test_token_is_fetched_once_and_cached(clock: FakeClock, mock: respx.MockRouter) -> None:
    token = make_jwt(clock.now + 4 * 3600)
    auth_route = _tokens(mock, token)
    api = mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    with _client(clock) as client:
        for _ in range(3):
            assert client.oca.get_status(UUID) == "Provision Confirmed"
    assert auth_route.call_count == 1
    assert client._tokens.fetched == 1
    sent = auth_route.calls.last.request
    assert sent.content.decode() == f"username={USERNAME}&password=S3cret%21pass&token=true"
    assert "authorization" not in sent.headers  # /auth itself carries no token
    assert _bearer(api) == [f"Bearer {token}"] * 3


def test_token_is_refreshed_before_it_expires(clock: FakeClock, mock: respx.MockRouter) -> None:
    first, second = make_jwt(clock.now + 3600), make_jwt(clock.now + 7200)
    auth_route = _tokens(mock, first, second)
    api = mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    with _client(clock, margin=300) as client:
        client.oca.get_status(UUID)
        clock.now += 3299  # 301 s before exp: 1 s before the refresh margin starts
        client.oca.get_status(UUID)
        assert auth_route.call_count == 1
        clock.now += 2  # now 299 s left: inside the margin, refresh
        client.oca.get_status(UUID)
    assert auth_route.call_count == 2
    assert _bearer(api) == [f"Bearer {first}", f"Bearer {first}", f"Bearer {second}"]


def test_token_without_exp_lasts_the_documented_four_hours(clock: FakeClock, mock: respx.MockRouter) -> None:
    assert DEFAULT_TOKEN_LIFETIME == 4 * 3600
    auth_route = _tokens(mock, "opaque-token-1", "opaque-token-2")
    api = mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    with _client(clock, margin=60) as client:
        client.oca.get_status(UUID)
        clock.now += DEFAULT_TOKEN_LIFETIME - 61
        client.oca.get_status(UUID)
        assert auth_route.call_count == 1
        clock.now += 2
        client.oca.get_status(UUID)
    assert auth_route.call_count == 2
    assert _bearer(api)[-1] == "Bearer opaque-token-2"


def test_a_401_renews_the_token_and_retries_once(clock: FakeClock, mock: respx.MockRouter) -> None:
    stale, fresh = make_jwt(clock.now + 3600), make_jwt(clock.now + 7200)
    auth_route = _tokens(mock, stale, fresh)
    api = mock.get(STATUS_URL).mock(side_effect=[UNAUTHORIZED, OK_STATUS, OK_STATUS])
    with _client(clock) as client:
        assert client.oca.get_status(UUID) == "Provision Confirmed"
        client.oca.get_status(UUID)  # the renewed token is the cached one now
    assert auth_route.call_count == 2
    assert _bearer(api) == [f"Bearer {stale}", f"Bearer {fresh}", f"Bearer {fresh}"]


def test_a_second_401_is_an_authentication_error_not_a_loop(clock: FakeClock, mock: respx.MockRouter) -> None:
    auth_route = _tokens(mock, make_jwt(clock.now + 3600), make_jwt(clock.now + 3601))
    api = mock.get(STATUS_URL).mock(return_value=UNAUTHORIZED)
    with _client(clock) as client, pytest.raises(AuthenticationError) as info:
        client.oca.get_status(UUID)
    assert info.value.status_code == 401
    assert api.call_count == 2
    assert auth_route.call_count == 2


def test_wrong_credentials_raise_naming_the_user_without_the_password(mock: respx.MockRouter) -> None:
    mock.post(AUTH_URL).mock(return_value=httpx.Response(401, text=f"bad password {PASSWORD}"))
    api = mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    with no_wait_client() as client, pytest.raises(AuthenticationError) as info:
        client.oca.get_status(UUID)
    error = info.value
    assert error.status_code == 401
    assert USERNAME in str(error)
    assert PASSWORD not in str(error)
    assert PASSWORD not in repr(error.args)
    assert api.call_count == 0


@pytest.mark.parametrize(
    "body",
    ["<html>login</html>", '{"token": "eyJhbGciOi"}', "", "two words", "t\u00f6ken"],
    ids=["html", "json", "empty", "spaces", "non-ascii"],
)
def test_auth_answer_without_a_token_is_a_format_error(mock: respx.MockRouter, body: str) -> None:
    mock.post(AUTH_URL).mock(return_value=httpx.Response(201, text=body))
    api = mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    with no_wait_client() as client, pytest.raises(ResponseFormatError) as info:
        client.oca.get_status(UUID)
    assert info.value.status_code == 201
    assert api.call_count == 0


def test_auth_answer_larger_than_16_kib_is_too_large(mock: respx.MockRouter) -> None:
    mock.post(AUTH_URL).mock(return_value=httpx.Response(201, text="e" * (MAX_TOKEN_BYTES + 1)))
    api = mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    with no_wait_client() as client, pytest.raises(ResponseTooLargeError) as info:
        client.oca.get_status(UUID)
    assert MAX_TOKEN_BYTES == 16 * 1024
    assert info.value.limit == MAX_TOKEN_BYTES
    assert api.call_count == 0


def test_the_deadline_covers_the_token_fetch(clock: FakeClock) -> None:
    """/auth takes 3 s of a 5 s call, the answer then drips: the call ends at 5 s (+ one drip), not 3 + 5 s."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth":
            clock.now += 3.0
            return httpx.Response(201, text=make_jwt(clock.now + 3600))
        return httpx.Response(200, stream=Drip(clock))

    client = no_wait_client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), timeout=5.0)
    client._core.clock = clock
    start = clock.now
    with pytest.raises(APITimeoutError):
        client.oca.get_status(UUID)
    assert clock.now - start <= 6.0


def test_a_slow_auth_answer_ends_by_the_deadline(clock: FakeClock) -> None:
    api_calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth":
            return httpx.Response(201, stream=Drip(clock))
        api_calls.append(request.url.path)
        return httpx.Response(200, json={"code": 200, "data": {"status": "x"}})

    client = no_wait_client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), timeout=5.0)
    client._core.clock = clock
    start = clock.now
    with pytest.raises(APITimeoutError):
        client.oca.get_status(UUID)
    assert clock.now - start <= 6.0
    assert api_calls == []


def test_concurrent_threads_share_one_fetch(
    clock: FakeClock, mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads_in_get = 0
    count_lock = threading.Lock()
    gate = threading.Event()

    def slow_token(request: httpx.Request) -> httpx.Response:
        gate.wait(timeout=10)  # hold the first fetch until every thread is asking for the token
        return httpx.Response(201, text=make_jwt(clock.now + 3600))

    auth_route = mock.post(AUTH_URL).mock(side_effect=slow_token)
    mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    client = _client(clock)
    tokens = client._tokens
    real_get = tokens.get

    def counted_get(http: httpx.Client, options: CallOptions) -> Secret:
        nonlocal threads_in_get
        with count_lock:
            threads_in_get += 1
        return real_get(http, options)

    monkeypatch.setattr(tokens, "get", counted_get)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(client.oca.get_status(UUID))) for _ in range(8)]
    for t in threads:
        t.start()
    waited = time.monotonic() + 10
    while threads_in_get < 8 and time.monotonic() < waited:
        time.sleep(0.001)
    time.sleep(0.05)  # let the last ones reach the lock
    gate.set()
    for t in threads:
        t.join(timeout=10)
    client.close()
    assert threads_in_get == 8
    assert results == ["Provision Confirmed"] * 8
    assert auth_route.call_count == 1
    assert tokens.fetched == 1


def test_concurrent_tasks_share_one_fetch(clock: FakeClock, mock: respx.MockRouter) -> None:
    tasks = 10
    started = 0

    async def slow_token(request: httpx.Request) -> httpx.Response:
        # Answer only once every task is waiting for the token: without single flight each would fetch.
        while started < tasks:
            await asyncio.sleep(0)
        return httpx.Response(201, text=make_jwt(clock.now + 3600))

    auth_route = mock.post(AUTH_URL).mock(side_effect=slow_token)
    mock.get(STATUS_URL).mock(return_value=OK_STATUS)
    client = _async_client(clock)

    async def one() -> str:
        nonlocal started
        started += 1
        return await client.oca.get_status(UUID)

    async def main() -> list[str]:
        return await asyncio.gather(*(one() for _ in range(tasks)))

    assert asyncio.run(main()) == ["Provision Confirmed"] * tasks
    assert auth_route.call_count == 1
    assert client._tokens.fetched == 1
    # A second event loop (a second asyncio.run) works with the same client, and its cached token.
    started = 0
    assert asyncio.run(main()) == ["Provision Confirmed"] * tasks
    assert auth_route.call_count == 1
    asyncio.run(client.close())


def test_async_401_renews_once(clock: FakeClock, mock: respx.MockRouter) -> None:
    stale, fresh = make_jwt(clock.now + 3600), make_jwt(clock.now + 7200)
    auth_route = _tokens(mock, stale, fresh)
    api = mock.get(STATUS_URL).mock(side_effect=[UNAUTHORIZED, OK_STATUS])

    async def main() -> str:
        async with _async_client(clock) as client:
            return await client.oca.get_status(UUID)

    assert asyncio.run(main()) == "Provision Confirmed"
    assert auth_route.call_count == 2
    assert _bearer(api) == [f"Bearer {stale}", f"Bearer {fresh}"]


def test_async_second_401_is_an_authentication_error(clock: FakeClock, mock: respx.MockRouter) -> None:
    _tokens(mock, make_jwt(clock.now + 3600), make_jwt(clock.now + 7200))
    api = mock.get(STATUS_URL).mock(return_value=UNAUTHORIZED)

    async def main() -> str:
        async with _async_client(clock) as client:
            return await client.oca.get_status(UUID)

    with pytest.raises(AuthenticationError):
        asyncio.run(main())
    assert api.call_count == 2


def test_qps_calls_use_basic_auth_and_requested_with_not_the_token(mock: respx.MockRouter) -> None:
    recorded = next(c for c in load_cassettes(CASSETTES / "agentactkey") if c.name == "getActivationKey")
    answer = recorded.interactions[0].to_httpx_response()
    auth_route = _tokens(mock, make_jwt(2_000_000_000))
    route = mock.get(f"{API}/qps/rest/1.0/get/ca/agentactkey/3714801").mock(return_value=answer)
    with no_wait_client() as client:
        assert client.activation_keys.get(3714801).id == 3714801
        assert PASSWORD not in repr(client)
    headers = route.calls.last.request.headers
    assert headers["authorization"] == "Basic YWNtZV9hYjE6UzNjcmV0IXBhc3M="
    assert headers["x-requested-with"] == USER_AGENT
    assert auth_route.call_count == 0


def test_basic_auth_applies_its_headers_and_hides_the_password() -> None:
    auth = BasicAuth(username=USERNAME, password=Secret(PASSWORD), requested_with="qualys-sdk/test")
    request = httpx.Request("GET", f"{API}/qps/rest/1.0/get/ca/agentactkey/1")
    auth.apply(request)
    assert request.headers["authorization"] == "Basic YWNtZV9hYjE6UzNjcmV0IXBhc3M="
    assert request.headers["x-requested-with"] == "qualys-sdk/test"
    assert PASSWORD not in repr(auth)
    tokens = Tokens(username=USERNAME, password=Secret(PASSWORD), auth_url=AUTH_URL)
    assert PASSWORD not in repr(tokens)
