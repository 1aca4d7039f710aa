"""Every example of the documentation runs, as written, against the simulator: the README, each page of docs/,
and each Python example in the docstrings the API reference shows.

A page is read top to bottom as a reader's session would go, in one empty folder with ``QUALYS_*`` pointing at
``qualys sim serve`` (a username of its own per page, so pages do not share assets):

- ``python`` blocks run with pytest-examples, sharing their names; a block with ``#>`` lines after its prints
  must print exactly that; a block titled as a file (``title="test_inventory.py"``) is written to that file;
- ``sh`` blocks: each ``qualys ...`` and ``pytest ...`` line runs as a command (``VAR=value`` before it set for
  that command) and must exit 0, or the code its comment names (``# exits 4``); install lines, ``tox``,
  ``export`` and the ``qualys sim serve`` the test itself provides are what the reader does around them;
- ``toml`` and ``ini`` blocks (config files) must read as the SDK reads a config file.

The configuration page runs with no ``QUALYS_*`` variable at all and an empty home: its examples set
everything themselves. Other checks of the pages (the README's size and commands, the layout, the exit codes,
the command-line reference, docstrings of the public API) are here too.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import importlib.util
import inspect
import json
import os
import re
import shlex
import subprocess
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from tests.support.served import served_simulator

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.rglob("*.md"))]
QUALYS = str(Path(sys.executable).with_name("qualys"))
#: Pages whose examples set every credential and URL themselves: run with no QUALYS_* variable.
OFFLINE = {DOCS / "configuration.md"}

_FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)
_TITLE = re.compile(r"""\btitle=(["'])(?P<title>.+?)\1""")
_EXPECTED_EXIT = re.compile(r"#.*\bexits (\d+)\b")


def _script(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while a class is created
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: its language, its title when it names a file, its text."""

    line: int
    language: str
    title: str | None
    body: str
    example: CodeExample | None


def _blocks(page: Path) -> list[Block]:
    """The page's fenced blocks in order; Python ones carry pytest-examples' view of them."""
    examples = {example.start_line: example for example in find_examples(page)}
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        line = text[: match.start()].count("\n") + 1
        info = match.group("info").strip()
        title = _TITLE.search(info)
        found.append(
            Block(
                line=line,
                language=info.split(" ", 1)[0].lower(),
                title=title.group("title") if title else None,
                body=match.group("body"),
                example=examples.get(line),
            )
        )
    return found


@dataclass(frozen=True)
class Command:
    """A command line of an ``sh`` block that the test runs."""

    argv: list[str]
    env: dict[str, str]
    expected: int
    text: str


def _command(line: str) -> Command | None:
    """The command a ``qualys`` or ``pytest`` line runs, or None for a line the reader runs around them."""
    words = shlex.split(line, comments=True)
    env = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words:
        return None
    if words[0].endswith("qualys") and words[1:3] != ["sim", "serve"]:
        argv = [QUALYS, *words[1:]]
    elif words[0] == "pytest":
        argv = [sys.executable, "-m", "pytest", *words[1:]]
    else:
        return None
    expected = _EXPECTED_EXIT.search(line)
    return Command(argv, env, int(expected.group(1)) if expected else 0, line.strip())


def _commands(page: Path) -> list[Command]:
    return [c for b in _blocks(page) if b.language == "sh" for line in b.body.splitlines() if (c := _command(line))]


def _has_examples(page: Path) -> bool:
    return any(b.language in ("python", "py", "toml", "ini") for b in _blocks(page)) or bool(_commands(page))


@pytest.fixture(scope="module")
def simulator() -> Iterator[str]:
    with served_simulator([QUALYS]) as url:
        yield url


def _reader(page: Path, simulator: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader's shell for ``page``: an empty folder and home, and the variables the docs tell them to set."""
    for name in list(os.environ):
        if name.startswith("QUALYS_"):
            monkeypatch.delenv(name)
    home = folder / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # no config file of the machine's user counts
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    work = folder / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    if page in OFFLINE:
        return
    monkeypatch.setenv("QUALYS_GATEWAY_URL", simulator)
    monkeypatch.setenv("QUALYS_API_URL", simulator)
    monkeypatch.setenv("QUALYS_USERNAME", "reader_" + re.sub(r"\W", "_", page.relative_to(ROOT).as_posix()))
    monkeypatch.setenv("QUALYS_PASSWORD", "reader-password")


def _check_config_file(block: Block, folder: Path) -> None:
    from qualys_sdk._config import read_profile

    name = Path(block.title or ("config.toml" if block.language == "toml" else ".qcrc")).name
    path = folder / name
    path.write_text(block.body, encoding="utf-8")
    path.chmod(0o600)
    if block.language == "toml":
        import tomllib

        profiles = [k for k, v in tomllib.loads(block.body).items() if isinstance(v, dict)]
        assert profiles, f"{block.title}: no profile"
    else:
        profiles = ["default"]
    for profile in profiles:
        assert read_profile(path, profile), profile


def _run(command: Command, page: Path) -> None:
    done = subprocess.run(
        command.argv, capture_output=True, text=True, timeout=300, check=False, env={**os.environ, **command.env}
    )
    where = f"{page.relative_to(ROOT)}: {command.text}"
    assert done.returncode == command.expected, f"{where}\nstdout: {done.stdout}\nstderr: {done.stderr}"


@pytest.mark.parametrize("page", [p for p in PAGES if _has_examples(p)], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_of_the_page_runs_in_order(
    page: Path, simulator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, eval_example: EvalExample
) -> None:
    _reader(page, simulator, tmp_path, monkeypatch)
    eval_example.set_config(line_length=120)  # the project's line length: #> lines up to it
    names: dict[str, Any] = {}
    for block in _blocks(page):
        if block.language in ("python", "py"):
            assert block.example is not None, f"{page}:{block.line}"
            if block.title:
                Path(block.title).write_text(block.example.source, encoding="utf-8")
            elif "#> " in block.body:
                names = eval_example.run_print_check(block.example, module_globals=names)
            else:
                names = eval_example.run(block.example, module_globals=names)
        elif block.language in ("toml", "ini"):
            _check_config_file(block, tmp_path)
        elif block.language == "sh":
            for line in block.body.splitlines():
                command = _command(line)
                if command is not None:
                    _run(command, page)


def test_the_pages_have_examples() -> None:
    """The parsing finds what the pages hold: a Python example in the README, and command lines in the pages too."""
    assert any(b.example is not None for b in _blocks(README))
    for page in (DOCS / "getting-started.md", DOCS / "oca.md", DOCS / "bulk.md", DOCS / "testing.md"):
        assert any(b.example is not None for b in _blocks(page)), page
        assert _commands(page), page


def test_a_command_line_is_read_as_the_reader_runs_it() -> None:
    command = _command("QUALYS_LOG=info .venv/bin/qualys oca status nope   # exits 4: no such asset")
    assert command is not None
    assert command.argv == [QUALYS, "oca", "status", "nope"]
    assert command.env == {"QUALYS_LOG": "info"}
    assert command.expected == 4
    assert _command("qualys sim serve --port 8080   # terminal 1") is None
    assert _command("export QUALYS_USERNAME=me") is None
    assert _command("python3 -m venv .venv && .venv/bin/pip install -q '.[sim,cli]'") is None


# -- the docstrings the API reference shows -------------------------------------------------------------------

_DIRECTIVE = re.compile(r"^::: (\S+)", re.M)


def _resolve(path: str) -> Any:
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise LookupError(path)


def _public(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    defined = (n for n, v in vars(module).items() if getattr(v, "__module__", "") == module.__name__)
    return [n for n in defined if not n.startswith("_")]


def _documented() -> dict[str, Any]:
    """Every object the API reference shows, by dotted name: what its ``:::`` lines name, and their members."""
    shown: dict[str, Any] = {}

    def add(name: str, obj: Any) -> None:
        if name in shown:
            return
        shown[name] = obj
        if isinstance(obj, types.ModuleType):
            for member in _public(obj):
                add(f"{name}.{member}", getattr(obj, member))
        elif inspect.isclass(obj):
            for member, value in inspect.getmembers(obj):
                if not member.startswith("_") and _ours(value):
                    add(f"{name}.{member}", value)

    for page in sorted((DOCS / "reference" / "api").glob("*.md")):
        for path in _DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            add(path, _resolve(path))
    return shown


def _ours(value: Any) -> bool:
    """Defined in qualys_sdk: not inherited from Python, httpx or a generated model."""
    target = value.fget if isinstance(value, property) else getattr(value, "func", value)
    return str(getattr(target, "__module__", "")).startswith("qualys_sdk")


def _docstring_examples() -> list[tuple[str, str]]:
    """(where, code) of every Python literal block of the documented docstrings, as the reference shows them."""
    griffe_rst = _script("griffe_rst")
    found = []
    for name, obj in _documented().items():
        doc = inspect.getdoc(obj) if not isinstance(obj, str | int | float | dict | list | tuple) else None
        for index, code in enumerate(griffe_rst.literal_blocks(doc or "")):
            if griffe_rst.is_python(code):
                found.append((f"{name}[{index}]", code))
    return found


def test_the_reference_shows_examples() -> None:
    names = {name.rsplit("[", 1)[0] for name, _ in _docstring_examples()}
    assert {"qualys_sdk.Qualys", "qualys_sdk.AsyncQualys"} <= names


@pytest.mark.parametrize(("name", "code"), _docstring_examples(), ids=lambda v: v if "\n" not in v else "")
def test_every_docstring_example_runs(
    name: str, code: str, simulator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each as its own program; top-level ``await`` is allowed in async examples, as ``python -m asyncio`` does."""
    _reader(ROOT / "docstrings" / name, simulator, tmp_path, monkeypatch)  # a username of its own
    compiled = compile(code, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    result = eval(compiled, namespace)  # noqa: S307  # the documentation's own example
    if inspect.iscoroutine(result):
        asyncio.run(result)


def test_every_public_name_has_a_docstring() -> None:
    """The API reference shows what the docstrings say: none may be empty (ruff's D rules cover the modules)."""
    missing = [name for name, obj in _documented().items() if _needs_doc(obj) and not inspect.getdoc(obj)]
    assert missing == []


def _needs_doc(obj: Any) -> bool:
    return isinstance(obj, types.ModuleType | property) or inspect.isclass(obj) or inspect.isroutine(obj)


def test_the_performance_figures_are_those_of_results_json() -> None:
    bench = _script("bench")
    results = json.loads(bench.RESULTS.read_text(encoding="utf-8"))
    assert bench.block(results) in bench.PAGE.read_text(encoding="utf-8"), "run: python scripts/bench.py --update-docs"


# -- the README: the front door ---------------------------------------------------------------------------------


def test_the_readme_is_short_and_keeps_its_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text) < 6000, len(text)
    for marker, command in (
        ("demo-command", "python3 -m venv .venv && .venv/bin/pip install -q '.[sim,cli]' && .venv/bin/qualys demo"),
        ("test-command", "python3 -m venv .venv && .venv/bin/pip install -q 'tox>=4.20' && .venv/bin/tox"),
    ):
        assert f"<!-- {marker} -->\n```sh\n{command}\n```" in text, marker


def test_every_relative_link_of_the_readme_and_the_pages_resolves() -> None:
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).resolve().exists(), f"{page.relative_to(ROOT)}: {target}"


# -- what the pages say about the project -----------------------------------------------------------------------


def test_the_command_line_reference_is_what_the_app_makes() -> None:
    cli_docs = _script("cli_docs")
    assert cli_docs.PAGE.read_text(encoding="utf-8") == cli_docs.render(), "run: python scripts/cli_docs.py"


def _layout() -> dict[str, str]:
    """The layout block of docs/development.md, by its first-column folder: the text that describes it."""
    text = (DOCS / "development.md").read_text(encoding="utf-8").split("## Layout", 1)[1].split("```", 2)[1]
    parts: dict[str, str] = {}
    current = ""
    for line in text.splitlines()[1:]:
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
    for folder in re.findall(r"\b([a-z_]+)/", layout["overlay/"] + layout["tests/"] + layout["docs/"]):
        bases = (ROOT, package, package / "bulk", ROOT / "tests", DOCS, DOCS / "reference")
        assert any((base / folder).is_dir() for base in bases), folder
    for script in re.findall(r"\b([a-z_\-]+\.(?:py|txt|yml))\b", layout["scripts/"] + layout["docs/"]):
        assert any((base / script).is_file() for base in (ROOT / "scripts", ROOT, DOCS)), script


def test_the_exit_code_table_is_the_one_the_cli_uses() -> None:
    from qualys_sdk.cli._common import EXIT_TABLE

    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    rows = text.split("| code | meaning |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    table = [line.strip("|").split("|", 1) for line in rows.splitlines()]
    assert [(int(code), meaning.strip()) for code, meaning in table] == EXIT_TABLE


PUBLIC_MODULES = ["qualys_sdk", "qualys_sdk.bulk", "qualys_sdk.testing", "qualys_sdk.platforms", "qualys_sdk.types",
                  "qualys_sdk.oca", "qualys_sdk.csam", "qualys_sdk.activation_keys",
                  "qualys_sdk.activation_key_constants"]  # fmt: skip


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_name_appears_in_the_api_reference(module: str) -> None:
    shown = _documented()
    shown_objects = [id(obj) for obj in shown.values()]
    public = importlib.import_module(module)
    missing = [name for name in _public(public) if not name.startswith("__") and f"{module}.{name}" not in shown
               and id(getattr(public, name)) not in shown_objects]  # fmt: skip
    assert missing == []
