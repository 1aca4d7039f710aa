"""``qualys sim ...``: the offline simulator as a local server."""

from __future__ import annotations

import ipaddress

import typer

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


@app.command()
def serve(
    port: int = typer.Option(8080, help="TCP port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Loopback address to listen on.", callback=_loopback),
    empty: bool = typer.Option(False, "--empty", help="Start without the guides' sample data."),
    seed: int = typer.Option(0, help="Seed of every random choice (ids, probabilistic faults)."),
) -> None:
    """Serve OCA, CSAM and activation keys on one host: point gateway_url and api_url at it."""
    import uvicorn  # noqa: PLC0415  # the [sim] extra, loaded only to serve

    from qualys_sdk.testing import Simulator  # noqa: PLC0415

    simulator = Simulator(empty=empty, seed=seed)
    typer.echo(f"Qualys simulator on http://{host}:{port} (control plane: /_sim); any username and password work")
    uvicorn.run(simulator.app, host=host, port=port, log_level="info")
