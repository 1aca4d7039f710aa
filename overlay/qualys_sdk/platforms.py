"""Qualys platforms and their URLs.

Every public platform has two API hosts: the API server (Basic auth: the
QPS REST API of Cloud Agent activation keys) and the API gateway (JWT: OCA,
CSAM). US1 and EU1 are irregular (their API server has no ``qgN`` but their
gateway does), so the table is spelled out rather than derived. Source:
qualys.com/platform-identification.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from ._errors import ConfigurationError

__all__ = ["PLATFORMS", "Platform", "get_platform", "private_cloud", "validate_base_url"]


@dataclass(frozen=True)
class Platform:
    """Where one Qualys platform's APIs live."""

    name: str
    api_url: str
    gateway_url: str
    ui_url: str | None = None


def _public(name: str, domain_api: str, domain_gateway: str) -> Platform:
    return Platform(
        name,
        api_url=f"https://qualysapi.{domain_api}",
        gateway_url=f"https://gateway.{domain_gateway}",
        ui_url=f"https://qualysguard.{domain_api}",
    )


PLATFORMS: Mapping[str, Platform] = MappingProxyType(
    {
        p.name: p
        for p in (
            _public("US1", "qualys.com", "qg1.apps.qualys.com"),
            _public("US2", "qg2.apps.qualys.com", "qg2.apps.qualys.com"),
            _public("US3", "qg3.apps.qualys.com", "qg3.apps.qualys.com"),
            _public("US4", "qg4.apps.qualys.com", "qg4.apps.qualys.com"),
            _public("GOV1", "gov1.qualys.us", "gov1.qualys.us"),
            _public("EU1", "qualys.eu", "qg1.apps.qualys.eu"),
            _public("EU2", "qg2.apps.qualys.eu", "qg2.apps.qualys.eu"),
            _public("EU3", "qg3.apps.qualys.it", "qg3.apps.qualys.it"),
            _public("IN1", "qg1.apps.qualys.in", "qg1.apps.qualys.in"),
            _public("CA1", "qg1.apps.qualys.ca", "qg1.apps.qualys.ca"),
            _public("AE1", "qg1.apps.qualys.ae", "qg1.apps.qualys.ae"),
            _public("UK1", "qg1.apps.qualys.co.uk", "qg1.apps.qualys.co.uk"),
            _public("AU1", "qg1.apps.qualys.com.au", "qg1.apps.qualys.com.au"),
            _public("KSA1", "qg1.apps.qualysksa.com", "qg1.apps.qualysksa.com"),
        )
    }
)


def get_platform(name: str) -> Platform:
    """The platform called ``name`` (``"US2"``, ``"eu1"``: case does not matter)."""
    try:
        return PLATFORMS[name.strip().upper()]
    except KeyError:
        raise ConfigurationError(
            f"unknown Qualys platform {name!r}; known: {', '.join(PLATFORMS)} "
            "(or pass gateway_url / api_url, or private_cloud(base_url))"
        ) from None


def private_cloud(base_url: str) -> Platform:
    """A private cloud platform: ``qualysapi.<base>`` and ``gateway.<base>``; ``private_cloud("acme.qualys.com")``."""
    base = base_url.strip().removeprefix("https://").strip("/")
    if not base or "/" in base:
        raise ConfigurationError(
            f"private cloud base URL must be a host name such as 'acme.example.com', got {base_url!r}"
        )
    return Platform("PRIVATE", api_url=f"https://qualysapi.{base}", gateway_url=f"https://gateway.{base}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str, *, what: str = "base URL") -> str:
    """``url`` without a trailing slash, if it is https (or plain http to loopback, for the simulator).

    Credentials must never travel in clear text to a real host.
    """
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.query or parts.fragment:
        # Paths are joined to a base URL as text; a query or fragment in it would end up in the middle.
        raise ConfigurationError(f"{what} {url!r} must not have a query or fragment")
    if parts.scheme == "https" and host:
        return url.strip().rstrip("/")
    if parts.scheme == "http" and _is_loopback(host):
        return url.strip().rstrip("/")
    raise ConfigurationError(
        f"{what} {url!r} must be an https:// URL (plain http is allowed only to localhost, for the simulator)"
    )
