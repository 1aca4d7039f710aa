"""The ``qualys sim`` command line."""

from __future__ import annotations

from typer.testing import CliRunner

from qualys_sdk.cli import app


def test_sim_serve_is_documented() -> None:
    result = CliRunner().invoke(app, ["sim", "serve", "--help"])
    assert result.exit_code == 0
    assert "--empty" in result.output


def test_sim_serve_refuses_a_non_loopback_host() -> None:
    result = CliRunner().invoke(app, ["sim", "serve", "--host", "0.0.0.0"])  # noqa: S104  # the refused case
    assert result.exit_code != 0
    assert "loopback" in result.output
