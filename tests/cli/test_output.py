"""What ``qualys`` prints, and where: results on stdout, the rest on stderr; JSON of a documented, stable shape;
tables that never cut an id. Real ``qualys`` subprocesses against ``qualys sim serve``."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.cli.test_cli import QUALYS, USER, clean_env, qualys

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
KEY_FIELDS = ["id", "title", "type", "status", "disabled", "activation_key", "modules", "tags", "count_purchased",
              "count_used", "date_purchased", "date_last_used", "expire_date", "network_id", "apply_on_agents",
              "suspend_self_patch", "agents", "binary_mappings"]  # fmt: skip


@pytest.fixture
def faults(server: str) -> Iterator[str]:
    """The simulator's fault control, emptied after the test."""
    yield f"{server}/_sim/faults"
    httpx.delete(f"{server}/_sim/faults").raise_for_status()


def _header(stdout: str) -> list[str]:
    return stdout.splitlines()[0].split()


def test_results_go_to_stdout_and_the_rest_to_stderr(server: str, faults: str) -> None:
    table = qualys(server, "oca", "subscription-status", "--days", "1")
    assert _header(table.stdout) == ["asset_uuid", "status"]
    assert UUID.search(table.stdout)
    assert table.stderr == ""

    as_json = qualys(server, "--json", "oca", "subscription-status", "--days", "1")
    assert json.loads(as_json.stdout)
    assert as_json.stderr == ""

    # A retry, made visible with --verbose: on stderr, and the result alone on stdout.
    unavailable = {"kind": "status", "path": r"/ocaapi/v2\.0/assets/status/subscription", "status": 503, "times": 1}
    httpx.post(faults, json=unavailable).raise_for_status()
    verbose = qualys(server, "oca", "subscription-status", "--days", "1", "--json", "-v")
    assert json.loads(verbose.stdout) == json.loads(as_json.stdout)
    assert re.fullmatch(r"info: retrying GET /ocaapi/v2\.0/assets/status/subscription\S* in .* \(retry 1 of \d\)\n",
                        verbose.stderr)  # fmt: skip


def test_qualys_log_shows_the_sdk_log_on_stderr(server: str, faults: str) -> None:
    unavailable = {"kind": "status", "path": r"/ocaapi/v2\.0/technology/PolicyCompliance$", "status": 503, "times": 1}
    httpx.post(faults, json=unavailable).raise_for_status()
    logged = qualys(server, "oca", "technologies", env=clean_env(QUALYS_LOG="info"))
    assert "retrying GET /ocaapi/v2.0/technology/PolicyCompliance" in logged.stderr
    assert "retrying" not in logged.stdout
    quiet = qualys(server, "oca", "technologies")
    assert quiet.stderr == ""


def test_json_after_the_subcommand_is_the_same_as_before_it(server: str) -> None:
    before = qualys(server, "--json", "keys", "list")
    after = qualys(server, "keys", "list", "--json")
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert json.loads(qualys(server, "oca", "technologies", "--json").stdout)[0]["technology_version"]


def test_technologies_json_has_iso_times_and_the_table_s_field_names(server: str) -> None:
    found = json.loads(qualys(server, "oca", "technologies", "--json").stdout)
    assert list(found[0]) == ["technology", "technology_version", "created_at", "updated_at"]
    assert datetime.fromisoformat(found[0]["updated_at"]).tzinfo is not None
    header = _header(qualys(server, "oca", "technologies").stdout)
    assert header == ["technology", "technology_version", "updated_at"]
    assert set(header) <= set(found[0])


def _key_json(server: str, *args: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(qualys(server, "keys", *args, "--json").stdout)
    return value


def test_a_key_is_one_flat_object_with_iso_dates(server: str) -> None:
    created = _key_json(server, "create", "--type", "UNLIMITED", "--title", "cli-json", "--module", "VM_LICENSE")
    assert list(created) == KEY_FIELDS
    assert created["modules"] == ["VM_LICENSE"]  # not modules.list_value.activation_key_module[]
    assert created["tags"] == []
    assert created["disabled"] is False
    assert isinstance(created["date_purchased"], str)
    datetime.fromisoformat(created["date_purchased"])  # ISO 8601, not [2026, 11, 29, 20, 32, 24, 0, 0]
    key_id = str(created["id"])

    assert _key_json(server, "get", key_id) == created
    listed = json.loads(qualys(server, "keys", "list", "--title-contains", "cli-json", "--json").stdout)
    assert listed == [created]

    disabled = _key_json(server, "update", key_id, "--disable")
    assert disabled["disabled"] is True
    table = qualys(server, "keys", "list", "--title-contains", "cli-json").stdout
    assert _header(table) == ["id", "title", "type", "status", "disabled", "activation_key"]
    row = next(line for line in table.splitlines() if line.startswith(key_id))
    assert row.split()[-2:] == ["yes", created["activation_key"]]

    assert _key_json(server, "delete", key_id, "--yes") == {"id": created["id"], "deleted": True}


def test_the_keys_table_never_cuts_a_key_even_on_a_narrow_terminal(server: str) -> None:
    keys = json.loads(qualys(server, "keys", "list", "--json").stdout)
    env = clean_env(COLUMNS="50")
    piped = qualys(server, "keys", "list", env=env).stdout
    on_terminal = _on_a_terminal([QUALYS, *USER, "--gateway-url", server, "--api-url", server, "keys", "list"], env)
    for shown in (piped, on_terminal):
        for key in keys:
            assert key["activation_key"] in shown
    assert UUID.search(on_terminal)


def _on_a_terminal(command: list[str], env: dict[str, str]) -> str:
    """What ``command`` writes to stdout when stdout is a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, env=env, timeout=60, check=False)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every writer closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 0, done.stderr
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode().replace("\r\n", "\n"))


def test_single_results_are_one_object(server: str) -> None:
    uuid = json.loads(qualys(server, "oca", "subscription-status", "--json").stdout)[0]["asset_uuid"]
    status = json.loads(qualys(server, "oca", "status", uuid, "--json").stdout)
    assert status == {"asset_uuid": uuid, "status": status["status"]}
    commands = json.loads(qualys(server, "oca", "asset-commands", uuid, "--json").stdout)
    assert all(isinstance(c, str) for c in commands)
    assert qualys(server, "oca", "status", uuid).stdout == f"{status['status']}\n"
