"""``python -m qualys_sdk.testing.server`` in another process, with its pid: for memory and slow-client tests.

(``tests/support/served.py`` serves ``qualys sim serve``, the command line's server; this one serves the
``qualys_sdk.testing.server`` module the command line is meant to run, with a shorter request timeout.)
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.served import free_port


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
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                httpx.get(f"{url}/_sim/subscriptions/nobody/assets", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError("the simulator server exited at start") from None
                time.sleep(0.05)
        else:
            raise RuntimeError("the simulator server did not start")
        yield Served(url, "127.0.0.1", port, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
