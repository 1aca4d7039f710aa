"""TLS: real platforms over https only, certificates verified by default; turning that off is explicit and warns."""

from __future__ import annotations

import asyncio
import ssl
import warnings
from typing import Any

import httpx
import pytest

from qualys_sdk import AsyncQualys, ConfigurationError, Qualys
from qualys_sdk.platforms import PLATFORMS

from .support import PASSWORD, USERNAME


def _ssl_context(http: httpx.Client | httpx.AsyncClient) -> ssl.SSLContext:
    """The SSL context of the connection pool under the SDK's retry transport."""
    inner: Any = http._transport.inner  # type: ignore[union-attr]
    context: ssl.SSLContext = inner._pool._ssl_context
    return context


def _assert_verifies(context: ssl.SSLContext) -> None:
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_every_platform_is_https() -> None:
    for platform in PLATFORMS.values():
        assert platform.gateway_url.startswith("https://"), platform
        assert platform.api_url.startswith("https://"), platform


def test_the_default_client_verifies_certificates() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either
        with Qualys(username=USERNAME, password=PASSWORD, platform="US2") as client:
            _assert_verifies(_ssl_context(client._http))

    async def main() -> None:
        async with AsyncQualys(username=USERNAME, password=PASSWORD, platform="US2") as client:
            _assert_verifies(_ssl_context(client._http))

    asyncio.run(main())


def test_turning_verification_off_is_explicit_and_warns() -> None:
    with pytest.warns(UserWarning, match="TLS certificates are not checked") as caught:
        client = Qualys(username=USERNAME, password=PASSWORD, platform="US2", verify=False)
    assert caught[0].filename == __file__  # the warning points at the caller
    with client:
        assert _ssl_context(client._http).verify_mode == ssl.CERT_NONE

    async def main() -> None:
        with pytest.warns(UserWarning, match="TLS certificates are not checked"):
            client = AsyncQualys(username=USERNAME, password=PASSWORD, platform="US2", verify=False)
        async with client:
            assert _ssl_context(client._http).verify_mode == ssl.CERT_NONE

    asyncio.run(main())


@pytest.mark.parametrize("value", ["false", 0, None])
def test_verify_takes_only_a_bool(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="verify must be True or False"):
        Qualys(username=USERNAME, password=PASSWORD, platform="US2", verify=value)


def test_a_user_http_client_keeps_its_own_verification() -> None:
    with httpx.Client() as http, warnings.catch_warnings():
        warnings.simplefilter("error")
        client = Qualys(username=USERNAME, password=PASSWORD, platform="US2", http_client=http)
        _assert_verifies(_ssl_context(client._http))


@pytest.mark.parametrize(
    "urls",
    [
        {"gateway_url": "http://gateway.qg2.apps.qualys.com"},
        {"api_url": "http://qualysapi.qg2.apps.qualys.com"},
        {"gateway_url": "http://10.0.0.5:8080", "api_url": "https://qualysapi.example.com"},
        {"gateway_url": "ftp://gateway.example.com"},
    ],
    ids=["gateway", "api-server", "private-address", "ftp"],
)
def test_plain_http_to_a_non_loopback_host_is_refused(urls: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="must be an https:// URL"):
        Qualys(username=USERNAME, password=PASSWORD, gateway_url=urls.get("gateway_url"), api_url=urls.get("api_url"))
    with pytest.raises(ConfigurationError, match="must be an https:// URL"):
        AsyncQualys(
            username=USERNAME, password=PASSWORD, gateway_url=urls.get("gateway_url"), api_url=urls.get("api_url")
        )


@pytest.mark.parametrize("url", ["http://localhost:8080", "http://127.0.0.1:9000", "http://[::1]:9000"])
def test_plain_http_to_loopback_is_allowed_for_the_simulator(url: str) -> None:
    with Qualys(username=USERNAME, password=PASSWORD, gateway_url=url, api_url=url) as client:
        assert client.gateway_url == url
