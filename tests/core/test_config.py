"""Credentials and platforms: precedence, profiles, .qcrc, https only, and secrets that never print."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from qualys_sdk._config import resolve
from qualys_sdk._errors import ConfigurationError
from qualys_sdk._secret import Secret
from qualys_sdk.platforms import PLATFORMS, get_platform, private_cloud, validate_base_url

PASSWORD = "pa55-w0rd!"


def _write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_every_public_platform_has_both_hosts() -> None:
    assert set(PLATFORMS) == {"US1", "US2", "US3", "US4", "GOV1", "EU1", "EU2", "EU3", "IN1", "CA1", "AE1", "UK1",
                              "AU1", "KSA1"}  # fmt: skip
    assert get_platform("us1").api_url == "https://qualysapi.qualys.com"
    assert get_platform("US1").gateway_url == "https://gateway.qg1.apps.qualys.com"
    assert get_platform("eu1").gateway_url == "https://gateway.qg1.apps.qualys.eu"
    assert get_platform("EU3").api_url == "https://qualysapi.qg3.apps.qualys.it"
    assert get_platform("KSA1").gateway_url == "https://gateway.qg1.apps.qualysksa.com"
    assert get_platform("UK1").gateway_url == "https://gateway.qg1.apps.qualys.co.uk"
    assert all(p.api_url.startswith("https://qualysapi.") and p.gateway_url.startswith("https://gateway.")
               for p in PLATFORMS.values())  # fmt: skip


def test_unknown_platform_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown Qualys platform 'US9'.*KSA1"):
        get_platform("US9")


def test_private_cloud() -> None:
    platform = private_cloud("acme.qualys.example")
    assert (platform.api_url, platform.gateway_url) == (
        "https://qualysapi.acme.qualys.example",
        "https://gateway.acme.qualys.example",
    )
    with pytest.raises(ConfigurationError):
        private_cloud("https://acme.example/path")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://gateway.qg2.apps.qualys.com/", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://[::1]:8080", True),
        ("http://gateway.qg2.apps.qualys.com", False),
        ("ftp://example.com", False),
        ("gateway.qg2.apps.qualys.com", False),
    ],
)
def test_only_https_except_loopback(url: str, ok: bool) -> None:
    if ok:
        assert not validate_base_url(url).endswith("/")
    else:
        with pytest.raises(ConfigurationError, match="https://"):
            validate_base_url(url)


@pytest.mark.parametrize("url", ["https://gateway.example/?tenant=1", "https://gateway.example/#top"])
def test_a_base_url_with_a_query_or_fragment_is_refused(url: str) -> None:
    # Paths are appended to the base URL as text: a query would end up in the middle of every URL.
    with pytest.raises(ConfigurationError, match="must not have a query or fragment"):
        validate_base_url(url, what="gateway URL")


def test_arguments_beat_environment_beat_file(tmp_path: Path) -> None:
    config = _write(tmp_path, '[default]\nusername = "file_user"\npassword = "file_pw"\nplatform = "EU2"\n')
    env = {"QUALYS_USERNAME": "env_user", "QUALYS_CONFIG": str(config)}
    settings = resolve(environ=env)
    assert settings.username == "env_user"
    assert settings.password.reveal() == "file_pw"
    assert settings.gateway_url == "https://gateway.qg2.apps.qualys.eu"
    settings = resolve(username="arg_user", platform="US3", environ=env)
    assert settings.username == "arg_user"
    assert settings.api_url == "https://qualysapi.qg3.apps.qualys.com"


def test_urls_come_as_a_unit_from_one_layer(tmp_path: Path) -> None:
    config = _write(
        tmp_path, '[default]\nusername = "u"\npassword = "p"\ngateway_url = "https://gateway.acme.example"\n'
    )
    settings = resolve(environ={"QUALYS_CONFIG": str(config), "QUALYS_PLATFORM": "US2"})
    assert settings.gateway_url == "https://gateway.qg2.apps.qualys.com"
    assert settings.api_url == "https://qualysapi.qg2.apps.qualys.com"


def test_profiles(tmp_path: Path) -> None:
    config = _write(
        tmp_path, '[default]\nusername = "a"\npassword = "p"\n[eu]\nusername = "b"\npassword = "q"\nplatform = "EU1"\n'
    )
    assert resolve(config_file=str(config), profile="eu", environ={}).api_url == "https://qualysapi.qualys.eu"
    assert resolve(environ={"QUALYS_CONFIG": str(config), "QUALYS_PROFILE": "eu"}).username == "b"
    with pytest.raises(ConfigurationError, match=r"no profile \[prod\] \(profiles: default, eu\)"):
        resolve(config_file=str(config), profile="prod", environ={})


def test_unknown_keys_in_a_profile_are_named(tmp_path: Path) -> None:
    config = _write(tmp_path, '[default]\nusername = "a"\npasword = "typo"\n')
    with pytest.raises(ConfigurationError, match=r"unknown key\(s\) \['pasword'\]"):
        resolve(config_file=str(config), environ={})


def test_qcrc_from_qualysapi(tmp_path: Path) -> None:
    qcrc = _write(
        tmp_path, "[info]\nhostname = qualysapi.qg2.apps.qualys.com\nusername = old\npassword = pw\n", ".qcrc"
    )
    settings = resolve(environ={"HOME": str(tmp_path)})
    assert settings.source.endswith(".qcrc")
    assert (settings.username, settings.api_url, settings.gateway_url) == (
        "old",
        "https://qualysapi.qg2.apps.qualys.com",
        "https://gateway.qg2.apps.qualys.com",
    )
    assert qcrc.exists()


def test_xdg_config_file_is_found(tmp_path: Path) -> None:
    (tmp_path / "qualys").mkdir()
    _write(tmp_path / "qualys", '[default]\nusername = "x"\npassword = "y"\n')
    assert resolve(environ={"XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}).username == "x"


def test_world_readable_config_warns(tmp_path: Path) -> None:
    config = _write(tmp_path, '[default]\nusername = "a"\npassword = "p"\n')
    config.chmod(0o644)
    with pytest.warns(UserWarning, match="chmod 600"):
        resolve(config_file=str(config), environ={})


def test_missing_credentials_say_where_they_were_looked_for() -> None:
    with pytest.raises(ConfigurationError, match=r"no Qualys password found.*QUALYS_PASSWORD") as info:
        resolve(username="u", environ={"HOME": "/nonexistent"})
    assert "u" in str(info.value)


def test_defaults_to_us1_when_no_platform_is_given() -> None:
    settings = resolve(username="u", password=PASSWORD, environ={"HOME": "/nonexistent"})
    assert settings.gateway_url == PLATFORMS["US1"].gateway_url


def test_secrets_never_print() -> None:
    settings = resolve(username="u", password=PASSWORD, environ={"HOME": "/nonexistent"})
    for text in (repr(settings), str(settings), f"{settings.password}", repr(settings.password)):
        assert PASSWORD not in text
    assert settings.password == Secret(PASSWORD)
    with pytest.raises(TypeError):
        pickle.dumps(settings.password)


def test_a_complete_set_of_arguments_does_not_read_the_config_file(tmp_path: Path) -> None:
    broken = _write(tmp_path, "this is [not toml")
    settings = resolve(username="u", password="p", platform="US2", environ={"QUALYS_CONFIG": str(broken)})
    assert settings.username == "u"
    with pytest.raises(ConfigurationError, match="cannot read the config file"):
        resolve(username="u", password="p", environ={"QUALYS_CONFIG": str(broken)})
