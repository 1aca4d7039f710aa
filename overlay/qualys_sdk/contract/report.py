"""The outcome of a check: one result per planned call, the exit code, and the JSON and JUnit XML forms.

A call's outcome is ``not run`` (with why), ``stopped`` (an error ended the check there: no connection, rate
limited, credentials refused), or the worst grade of its findings (``breaking``, ``additive``, ``note``), else
``ok``. The check fails (exit 10) on a breaking finding, and with ``strict`` on an additive one too; notes
never fail it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed

from .capture import RawExchange
from .findings import SEVERITY, Finding, Grade, count, worst
from .plan import Plan, Step

EXIT_OK = 0
EXIT_DRIFT = 10  # the CLI's EXIT_CONTRACT_DRIFT


@dataclass
class CallResult:
    """What one planned call sent, got and showed."""

    step: Step
    requests: list[str] = field(default_factory=list)  # "GET /ocaapi/v2.0/..." per exchange (no query, no secret)
    statuses: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_run: str | None = None  # why the call was not made
    stopped: str | None = None  # the error that ended the check at this call
    #: What went over the wire, credentials and all (RawExchange's repr shows none): for --record only.
    exchanges: list[RawExchange] = field(default_factory=list, repr=False)

    @property
    def outcome(self) -> str:
        if self.stopped is not None:
            return "stopped"
        if self.not_run is not None:
            return "not run"
        grade = worst(self.findings)
        return grade.value if grade is not None else "ok"

    def failing(self, *, strict: bool) -> list[Finding]:
        """The findings that fail this call: breaking ones, and with ``strict`` additive ones."""
        failing = {Grade.BREAKING, Grade.ADDITIVE} if strict else {Grade.BREAKING}
        return [f for f in self.findings if f.grade in failing]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.step.as_json(),
            "outcome": self.outcome,
            "requests": self.requests,
            "statuses": self.statuses,
            "not_run": self.not_run,
            "stopped": self.stopped,
            "findings": [_finding_json(f) for f in _sorted(self.findings)],
        }


def _finding_json(finding: Finding) -> dict[str, str]:
    return {"grade": finding.grade.value, "operation": finding.operation, "kind": finding.kind,
            "where": finding.where, "expected": finding.expected, "got": finding.got}  # fmt: skip


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY.index(f.grade))


@dataclass
class Report:
    """Every planned call's result, in plan order."""

    plan: Plan
    results: list[CallResult]
    strict: bool = False
    gateway_url: str = ""
    api_url: str = ""
    stopped_by: BaseException | None = None  # the error that ended the check early, if one did
    budget_spent: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.results for f in result.findings]

    @property
    def passed(self) -> bool:
        """No breaking finding (with ``strict``: no additive one either)."""
        return not any(result.failing(strict=self.strict) for result in self.results)

    @property
    def exit_code(self) -> int:
        """0 when the contract holds, 10 (contract drift) otherwise; an early stop has its own code (CLI)."""
        return EXIT_OK if self.passed else EXIT_DRIFT

    def summary(self) -> str:
        totals = count(self.findings)
        ran = sum(1 for r in self.results if r.outcome not in ("not run", "stopped"))
        verdict = "the contract holds" if self.passed else "contract drift"
        if self.stopped_by is not None or self.budget_spent:
            verdict += " so far (the check stopped early)"
        return (f"{ran} of {len(self.results)} planned calls checked: {totals['breaking']} breaking, "
                f"{totals['additive']} additive, {totals['note']} note(s): {verdict}")  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "exit_code": self.exit_code,
            "strict": self.strict,
            "gateway_url": self.gateway_url,
            "api_url": self.api_url,
            "summary": count(self.findings),
            "stopped": None if self.stopped_by is None else type(self.stopped_by).__name__,
            "budget_spent": self.budget_spent,
            "calls": [result.as_json() for result in self.results],
        }

    def junit(self) -> bytes:
        """JUnit XML: one testcase per planned call; breaking findings (and additive ones with ``strict``) are
        failures, an early stop an error, calls not run are skipped; every other finding is in system-out."""
        suite = etree.Element("testsuite", name="qualys contract check", tests=str(len(self.results)))
        totals = {"failures": 0, "errors": 0, "skipped": 0}
        for result in self.results:
            case = etree.SubElement(suite, "testcase", name=f"{result.step.number:02d} {result.step.name}",
                                    classname=f"qualys.contract.{result.step.operation.api}")  # fmt: skip
            failing = result.failing(strict=self.strict)
            if result.stopped is not None:
                totals["errors"] += 1
                etree.SubElement(case, "error", message=result.stopped).text = result.stopped
            elif result.not_run is not None:
                totals["skipped"] += 1
                etree.SubElement(case, "skipped", message=result.not_run)
            elif failing:
                totals["failures"] += 1
                failure = etree.SubElement(case, "failure", message=f"{len(failing)} finding(s) fail the contract")
                failure.text = "\n".join(f.line() for f in _sorted(failing))
            others = [f for f in _sorted(result.findings) if f not in failing]
            if others:
                etree.SubElement(case, "system-out").text = "\n".join(f.line() for f in others)
        for name, value in totals.items():
            suite.set(name, str(value))
        out: bytes = etree.tostring(suite, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return out

    def write_junit(self, path: Path) -> None:
        path.write_bytes(self.junit())

    def __iter__(self) -> Iterator[CallResult]:
        return iter(self.results)
