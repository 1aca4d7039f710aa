"""``python -m qualys_sdk.testing.server`` in another process, with its pid: for memory and slow-client tests.

(``tests/support/served.py`` serves ``qualys sim serve``, the command line's server; this one serves the
``qualys_sdk.testing.server`` module the command line is meant to run, with a shorter request timeout.)
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.served import free_port, serving


@dataclass(frozen=True)
class Served:
    url: str
    host: str
    port: int
    process: subprocess.Popen[bytes]

    def memory_kib(self, field: str = "VmRSS") -> int:
        """A memory figure of the server process from /proc (``VmRSS``: resident now; ``VmHWM``: its peak)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/{self.process.pid}/status")


@contextlib.contextmanager
def served(*, request_timeout: float | None = None) -> Iterator[Served]:
    port = free_port()
    command = [sys.executable, "-m", "qualys_sdk.testing.server", "--port", str(port)]
    if request_timeout is not None:
        command += ["--request-timeout", str(request_timeout)]
    with serving(command, port) as process:
        yield Served(f"http://127.0.0.1:{port}", "127.0.0.1", port, process)
