"""Passwords and tokens never appear in reprs, logs or exception messages."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from qualys_sdk import APIStatusError, AuthenticationError, Qualys

from .fakes import GATEWAY, PASSWORD, USERNAME, make_jwt

TOKEN = make_jwt(4_000_000_000)


def test_nothing_secret_in_reprs_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as mock:
        mock.post(f"{GATEWAY}/auth").mock(side_effect=[httpx.Response(201, text=TOKEN), httpx.Response(401, text="no")])
        mock.get(url__regex=r".*/status$").mock(
            side_effect=[
                httpx.Response(429, headers={"Retry-After": "0"}),
                httpx.Response(401, json={"_error": {"code": 401, "message": "JWT expired"}}),
            ]
        )
        mock.get(url__regex=r".*/qps/rest/.*").mock(return_value=httpx.Response(500, text="oops"))
        qualys = Qualys(username=USERNAME, password=PASSWORD, platform="US2")
        qualys._core.random = lambda: 0.0
        errors: list[Exception] = []
        with pytest.raises(AuthenticationError) as auth_error:
            qualys.oca.get_status("u-1")
        errors.append(auth_error.value)
        with pytest.raises(APIStatusError) as qps_error:
            qualys.activation_keys.get(1, max_retries=0)
        errors.append(qps_error.value)
    texts = [repr(qualys), str(qualys), repr(qualys._settings), repr(qualys._tokens), caplog.text]
    texts += [str(e) for e in errors] + [repr(e) for e in errors] + [repr(e.args) for e in errors]
    for text in texts:
        assert PASSWORD not in text
        assert TOKEN not in text
        assert TOKEN.split(".")[1] not in text
    assert "retrying GET" in caplog.text  # the logs were captured, and said something
