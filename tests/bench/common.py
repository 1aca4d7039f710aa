"""What the benchmark modules share: timing by the median of repeated runs, and the figures they report."""

from __future__ import annotations

import contextlib
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tests.support.served import served_simulator as served


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


@contextlib.contextmanager
def served_simulator(log: Path | None = None) -> Iterator[str]:
    """``qualys sim serve`` from this interpreter in a subprocess; yields its base URL, stops it after."""
    with served([sys.executable, "-c", "from qualys_sdk.cli import main; main()"], log) as url:
        yield url
