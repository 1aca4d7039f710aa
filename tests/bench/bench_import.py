"""Import time: ``python -c "import qualys_sdk"`` against ``python -c "import httpx"``, each in a fresh interpreter.

Wall time of the whole subprocess (interpreter start included, no ``-X importtime``), with this interpreter,
the candidates alternating, the median of many runs. ``PYTHONDONTWRITEBYTECODE`` (which ``tox -e bench`` sets)
is taken out of the children's environment and each candidate runs once untimed first, so that the ``.pyc``
caches are warm: the figure is a user's second and later imports, not the first after installing. The
children run in an empty directory, so that nothing in the working directory shadows a package.
``python -c pass`` is measured beside them for the interpreter's own start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable

from tests.bench.common import Figure, interleaved_medians

TARGET_RATIO = 1.5
# A subprocess's start is noisier than an in-process call: at least this many runs, whatever --repeats says.
MIN_RUNS = 15
STATEMENTS = {"qualys_sdk": "import qualys_sdk", "httpx": "import httpx", "python": "pass"}
UNSET = ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")


def importer(statement: str, cwd: str, env: dict[str, str]) -> Callable[[], object]:
    """One run of ``python -c statement`` in a fresh interpreter; fails with the child's stderr if it fails."""
    command = [sys.executable, "-c", statement]

    def run() -> object:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{statement!r} exited {done.returncode}: {done.stderr}")
        return done

    return run


def run(repeats: int) -> list[Figure]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    runs = max(repeats, MIN_RUNS)
    with tempfile.TemporaryDirectory() as cwd:
        candidates = {name: importer(statement, cwd, env) for name, statement in STATEMENTS.items()}
        times = interleaved_medians(candidates, repeats=runs, warmup=1)
    ms = {f"{name}_ms": round(seconds * 1e3, 1) for name, seconds in times.items()}
    return [
        Figure(
            name="import qualys_sdk / import httpx (fresh interpreter, wall time)",
            value=round(times["qualys_sdk"] / times["httpx"], 3),
            unit="x",
            target=TARGET_RATIO,
            detail={"runs": runs, **ms},
            note="python_ms: python -c pass, the interpreter's own start",
        )
    ]
