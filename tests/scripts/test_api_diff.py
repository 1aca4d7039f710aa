"""scripts/api_diff.py on a throwaway git repository made from a copy of the project's specs and generated/.

A spec change that removes a model field, makes another required and renames an operation must be reported
as breaking, by api_diff and by the summary scripts/regenerate.py prints; an unchanged tree must report
nothing. The repository is built here, so the test needs none of the project's own history (a shallow clone
will do).

It regenerates with the pinned generators and reads the API with griffe: it runs in tox's drift env, which
installs them (scripts/generator-constraints.txt), and is skipped where they are not installed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

_MISSING = [name for name in ("griffe", "openapi_python_client", "xsdata") if importlib.util.find_spec(name) is None]
pytestmark = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"needs the pinned generators and griffe (tox -e drift installs them); missing: {', '.join(_MISSING)}",
)

# What scripts/regenerate.py and scripts/api_diff.py read: nothing else of the project is copied.
_PROJECT_FILES = (
    "pyproject.toml",
    "scripts/regenerate.py",
    "scripts/api_diff.py",
    "scripts/generator-constraints.txt",
    "specs",
    "generated",
)

# The spec edits, (old, new): the Technology schema loses its optional updatedAt field and requires
# createdAt; listTechnologies is renamed.
_EDITS = (
    ('        updatedAt:\n          $ref: "#/components/schemas/OCATime"\n', ""),
    ("required: [technology, technologyVersion]\n", "required: [technology, technologyVersion, createdAt]\n"),
    ("operationId: listTechnologies\n", "operationId: listSupportedTechnologies\n"),
)


def _git(repo: Path, *args: str) -> None:
    git = shutil.which("git")
    assert git is not None, "git is needed to build the test repository"
    subprocess.run([git, "-C", str(repo), *args], check=True, capture_output=True, env=_git_env(repo.parent))


def _git_env(ceiling: Path) -> dict[str, str]:
    # No user or system git configuration (hooks, signing) reaches the test, and no repository above it is
    # found: the throwaway repository is the only one git sees.
    return dict(
        os.environ,
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CEILING_DIRECTORIES=str(ceiling),
        GIT_AUTHOR_NAME="api-diff test",
        GIT_AUTHOR_EMAIL="api-diff@example.invalid",
        GIT_COMMITTER_NAME="api-diff test",
        GIT_COMMITTER_EMAIL="api-diff@example.invalid",
    )


def _run(repo: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(repo / "scripts" / script), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=_git_env(repo.parent),
    )


def _sections(report: str) -> dict[str, list[str]]:
    """The report's lines by section (Breaking, Added)."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in report.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            current = sections.setdefault(line.removesuffix(":"), [])
        elif line.startswith("  "):
            current.append(line.strip())
    return sections


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose one commit holds the project's files that regeneration needs."""
    repo = tmp_path_factory.mktemp("api-diff") / "baseline"
    repo.mkdir()
    for name in _PROJECT_FILES:
        source, dest = REPO / name, repo / name
        if source.is_dir():
            shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache", ".mypy_cache"))
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
    _git(repo, "init", "--quiet")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--no-verify", "--message", "baseline")
    return repo


def test_an_unchanged_tree_reports_nothing(baseline: Path) -> None:
    result = _run(baseline, "api_diff.py", "--against", "HEAD")
    assert (result.returncode, result.stdout, result.stderr) == (0, "public API: no changes against HEAD\n", "")


def test_an_unknown_ref_or_a_directory_outside_git_is_exit_2(baseline: Path, tmp_path: Path) -> None:
    unknown = _run(baseline, "api_diff.py", "--against", "no-such-ref")
    assert (unknown.returncode, unknown.stdout, unknown.stderr) == (2, "", "api_diff: unknown git ref: no-such-ref\n")

    outside = tmp_path / "outside"
    shutil.copytree(baseline, outside, ignore=shutil.ignore_patterns(".git"))
    result = _run(outside, "api_diff.py", "--against", "HEAD")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"api_diff: {outside} is not a git checkout")


def test_a_removed_field_a_required_field_and_a_renamed_operation_are_breaking(baseline: Path, tmp_path: Path) -> None:
    repo = tmp_path / "work"
    _git(tmp_path, "clone", "--quiet", str(baseline), str(repo))
    spec = repo / "specs" / "oca.yaml"
    text = spec.read_text(encoding="utf-8")
    for old, new in _EDITS:
        # Each edit must hit exactly once, or the spec changed under the test and the edit needs a new target.
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")

    regenerated = _run(repo, "regenerate.py")
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    diff = _run(repo, "api_diff.py", "--against", "HEAD")
    assert diff.returncode == 1, diff.stdout + diff.stderr

    sections = _sections(diff.stdout)
    assert "qualys_oca.models.Technology.updated_at: removed (attribute)" in sections["Breaking"]
    assert "qualys_oca.api.technologies.list_technologies: removed (module)" in sections["Breaking"]
    assert "qualys_oca.api.technologies.list_supported_technologies: added (module)" in sections["Added"]
    # attrs writes the model's __init__ from its fields: it loses one parameter and another becomes required.
    assert "qualys_oca.models.Technology.__init__(updated_at): parameter removed" in sections["Breaking"]
    assert "qualys_oca.models.Technology.__init__(created_at): parameter made required" in sections["Breaking"]
    assert "qualys_oca.models.Technology.created_at: type changed: str | Unset -> str" in sections["Breaking"]
    # regenerate.py ends with the same report.
    assert regenerated.stdout.endswith(diff.stdout)
