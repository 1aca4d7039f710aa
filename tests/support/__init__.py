"""Helpers shared by the test suites: paths, spec access, multipart parsing, schema strategies."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
CASSETTES = TESTS / "cassettes"
