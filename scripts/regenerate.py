#!/usr/bin/env python3
"""Regenerate generated/ from specs/: the only writer of generated/.

    python scripts/regenerate.py          # rewrite generated/, then summarize its public API changes
    python scripts/regenerate.py --check  # exit 1, naming files, if generated/ is stale

Install the pinned generators first:
    pip install -r scripts/generator-constraints.txt

Everything is generated into a temporary directory and then either compared
with generated/ (--check) or copied over it, so a failed or partial
generation never leaves generated/ half written. After a regeneration,
scripts/api_diff.py lists what changed in the public API against HEAD.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
CONSTRAINTS = ROOT / "scripts" / "generator-constraints.txt"
API_DIFF = ROOT / "scripts" / "api_diff.py"

# Files that are never part of the output (caches left by tools, bytecode).
IGNORED_PARTS = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}


@dataclass(frozen=True)
class Target:
    """One generated package: its inputs and the function that builds it."""

    package: str
    inputs: tuple[Path, ...]
    build: Callable[[Target, Path], None]


def _run(cmd: list[str], cwd: Path) -> str:
    # The generators call ruff by name: make it the pinned ruff of this
    # interpreter's environment even when that environment is not activated.
    env = dict(os.environ, PATH=os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]))
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"regenerate: command failed ({result.returncode}): {' '.join(cmd)}\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


# openapi-python-client 0.29 sends every multipart body with the fixed
# boundary "+++", so an uploaded file containing a line "--+++" would end the
# part early and corrupt the upload. The patched template leaves Content-Type
# to httpx, which picks a random boundary per request. It can go once the
# generator stops hard-coding the boundary (tests/contract/test_multipart.py
# guards the behaviour either way).
_FIXED_BOUNDARY = 'headers["Content-Type"] = "multipart/form-data; boundary=+++"'
_RANDOM_BOUNDARY = "# Content-Type is left to httpx, which picks a random multipart boundary."


def _patched_templates(workdir: Path) -> Path:
    import openapi_python_client

    source = Path(openapi_python_client.__file__).parent / "templates" / "endpoint_module.py.jinja"
    text = source.read_text(encoding="utf-8")
    count = text.count(_FIXED_BOUNDARY)
    if count != 2:
        sys.exit(
            f"regenerate: expected the fixed multipart boundary twice in {source}, found it {count} times; "
            "the generator changed: review the template patch in scripts/regenerate.py"
        )
    templates = workdir / "templates"
    templates.mkdir(exist_ok=True)
    (templates / source.name).write_text(text.replace(_FIXED_BOUNDARY, _RANDOM_BOUNDARY), encoding="utf-8")
    return templates


def build_openapi(target: Target, out: Path) -> None:
    spec, config = target.inputs[0], target.inputs[1]
    package_dir = out / target.package
    _run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(package_dir),
            "--custom-template-path",
            str(_patched_templates(out.parent)),
            "--fail-on-warning",
        ],
        cwd=out,
    )
    # --meta none writes no PEP 561 marker; the package is typed.
    (package_dir / "py.typed").write_text("", encoding="utf-8")


def build_xsdata(target: Target, out: Path) -> None:
    schema, config = target.inputs[0], target.inputs[1]
    # xsdata writes the package below the current directory.
    result = _run([sys.executable, "-m", "xsdata", "generate", str(schema), "--config", str(config)], cwd=out)
    if "warning" in result.lower():
        sys.exit(f"regenerate: xsdata warned while generating {target.package}:\n{result}")
    (out / target.package / "py.typed").write_text("", encoding="utf-8")


TARGETS = (
    Target("qualys_oca", (SPECS / "oca.yaml", SPECS / "oca.generator.yaml"), build_openapi),
    Target("qualys_csam", (SPECS / "csam.yaml", SPECS / "csam.generator.yaml"), build_openapi),
    Target(
        "qualys_agentactkey",
        # The envelope includes every other schema of the directory.
        tuple(
            dict.fromkeys(
                [
                    SPECS / "agentactkey" / "envelope.xsd",
                    SPECS / "agentactkey" / "xsdata.xml",
                    *sorted((SPECS / "agentactkey").glob("*.xsd")),
                ]
            )
        ),
        build_xsdata,
    ),
)


def _pinned_versions() -> dict[str, str]:
    pins = {}
    for raw in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip()] = version.strip()
    return pins


def _check_tool_versions(pins: dict[str, str]) -> None:
    wrong = []
    for name, version in pins.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong.append(f"{name} {installed} (pinned {version})")
    if wrong:
        sys.exit(
            "regenerate: generator versions differ from scripts/generator-constraints.txt: "
            + ", ".join(wrong)
            + "\n  install them with: pip install -r scripts/generator-constraints.txt"
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(pins: dict[str, str]) -> str:
    lines = [
        "# Written by scripts/regenerate.py; do not edit.",
        "# What generated/ was produced from. scripts/regenerate.py --check proves it still is.",
        "",
        "[inputs]",
    ]
    inputs = sorted({p for t in TARGETS for p in t.inputs} | {CONSTRAINTS})
    for path in inputs:
        lines.append(f"{path.relative_to(ROOT).as_posix()} sha256={_sha256(path)}")
    lines += ["", "[packages]"]
    lines += [f"{t.package} <- {', '.join(p.relative_to(ROOT).as_posix() for p in t.inputs)}" for t in TARGETS]
    lines += ["", "[tools]"]
    tools = ("openapi-python-client", "xsdata", "ruff", "Jinja2")
    lines += [f"{name}=={pins[name]}" for name in tools if name in pins]
    return "\n".join(lines) + "\n"


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not IGNORED_PARTS.intersection(rel.parts):
            yield rel


def compare(expected: Path, actual: Path) -> list[str]:
    """Differences between two trees, one line per file: added, removed or changed."""
    want = set(_files(expected))
    have = set(_files(actual)) if actual.exists() else set()
    problems = [f"missing: {p.as_posix()}" for p in sorted(want - have)]
    problems += [f"unexpected: {p.as_posix()}" for p in sorted(have - want)]
    problems += [
        f"changed: {p.as_posix()}"
        for p in sorted(want & have)
        if not filecmp.cmp(expected / p, actual / p, shallow=False)
    ]
    return problems


def generate(out: Path) -> None:
    pins = _pinned_versions()
    _check_tool_versions(pins)
    out.mkdir(parents=True, exist_ok=True)
    for target in TARGETS:
        target.build(target, out)
    for cache in list(out.rglob(".ruff_cache")):
        shutil.rmtree(cache)
    (out / "MANIFEST").write_text(_manifest(pins), encoding="utf-8")


def _replace_tree(source: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*IGNORED_PARTS))


def print_api_summary() -> None:
    """The public API changes against HEAD; a single line instead when they cannot be had (no git, no checkout).

    Informational: a breaking change is for review, not a failed regeneration.
    """
    result = subprocess.run(
        [sys.executable, str(API_DIFF), "--against", "HEAD"], capture_output=True, text=True, check=False
    )
    if result.returncode in {0, 1}:
        print(result.stdout, end="")
        return
    reason = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
    print(f"public API summary skipped: {reason.removeprefix('api_diff: ')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if generated/ differs from what specs/ produce")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="qualys-regen-") as tmp:
        out = Path(tmp) / "generated"
        generate(out)
        problems = compare(out, GENERATED)
        if args.check:
            if problems:
                print("generated/ is out of date with specs/ (run scripts/regenerate.py):", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                return 1
            print("generated/ matches specs/")
            return 0
        if problems:
            _replace_tree(out, GENERATED)
            print(f"generated/ rewritten: {len(problems)} file(s) changed")
            for line in problems:
                print(f"  {re.sub(r'^missing', 'written', re.sub(r'^unexpected', 'deleted', line))}")
        else:
            print("generated/ already up to date")
    print_api_summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
