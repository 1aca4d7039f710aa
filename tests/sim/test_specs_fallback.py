"""An editable install (``pip install -e '.[sim,cli]'``) finds the specs in the repository's ``specs/`` folder.

The editable install maps ``qualys_sdk`` to ``overlay/qualys_sdk``, which carries no ``specs/`` (only the wheel
does, through pyproject's force-include). The test copies the package and the specs into a temporary tree laid out
like the repository, with no ``qualys_sdk/specs`` inside the package, and runs the simulator from it in a fresh
interpreter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

# The checkout this test runs from, whichever way the package under test was installed (tox installs the wheel).
REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "overlay" / "qualys_sdk"

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import qualys_sdk
    from qualys_sdk._specs import spec_file
    from qualys_sdk.testing import Simulator
    from qualys_sdk.testing.transport import sim_client

    assert qualys_sdk.__file__.startswith(sys.argv[1]), qualys_sdk.__file__
    with sim_client(Simulator().app) as http:
        token = http.post("/auth", data={"username": "u", "password": "p", "token": "true"}).text
        answer = http.get("/ocaapi/v2.0/technology/PolicyCompliance", headers={"Authorization": "Bearer " + token})
    print(json.dumps({"spec": str(spec_file("oca.yaml")), "xsd": str(spec_file("agentactkey/envelope.xsd")),
                      "status": answer.status_code}))
    """
)


def _tree(root: Path, *, with_specs: bool) -> Path:
    overlay = root / "overlay"
    shutil.copytree(PACKAGE, overlay / "qualys_sdk", ignore=shutil.ignore_patterns("__pycache__", "specs"))
    if with_specs:
        shutil.copytree(REPO / "specs", root / "specs")
    assert not (overlay / "qualys_sdk" / "specs").exists()
    return overlay


def _run(overlay: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(overlay)], env={"PYTHONPATH": str(overlay), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_a_checkout_without_packaged_specs_uses_the_repository_specs(tmp_path: Path) -> None:
    done = _run(_tree(tmp_path, with_specs=True))
    assert done.returncode == 0, done.stderr[-3000:]
    found = done.stdout.strip().splitlines()[-1]
    assert f'"spec": "{tmp_path / "specs" / "oca.yaml"}"' in found
    assert f'"xsd": "{tmp_path / "specs" / "agentactkey" / "envelope.xsd"}"' in found
    assert '"status": 200' in found


def test_without_any_specs_the_error_names_both_places(tmp_path: Path) -> None:
    done = _run(_tree(tmp_path, with_specs=False))
    assert done.returncode != 0
    assert "qualys_sdk ships no spec named 'oca.yaml'" in done.stderr
    assert str(tmp_path / "specs" / "oca.yaml") in done.stderr
