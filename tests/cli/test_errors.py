"""Errors of ``qualys``: one line on stderr that says what to do, and an exit code of the one table
``qualys --help`` shows. Real ``qualys`` subprocesses."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qualys_sdk.cli._common import EXIT_TABLE
from tests.cli.test_cli import QUALYS, USER, clean_env, qualys, run
from tests.support.served import free_port


@pytest.fixture
def faults(server: str) -> Iterator[str]:
    yield f"{server}/_sim/faults"
    httpx.delete(f"{server}/_sim/faults").raise_for_status()


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The error line: nothing on stdout, exactly one line on stderr, no traceback."""
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ")
    return result.stderr


def test_help_shows_the_exit_code_table() -> None:
    shown = run("--help")
    assert shown.returncode == 0
    epilog = shown.stdout.split("Exit codes:", 1)[1].splitlines()
    rows = [line.split(None, 1) for line in epilog if line.strip()]
    assert [(int(code), meaning) for code, meaning in rows] == EXIT_TABLE
    assert [code for code, _ in EXIT_TABLE] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 130]


def test_not_found_says_where_to_look(server: str) -> None:
    technology = qualys(server, "oca", "commands", "no-such-technology", check=False)
    assert technology.returncode == 4
    assert "qualys oca technologies" in one_line(technology)
    asset = qualys(server, "oca", "status", "no-such-asset", check=False)
    assert asset.returncode == 4
    assert "qualys oca subscription-status" in one_line(asset)
    key = qualys(server, "keys", "get", "1", check=False)
    assert key.returncode == 4
    assert "qualys keys list" in one_line(key)


def test_a_refused_request_exits_9(server: str, faults: str) -> None:
    refused = {"kind": "status", "path": r"/ocaapi/v2\.0/technology/PolicyCompliance$", "status": 400, "times": 1}
    httpx.post(faults, json=refused).raise_for_status()
    result = qualys(server, "oca", "technologies", check=False)
    assert result.returncode == 9
    assert "BadRequestError" in one_line(result)


def test_a_refused_connection_names_host_and_port() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run(*USER, "--gateway-url", url, "--api-url", url, "oca", "technologies")
    assert result.returncode == 7
    line = one_line(result)
    assert f"cannot connect to {url.removeprefix('http://')}" in line
    assert "--gateway-url" in line


def test_a_platform_typo_suggests_the_command_line_s_flags() -> None:
    for result in (run(*USER, "--platform", "US9", "oca", "technologies"),
                   run(*USER, "oca", "technologies", env=clean_env(QUALYS_PLATFORM="US9"))):  # fmt: skip
        assert result.returncode == 2
        line = one_line(result)
        assert "'US9'" in line
        assert "--platform" in line
        assert "--gateway-url" in line
        assert "gateway_url" not in line  # the library's Python name
        assert "private_cloud" not in line
    assert "did you mean US2?" in run(*USER, "--platform", "us-2", "oca", "technologies").stderr


def test_an_unknown_profile_is_named(tmp_path: Path) -> None:
    home = clean_env(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / ".config"))
    without_file = run("--profile", "nope", "oca", "technologies", env=home)
    assert without_file.returncode == 2
    assert "--profile 'nope'" in one_line(without_file)

    config = tmp_path / "config.toml"
    config.write_text('[default]\nusername = "a"\npassword = "b"\nplatform = "US2"\n')
    config.chmod(0o600)
    with_file = run("--config", str(config), "--profile", "nope", "oca", "technologies", env=home)
    assert with_file.returncode == 2
    line = one_line(with_file)
    assert "no profile [nope]" in line
    assert "(profiles: default)" in line


def test_the_config_permission_warning_is_one_line(server: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[default]\nusername = "cli_user"\npassword = "cli-pass"\ngateway_url = "{server}"\n'
                      f'api_url = "{server}"\n')  # fmt: skip
    config.chmod(0o644)
    result = run("--config", str(config), "oca", "technologies")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {config} holds Qualys credentials and can be read by other users; " \
                            f"run: chmod 600 {config}\n"  # fmt: skip


def test_an_unexpected_error_is_one_line_unless_debug(server: str) -> None:
    broken = ("import qualys_sdk._sync._client as c\n"
              "def boom(*args, **kwargs): raise RuntimeError('boom\\nsecond line')\n"
              "c.Qualys.__init__ = boom\n"
              "from qualys_sdk.cli import main; main()")  # fmt: skip
    command = [sys.executable, "-c", broken, *USER, "--gateway-url", server, "--api-url", server]
    quiet = subprocess.run([*command, "oca", "technologies"], capture_output=True, text=True, env=clean_env(),
                           timeout=60, check=False)  # fmt: skip
    assert quiet.returncode == 1
    assert "RuntimeError: boom second line" in one_line(quiet)
    assert "--debug" in quiet.stderr
    loud = subprocess.run([*command, "oca", "technologies", "--debug"], capture_output=True, text=True,
                          env=clean_env(), timeout=60, check=False)  # fmt: skip
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr


def test_a_port_in_use_exits_11(server: str) -> None:
    result = run("sim", "serve", "--port", server.rsplit(":", 1)[1])
    assert result.returncode == 11
    assert f"cannot listen on 127.0.0.1:{server.rsplit(':', 1)[1]}" in one_line(result)


def test_ctrl_c_exits_130() -> None:
    # A server that takes the connection and never answers: the call is surely under way when Ctrl-C comes.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        command = [QUALYS, *USER, "--gateway-url", url, "--api-url", url, "oca", "technologies"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=clean_env())  # fmt: skip
        silent.settimeout(60)
        connection, _ = silent.accept()
        with connection:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert (out, err) == ("", "interrupted\n")


def test_a_destructive_command_without_yes_exits_2(server: str) -> None:
    refused = qualys(server, "keys", "delete", "3473802", check=False)
    assert refused.returncode == 2
    assert "--yes" in one_line(refused)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("10.0.0.1,Comware 7\n10.0.0.2,Comware 7\n", "missing header?"),
        ("hostIP;technology\n10.0.0.1;Comware 7\n", "the delimiter must be ','"),
    ],
)
def test_a_csv_without_a_usable_header_says_why(server: str, tmp_path: Path, text: str, said: str) -> None:
    devices = tmp_path / "devices.csv"
    devices.write_text(text)
    refused = qualys(server, "bulk", "provision", str(devices), check=False)
    assert refused.returncode == 2
    assert said in refused.stderr
    assert refused.stderr.count(said) == 1  # printed once
    assert not (tmp_path / "devices.csv.journal").exists()


def test_an_answer_out_of_its_documented_shape_exits_10(server: str, faults: str) -> None:
    drift = {"kind": "mutate", "path": r"/technology/PolicyCompliance$", "times": 1,
             "json_patch": [{"op": "replace", "path": "/data", "value": "no longer a list"}]}  # fmt: skip
    httpx.post(faults, json=drift).raise_for_status()
    result = qualys(server, "oca", "technologies", check=False)
    assert result.returncode == 10
    line = one_line(result)
    assert "ResponseFormatError" in line
    assert "qualys contract check" in line
