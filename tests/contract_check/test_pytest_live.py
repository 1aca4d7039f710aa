"""``pytest --qualys-live``: the plugin, run by pytester in a fresh pytest against ``qualys sim serve``."""

from __future__ import annotations

import httpx
import pytest

NO_CONTRACT_MODULES = "qualys_sdk.contract modules: ['qualys_sdk.contract', 'qualys_sdk.contract.pytest_live']"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> pytest.MonkeyPatch:
    """No QUALYS_* of the developer's own, and no config file to fall back on."""
    import os

    for name in list(os.environ):
        if name.startswith("QUALYS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QUALYS_CONFIG", str(tmp_path_factory.mktemp("home") / "no-config.toml"))
    return monkeypatch


@pytest.fixture
def tenant(env: pytest.MonkeyPatch, server: str) -> str:
    env.setenv("QUALYS_GATEWAY_URL", server)
    env.setenv("QUALYS_API_URL", server)
    env.setenv("QUALYS_USERNAME", "contract_pytest")
    env.setenv("QUALYS_PASSWORD", "contract-pytest-pass")
    return server


def test_every_planned_call_passes_against_the_simulator(pytester: pytest.Pytester, tenant: str) -> None:
    result = pytester.runpytest_subprocess("--qualys-live", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=11)
    result.stdout.fnmatch_lines([
        "qualys-live::01 fetchToken PASSED*",
        "qualys-live::03 listTechnologyCommands?tech1? PASSED*",
        "qualys-live::11 getActivationKey PASSED*",
    ])  # fmt: skip


def test_strict_and_fewer_technologies(pytester: pytest.Pytester, tenant: str) -> None:
    result = pytester.runpytest_subprocess("--qualys-live", "--qualys-live-strict", "--qualys-live-technologies",
                                           "1", "-p", "no:cacheprovider")  # fmt: skip
    result.assert_outcomes(passed=9)


def test_deselecting_works_on_these_tests(pytester: pytest.Pytester, tenant: str) -> None:
    result = pytester.runpytest_subprocess("--qualys-live", "-k", "Technolog", "-p", "no:cacheprovider")
    # fetchToken is deselected, but the check runs the whole plan once for the tests that remain.
    result.assert_outcomes(passed=4, deselected=7)


def test_without_the_flag_nothing_is_added_or_imported(pytester: pytest.Pytester, env: pytest.MonkeyPatch) -> None:
    pytester.makeconftest(
        "import sys\n"
        "def pytest_sessionfinish(session):\n"
        "    found = sorted(m for m in sys.modules if m.startswith('qualys_sdk.contract'))\n"
        "    print('qualys_sdk.contract modules:', found)\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines([NO_CONTRACT_MODULES])


def test_without_credentials_every_test_skips_saying_why(pytester: pytest.Pytester, env: pytest.MonkeyPatch) -> None:
    result = pytester.runpytest_subprocess("--qualys-live", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=11)
    result.stdout.fnmatch_lines(["*no Qualys credentials: set QUALYS_USERNAME and QUALYS_PASSWORD*"])


def test_refused_credentials_fail_the_token_test_and_skip_the_rest(pytester: pytest.Pytester, tenant: str,
                                                                    env: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert pytester.runpytest_subprocess("--qualys-live", "-p", "no:cacheprovider").ret == 0  # registers the password
    env.setenv("QUALYS_PASSWORD", "not-the-registered-one")
    result = pytester.runpytest_subprocess("--qualys-live", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, skipped=10)
    result.stdout.fnmatch_lines(["*the check stopped here: AuthenticationError*"])
    assert "not-the-registered-one" not in result.stdout.str()


def test_a_mutated_answer_fails_the_test_of_its_call_only(pytester: pytest.Pytester, tenant: str) -> None:
    drop = [{"op": "remove", "path": "/data/items/0/technology"}]
    fault = {"kind": "mutate", "path": "/technology/PolicyCompliance$", "json_patch": drop}
    assert httpx.post(f"{tenant}/_sim/faults", json=fault).status_code == 200
    result = pytester.runpytest_subprocess("--qualys-live", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=10, failed=1)
    result.stdout.fnmatch_lines(["qualys-live::02 listTechnologies FAILED*", "*$.data.items[[]0[]].technology*"])
