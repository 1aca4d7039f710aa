"""The built wheel, installed with its ``[sim]`` extra into a fresh venv outside the repo, serves its own users.

The wheel is built from the repository, installed with pytest into a new venv in a temporary directory, and a
small test file there uses the ``qualys_sim`` fixture (registered by the wheel's ``pytest11`` entry point). It
runs with a clean environment (no ``PYTHONPATH`` into the repo, the temporary directory as working directory),
so it passes only if the package data (specs, sample data) and the plugin made it into the wheel.

Installing needs a package index (PyPI, or the indexes pip's own configuration names). Without one the test
fails, saying so: it is the only check that the wheel works on its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 240.0
# What the child processes may see: the system's paths, locale, proxies and pip's configuration.
PASSED_ENV = ("HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE")
PASSED_ENV_PREFIXES = ("PIP_", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")

USER_TEST = '''
"""A user's test of code that calls Qualys, against the simulator the wheel ships."""

import sys
from pathlib import Path

import qualys_sdk
from qualys_sdk import AssetStatus, Qualys
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_USERNAME


def test_the_package_comes_from_the_venv() -> None:
    assert Path(qualys_sdk.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), qualys_sdk.__file__


def test_provision_against_the_simulator(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    versions = [t.technology_version for t in qualys_sim.oca.list_technologies()]
    assert len(versions) == 25
    assert "Fabric 7" in versions
    asset = qualys_sim.oca.provision("10.0.0.1", "Fabric 7", dns_name="core-1")
    assert qualys_sim.oca.get_status(asset.asset_uuid) == AssetStatus.PROVISION_REQUESTED
    qualys_simulator.confirm_provisioning(SIM_USERNAME, asset.asset_uuid)
    assert qualys_sim.oca.get_status(asset.asset_uuid) == AssetStatus.PROVISION_CONFIRMED
    assert [k.id for k in qualys_sim.activation_keys.iter_all()] == [3473802, 3617002, 3714801]
'''


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in PASSED_ENV or k.startswith(PASSED_ENV_PREFIXES)}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _text(part: str | bytes | None) -> str:
    return part.decode("utf-8", "replace") if isinstance(part, bytes) else part or ""


def _run(what: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> str:
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        partial = "\n".join(_text(part) for part in (exc.stdout, exc.stderr))
        pytest.fail(f"{what} took more than {STEP_TIMEOUT:.0f}s: {' '.join(command)}\n{partial[-4000:]}")
    output = f"{done.stdout}\n{done.stderr}"
    if done.returncode != 0:
        hint = ""
        if "pip" in command:
            hint = (
                "\nBuilding and installing the wheel need a package index (PyPI or the indexes in pip's "
                "configuration); check that pip can reach one from this machine."
            )
        pytest.fail(f"{what} failed (exit {done.returncode}): {' '.join(command)}{hint}\n{output[-4000:]}")
    return output


@pytest.mark.slow
def test_the_wheel_with_its_sim_extra_runs_a_users_test(tmp_path: Path) -> None:
    assert (REPO / "pyproject.toml").is_file(), f"no repository root at {REPO}"
    assert not tmp_path.resolve().is_relative_to(REPO), "the venv and the user's project must be outside the repo"
    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    env = _clean_env(venv)

    _run("creating a venv", [sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=env)
    dist = tmp_path / "dist"
    _run(
        "building the wheel",
        [python, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(REPO)],
        cwd=tmp_path,
        env=env,
    )
    (wheel,) = dist.glob("qualys_sdk-*.whl")
    _run(
        "installing the wheel with [sim] and pytest",
        [python, "-m", "pip", "install", "--quiet", f"{wheel}[sim]", "pytest"],
        cwd=tmp_path,
        env=env,
    )

    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    (project / "test_with_the_simulator.py").write_text(textwrap.dedent(USER_TEST), encoding="utf-8")
    output = _run("the user's tests", [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=env)
    assert "2 passed" in output, output
