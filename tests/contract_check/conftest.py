"""``qualys sim serve`` in another process, shared by the command-line and pytest-plugin tests of the check."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.served import served_simulator

QUALYS = str(Path(sys.executable).with_name("qualys"))


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with served_simulator([QUALYS]) as url:
        yield url
