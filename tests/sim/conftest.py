"""Shared pieces of the simulator tests: a simulator on a fake clock, plain HTTP to it or to the simulator behind
the ``qualys_sim`` client, and credential helpers."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

from qualys_sdk.testing import FakeClock, Simulator
from qualys_sdk.testing.pytest_plugin import SIM_URL
from qualys_sdk.testing.transport import sim_client

USER = "acme_ab1"
PASSWORD = "S3cret!pass"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sim(clock: FakeClock) -> Simulator:
    return Simulator(clock=clock)


@pytest.fixture
def http(sim: Simulator) -> Iterator[httpx.Client]:
    with sim_client(sim.app) as client:
        yield client


@pytest.fixture
def raw(qualys_simulator: Simulator) -> Iterator[httpx.Client]:
    """Plain HTTP to the simulator behind ``qualys_sim``, for headers and the ``/_sim`` endpoints."""
    with sim_client(qualys_simulator.app, SIM_URL) as client:
        yield client


def login(http: httpx.Client, user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    response = http.post("/auth", data={"username": user, "password": password, "token": "true"})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.text}"}


def basic(user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
