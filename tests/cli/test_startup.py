"""Starting ``qualys``: --version, -h, help text for every option, a missing extra named, and ``qualys --help``
kept light (no subcommand module, no rich help). Real subprocesses; the start-up time itself is a benchmark
(tests/bench/bench_import.py), never asserted here."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import typer

import qualys_sdk
from qualys_sdk.cli import app
from qualys_sdk.cli._common import SUBCOMMANDS
from tests.cli.test_cli import clean_env, run


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=clean_env(),
                          timeout=60, check=False)  # fmt: skip


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"qualys-sdk {qualys_sdk.__version__}\n", "")


def test_h_is_help_everywhere() -> None:
    assert run("-h").stdout == run("--help").stdout
    for command in (["keys"], ["keys", "list"], ["oca", "provision"], ["sim", "serve"], ["demo"]):
        short, long = run(*command, "-h"), run(*command, "--help")
        assert short.returncode == 0, short.stderr
        assert short.stdout == long.stdout
        assert "-h, --help" in short.stdout


def _commands() -> list[list[str]]:
    """Every command line's words, from the root to each leaf, read from the command tree itself."""
    root: Any = typer.main.get_command(app)
    found: list[list[str]] = [[]]
    with typer.Context(root) as ctx:
        for name in root.list_commands(ctx):
            command = root.get_command(ctx, name)
            found.append([name])
            found.extend([name, sub] for sub in getattr(command, "commands", {}))
    return found


def test_every_option_has_help_and_no_flag_shows_a_bool_metavar() -> None:
    commands = _commands()
    assert ["keys", "list"] in commands
    assert ["demo"] in commands
    # One interpreter prints the help of every command, as `qualys <words> --help` does.
    helps = python("import sys\n"
                   "from qualys_sdk.cli import main\n"
                   f"for words in {commands!r}:\n"
                   "    sys.argv = ['qualys', *words, '--help']\n"
                   "    try:\n"
                   "        main()\n"
                   "    except SystemExit as done:\n"
                   "        assert done.code in (0, None), (words, done.code)\n"
                   "    print('\\f', flush=True)\n")  # fmt: skip
    assert helps.returncode == 0, helps.stderr
    shown = helps.stdout.split("\f\n")[:-1]
    assert len(shown) == len(commands)
    for words, text in zip(commands, shown, strict=True):
        assert text.startswith(f"Usage: qualys {' '.join(words)}".rstrip()), (words, text)
        assert "<bool>" not in text, words
    missing: list[str] = []
    root: Any = typer.main.get_command(app)
    with typer.Context(root) as ctx:
        for words in commands:
            command = root
            for word in words:
                command = command.get_command(ctx, word)
            missing.extend(f"qualys {' '.join(words)} {p.opts[0]}" for p in command.params
                           if not p.help)  # fmt: skip
    assert missing == []


def test_leaf_options_follow_the_command() -> None:
    shown = run("oca", "technologies", "--help").stdout
    for flag in ("--json", "-v, --verbose", "--debug"):
        assert flag in shown


@pytest.mark.parametrize("blocked", ["typer", "rich"])
def test_without_the_cli_extra_it_says_which_extra_to_install(blocked: str) -> None:
    result = python(f"import sys; sys.modules[{blocked!r}] = None; from qualys_sdk.cli import main; main()", "--help")
    assert result.returncode == 11
    assert result.stdout == ""
    assert result.stderr == (f"error: the qualys command needs the [cli] extra ({blocked} is missing): "
                             "pip install 'qualys-sdk[cli]'\n")  # fmt: skip


@pytest.mark.parametrize("command", [["sim", "serve", "--port", "0"], ["demo", "--devices", "1"]])
def test_without_the_sim_extra_it_says_which_extra_to_install(command: list[str]) -> None:
    result = python("import sys; sys.modules['uvicorn'] = sys.modules['starlette'] = None\n"
                    "from qualys_sdk.cli import main; main()", *command)  # fmt: skip
    assert result.returncode == 11
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "extra (" in result.stderr
    assert result.stderr.endswith("is missing): pip install 'qualys-sdk[sim]'\n")


def test_help_loads_no_subcommand_module_and_no_rich_help() -> None:
    report = ("import atexit, sys\n"
              "atexit.register(lambda: sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith("
              "('qualys_sdk.cli.', 'typer.rich_utils', 'qualys_sdk.testing', 'qualys_sdk.bulk'))))))\n"
              "from qualys_sdk.cli import main; main()")  # fmt: skip
    result = python(report, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stderr.split() == ["qualys_sdk.cli._common"]
    for name in SUBCOMMANDS:
        assert f"\n  {name} " in result.stdout  # listed all the same
