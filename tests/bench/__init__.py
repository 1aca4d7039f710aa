"""Benchmarks, run by ``scripts/bench.py`` (``tox -e bench``), never by the test suite.

The modules are named ``bench_*.py`` so that ``pytest tests`` does not collect them; timings are never
asserted anywhere. Each module's ``run(repeats)`` returns :class:`~tests.bench.common.Figure` values.
"""
