"""README command one: the demo. ``scripts/demo_oca_replay.py`` runs every OCA operation against the recorded
exchanges; ``qualys demo`` tours the SDK on the embedded simulator and reports what it did, truthfully."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support import REPO

QUALYS = str(Path(sys.executable).with_name("qualys"))


def test_demo_calls_every_operation() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo_oca_replay.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "13 calls answered" in result.stdout
    assert "Request for Asset Reprovisioning sent Successfully." in result.stdout
    assert "successfulProvisions': 4" in result.stdout


def test_qualys_demo_counts_every_device_it_made_as_its_own(tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("QUALYS_")}, "QUALYS_PASSWORD": "must-be-ignored",
           "QUALYS_GATEWAY_URL": "https://gateway.qg1.apps.qualys.com"}  # fmt: skip
    result = subprocess.run([QUALYS, "demo", "--devices", "300", "--json"], capture_output=True, text=True, env=env,
                            timeout=120, check=False, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)  # the summary alone on stdout; the tour on stderr
    assert list(summary) == ["devices", "provisioned", "settled_by_resend", "already_there", "failed", "duplicate",
                             "unknown", "unconfirmed", "outputs_uploaded", "csam_assets_updated", "keys_found",
                             "revoked", "requests", "retries", "left_in_simulator", "seconds"]  # fmt: skip
    # The one chunk's answer is dropped on purpose; re-sent, its rows come back "exists": this run's all the same.
    assert summary["provisioned"] == summary["devices"] == summary["revoked"] == 300
    assert summary["settled_by_resend"] == 300
    assert summary["already_there"] == summary["failed"] == summary["unknown"] == 0
    assert summary["left_in_simulator"] == 0
    assert "provisioned 300 (300 of them settled by a re-send" in result.stderr
    assert "journal" not in result.stderr  # it lived in a temporary folder, gone when the demo ends
    assert "must-be-ignored" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing left behind in the working directory
