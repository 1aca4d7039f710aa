"""Offline stand-ins for Qualys, for the SDK's own tests and for yours (needs the ``[sim]`` extra).

- :class:`Simulator` (``qualys_sdk.testing.Simulator``): an in-memory Qualys serving OCA v2, CSAM v2
  business metadata and Cloud Agent activation keys as an ASGI app, with a control plane; see
  ``README.md`` in this package for what it reproduces and what it does not.
- ``qualys_sdk.testing.server``: the simulator over HTTP on loopback (``serve()``, or
  ``python -m qualys_sdk.testing.server``), closing connections that send no complete request in 30 s.
- ``qualys_sdk.testing.pytest_plugin``: the ``qualys_sim`` and ``qualys_simulator`` fixtures.
- ``qualys_sdk.testing.cassettes``: recorded exchanges and their replay as an httpx transport.

Inside, one package per API (``oca``, ``csam``, ``activation_keys``), each with ``models`` (the state, no HTTP),
``responses`` (the route handlers), ``urls`` (the route table) and ``exceptions`` (its error bodies); the layers
they share sit beside them: ``gateway`` (authentication and spec validation for OCA and CSAM, and ``/auth``),
``auth``, ``validation``, ``limits``, ``faults``, ``ratelimits``, ``control`` (``/_sim``), ``state`` and
``simulator``.

Importing this package imports nothing heavy: the simulator loads on first attribute access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .faults import Fault
    from .simulator import Simulator
    from .state import FakeClock

__all__ = ["FakeClock", "Fault", "Simulator"]


def __getattr__(name: str) -> Any:
    if name == "Simulator":
        from .simulator import Simulator  # noqa: PLC0415  # deferred: starlette is an extra

        return Simulator
    if name == "FakeClock":
        from .state import FakeClock  # noqa: PLC0415

        return FakeClock
    if name == "Fault":
        from .faults import Fault  # noqa: PLC0415

        return Fault
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
