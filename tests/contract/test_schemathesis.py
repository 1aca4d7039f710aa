"""schemathesis, as a user would run it, against ``qualys sim serve``: every operation of oca.yaml and csam.yaml,
with schemathesis's default checks and phases (examples, coverage, fuzzing, stateful through the specs' links).

The only failures allowed are the documented refusals in ``schemathesis-baseline.json``: schema-valid requests
that Qualys refuses for rules OpenAPI cannot state. Each entry names its row of the simulator's fidelity table
(``overlay/qualys_sdk/testing/README.md``), which cites the guide. A new failure, on any operation, fails the run.

The default run is small (one seed, 10 examples per operation); ``tox -e contract`` runs the full one
(``QUALYS_CONTRACT_SEEDS=1,2,3``, ``QUALYS_CONTRACT_EXAMPLES=100``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.served import served_simulator

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("schemathesis-baseline.json")
FIDELITY = ROOT / "overlay" / "qualys_sdk" / "testing" / "README.md"
QUALYS = str(Path(sys.executable).with_name("qualys"))
SEEDS = [int(seed) for seed in os.environ.get("QUALYS_CONTRACT_SEEDS", "1").split(",")]
EXAMPLES = int(os.environ.get("QUALYS_CONTRACT_EXAMPLES", "10"))


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with served_simulator([QUALYS]) as url:
        yield url


def _token(url: str) -> str:
    answer = httpx.post(f"{url}/auth", data={"username": "contract", "password": "contract-pw", "token": "true"})
    answer.raise_for_status()
    return answer.text


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("spec", ["oca.yaml", "csam.yaml"])
def test_schemathesis_finds_nothing_but_documented_refusals(served: str, spec: str, seed: int, tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", str(ROOT / "specs" / spec),
        "--url", served,
        "--header", f"Authorization: Bearer {_token(served)}",
        "--max-examples", str(EXAMPLES),
        "--seed", str(seed),
        "--baseline", str(BASELINE),
        "--continue-on-failure",
        "--no-color",
    ]  # fmt: skip
    # Run from an empty folder: no schemathesis.toml can change the checks, and reports land there.
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert f"Seed: {seed}" in run.stdout
    assert "API Operations:" in run.stdout


def test_each_documented_refusal_has_its_row_in_the_fidelity_table() -> None:
    entries = json.loads(BASELINE.read_text())["entries"]
    rows = [line.split("|")[1].strip() for line in FIDELITY.read_text().splitlines() if line.startswith("| ")]
    assert entries
    for entry in entries:
        # A refusal of schema-valid data only: never a server error or a wrong answer shape.
        assert (entry["check"], entry["failure"], entry["signature"]) == (
            "positive_data_acceptance", "RejectedPositiveData", "400"
        ), entry  # fmt: skip
        assert entry["fidelity"] in rows, f"{entry['id']}: no fidelity row named {entry['fidelity']!r}"
        assert "expires" not in entry
