"""The runner: the plan through the SDK against a fake tenant in process; what it sends, what it checks, when
it stops."""

from __future__ import annotations

import httpx
import pytest

from qualys_sdk.contract.findings import Grade
from qualys_sdk.contract.plan import READ_ONLY, build_plan
from qualys_sdk.contract.runner import PlanTooLong
from tests.contract_check.tenant import ACTIVATION_KEY, ASSET_UUID, PASSWORD, TOKEN, FakeTenant, ok_json, qps


def test_a_clean_tenant_passes_with_no_finding() -> None:
    tenant = FakeTenant()
    report = tenant.check()
    assert report.findings == []
    assert [r.outcome for r in report] == ["ok"] * 11
    assert (report.passed, report.exit_code) == (True, 0)
    assert report.summary().startswith("11 of 11 planned calls checked: 0 breaking, 0 additive, 0 note(s)")


def test_only_the_plans_methods_and_paths_are_sent() -> None:
    tenant = FakeTenant()
    tenant.check()
    sent = [(r.method, r.url.path) for r in tenant.sent]
    assert sent == [
        ("POST", "/auth"),
        ("GET", "/ocaapi/v2.0/technology/PolicyCompliance"),
        ("GET", "/ocaapi/v2.0/technology/Comware 7/command/PolicyCompliance"),
        ("GET", "/ocaapi/v2.0/technology/Fabric 7/command/PolicyCompliance"),
        ("GET", "/ocaapi/v2.0/technology/IBM zOS Security Server RACF 2/command/PolicyCompliance"),
        ("GET", "/ocaapi/v2.0/assets/status/subscription/1"),
        ("GET", "/ocaapi/v2.0/assets/status/subscription/30"),
        ("GET", f"/ocaapi/v2.0/asset/{ASSET_UUID}/status"),
        ("GET", f"/ocaapi/v2.0/asset/{ASSET_UUID}/command/PolicyCompliance"),
        ("POST", "/qps/rest/1.0/search/ca/agentactkey/"),
        ("GET", "/qps/rest/1.0/get/ca/agentactkey/3714801"),
    ]
    assert {r.method for r in tenant.sent} <= {"GET", "POST"}
    for request in tenant.sent:
        assert any(op.method == request.method for op in READ_ONLY)
        assert not request.url.query
    search = tenant.sent[-2].content.decode()
    assert "<limitResults>5</limitResults>" in search
    assert "<data>" not in search  # a search carries no key to write


def test_the_technologies_include_a_zos_one_even_past_the_first_n() -> None:
    tenant = FakeTenant()
    tenant.check(build_plan(technologies=1))
    commands = [r.url.path for r in tenant.sent if "/command/" in r.url.path and "/technology/" in r.url.path]
    assert commands == ["/ocaapi/v2.0/technology/IBM zOS Security Server RACF 2/command/PolicyCompliance"]


def test_a_mutated_answer_is_a_breaking_finding_and_exit_10() -> None:
    tenant = FakeTenant()
    tenant.answers["getAssetStatus"] = lambda r: ok_json({"code": 200, "data": {"state": "Provision Confirmed"}})
    report = tenant.check()
    result = report.results[7]
    assert result.step.operation.operation_id == "getAssetStatus"
    assert result.outcome == "breaking"
    kinds = {(f.grade, f.kind, f.where) for f in result.findings}
    assert (Grade.BREAKING, "missing-field", "$.data.status") in kinds
    assert (Grade.ADDITIVE, "unknown-field", "$.data.state") in kinds
    assert (report.passed, report.exit_code) == (False, 10)
    assert report.results[8].outcome == "ok"  # the rest of the plan still ran


def test_additive_findings_fail_only_with_strict() -> None:
    tenant = FakeTenant()
    tenant.answers["getActivationKey"] = lambda r: qps(
        "<AgentActKey><id>3714801</id><status>RETIRED</status><colour>red</colour></AgentActKey>"
    )
    assert tenant.check().exit_code == 0
    strict = FakeTenant()
    strict.answers = tenant.answers
    report = strict.check(strict=True)
    assert report.exit_code == 10
    assert {f.kind for f in report.findings} == {"new-value", "unknown-element"}


def test_an_answer_the_sdk_cannot_read_is_breaking_even_when_the_spec_check_misses_it() -> None:
    tenant = FakeTenant()
    # Valid against the XSD, but a get must return exactly one key: the SDK raises ResponseFormatError.
    tenant.answers["getActivationKey"] = lambda r: qps("", head="<count>0</count>")
    report = tenant.check()
    result = report.results[-1]
    assert [(f.grade, f.kind) for f in result.findings] == [(Grade.BREAKING, "unreadable")]
    assert result.findings[0].got == "ResponseFormatError from the SDK"


def test_refused_credentials_stop_the_check_after_one_token_fetch() -> None:
    tenant = FakeTenant()
    tenant.answers["fetchToken"] = lambda r: ok_json({"_error": {"code": 401, "message": "Unauthorized"}}, status=401)
    report = tenant.check()
    assert [r.url.path for r in tenant.sent] == ["/auth"]  # never tried again: that could lock the account
    assert type(report.stopped_by).__name__ == "AuthenticationError"
    assert report.results[0].outcome == "stopped"
    assert report.results[1].not_run == "not run: no token"
    assert all(r.outcome == "not run" for r in report.results[2:])
    assert PASSWORD not in str(report.as_json())


def test_an_unreadable_token_stops_the_check() -> None:
    tenant = FakeTenant()
    tenant.answers["fetchToken"] = lambda r: httpx.Response(201, text="", headers={"Content-Type": "text/plain"})
    report = tenant.check()
    assert len(tenant.sent) == 1
    assert report.results[0].stopped is not None
    assert {f.kind for f in report.results[0].findings} == {"wrong-value"}  # minLength 1: breaking
    assert report.exit_code == 10


def test_a_token_in_json_is_what_the_sdk_cannot_read() -> None:
    tenant = FakeTenant()
    tenant.answers["fetchToken"] = lambda r: ok_json({"token": TOKEN}, status=201)
    report = tenant.check()
    findings = report.results[0].findings
    assert [(f.grade, f.kind) for f in findings] == [(Grade.NOTE, "content-type"), (Grade.BREAKING, "unreadable")]
    assert TOKEN not in str(report.as_json())


def test_a_documented_error_answer_is_a_note() -> None:
    tenant = FakeTenant()
    tenant.answers["listAssetCommands"] = lambda r: ok_json({"_error": {"code": 404, "message": "ERR-404"}}, status=404)
    report = tenant.check()
    result = report.results[8]
    assert [(f.grade, f.kind) for f in result.findings] == [(Grade.NOTE, "error-answer")]
    assert report.exit_code == 0


def test_an_unexpected_status_is_breaking() -> None:
    tenant = FakeTenant()
    tenant.answers["getSubscriptionAssetStatus"] = lambda r: ok_json({"code": 418}, status=418)
    report = tenant.check()
    assert [(f.grade, f.kind, f.got) for f in report.results[5].findings] == [
        (Grade.BREAKING, "unexpected-status", "HTTP 418")
    ]
    # Neither status call named an asset: the asset calls are not made.
    assert report.results[7].not_run == "not run: no asset provisioned in the last 30 days"


def test_without_assets_or_keys_those_calls_are_not_run() -> None:
    tenant = FakeTenant(assets=[], keys=0)
    report = tenant.check()
    assert [r.outcome for r in report][7:] == ["not run", "not run", "ok", "not run"]
    assert report.results[-1].not_run == "not run: the search found no key"
    assert report.exit_code == 0


def test_a_plan_longer_than_max_calls_sends_nothing() -> None:
    tenant = FakeTenant()
    with pytest.raises(PlanTooLong, match="needs 11 calls but --max-calls is 5"):
        tenant.check(max_calls=5)
    assert tenant.sent == []


def test_max_calls_is_a_hard_bound_on_requests() -> None:
    tenant = FakeTenant()
    expired = {"count": 0}
    technologies = tenant.answers["listTechnologies"]

    def once_expired(request: httpx.Request) -> httpx.Response:
        # The token is refused once: the SDK fetches a new one and repeats the call, two requests more than planned.
        expired["count"] += 1
        if expired["count"] == 1:
            return ok_json({"_error": {"code": 401, "message": "expired"}}, status=401)
        return technologies(request)

    tenant.answers["listTechnologies"] = once_expired
    report = tenant.check(max_calls=11)
    assert len(tenant.sent) == 11
    assert report.budget_spent
    cut, last = report.results[-2:]
    assert cut.not_run is not None
    assert cut.not_run.startswith("not run: --max-calls 11 reached; POST /qps/rest/1.0/search/ca/agentactkey/ not sent")
    assert last.not_run == "not run: --max-calls 11 reached"


def test_no_secret_in_the_report() -> None:
    tenant = FakeTenant()
    tenant.answers["getActivationKey"] = lambda r: qps(
        f"<AgentActKey><id>3714801</id><activationKey><x/>{ACTIVATION_KEY}</activationKey></AgentActKey>"
    )
    report = tenant.check()
    shown = str(report.as_json()) + report.junit().decode() + repr(report)
    for secret in (PASSWORD, TOKEN, ACTIVATION_KEY):
        assert secret not in shown
    assert any(f.where.endswith("/activationKey") for f in report.findings)


def test_no_connection_for_a_call_stops_there_not_at_the_token() -> None:
    tenant = FakeTenant()

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    tenant.answers["listTechnologies"] = unreachable
    report = tenant.check()
    assert type(report.stopped_by).__name__ == "APIConnectionError"
    assert report.results[0].outcome == "ok"
    assert report.results[1].outcome == "stopped"
    assert report.results[2].not_run == "not run: the check stopped at listTechnologies"
