"""Serving the simulator over HTTP: uvicorn, with the limits a server shipped to users needs.

:func:`serve` is what ``qualys sim serve`` runs; ``python -m qualys_sdk.testing.server`` does the same without
the ``[cli]`` extra. On top of uvicorn's defaults (HTTP/1.1 through h11, idle keep-alive connections closed
after 5 s, request heads of at most 16 KiB):

- a connection that has not sent a complete request (head and body) within :data:`REQUEST_TIMEOUT` seconds of
  opening, or of its previous answer, is closed: a slow client (slowloris: a header line every few seconds,
  or a body trickling in) cannot hold connections open for ever. uvicorn itself arms no timer until a first
  answer has gone out, and every byte received disarms it;
- loopback only: the simulator accepts any first password and its ``/_sim`` control plane has no
  authentication.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import uvicorn

    from .simulator import Simulator

#: Seconds a connection has to send one complete request.
REQUEST_TIMEOUT = 30.0
#: Seconds an idle keep-alive connection is kept (uvicorn's default).
KEEP_ALIVE = 5
#: Largest request head (request line and headers) h11 buffers before answering 400.
MAX_HEAD = 16 * 1024


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback address."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request does not complete in time.

    The request must be complete :data:`REQUEST_TIMEOUT` seconds after the connection opened (or after its
    previous answer went out).
    """

    request_timeout = REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the connection's clock."""
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.logger.warning("Closing a connection that sent no complete request in %.0f s", self.request_timeout)
            self.transport.close()

    def _request_in(self) -> bool:
        """Whether a whole request is in and not answered yet: the app has it, the client waits on us."""
        cycle = self.cycle
        return cycle is not None and not cycle.more_body and not cycle.response_complete

    def data_received(self, data: bytes) -> None:
        """Stop the clock once a whole request is in."""
        super().data_received(data)
        if self._request_in():
            self._disarm()

    def on_response_complete(self) -> None:
        """Start the clock again for the next request."""
        super().on_response_complete()  # may start a pipelined request already received
        if not self.transport.is_closing() and not self._request_in():
            self._arm()  # the next request on this connection gets its own time

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)


def config(
    simulator: Simulator,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    log_level: str = "info",
    request_timeout: float = REQUEST_TIMEOUT,
    **options: Any,
) -> uvicorn.Config:
    """The uvicorn configuration :func:`serve` runs (``options`` go to ``uvicorn.Config``)."""
    import uvicorn  # noqa: PLC0415  # the [sim] extra, loaded only to serve

    if not is_loopback(host):
        raise ValueError(f"{host} is not a loopback address; the simulator only listens on loopback")
    if not 0 < request_timeout < float("inf"):
        raise ValueError(f"request_timeout must be a positive number of seconds, got {request_timeout!r}")
    protocol = type("GuardedH11Protocol", (GuardedH11Protocol,), {"request_timeout": request_timeout})
    settings: dict[str, Any] = {
        "http": protocol, "timeout_keep_alive": KEEP_ALIVE, "h11_max_incomplete_event_size": MAX_HEAD,
        "log_level": log_level, **options,
    }  # fmt: skip
    return uvicorn.Config(simulator.app, host=host, port=port, **settings)


def serve(
    simulator: Simulator,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    log_level: str = "info",
    request_timeout: float = REQUEST_TIMEOUT,
) -> None:
    """Serve ``simulator`` on ``host:port`` (loopback only) until interrupted."""
    import uvicorn  # noqa: PLC0415

    uvicorn.Server(config(simulator, host=host, port=port, log_level=log_level, request_timeout=request_timeout)).run()


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m qualys_sdk.testing.server [--port 8080] [--host 127.0.0.1] [--empty] [--seed 0]``."""
    from .simulator import Simulator  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python -m qualys_sdk.testing.server", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--empty", action="store_true", help="start without the guides' sample data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--request-timeout", type=float, default=REQUEST_TIMEOUT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"{args.host} is not a loopback address; the simulator only listens on loopback")
    print(BANNER.format(url=f"http://{args.host}:{args.port}"), flush=True)
    simulator = Simulator(empty=args.empty, seed=args.seed)
    serve(simulator, host=args.host, port=args.port, request_timeout=args.request_timeout)


#: What a served simulator says when it starts (``qualys sim serve`` prints the same).
BANNER = (
    "Qualys simulator on {url} (control plane: {url}/_sim). Credentials: the first login of a username "
    "registers its password; later logins must send the same one (401 otherwise) until POST /_sim/reset, or "
    "DELETE /_sim/subscriptions/<username>, forgets it."
)


if __name__ == "__main__":
    main()
