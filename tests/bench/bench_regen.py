"""Regeneration of all three specs: ``scripts/regenerate.py --check`` timed, twice, with identical output.

``--check`` generates everything into a temporary directory and compares it with ``generated/``: two runs that
both pass produced the same files (byte for byte) as the committed tree, hence as each other. It needs the
pinned generators (scripts/generator-constraints.txt): this interpreter's when it has them (``tox -e bench``
installs them), else the drift env's or ``$QUALYS_BENCH_GENERATOR_PYTHON``, else the figure is reported as skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.common import Figure
from tests.support import REPO

REGENERATE = REPO / "scripts" / "regenerate.py"


def _python() -> str | None:
    candidates = [Path(sys.executable), REPO / ".tox" / "drift" / "bin" / "python"]
    if os.environ.get("QUALYS_BENCH_GENERATOR_PYTHON"):
        candidates.append(Path(os.environ["QUALYS_BENCH_GENERATOR_PYTHON"]))
    for python in candidates:
        if not python.exists():
            continue
        probe = subprocess.run(
            [str(python), "-c", "import openapi_python_client, xsdata.codegen"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return str(python)
    return None


def run(repeats: int) -> list[Figure]:
    del repeats  # a regeneration takes seconds: two runs are the figure and the determinism check
    python = _python()
    name = "regeneration of the three specs (regenerate.py --check)"
    if python is None:
        return [Figure(name=name, value=None, unit="s", note="skipped: no interpreter with the pinned generators")]
    seconds, codes = [], []
    for _ in range(2):
        start = time.perf_counter()
        result = subprocess.run([python, str(REGENERATE), "--check"], cwd=REPO, capture_output=True, check=False)
        seconds.append(time.perf_counter() - start)
        codes.append(result.returncode)
    identical = codes == [0, 0]
    return [
        Figure(
            name=name,
            value=round(min(seconds), 2),
            unit="s",
            detail={"runs_s": [round(s, 2) for s in seconds], "exit_codes": codes, "identical_output": identical},
            note="two runs, both identical to generated/" if identical else "a run differed from generated/",
        )
    ]
