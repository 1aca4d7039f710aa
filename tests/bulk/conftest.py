"""The bulk tests' server (an in-process fake of the OCA bulk endpoints) and a client bound to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qualys_sdk import Qualys

from .fake_server import FakeOCA, fake_client


@pytest.fixture
def server() -> FakeOCA:
    return FakeOCA()


@pytest.fixture
def client(server: FakeOCA) -> Iterator[Qualys]:
    with fake_client(server) as qualys:
        yield qualys
