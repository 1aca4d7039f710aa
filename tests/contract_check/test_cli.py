"""``qualys contract check`` as a user runs it, against ``qualys sim serve`` in another process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
from lxml import etree

from tests.cli.test_cli import clean_env, run
from tests.support import REPO
from tests.support.served import free_port

PASSWORD = "contract-cli-pass"


def check(url: str, *args: str, user: str = "contract_cli", password: str = PASSWORD,
          cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return run("--username", user, "--password", password, "--gateway-url", url, "--api-url", url, "contract", "check",
               *args, cwd=cwd)  # fmt: skip


def test_a_clean_run_against_the_simulator_exits_0(server: str) -> None:
    result = check(server)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"plan: 11 read-only calls (at most 30) to {server} and {server}\n")
    assert "   3 listTechnologyCommands[tech1]" in result.stderr
    lines = result.stdout.splitlines()
    for operation in ("fetchToken", "listTechnologies", "getSubscriptionAssetStatus[30days]", "getActivationKey"):
        assert any(line.split()[1:2] == [operation] for line in lines), operation
    assert lines[-1].startswith("11 of 11 planned calls checked: 0 breaking, 0 additive")
    assert lines[-1].endswith("the contract holds")
    assert "IBM%20zOS%20Security%20Server%20RACF%202" in result.stdout  # a z/OS technology, named without '/'


def test_json_junit_and_a_recording(server: str, tmp_path: Path) -> None:
    junit, cassettes = tmp_path / "contract.xml", tmp_path / "recorded"
    result = check(server, "--json", "--strict", "--junit", str(junit), "--record", str(cassettes),
                   "--scrub-identifiers")  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["passed"], shown["exit_code"], shown["strict"]) == (True, 0, True)
    assert shown["summary"]["breaking"] == shown["summary"]["additive"] == 0
    assert [c["outcome"] for c in shown["calls"]].count("not run") == 0
    assert f"recorded 11 cassette(s) in {cassettes}" in result.stderr
    suite = etree.parse(str(junit)).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("11", "0", "0")
    files = sorted(map(str, cassettes.rglob("*.yaml")))
    assert len(files) == 11
    scrubbed = subprocess.run([sys.executable, str(REPO / "scripts" / "scrub_cassettes.py"), "--check", str(cassettes)],
                              capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    assert scrubbed.returncode == 0, scrubbed.stderr
    assert scrubbed.stdout == "11 cassette(s) checked, 0 secret(s) found\n"
    recorded = "".join(Path(f).read_text("utf-8") for f in files)
    assert "contract-cli-pass" not in recorded
    assert "contract_cli" not in recorded
    assert "381cb3fe-6d7d-41f7-9142-26e6e1dc5bee" not in recorded  # an activation key of the sample data


def test_dry_run_prints_the_plan_and_sends_nothing() -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there: any request would fail
    result = check(nobody, "--dry-run", "--technologies", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "listTechnologyCommands[tech1]" in result.stdout
    assert "/qps/rest/1.0/get/ca/agentactkey/{id}" in result.stdout
    shown = json.loads(check(nobody, "--json", "--dry-run").stdout)
    assert (shown["calls"], shown["max_calls"], shown["gateway_url"]) == (11, 30, nobody)
    assert [s["method"] for s in shown["steps"]] == ["POST"] + ["GET"] * 8 + ["POST", "GET"]


def test_bad_options_are_refused_before_anything_is_sent(tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.yaml").write_text("x")
    cases = [
        (["--scrub-identifiers"], "--scrub-identifiers applies to --record DIR"),
        (["--record", str(tmp_path / "full")], "not an empty directory"),
        (["--junit", str(tmp_path / "no" / "such.xml")], "no directory"),
        (["--max-calls", "5"], "the plan needs 11 calls but --max-calls is 5"),
        (["--technologies", "-1"], "Invalid value for '--technologies'"),
    ]
    for args, message in cases:
        result = check(nobody, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)


def test_plain_http_is_refused_except_to_loopback() -> None:
    result = check("http://qualys.example.test", "--dry-run")
    assert result.returncode == 2
    assert "must be an https:// URL" in result.stderr


def test_refused_credentials_exit_3_after_one_token_fetch(server: str) -> None:
    assert check(server, "--json", user="contract_locked", password="the-first-password").returncode == 0
    before = httpx.get(f"{server}/_sim/subscriptions/contract_locked/assets").status_code
    result = check(server, "--json", user="contract_locked", password="a-wrong-password")
    assert result.returncode == 3, result.stderr
    assert "AuthenticationError" in result.stderr
    assert "a-wrong-password" not in result.stdout + result.stderr
    shown = json.loads(result.stdout)
    assert shown["stopped"] == "AuthenticationError"
    assert shown["calls"][0]["statuses"] == [401]
    assert all(c["requests"] == [] for c in shown["calls"][1:])
    assert before == 200


def test_without_the_contract_extra_it_says_which_extra_to_install() -> None:
    code = "import sys; sys.modules['xmlschema'] = None\nfrom qualys_sdk.cli import main; main()"
    args = ["--username", "u", "--password", "p", "--gateway-url", "http://127.0.0.1:9", "--api-url",
            "http://127.0.0.1:9", "contract", "check"]  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=clean_env(),
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 11
    assert result.stderr == ("error: this command needs the [contract] extra (xmlschema is missing): "
                             "pip install 'qualys-sdk[contract]'\n")  # fmt: skip
