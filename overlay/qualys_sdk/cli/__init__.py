"""The ``qualys`` command (``[cli]`` extra). Each subcommand group is a sibling module added here.

``qualys sim serve``: run the offline simulator on loopback (needs the ``[sim]`` extra too).
"""

from __future__ import annotations

import typer

from . import sim

app = typer.Typer(name="qualys", help="Qualys OCA, CSAM and Cloud Agent activation keys.", no_args_is_help=True)
app.add_typer(sim.app, name="sim")


def main() -> None:
    app()
