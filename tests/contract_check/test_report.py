"""The report: outcomes, exit codes with and without --strict, JSON and JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from qualys_sdk.contract.findings import Finding, Grade
from qualys_sdk.contract.plan import build_plan
from qualys_sdk.contract.report import CallResult, Report

PLAN = build_plan(technologies=1)


def report(*, strict: bool = False) -> Report:
    results = [CallResult(step) for step in PLAN.steps]
    results[1].findings.append(Finding(Grade.NOTE, "listTechnologies", "missing-header", "header X-RateLimit-Limit",
                                       "the header, as documented", "no such header"))  # fmt: skip
    results[2].findings.append(Finding(Grade.ADDITIVE, "listTechnologyCommands", "unknown-field", "$.data.extra",
                                       "no such field in the spec", "a string of length 3"))  # fmt: skip
    results[5].findings.append(Finding(Grade.BREAKING, "getAssetStatus", "missing-field", "$.data.status",
                                       "a required field", "nothing"))  # fmt: skip
    results[-1].not_run = "not run: the search found no key"
    for result in results:
        if result.not_run is None:
            result.requests.append(f"{result.step.operation.method} {result.step.operation.path}")
            result.statuses.append(200)
    return Report(PLAN, results, strict)


def test_outcomes_and_exit_codes() -> None:
    loose = report()
    assert [r.outcome for r in loose] == ["ok", "note", "additive", "ok", "ok", "breaking", "ok", "ok", "not run"]
    assert (loose.passed, loose.exit_code) == (False, 10)
    assert loose.summary() == ("8 of 9 planned calls checked: 1 breaking, 1 additive, 1 note(s): contract drift")
    loose.results[5].findings.clear()
    assert (loose.passed, loose.exit_code) == (True, 0)
    strict = report(strict=True)
    strict.results[5].findings.clear()
    assert (strict.passed, strict.exit_code) == (False, 10)


def test_json_has_every_call_and_finding() -> None:
    shown = json.loads(json.dumps(report().as_json()))
    assert shown["summary"] == {"breaking": 1, "additive": 1, "note": 1}
    assert (shown["passed"], shown["exit_code"], shown["strict"]) == (False, 10, False)
    assert [c["operation"] for c in shown["calls"]][:3] == ["fetchToken", "listTechnologies", "listTechnologyCommands"]
    assert shown["calls"][5]["findings"] == [{
        "grade": "breaking", "operation": "getAssetStatus", "kind": "missing-field", "where": "$.data.status",
        "expected": "a required field", "got": "nothing",
    }]  # fmt: skip
    assert shown["calls"][-1]["not_run"] == "not run: the search found no key"


def test_junit_has_a_testcase_per_planned_call(tmp_path: Path) -> None:
    path = tmp_path / "contract.xml"
    report().write_junit(path)
    suite = etree.parse(str(path)).getroot()
    assert suite.tag == "testsuite"
    counts = [suite.get(name) for name in ("tests", "failures", "skipped", "errors")]
    assert counts == ["9", "1", "1", "0"]
    cases = suite.findall("testcase")
    names = [c.get("name") for c in cases]
    assert names[:3] == ["01 fetchToken", "02 listTechnologies", "03 listTechnologyCommands[tech1]"]
    assert cases[5].find("failure") is not None
    assert "$.data.status" in (cases[5].findtext("failure") or "")
    assert cases[-1].find("skipped") is not None
    assert "note: listTechnologies header X-RateLimit-Limit" in (cases[1].findtext("system-out") or "")
    assert cases[2].find("failure") is None
    strict = etree.fromstring(report(strict=True).junit())
    assert strict.get("failures") == "2"
    assert strict.findall("testcase")[2].find("failure") is not None


def test_a_stopped_call_is_a_junit_error() -> None:
    stopped = report()
    stopped.results[0].stopped = "AuthenticationError: Qualys rejected the username or password"
    suite = etree.fromstring(stopped.junit())
    assert suite.get("errors") == "1"
    assert suite.findall("testcase")[0].find("error") is not None
