"""What the benchmark modules share: timing by the median of repeated runs, and the figures they report."""

from __future__ import annotations

import contextlib
import gc
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its target when it has one: met when ``value <= target`` (``>=`` if ``at_least``)."""

    name: str
    value: float | None
    unit: str
    target: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    at_least: bool = False

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target if self.at_least else self.value <= self.target

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "met": self.met}


def median_seconds(run: Callable[[], object], *, repeats: int, inner: int = 1, warmup: int = 1) -> float:
    """Median over ``repeats`` runs of the time one call of ``run`` takes (each run makes ``inner`` calls)."""
    for _ in range(warmup):
        for _ in range(inner):
            run()
    samples = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for _ in range(inner):
            run()
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples)


def interleaved_medians(
    runs: dict[str, Callable[[], object]], *, repeats: int, inner: int = 1, warmup: int = 1
) -> dict[str, float]:
    """Like :func:`median_seconds` for several candidates, alternating them so that drift hits all alike."""
    for run in runs.values():
        for _ in range(warmup * inner):
            run()
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            for _ in range(inner):
                run()
            samples[name].append((time.perf_counter() - start) / inner)
    return {name: statistics.median(values) for name, values in samples.items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def served_simulator(log: Path | None = None) -> Iterator[str]:
    """``qualys sim serve`` in a subprocess on a free loopback port; yields its base URL, stops it after.

    The server's output (uvicorn's access log among it) goes to ``log`` when given.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = "from qualys_sdk.cli import main; main()"
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log.open("wb")) if log is not None else subprocess.DEVNULL
        process = subprocess.Popen([sys.executable, "-c", serve, "sim", "serve", "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT)  # fmt: skip
        try:
            for _ in range(400):
                try:
                    httpx.get(f"{url}/_sim/subscriptions/nobody/assets", timeout=1)
                    break
                except httpx.TransportError:
                    if process.poll() is not None:
                        raise RuntimeError("qualys sim serve exited at start") from None
                    time.sleep(0.05)
            else:
                raise RuntimeError("qualys sim serve did not start")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)
