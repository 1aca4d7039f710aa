"""``qualys sim ...``: the offline simulator as a local server (``[sim]`` extra)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Annotated

import typer

from ._common import EXIT_RESOURCE, error_line, need_extra, say

app = typer.Typer(help="The offline Qualys simulator.", no_args_is_help=True)


def _loopback(host: str) -> str:
    # The simulator accepts any password and has an unauthenticated control plane: never expose it.
    try:
        is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise typer.BadParameter(f"{host} is not a loopback address; the simulator only listens on loopback")
    return host


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or exit 11 saying the port is taken (before anything else starts)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it an answer written in two parts waits for the client's
    # delayed ACK, about 40 ms a call on loopback (uvicorn sets it only on sockets it binds itself).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        error_line(f"cannot listen on {host}:{port}: {exc.strerror or exc}; pick another --port, or stop what "
                   "uses it")  # fmt: skip
        raise typer.Exit(EXIT_RESOURCE) from None
    return sock


@app.command()
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port to listen on.")] = 8080,
    host: Annotated[str, typer.Option(help="Loopback address to listen on.", callback=_loopback)] = "127.0.0.1",
    empty: Annotated[bool, typer.Option("--empty", help="Start without the guides' sample data.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of every random choice (ids, probabilistic faults).")] = 0,
) -> None:
    """Serve OCA, CSAM and activation keys on one host: point --gateway-url and --api-url at it.

    Runs until Ctrl-C. Exits 11 when the port is in use, or without the sim extra.
    """
    try:
        import uvicorn  # noqa: PLC0415  # the [sim] extra, loaded only to serve

        from ..testing import Simulator  # noqa: PLC0415
        from ..testing.server import BANNER, config  # noqa: PLC0415
    except ImportError as exc:
        raise need_extra(exc) from None

    sock = _listen(host, port)
    simulator = Simulator(empty=empty, seed=seed)
    say(BANNER.format(url=f"http://{host}:{sock.getsockname()[1]}"))
    uvicorn.Server(config(simulator, host=host, port=port)).run(sockets=[sock])
