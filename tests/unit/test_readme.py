"""Every Python block and every ``qualys`` command line of the README runs, as written, against the simulator.

The Python blocks run with pytest-examples, in order, sharing their names as a reader's session would, in
one empty folder, with ``QUALYS_*`` pointing at ``qualys sim serve``. The ``sh`` blocks' ``qualys`` lines run
as commands the same way (the README's install lines, ``tox`` and the ``sim serve`` line itself are what the
test does around them).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from tests.support.served import served_simulator

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
QUALYS = str(Path(sys.executable).with_name("qualys"))
_SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)


@pytest.fixture(scope="module")
def simulator() -> Iterator[str]:
    with served_simulator([QUALYS]) as url:
        yield url


@pytest.fixture
def reader(simulator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reader's shell: an empty folder, and the variables the README tells them to export."""
    for name in list(os.environ):
        if name.startswith("QUALYS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QUALYS_GATEWAY_URL", simulator)
    monkeypatch.setenv("QUALYS_API_URL", simulator)
    monkeypatch.setenv("QUALYS_USERNAME", "readme_reader")
    monkeypatch.setenv("QUALYS_PASSWORD", "readme-password")
    # A config file in the reader's home must not count: point the config at one that does not exist.
    monkeypatch.setenv("QUALYS_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_python_blocks() -> None:
    assert len(list(find_examples(README))) >= 3


def test_every_python_block_runs_in_order(reader: Path, eval_example: EvalExample) -> None:
    names: dict[str, Any] = {}
    for example in find_examples(README):
        names = eval_example.run(example, module_globals=names)


def _command_lines() -> list[list[str]]:
    """The ``qualys`` lines of the README's sh blocks, as words without their comments, in order."""
    lines = []
    for block in _SH_BLOCK.findall(README.read_text(encoding="utf-8")):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0].endswith("qualys") and words[1:3] != ["sim", "serve"]:
                lines.append(words)
    return lines


def test_the_readme_has_command_lines() -> None:
    assert len(_command_lines()) >= 3


def _readme_devices() -> str:
    """The devices file the README's command lines run on: what its text says the file holds."""
    return "hostIP,technology,dnsName\n" + "".join(f"10.90.0.{i},Comware 7,sw-{i}\n" for i in range(1, 40))


def test_every_command_line_runs(reader: Path) -> None:
    (reader / "devices.csv").write_text(_readme_devices(), encoding="utf-8")
    for words in _command_lines():
        done = subprocess.run([QUALYS, *words[1:]], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, f"{shlex.join(words)}\nstdout: {done.stdout}\nstderr: {done.stderr}"


def test_examples_are_found_with_their_lines() -> None:
    first: CodeExample = next(iter(find_examples(README)))
    assert first.path == README
    assert first.start_line > 1


def _layout() -> dict[str, str]:
    """The README's layout block, by its first-column folder: the text that describes it."""
    text = README.read_text(encoding="utf-8").split("## Layout", 1)[1].split("```", 2)[1]
    parts: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        head, _, rest = line.partition("  ")
        if head.strip():
            current = head.strip()
        parts[current] = parts.get(current, "") + " " + rest
    return parts


def test_the_layout_names_only_what_exists() -> None:
    layout = _layout()
    package = ROOT / "overlay" / "qualys_sdk"
    for module in re.findall(r"\b(_[a-z_]+|oca|csam|activation_keys|platforms)\b", layout["overlay/"]):
        assert any(
            (folder / f"{module}.py").is_file() or (folder / module).is_dir()
            for folder in (package, package / "_async")
        ), module
    for folder in re.findall(r"\b([a-z_]+)/", layout["overlay/"] + layout["tests/"]):
        assert any((base / folder).is_dir() for base in (ROOT, package, package / "bulk", ROOT / "tests")), folder
    for script in re.findall(r"\b([a-z_\-]+\.(?:py|txt))\b", layout["scripts/"]):
        assert (ROOT / "scripts" / script).is_file(), script


def test_the_exit_code_table_is_the_one_the_cli_uses() -> None:
    from qualys_sdk.cli._common import EXIT_TABLE

    text = README.read_text(encoding="utf-8").split("| code | meaning |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|", 1) for line in text.splitlines()]
    assert [(int(code), meaning.strip()) for code, meaning in rows] == EXIT_TABLE
