"""Start-up time, each in a fresh interpreter: ``python -c "import qualys_sdk"`` against
``python -c "import httpx"``, and ``qualys --help`` against ``python -c pass``.

Wall time of the whole subprocess (interpreter start included, no ``-X importtime``), with this interpreter,
the candidates alternating, the median of many runs. ``PYTHONDONTWRITEBYTECODE`` (which ``tox -e bench`` sets)
is taken out of the children's environment and each candidate runs once untimed first, so that the ``.pyc``
caches are warm: the figure is a user's second and later runs, not the first after installing. The
children run in an empty directory, so that nothing in the working directory shadows a package.
``qualys --help`` runs as the console script does (``from qualys_sdk.cli import main; main()``) with this
interpreter, its output captured (a pipe, as in a script).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence

from tests.bench.common import Figure, interleaved_medians

TARGET_RATIO = 1.5
#: ``qualys --help`` against the interpreter's own start.
HELP_TARGET_RATIO = 20.0
# A subprocess's start is noisier than an in-process call: at least this many runs, whatever --repeats says.
MIN_RUNS = 15
COMMANDS: dict[str, list[str]] = {
    "qualys_sdk": ["-c", "import qualys_sdk"],
    "httpx": ["-c", "import httpx"],
    "python": ["-c", "pass"],
    "qualys_help": ["-c", "from qualys_sdk.cli import main; main()", "--help"],
}
UNSET = ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")


def starter(arguments: Sequence[str], cwd: str, env: dict[str, str]) -> Callable[[], object]:
    """One run of ``python <arguments>`` in a fresh interpreter; fails with the child's stderr if it fails."""
    command = [sys.executable, *arguments]

    def run() -> object:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{arguments!r} exited {done.returncode}: {done.stderr}")
        return done

    return run


def run(repeats: int) -> list[Figure]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    runs = max(repeats, MIN_RUNS)
    with tempfile.TemporaryDirectory() as cwd:
        candidates = {name: starter(arguments, cwd, env) for name, arguments in COMMANDS.items()}
        times = interleaved_medians(candidates, repeats=runs, warmup=1)
    ms = {f"{name}_ms": round(seconds * 1e3, 1) for name, seconds in times.items()}
    return [
        Figure(
            name="import qualys_sdk / import httpx (fresh interpreter, wall time)",
            value=round(times["qualys_sdk"] / times["httpx"], 3),
            unit="x",
            target=TARGET_RATIO,
            detail={"runs": runs, **{f"{k}_ms": ms[f"{k}_ms"] for k in ("qualys_sdk", "httpx", "python")}},
            note="python_ms: python -c pass, the interpreter's own start",
        ),
        Figure(
            name="qualys --help / python -c pass (fresh interpreter, wall time)",
            value=round(times["qualys_help"] / times["python"], 3),
            unit="x",
            target=HELP_TARGET_RATIO,
            detail={"runs": runs, "qualys_help_ms": ms["qualys_help_ms"], "python_ms": ms["python_ms"]},
            note="the console script's start: typer and the root command only, no subcommand module, no rich",
        ),
    ]
