"""``qualys sim serve`` in another process on a free loopback port, for the command-line tests and the benchmarks."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(command: Sequence[str], port: int, log: Path | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` (a simulator server listening on ``port``) until it answers; stop it after."""
    url = f"http://127.0.0.1:{port}"
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log.open("wb")) if log is not None else subprocess.DEVNULL
        process = subprocess.Popen(list(command), stdout=out, stderr=subprocess.STDOUT)
        try:
            for _ in range(400):
                try:
                    httpx.get(f"{url}/_sim/subscriptions/nobody/assets", timeout=1)
                    break
                except httpx.TransportError:
                    if process.poll() is not None:
                        raise RuntimeError(f"{command[0]} exited at start") from None
                    time.sleep(0.05)
            else:
                raise RuntimeError(f"{command[0]} did not start")
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextlib.contextmanager
def served_simulator(qualys: Sequence[str], log: Path | None = None) -> Iterator[str]:
    """Run ``<qualys> sim serve`` (``qualys``: the command that starts the CLI) and yield its base URL.

    The server's output (uvicorn's access log among it) goes to ``log`` when given; the server is stopped after.
    """
    port = free_port()
    with serving([*qualys, "sim", "serve", "--port", str(port)], port, log):
        yield f"http://127.0.0.1:{port}"
