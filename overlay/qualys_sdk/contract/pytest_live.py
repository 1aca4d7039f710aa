"""``pytest --qualys-live``: the live contract check in your CI, one test per planned call.

Credentials and platform come from ``QUALYS_*`` variables (``QUALYS_USERNAME``, ``QUALYS_PASSWORD``, and
``QUALYS_PLATFORM`` or ``QUALYS_GATEWAY_URL`` / ``QUALYS_API_URL``); without a username and password every
test skips, saying so. Without the flag this plugin adds nothing and imports nothing of the check.

The plan runs once, when its first test runs; each test then fails on its call's breaking findings (with
``--qualys-live-strict``, additive ones too), skips when its call was not made (no asset, no key), and shows
its other findings in the report. Registered through its own ``pytest11`` entry point (``qualys_sdk_live``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .plan import Step
    from .report import Report

NEEDED = ("QUALYS_USERNAME", "QUALYS_PASSWORD")
NO_CREDENTIALS = (
    "no Qualys credentials: set QUALYS_USERNAME and QUALYS_PASSWORD (and QUALYS_PLATFORM, or QUALYS_GATEWAY_URL and "
    "QUALYS_API_URL) to run the live contract check"
)
_REPORT = pytest.StashKey["Report | BaseException"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("qualys-live", "Qualys live contract check (read-only)")
    group.addoption("--qualys-live", action="store_true", default=False,
                    help="One test per call of the read-only contract check of the tenant QUALYS_* names.")  # fmt: skip
    group.addoption("--qualys-live-strict", action="store_true", default=False,
                    help="With --qualys-live: additive findings (unknown fields, new values) fail too.")  # fmt: skip
    group.addoption("--qualys-live-technologies", type=int, default=3, metavar="N",
                    help="With --qualys-live: how many technologies' commands to fetch (default 3).")  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("qualys_live"):
        return
    if config.getoption("qualys_live_technologies") < 0:
        raise pytest.UsageError("--qualys-live-technologies must be 0 or more")
    try:
        from . import specs  # noqa: PLC0415

        specs.require()
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        raise pytest.UsageError(f"--qualys-live needs the [contract] extra ({missing} is missing): "
                                "pip install 'qualys-sdk[contract]'") from None  # fmt: skip


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: they apply to these tests too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("qualys_live"):
        return
    # The nodeid is given: under the session, whose own is "", it would start with "::".
    items.extend(LiveCheck.from_parent(session, name="qualys-live", nodeid="qualys-live").collect())


class LiveCheck(pytest.Collector):
    """The planned calls, as tests."""

    def collect(self) -> list[pytest.Item]:
        from .plan import build_plan  # noqa: PLC0415

        plan = build_plan(self.config.getoption("qualys_live_technologies"))
        return [LiveCall.from_parent(self, name=f"{step.number:02d} {step.name}", step=step) for step in plan.steps]


class LiveCall(pytest.Item):
    """One planned call: passes when its answers keep the contract."""

    def __init__(self, *, step: Step, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step = step

    def runtest(self) -> None:
        if not all(os.environ.get(name) for name in NEEDED):
            pytest.skip(NO_CREDENTIALS)
        report = _report(self.config)
        if isinstance(report, BaseException):
            pytest.fail(f"the check could not start: {type(report).__name__}: {report}", pytrace=False)
        result = report.results[self.step.number - 1]
        for finding in result.findings:
            self.add_report_section("call", "qualys contract", finding.line())
        if result.stopped is not None:
            pytest.fail(f"the check stopped here: {result.stopped}", pytrace=False)
        if result.not_run is not None:
            pytest.skip(result.not_run)
        failing = result.failing(strict=report.strict)
        if failing:
            pytest.fail("\n".join(f.line() for f in failing), pytrace=False)

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "qualys-live", None, f"{self.step.name}: {self.step.detail}"


def _report(config: pytest.Config) -> Report | BaseException:
    """The check's report, run once for the session (an error that prevented it, kept to raise in each test)."""
    if _REPORT not in config.stash:
        config.stash[_REPORT] = _run(config)
    return config.stash[_REPORT]


def _run(config: pytest.Config) -> Report | BaseException:
    from .._errors import QualysError  # noqa: PLC0415
    from .._sync._client import Qualys  # noqa: PLC0415
    from .plan import DEFAULT_MAX_CALLS, build_plan  # noqa: PLC0415
    from .runner import run_check  # noqa: PLC0415

    plan = build_plan(config.getoption("qualys_live_technologies"))
    try:
        return run_check(plan, lambda http: Qualys(http_client=http), max_calls=max(DEFAULT_MAX_CALLS, plan.calls),
                         strict=config.getoption("qualys_live_strict"))  # fmt: skip
    except QualysError as exc:  # a configuration the check cannot start with (an unknown platform, say)
        return exc
