"""The ``qualys`` command (``[cli]`` extra). Each subcommand group is a sibling module added here.

Credentials and platform come from the options below, then ``QUALYS_*`` variables, then the config file;
``qualys demo`` and ``qualys sim`` need none. Nothing provisions, revokes, deletes or imports unless the
command says so.
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import bulk, demo, keys, oca, sim
from ._common import Options

app = typer.Typer(name="qualys", help="Qualys OCA, CSAM and Cloud Agent activation keys.", no_args_is_help=True)
app.add_typer(oca.app, name="oca")
app.add_typer(keys.app, name="keys")
app.add_typer(bulk.app, name="bulk")
app.add_typer(sim.app, name="sim")
app.registered_commands += demo.app.registered_commands


@app.callback()
def connection(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Option(help="Qualys username (or QUALYS_USERNAME)")] = None,
    password: Annotated[str | None, typer.Option(help="Qualys password (or QUALYS_PASSWORD)")] = None,
    platform: Annotated[
        str | None, typer.Option(help="US1..US4, GOV1, EU1..EU3, IN1, CA1, AE1, UK1, AU1, KSA1")
    ] = None,
    gateway_url: Annotated[str | None, typer.Option(help="Gateway URL, instead of --platform")] = None,
    api_url: Annotated[str | None, typer.Option(help="API server URL, instead of --platform")] = None,
    profile: Annotated[str | None, typer.Option(help="Profile of the config file")] = None,
    config: Annotated[str | None, typer.Option(help="Config file (default ~/.config/qualys/config.toml)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print results as JSON, for scripts")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks")] = False,
) -> None:
    """Options for every command."""
    ctx.obj = Options(username, password, platform, gateway_url, api_url, profile, config, json, debug)


def main() -> None:
    app()
