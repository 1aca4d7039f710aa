"""scripts/regenerate.py --check names every drifted file; its comparison is tested here.

The full regeneration runs in tox's drift env, which has the pinned generators.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.support import REPO


def _regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", REPO / "scripts" / "regenerate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_compare_names_changed_missing_and_unexpected_files(tmp_path: Path) -> None:
    compare = _regenerate().compare
    expected = _tree(tmp_path / "a", {"MANIFEST": "m", "pkg/x.py": "x", "pkg/y.py": "y"})
    actual = _tree(
        tmp_path / "b", {"MANIFEST": "m", "pkg/x.py": "x touched", "pkg/z.py": "z", "pkg/.ruff_cache/c": "c"}
    )
    assert compare(expected, actual) == ["missing: pkg/y.py", "unexpected: pkg/z.py", "changed: pkg/x.py"]
    assert compare(expected, expected) == []


def test_committed_manifest_records_the_spec_it_was_generated_from() -> None:
    import hashlib

    manifest = (REPO / "generated" / "MANIFEST").read_text()
    digest = hashlib.sha256((REPO / "specs" / "oca.yaml").read_bytes()).hexdigest()
    assert f"specs/oca.yaml sha256={digest}" in manifest
    assert "openapi-python-client==" in manifest
    assert "ruff==" in manifest
