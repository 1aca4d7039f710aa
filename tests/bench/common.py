"""What the benchmark modules share: timing by the median of repeated runs, and the figures they report."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its target when it has one (``value <= target`` is met)."""

    name: str
    value: float | None
    unit: str
    target: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value <= self.target

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
