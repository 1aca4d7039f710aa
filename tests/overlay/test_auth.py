"""JWT and Basic auth as httpx.Auth flows: cache, refresh before expiry, single flight, one retry on 401."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest
import respx

from qualys_sdk._auth import DEFAULT_TOKEN_LIFETIME, JWTAuth, QPSAuth, token_expiry
from qualys_sdk._errors import AuthenticationError, ResponseFormatError
from qualys_sdk._secret import Secret

from .fakes import GATEWAY, PASSWORD, USERNAME, FakeClock, make_jwt

URL = f"{GATEWAY}/ocaapi/v2.0/technology/PolicyCompliance"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _auth(clock: FakeClock, margin: float = 300.0) -> JWTAuth:
    return JWTAuth(
        username=USERNAME, password=Secret(PASSWORD), auth_url=f"{GATEWAY}/auth", clock=clock, refresh_margin=margin
    )


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _tokens(mock: respx.MockRouter, *tokens: str) -> respx.Route:
    return mock.post(f"{GATEWAY}/auth").mock(side_effect=[httpx.Response(201, text=t) for t in tokens])


def test_token_expiry_reads_exp_without_verifying() -> None:
    assert token_expiry(make_jwt(1234567890)) == 1234567890
    assert token_expiry(make_jwt(None)) is None
    assert token_expiry("not-a-jwt") is None
    assert token_expiry("a.!!!.c") is None


def test_token_is_fetched_once_and_cached(clock: FakeClock, mock: respx.MockRouter) -> None:
    auth_route = _tokens(mock, make_jwt(clock.now + 4 * 3600))
    api = mock.get(URL).mock(return_value=httpx.Response(200, json={}))
    with httpx.Client(auth=_auth(clock)) as client:
        for _ in range(3):
            client.get(URL)
    assert auth_route.call_count == 1
    form = auth_route.calls.last.request.content.decode()
    assert form == f"username={USERNAME}&password=S3cret%21pass&token=true"
    assert api.calls.last.request.headers["authorization"].startswith("Bearer ey")


def test_token_is_refreshed_before_it_expires(clock: FakeClock, mock: respx.MockRouter) -> None:
    first, second = make_jwt(clock.now + 3600), make_jwt(clock.now + 7200)
    auth_route = _tokens(mock, first, second)
    api = mock.get(URL).mock(return_value=httpx.Response(200))
    auth = _auth(clock, margin=300)
    with httpx.Client(auth=auth) as client:
        client.get(URL)
        clock.now += 3299  # 301 s before exp: 1 s before the refresh margin starts
        client.get(URL)
        assert auth_route.call_count == 1
        clock.now += 2  # now 299 s left: inside the margin, refresh
        client.get(URL)
    assert auth_route.call_count == 2
    assert api.calls.last.request.headers["authorization"] == f"Bearer {second}"


def test_token_without_exp_lasts_the_documented_four_hours(clock: FakeClock, mock: respx.MockRouter) -> None:
    auth_route = _tokens(mock, "opaque-token-1", "opaque-token-2")
    mock.get(URL).mock(return_value=httpx.Response(200))
    with httpx.Client(auth=_auth(clock, margin=60)) as client:
        client.get(URL)
        clock.now += DEFAULT_TOKEN_LIFETIME - 61
        client.get(URL)
        assert auth_route.call_count == 1
        clock.now += 2
        client.get(URL)
    assert auth_route.call_count == 2


def test_a_401_invalidates_the_token_and_retries_once(clock: FakeClock, mock: respx.MockRouter) -> None:
    stale, fresh = make_jwt(clock.now + 3600), make_jwt(clock.now + 7200)
    auth_route = _tokens(mock, stale, fresh)
    api = mock.get(URL).mock(side_effect=[httpx.Response(401, json={"_error": {"code": 401, "message": "x"}}),
                                          httpx.Response(200, json={"ok": 1})])  # fmt: skip
    with httpx.Client(auth=_auth(clock)) as client:
        response = client.get(URL)
    assert response.status_code == 200
    assert auth_route.call_count == 2
    assert [c.request.headers["authorization"] for c in api.calls] == [f"Bearer {stale}", f"Bearer {fresh}"]


def test_a_second_401_is_returned_not_looped(clock: FakeClock, mock: respx.MockRouter) -> None:
    _tokens(mock, make_jwt(clock.now + 3600), make_jwt(clock.now + 3601))
    api = mock.get(URL).mock(return_value=httpx.Response(401))
    with httpx.Client(auth=_auth(clock)) as client:
        assert client.get(URL).status_code == 401
    assert api.call_count == 2


def test_wrong_credentials_raise_without_the_password(clock: FakeClock, mock: respx.MockRouter) -> None:
    mock.post(f"{GATEWAY}/auth").mock(return_value=httpx.Response(401, text=f"bad password {PASSWORD}"))
    with httpx.Client(auth=_auth(clock)) as client, pytest.raises(AuthenticationError) as info:
        client.get(URL)
    error = info.value
    assert error.status_code == 401
    assert USERNAME in str(error)
    assert PASSWORD not in str(error)
    assert PASSWORD not in repr(error.args)


def test_auth_answer_without_a_token_is_a_format_error(clock: FakeClock, mock: respx.MockRouter) -> None:
    mock.post(f"{GATEWAY}/auth").mock(return_value=httpx.Response(201, text="<html>login</html>"))
    with httpx.Client(auth=_auth(clock)) as client, pytest.raises(ResponseFormatError):
        client.get(URL)


def test_concurrent_threads_share_one_refresh(clock: FakeClock, mock: respx.MockRouter) -> None:
    gate = threading.Event()

    def slow_token(request: httpx.Request) -> httpx.Response:
        gate.wait(timeout=5)  # hold the first fetch until every thread is waiting for the token
        return httpx.Response(201, text=make_jwt(clock.now + 3600))

    auth_route = mock.post(f"{GATEWAY}/auth").mock(side_effect=slow_token)
    mock.get(URL).mock(return_value=httpx.Response(200))
    auth = _auth(clock)
    results: list[int] = []
    with httpx.Client(auth=auth) as client:
        threads = [threading.Thread(target=lambda: results.append(client.get(URL).status_code)) for _ in range(8)]
        for t in threads:
            t.start()
        gate.set()
        for t in threads:
            t.join(timeout=10)
    assert results == [200] * 8
    assert auth_route.call_count == 1
    assert auth.tokens_fetched == 1


def test_concurrent_tasks_share_one_refresh(clock: FakeClock, mock: respx.MockRouter) -> None:
    auth_route = _tokens(mock, make_jwt(clock.now + 3600))
    mock.get(URL).mock(return_value=httpx.Response(200))
    auth = _auth(clock)

    async def main() -> list[int]:
        async with httpx.AsyncClient(auth=auth) as client:
            responses = await asyncio.gather(*(client.get(URL) for _ in range(10)))
        return [r.status_code for r in responses]

    assert asyncio.run(main()) == [200] * 10
    assert auth_route.call_count == 1
    # A second event loop (a second asyncio.run) works with the same auth object.
    assert asyncio.run(main()) == [200] * 10


def test_async_401_retry(clock: FakeClock, mock: respx.MockRouter) -> None:
    auth_route = _tokens(mock, make_jwt(clock.now + 3600), make_jwt(clock.now + 7200))
    mock.get(URL).mock(side_effect=[httpx.Response(401), httpx.Response(200)])

    async def main() -> int:
        async with httpx.AsyncClient(auth=_auth(clock)) as client:
            return (await client.get(URL)).status_code

    assert asyncio.run(main()) == 200
    assert auth_route.call_count == 2


def test_qps_basic_auth_and_requested_with(mock: respx.MockRouter) -> None:
    route = mock.get("https://qualysapi.qualys.com/qps/rest/1.0/get/ca/agentactkey/1").mock(
        return_value=httpx.Response(200)
    )
    auth = QPSAuth(username=USERNAME, password=Secret(PASSWORD), requested_with="qualys-sdk/test")
    with httpx.Client(auth=auth) as client:
        client.get("https://qualysapi.qualys.com/qps/rest/1.0/get/ca/agentactkey/1")
    headers = route.calls.last.request.headers
    assert headers["authorization"] == "Basic YWNtZV9hYjE6UzNjcmV0IXBhc3M="
    assert headers["x-requested-with"] == "qualys-sdk/test"
    assert PASSWORD not in repr(auth)
