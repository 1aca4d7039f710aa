"""Where the client's credentials and URLs come from.

Precedence, field by field: explicit arguments, then environment variables,
then the config file. Environment: ``QUALYS_USERNAME``, ``QUALYS_PASSWORD``,
``QUALYS_PLATFORM`` (``US1`` ... ``KSA1``), ``QUALYS_GATEWAY_URL``,
``QUALYS_API_URL``, ``QUALYS_PROFILE`` and ``QUALYS_CONFIG`` (the file).

The file is ``$QUALYS_CONFIG``, else ``$XDG_CONFIG_HOME/qualys/config.toml``
(``~/.config/qualys/config.toml``), else qualysapi's ``~/.qcrc``. TOML files
hold one table per profile::

    [default]
    username = "acme_ab1"
    password = "..."
    platform = "US2"

    [eu]
    username = "acme_eu1"
    password = "..."
    gateway_url = "https://gateway.qg1.apps.qualys.eu"
    api_url = "https://qualysapi.qualys.eu"

A ``.qcrc`` (INI, section ``[info]``: ``hostname``, ``username``,
``password``) is read for users coming from qualysapi; its ``hostname`` is an
API server, mapped to the matching platform's gateway.
"""

from __future__ import annotations

import configparser
import os
import stat
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import ConfigurationError
from ._secret import Secret
from .platforms import PLATFORMS, Platform, get_platform, validate_base_url

_FIELDS = ("username", "password", "platform", "gateway_url", "api_url")
_ENV = {
    "username": "QUALYS_USERNAME",
    "password": "QUALYS_PASSWORD",
    "platform": "QUALYS_PLATFORM",
    "gateway_url": "QUALYS_GATEWAY_URL",
    "api_url": "QUALYS_API_URL",
}


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings. ``password`` is a :class:`Secret`: it never prints."""

    username: str
    password: Secret
    gateway_url: str
    api_url: str
    source: str

    def __repr__(self) -> str:
        return (
            f"Settings(username={self.username!r}, password={self.password!r}, "
            f"gateway_url={self.gateway_url!r}, api_url={self.api_url!r}, source={self.source!r})"
        )


def default_config_path(environ: Mapping[str, str]) -> Path | None:
    if environ.get("QUALYS_CONFIG"):
        return Path(environ["QUALYS_CONFIG"]).expanduser()
    home = Path(environ.get("HOME") or Path.home())
    config_home = Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else home / ".config"
    for candidate in (config_home / "qualys" / "config.toml", home / ".qcrc"):
        if candidate.is_file():
            return candidate
    return None


def _warn_if_readable_by_others(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.warn(
            f"{path} holds Qualys credentials and can be read by other users; run: chmod 600 {path}",
            stacklevel=4,
        )


def _read_qcrc(path: Path) -> dict[str, Any]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise ConfigurationError(f"{path}: not a valid .qcrc file: {exc}") from None
    if not parser.has_section("info"):
        raise ConfigurationError(f"{path}: a .qcrc file needs an [info] section")
    info = parser["info"]
    values: dict[str, Any] = {k: info[k] for k in ("username", "password") if info.get(k)}
    hostname = info.get("hostname", "").strip()
    if hostname:
        api_url = hostname if "://" in hostname else f"https://{hostname}"
        values["api_url"] = api_url
        known = [p for p in PLATFORMS.values() if p.api_url == api_url.rstrip("/")]
        if known:
            values["gateway_url"] = known[0].gateway_url
    return values


def read_profile(path: Path, profile: str) -> dict[str, Any]:
    """The settings of one profile of a config file (a ``.qcrc`` has only one)."""
    _warn_if_readable_by_others(path)
    if path.suffix != ".toml":
        return _read_qcrc(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the config file: {exc}") from None
    table = document.get(profile)
    if not isinstance(table, dict):
        profiles = ", ".join(k for k, v in document.items() if isinstance(v, dict)) or "none"
        raise ConfigurationError(f"{path}: no profile [{profile}] (profiles: {profiles})")
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        raise ConfigurationError(f"{path}: [{profile}] has unknown key(s) {unknown}; known: {list(_FIELDS)}")
    return dict(table)


def _urls(values: Mapping[str, Any], where: str) -> tuple[str | None, str | None]:
    platform: Platform | None = get_platform(str(values["platform"])) if values.get("platform") else None
    gateway = values.get("gateway_url") or (platform.gateway_url if platform else None)
    api = values.get("api_url") or (platform.api_url if platform else None)
    return (
        validate_base_url(str(gateway), what=f"gateway URL ({where})") if gateway else None,
        validate_base_url(str(api), what=f"API server URL ({where})") if api else None,
    )


def _first(layers: list[tuple[str, dict[str, Any]]], field: str) -> tuple[str, Any] | None:
    return next(((where, values[field]) for where, values in layers if values.get(field)), None)


def resolve(
    *,
    username: str | None = None,
    password: str | Secret | None = None,
    platform: str | None = None,
    gateway_url: str | None = None,
    api_url: str | None = None,
    profile: str | None = None,
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge arguments, environment and config file, field by field, in that order of precedence."""
    env = os.environ if environ is None else environ
    layers: list[tuple[str, dict[str, Any]]] = [
        ("arguments", {k: v for k, v in {"username": username, "password": password, "platform": platform,
                                          "gateway_url": gateway_url, "api_url": api_url}.items() if v}),
        ("environment", {field: env[name] for field, name in _ENV.items() if env.get(name)}),
    ]  # fmt: skip
    path = Path(config_file).expanduser() if config_file else default_config_path(env)
    profile_name = profile or env.get("QUALYS_PROFILE") or "default"
    # The file is read only when it is asked for or still needed: a complete set of arguments (a test
    # fixture, the demo) must not trip over a user's file.
    settled = all(_first(layers, f) for f in ("username", "password")) and any(
        {"platform", "gateway_url", "api_url"} & values.keys() for _, values in layers
    )
    if path is not None and (config_file or profile or (path.exists() and not settled)):
        if not path.is_file():
            raise ConfigurationError(f"config file {path} does not exist")
        layers.append((str(path), read_profile(path, profile_name)))
    user = _first(layers, "username")
    secret = _first(layers, "password")
    if user is None or secret is None:
        missing = [f for f, found in (("username", user), ("password", secret)) if found is None]
        looked = ", ".join(["arguments", *(_ENV[f] for f in missing), str(path) if path else "no config file"])
        raise ConfigurationError(f"no Qualys {' or '.join(missing)} found (looked in: {looked})")
    # Where to connect comes as a unit from the first layer that says anything about it, so that a
    # platform in the environment is never mixed with a gateway URL from the file.
    url_layer = next(((w, v) for w, v in layers if {"platform", "gateway_url", "api_url"} & v.keys()), None)
    if url_layer is None:
        gateway, api = PLATFORMS["US1"].gateway_url, PLATFORMS["US1"].api_url
        url_source = "default platform US1"
    else:
        url_source, values = url_layer
        found_gateway, found_api = _urls(values, url_source)
        gateway, api = found_gateway or "", found_api or ""
    return Settings(
        username=str(user[1]),
        password=Secret(secret[1]),
        gateway_url=gateway,
        api_url=api,
        source=", ".join(dict.fromkeys([user[0], secret[0], url_source])),
    )
