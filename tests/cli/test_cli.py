"""The ``qualys`` command against ``qualys sim serve`` in another process: real subprocesses, real kills."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

QUALYS = str(Path(sys.executable).with_name("qualys"))
USER = ["--username", "cli_user", "--password", "cli-pass"]


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without QUALYS_* (a developer's own settings must not leak in), plus ``extra``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("QUALYS_")}, **extra}


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """``qualys ARGS`` as a user runs it, stdout and stderr captured apart."""
    return subprocess.run([QUALYS, *args], capture_output=True, text=True, env=env or clean_env(), timeout=timeout,
                          check=False, cwd=cwd)  # fmt: skip


def qualys(
    url: str, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``qualys`` with a user of the simulator at ``url``."""
    result = run(*USER, "--gateway-url", url, "--api-url", url, *args, env=env)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _csv(path: Path, count: int) -> Path:
    path.write_text("hostIP,technology\n" + "".join(f"10.9.{i // 250}.{i % 250 + 1},Comware 7\n" for i in range(count)))
    return path


def _assets(url: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = httpx.get(f"{url}/_sim/subscriptions/cli_user/assets").json()
    return [a for a in found if str(a["hostIP"]).startswith("10.9.")]


def test_json_output_for_scripts(server: str) -> None:
    techs = json.loads(qualys(server, "--json", "oca", "technologies").stdout)
    assert len(techs) == 25
    assert {"technology": "Comware", "technology_version": "Comware 7"}.items() <= techs[8].items()


def test_errors_are_one_line_with_an_exit_code(server: str) -> None:
    missing = qualys(server, "oca", "status", "no-such-asset", check=False)
    assert missing.returncode == 4
    assert "Traceback" not in missing.stderr
    assert "NotFoundError" in missing.stderr
    command = [QUALYS, "--username", "cli_user", "--password", "wrong", "--gateway-url", server, "--api-url", server]
    wrong = subprocess.run([*command, "oca", "technologies"], capture_output=True, text=True, check=False)
    assert wrong.returncode == 3
    assert "wrong" not in wrong.stderr  # the password never shows


def test_delete_needs_yes(server: str) -> None:
    refused = qualys(server, "oca", "delete", "some-uuid", check=False)
    assert refused.returncode == 2
    assert "--yes" in refused.stderr


def test_bulk_input_errors_name_file_line_and_field(server: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("hostIP,technology\n10.0.0.1,Comware 7\nnot-an-ip,Comware 7\n")
    result = qualys(server, "bulk", "provision", str(path), check=False)
    assert result.returncode == 2
    assert f"{path}:3 field 'hostIP'" in result.stderr
    assert _assets(server) == []


def test_killed_bulk_run_resumes_to_exactly_the_intended_assets(server: str, tmp_path: Path) -> None:
    source = _csv(tmp_path / "devices.csv", 1200)
    journal = Path(f"{source}.journal")
    # Each chunk takes a while, so the kill surely lands part way through the run.
    slow = {"kind": "latency", "path": r"/ocaapi/v2\.0/asset/bulk$", "times": 12, "seconds": 0.05}
    httpx.post(f"{server}/_sim/faults", json=slow).raise_for_status()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUALYS_")}
    run = subprocess.Popen([QUALYS, *USER, "--gateway-url", server, "--api-url", server, "bulk", "provision",
                            str(source), "--chunk-size", "100", "--concurrency", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    # Kill it for real once a few chunks are recorded, while others are on the way.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if journal.exists() and journal.read_text().count('"state":"done"') >= 3:
            break
        time.sleep(0.005)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    assert run.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert 0 < len(_assets(server)) < 1200

    httpx.delete(f"{server}/_sim/faults").raise_for_status()
    resumed = qualys(server, "--json", "bulk", "provision", "--resume", str(journal))
    report = json.loads(resumed.stdout)
    assets = _assets(server)
    assert len(assets) == 1200  # none lost
    assert len({(a["hostIP"], a["technology"]) for a in assets}) == 1200  # none twice
    assert report["summary"]["rows"] == 1200
    assert report["summary"]["provisioned"] + report["summary"]["exists"] == 1200
    assert {r["uuid"] for r in report["rows"]} == {a["uuid"] for a in assets}


def test_an_unreadable_input_file_is_one_line(server: str, tmp_path: Path) -> None:
    result = qualys(server, "bulk", "revoke", str(tmp_path / "missing.txt"), "--yes", check=False)
    assert result.returncode == 2
    assert "No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
