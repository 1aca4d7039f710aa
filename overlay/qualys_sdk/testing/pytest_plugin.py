"""pytest fixtures for testing code that uses qualys-sdk, against an in-process simulator.

- ``qualys_simulator``: a fresh :class:`~qualys_sdk.testing.Simulator` (the control plane).
- ``qualys_sim``: a :class:`qualys_sdk.Qualys` client bound to it, whatever ``QUALYS_*`` variables say.

Registered through the ``pytest11`` entry point; it imports the simulator only when a fixture is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from qualys_sdk import Qualys

    from .simulator import Simulator

#: Credentials of the subscription the ``qualys_sim`` client uses (its first login registers this password).
SIM_USERNAME = "sim_user"
SIM_PASSWORD = "sim-password"  # noqa: S105  # registered by the first login, as any first password is
#: A loopback URL: the client accepts http there, and the simulator answers gateway and QPS paths on one host.
SIM_URL = "http://localhost"


@pytest.fixture
def qualys_simulator() -> Simulator:
    """A fresh simulator with the guides' sample data, on the real clock, seed 0."""
    from .simulator import Simulator  # noqa: PLC0415  # deferred: the [sim] extra loads only when used

    return Simulator()


@pytest.fixture
def qualys_sim(qualys_simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Qualys]:
    """A ``Qualys`` client talking to ``qualys_simulator`` in process (no socket is opened)."""
    from qualys_sdk import Qualys  # noqa: PLC0415

    from .transport import sim_client  # noqa: PLC0415

    for name in list(os.environ):
        if name.startswith("QUALYS_"):
            monkeypatch.delenv(name)
    with sim_client(qualys_simulator.app, SIM_URL) as http:
        client = Qualys(
            username=SIM_USERNAME, password=SIM_PASSWORD, gateway_url=SIM_URL, api_url=SIM_URL, http_client=http
        )
        with client:
            yield client
