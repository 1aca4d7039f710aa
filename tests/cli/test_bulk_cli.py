"""``qualys bulk`` against ``qualys sim serve`` in another process: results on stdout, the rest on stderr, exit codes,
journals bound to their input, the report of a run, and Ctrl-C.

Each test has a subscription of its own (the simulator takes any username), so that counting its assets counts
only what the test did; faults are global to the served simulator, so a test that injects some clears them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

QUALYS = str(Path(sys.executable).with_name("qualys"))
BULK = r"/ocaapi/v2\.0/asset/bulk$"


def _command(url: str, user: str, *args: str) -> list[str]:
    return [QUALYS, "--username", user, "--password", "pass", "--gateway-url", url, "--api-url", url, *args]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("QUALYS_")}


def qualys(url: str, user: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(url, user, *args), capture_output=True, text=True, env=_env(), timeout=120,
                          check=False, cwd=cwd)  # fmt: skip


def _assets(url: str, user: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(f"{url}/_sim/subscriptions/{user}/assets").json()
    return [a for a in found if str(a["hostIP"]).startswith(("10.31.", "2001:db8:31"))]


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("hostIP,technology\n" + "".join(f"{row}\n" for row in rows))
    return path


def _devices(count: int) -> list[str]:
    return [f"10.31.{i // 250}.{i % 250 + 1},Comware 7" for i in range(count)]


@contextmanager
def _fault(url: str, **fault: Any) -> Iterator[None]:
    httpx.post(f"{url}/_sim/faults", json=fault).raise_for_status()
    try:
        yield
    finally:
        httpx.delete(f"{url}/_sim/faults").raise_for_status()


def test_a_typo_is_caught_before_sending_and_the_fixed_file_runs(server: str, tmp_path: Path) -> None:
    user = "bulk_typo"
    source = _csv(tmp_path / "d.csv", ["10.31.0.1,Comware", "10.31.0.2,Comware 7"])
    typo = qualys(server, user, "bulk", "provision", str(source))
    assert typo.returncode == 2
    assert typo.stdout == ""
    assert f"{source}:2 field 'technology': unknown technology 'Comware': did you mean 'Comware 7'" in typo.stderr
    assert typo.stderr.count("unknown technology") == 1  # each problem once
    assert "provisioning" not in typo.stderr  # no progress bar before the error
    assert _assets(server, user) == []

    _csv(source, ["10.31.0.1,Comware 7", "10.31.0.2,Comware 7"])
    fixed = qualys(server, user, "--json", "bulk", "provision", str(source))
    assert fixed.returncode == 0, fixed.stderr
    report = json.loads(fixed.stdout)  # stdout holds the result and nothing else
    assert report["summary"]["provisioned"] == 2
    assert {(r["host_ip"], r["technology"]) for r in report["rows"]} == {("10.31.0.1", "Comware 7"),
                                                                         ("10.31.0.2", "Comware 7")}  # fmt: skip
    assert len(_assets(server, user)) == 2


def test_a_journal_is_bound_to_its_input(server: str, tmp_path: Path) -> None:
    user = "bulk_bound"
    source = _csv(tmp_path / "d.csv", _devices(3))
    first = qualys(server, user, "bulk", "provision", str(source))
    assert first.returncode == 0, first.stderr
    assert re.search(r"provisioned\s+3", first.stdout)  # the summary table is a result: stdout
    assert "journal: " in first.stderr

    _csv(source, _devices(5))  # the file changed: another input
    refused = qualys(server, user, "bulk", "provision", str(source))
    assert refused.returncode == 2
    assert "--restart" in refused.stderr
    assert len(_assets(server, user)) == 3  # the old journal's rows were not replayed, the new ones not sent

    restarted = qualys(server, user, "--json", "bulk", "provision", str(source), "--restart")
    assert restarted.returncode == 0, restarted.stderr
    summary = json.loads(restarted.stdout)["summary"]
    assert (summary["exists"], summary["provisioned"]) == (3, 2)
    assert len(_assets(server, user)) == 5
    kept = [p.name for p in tmp_path.iterdir() if re.fullmatch(r"d\.csv\.journal\.\d{8}T\d{6}Z", p.name)]
    assert len(kept) == 1  # the old run, beside the new one

    # Run again: finished, so it says so, shows its summary, and sends nothing (a bulk call would fail now).
    with _fault(server, kind="status", path=BULK, status=503, times=None):
        again = qualys(server, user, "bulk", "provision", str(source))
    assert again.returncode == 0, again.stderr
    assert "already finished; nothing was sent" in again.stderr
    assert re.search(r"exists\s+3", again.stdout)


def test_failed_rows_exit_8(server: str, tmp_path: Path) -> None:
    user = "bulk_failed"
    source = _csv(tmp_path / "d.csv", ["10.31.0.1,Comware 7", "10.31.0.2,NoSuchTech 1"])
    result = qualys(server, user, "bulk", "provision", str(source), "--no-check-technologies")
    assert result.returncode == 8, result.stderr
    assert "NoSuchTech 1" in result.stdout  # the failed row, in the results
    assert re.search(r"failed\s+1", result.stdout)
    assert len(_assets(server, user)) == 1


def test_the_report_of_a_run(server: str, tmp_path: Path) -> None:
    user = "bulk_report"
    rows = ["10.31.0.1,Comware 7", "2001:DB8:31::1,comware 7", "2001:db8:31::0001,Comware 7"]
    source = _csv(tmp_path / "d.csv", rows)
    run = qualys(server, user, "--json", "bulk", "provision", str(source))
    assert run.returncode == 0, run.stderr
    journal = f"{source}.journal"

    table = qualys(server, user, "bulk", "report", journal)
    assert table.returncode == 0, table.stderr
    assert table.stderr == ""
    header = next(line for line in table.stdout.splitlines() if "assetUUID" in line)
    assert header.split() == ["line", "hostIP", "technology", "assetUUID", "outcome", "reason"]
    # The three spellings of one device: one identity, one asset, and the duplicate row has none of its own.
    assert re.search(r"\b4\s+2001:db8:31::1\s+Comware 7\s+duplicate\s+same asset as line 3", table.stdout)

    shown = qualys(server, user, "bulk", "report", journal, "--json")
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    assert list(report) == ["summary", "rows"]
    assert report["summary"] == {"rows": 3, "provisioned": 2, "exists": 0, "failed": 0, "duplicate": 1, "unknown": 0}
    assert [list(row) for row in report["rows"]] == [["line", "hostIP", "technology", "assetUUID", "outcome",
                                                      "reason"]] * 3  # fmt: skip
    uuids = {a["uuid"] for a in _assets(server, user)}
    assert {row["assetUUID"] for row in report["rows"][:2]} == uuids
    assert [row["outcome"] for row in report["rows"]] == ["provisioned", "provisioned", "duplicate"]


def test_imports_with_failures_exit_8(server: str, tmp_path: Path) -> None:
    source = tmp_path / "assets.csv"
    source.write_text("qualysAssetId,environment\n999999991,Production\n")
    result = qualys(server, "bulk_imports", "--json", "bulk", "import-assets", str(source))
    assert result.returncode == 8, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["imported"], list(shown["failed"])) == (0, ["999999991"])


def _run_until_in_flight(server: str, user: str, source: Path, journal: Path) -> subprocess.Popen[str]:
    run = subprocess.Popen(_command(server, user, "bulk", "provision", str(source), "--chunk-size", "100"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if journal.is_file() and '"state":"sending"' in journal.read_text():
            return run
        time.sleep(0.01)
    run.kill()
    pytest.fail(f"the run never had a chunk in flight: {run.communicate()}")


#: Each bulk call takes this long while a Ctrl-C test runs: waiting for the calls in flight would show.
SLOW = 10.0


def test_ctrl_c_is_answered_at_once_and_the_resume_settles_every_row(server: str, tmp_path: Path) -> None:
    user = "bulk_ctrl_c"
    source = _csv(tmp_path / "d.csv", _devices(600))
    journal = Path(f"{source}.journal")
    with _fault(server, kind="latency", path=BULK, seconds=SLOW, times=None):
        run = _run_until_in_flight(server, user, source, journal)
        pressed = time.monotonic()
        run.send_signal(signal.SIGINT)
        out, err = run.communicate(timeout=60)
        took = time.monotonic() - pressed
    assert run.returncode == 130, err
    assert took < 3.0, f"took {took:.1f}s"  # well under a second here; generous, and far below SLOW
    assert re.search(rf"interrupted: \d+ of 600 rows settled; resume with: qualys bulk provision --resume {journal}",
                     err)  # fmt: skip
    assert "Traceback" not in err
    assert out == ""

    resumed = qualys(server, user, "--json", "bulk", "provision", "--resume", str(journal))
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assets = _assets(server, user)
    assert len(assets) == 600  # none lost
    assert len({(a["hostIP"], a["technology"]) for a in assets}) == 600  # none twice
    assert sorted(r["line"] for r in report["rows"]) == list(range(2, 602))  # every row once
    assert report["summary"]["provisioned"] + report["summary"]["exists"] == 600
    assert {r["uuid"] for r in report["rows"]} == {a["uuid"] for a in assets}


def test_a_second_ctrl_c_ends_the_process_there_and_then(server: str, tmp_path: Path) -> None:
    source = _csv(tmp_path / "d.csv", _devices(300))
    with _fault(server, kind="latency", path=BULK, seconds=SLOW, times=None):
        run = _run_until_in_flight(server, "bulk_ctrl_c_twice", source, Path(f"{source}.journal"))
        pressed = time.monotonic()
        run.send_signal(signal.SIGINT)
        run.send_signal(signal.SIGINT)
        run.communicate(timeout=60)
        took = time.monotonic() - pressed
    assert run.returncode == 130
    assert took < 3.0


def test_an_empty_journal_left_by_a_crash_is_no_dead_end(server: str, tmp_path: Path) -> None:
    user = "bulk_empty_journal"
    source = _csv(tmp_path / "d.csv", _devices(2))
    Path(f"{source}.journal").write_bytes(b"")  # killed between creating the journal and writing its header
    result = qualys(server, user, "bulk", "provision", str(source))
    assert result.returncode == 0, result.stderr
    assert len(_assets(server, user)) == 2
    resumed = qualys(server, user, "bulk", "provision", "--resume", f"{source}.journal")
    assert resumed.returncode == 0, resumed.stderr
    assert "already finished" in resumed.stderr
