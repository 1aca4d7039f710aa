"""``qualys contract check``: the live contract check against the configured tenant (``[contract]`` extra).

Read-only by construction (:mod:`qualys_sdk.contract.plan`); prints its plan first (on stderr, or alone on
stdout with --dry-run), then a table of the calls and one of the findings (or JSON with --json), and exits 0
when no finding is breaking, 10 (contract drift) otherwise; with --strict additive findings fail too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import EXIT_INPUT, EXIT_UNEXPECTED, client, emit, error_line, errors, fail, need_extra, say, table

if TYPE_CHECKING:
    from ..contract.plan import Plan
    from ..contract.report import Report

app = typer.Typer(help="Check a live tenant's answers against the specs (read-only).", no_args_is_help=True)

CHECK_JSON = (
    "{passed, exit_code, strict, gateway_url, api_url, summary: {breaking, additive, note}, stopped, budget_spent, "
    "calls: a list of {step, operation, case, api, method, path, detail, outcome, requests, statuses, not_run, "
    "stopped, findings: a list of {grade, operation, kind, where, expected, got}}}"
)
PLAN_JSON = (
    "{gateway_url, api_url, calls, max_calls, steps: a list of {step, operation, case, api, method, path, detail}}"
)


def _fail_input(message: str) -> typer.Exit:
    error_line(message)
    return typer.Exit(EXIT_INPUT)


def _check_outputs(record: Path | None, scrub_identifiers: bool, junit: Path | None) -> None:
    """Mistakes in the output options, caught before anything is sent."""
    if scrub_identifiers and record is None:
        raise _fail_input("--scrub-identifiers applies to --record DIR: add --record, or drop it")
    if record is not None and (record.is_file() or (record.is_dir() and any(record.iterdir()))):
        raise _fail_input(f"--record {record}: not an empty directory; pick a new or empty one (nothing was sent)")
    if junit is not None and not junit.parent.is_dir():
        raise _fail_input(f"--junit {junit}: no directory {junit.parent}; create it first (nothing was sent)")


def _plan_rows(plan: Plan) -> list[list[Any]]:
    return [[s.number, s.name, s.operation.method, s.operation.path, s.detail] for s in plan.steps]


def _announce(plan: Plan, max_calls: int, gateway_url: str, api_url: str) -> None:
    say(f"plan: {plan.calls} read-only calls (at most {max_calls}) to {gateway_url} and {api_url}")
    for number, name, method, path, detail in _plan_rows(plan):
        say(f"  {number:>2} {name:<36} {method:<4} {path}: {detail}")


def _show(report: Report) -> None:
    rows = [[r.step.number, r.step.name, "; ".join(r.requests), ", ".join(map(str, r.statuses)), r.outcome,
             len(r.findings)] for r in report]  # fmt: skip
    table(["step", "operation", "request", "status", "outcome", "findings"], rows, whole={"step", "status", "outcome"})
    findings = sorted(report.findings, key=lambda f: ["breaking", "additive", "note"].index(f.grade.value))
    if findings:
        rows = [[f.grade.value, f.operation, f.where, f.expected, f.got] for f in findings]
        table(["grade", "operation", "where", "expected", "got"], rows, whole={"grade"})
    typer.echo(report.summary())


CHECK_HELP = (
    "Run the read-only plan and check every answer against the specs and XSDs the SDK ships.\n\n"
    "Fetches a token, lists the technologies and the commands of a few (a z/OS one among them when listed), the "
    "subscription's asset status for 1 and 30 days, one asset's status and commands, a first page of activation "
    "keys and one key. Never writes. Exits 0 when no finding is breaking, 10 otherwise (with --strict: additive "
    f"findings too). JSON: {CHECK_JSON}; with --dry-run: {PLAN_JSON}."
)


@app.command(help=CHECK_HELP)
def check(
    ctx: typer.Context,
    technologies: Annotated[int, typer.Option(min=0, metavar="N", help="How many technologies' commands to "
                                              "fetch.")] = 3,
    max_calls: Annotated[int, typer.Option(min=1, metavar="N", help="Send at most this many requests (the "
                                           "token's included).")] = 30,
    strict: Annotated[bool, typer.Option("--strict", help="Additive findings (unknown fields, new values) fail "
                                         "the check too.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan only; send nothing.")] = False,
    junit: Annotated[Path | None, typer.Option(metavar="FILE", help="Also write JUnit XML: one testcase per "
                                               "planned call.")] = None,
    record: Annotated[Path | None, typer.Option(metavar="DIR", help="Write every exchange as a scrubbed cassette "
                                                "into this new or empty directory.")] = None,
    scrub_identifiers: Annotated[bool, typer.Option("--scrub-identifiers", help="With --record: replace IPs, host "
                                                    "and DNS names and UUIDs too.")] = False,
) -> None:  # fmt: skip
    from ..contract.plan import build_plan  # noqa: PLC0415  # the plan needs no extra

    plan = build_plan(technologies)
    _check_outputs(record, scrub_identifiers, junit)
    if plan.calls > max_calls:
        raise _fail_input(f"the plan needs {plan.calls} calls but --max-calls is {max_calls}: raise --max-calls or "
                          "ask for fewer --technologies (nothing was sent)")  # fmt: skip
    if dry_run:
        with errors(ctx):
            qualys = client(ctx)  # resolves the tenant and checks the settings; sends nothing
        shown = {"gateway_url": qualys.gateway_url, "api_url": qualys.api_url, "calls": plan.calls,
                 "max_calls": max_calls, "steps": [s.as_json() for s in plan.steps]}  # fmt: skip
        emit(ctx, shown, lambda v: table(["step", "operation", "method", "path", "detail"], _plan_rows(plan),
                                         whole={"step", "method"}))  # fmt: skip
        return
    report = _run(ctx, plan, max_calls, strict)
    _finish(ctx, report, junit, record, scrub_identifiers)


def _run(ctx: typer.Context, plan: Plan, max_calls: int, strict: bool) -> Report:
    try:
        from ..contract import runner, specs  # noqa: PLC0415

        specs.require()  # the validators and every spec, before the first request
    except ImportError as exc:
        raise need_extra(exc, "contract") from None

    def connect(http: Any) -> Any:
        qualys = client(ctx, http_client=http)
        _announce(plan, max_calls, qualys.gateway_url, qualys.api_url)
        return qualys

    with errors(ctx):
        return runner.run_check(plan, connect, max_calls=max_calls, strict=strict)


def _finish(ctx: typer.Context, report: Report, junit: Path | None, record: Path | None, identifiers: bool) -> None:
    from ..contract.capture import PlanViolation  # noqa: PLC0415
    from ..contract.record import write_cassettes  # noqa: PLC0415
    from ..contract.runner import STOPPING  # noqa: PLC0415

    with errors(ctx):
        if junit is not None:
            report.write_junit(junit)
        if record is not None:
            written = write_cassettes(record, report.results, identifiers=identifiers)
            say(f"recorded {len(written)} cassette(s) in {record}")
    emit(ctx, report.as_json(), lambda _: _show(report))
    stopped = report.stopped_by
    if report.budget_spent:
        say(f"warning: --max-calls reached: {sum(r.outcome == 'not run' for r in report)} call(s) not run")
    if isinstance(stopped, STOPPING):
        raise fail(stopped)
    if isinstance(stopped, PlanViolation):
        error_line(f"{stopped} (a bug of the check: nothing outside the plan was sent)")
        raise typer.Exit(EXIT_UNEXPECTED)
    raise typer.Exit(report.exit_code)
