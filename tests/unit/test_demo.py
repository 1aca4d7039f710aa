"""README command one: the demo runs every OCA operation and exits cleanly."""

from __future__ import annotations

import subprocess
import sys

from tests.support import REPO


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
