"""One answer against the spec of its operation (OpenAPI): status, headers, content type and JSON body, each
mutation with its grade and a finding that names where."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qualys_sdk.contract.findings import Finding, Grade
from qualys_sdk.contract.plan import (
    ASSET_STATUS,
    FETCH_TOKEN,
    GET_KEY,
    LIST_TECHNOLOGIES,
    SEARCH_KEYS,
    SUBSCRIPTION_STATUS,
)
from qualys_sdk.contract.validate import check_exchange
from tests.contract_check.tenant import RATE_LIMITS, TOKEN, key_xml, raw

TECHNOLOGIES: dict[str, Any] = {
    "code": 200,
    "data": {"items": [{"technology": "Comware", "technologyVersion": "Comware 7",
                        "createdAt": "2019-01-21T07:06:07.000+0000", "updatedAt": "2020-06-30T11:15:13.000+0000"}]},
}  # fmt: skip


def technologies(body: Any = None, *, headers: dict[str, str] | None = None, status: int = 200) -> list[Finding]:
    answer = raw(LIST_TECHNOLOGIES, TECHNOLOGIES if body is None else body, status=status,
                 headers=RATE_LIMITS if headers is None else headers)  # fmt: skip
    return check_exchange(LIST_TECHNOLOGIES, answer)


def mutated(change: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(json.dumps(TECHNOLOGIES))
    change(body)
    return body


def graded(findings: list[Finding]) -> set[tuple[Grade, str, str]]:
    return {(f.grade, f.kind, f.where) for f in findings}


def test_the_documented_answer_has_no_finding() -> None:
    assert technologies() == []


def test_a_missing_required_field_is_breaking() -> None:
    findings = technologies(mutated(lambda b: b["data"]["items"][0].pop("technologyVersion")))
    assert graded(findings) == {(Grade.BREAKING, "missing-field", "$.data.items[0].technologyVersion")}
    assert findings[0].operation == "listTechnologies"
    assert (findings[0].expected, findings[0].got) == ("a required field", "nothing")


def test_a_wrong_type_is_breaking_and_quotes_the_value() -> None:
    findings = technologies(mutated(lambda b: b.update(code="200")))
    assert graded(findings) == {(Grade.BREAKING, "wrong-type", "$.code")}
    assert (findings[0].expected, findings[0].got) == ("type integer", 'string "200"')


def test_a_wrong_format_is_breaking() -> None:
    findings = technologies(mutated(lambda b: b["data"]["items"][0].update(createdAt="21/01/2019")))
    assert graded(findings) == {(Grade.BREAKING, "wrong-format", "$.data.items[0].createdAt")}
    assert findings[0].expected.startswith("pattern ^")


def test_an_unknown_field_is_additive_and_never_quoted() -> None:
    findings = technologies(mutated(lambda b: b["data"]["items"][0].update(vendor="Brocade Communications")))
    assert graded(findings) == {(Grade.ADDITIVE, "unknown-field", "$.data.items[0].vendor")}
    assert findings[0].got == "a string of length 22"


def test_an_unknown_field_holding_a_customer_id_shows_type_and_length() -> None:
    findings = technologies(mutated(lambda b: b["data"].update(customerId=123456789)))
    assert graded(findings) == {(Grade.ADDITIVE, "unknown-field", "$.data.customerId")}
    assert "123456789" not in findings[0].line()
    assert findings[0].got == "an integer of length 9"


def test_dropped_rate_limit_headers_are_notes() -> None:
    findings = technologies(headers={"Content-Type": "application/json"})
    assert graded(findings) == {(Grade.NOTE, "missing-header", f"header {name}") for name in RATE_LIMITS}


def test_a_rate_limit_header_that_is_not_a_number_is_a_note() -> None:
    findings = technologies(headers={**RATE_LIMITS, "X-RateLimit-Remaining": "lots"})
    assert graded(findings) == {(Grade.NOTE, "header-value", "header X-RateLimit-Remaining")}


def test_another_content_type_is_a_note_and_the_body_is_still_checked() -> None:
    findings = technologies(mutated(lambda b: b.pop("code")), headers={**RATE_LIMITS, "Content-Type": "text/html"})
    assert graded(findings) == {
        (Grade.NOTE, "content-type", "header Content-Type"),
        (Grade.BREAKING, "missing-field", "$.code"),
    }


@pytest.mark.parametrize("body", [b"<html>Service Unavailable</html>", b""])
def test_a_body_that_is_not_json_is_breaking(body: bytes) -> None:
    findings = technologies(body, headers={**RATE_LIMITS, "Content-Type": "application/json"})
    assert graded(findings) == {(Grade.BREAKING, "not-json", "body")}


def test_an_unexpected_status_is_breaking_even_where_default_would_match() -> None:
    findings = technologies({"_error": {"code": 500, "message": "boom"}}, status=500)
    assert graded(findings) == {(Grade.BREAKING, "unexpected-status", "status")}
    assert findings[0].expected == "one of 200, 401, 404, 429"
    assert findings[0].got == "HTTP 500"


def test_a_documented_error_answer_is_checked_as_notes() -> None:
    findings = technologies({"_error": {"code": 404}}, status=404, headers={})
    assert graded(findings) == {
        (Grade.NOTE, "missing-field", "$._error.message"),
        (Grade.NOTE, "error-answer", "status"),
    }


def test_a_new_enum_value_is_additive(monkeypatch: pytest.MonkeyPatch) -> None:
    # No response of the plan has an enum (statuses are open strings), so give getAssetStatus one, as a spec may.
    from qualys_sdk.contract import specs

    schema = specs.components("oca.yaml")["schemas"]["AssetStatus"]
    monkeypatch.setitem(schema, "enum", ["Provision Requested", "Provision Confirmed"])
    answer = raw(ASSET_STATUS, {"code": 200, "data": {"status": "Provision Paused"}})
    findings = check_exchange(ASSET_STATUS, answer)
    assert graded(findings) == {(Grade.ADDITIVE, "new-value", "$.data.status")}
    assert findings[0].got == 'string "Provision Paused"'
    assert findings[0].expected == "one of Provision Requested, Provision Confirmed"


def test_items_of_the_wrong_type_name_their_index() -> None:
    body = {"code": 200, "data": {"items": [{"assetUUID": "a", "status": "Provision Confirmed"}, {"assetUUID": 7}]}}
    answer = raw(SUBSCRIPTION_STATUS, body, path="/ocaapi/v2.0/assets/status/subscription/30")
    findings = check_exchange(SUBSCRIPTION_STATUS, answer)
    assert graded(findings) == {
        (Grade.BREAKING, "wrong-type", "$.data.items[1].assetUUID"),
        (Grade.BREAKING, "missing-field", "$.data.items[1].status"),
    }


def test_the_token_is_checked_and_never_quoted() -> None:
    answer = raw(FETCH_TOKEN, TOKEN, status=201, headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert check_exchange(FETCH_TOKEN, answer) == []
    empty = check_exchange(FETCH_TOKEN, raw(FETCH_TOKEN, "", status=201, headers={"Content-Type": "text/plain"}))
    assert graded(empty) == {(Grade.BREAKING, "wrong-value", "$")}
    # JSON where the bare token was documented: read as text it is a string; the SDK's refusal of it is the
    # runner's finding (test_runner.py).
    wrong = raw(FETCH_TOKEN, {"token": TOKEN}, status=201)
    findings = check_exchange(FETCH_TOKEN, wrong)
    assert [f.kind for f in findings] == ["content-type"]
    assert all(TOKEN not in f.line() for f in findings)


def test_qps_statuses_and_content_type() -> None:
    document = f"<ServiceResponse><responseCode>SUCCESS</responseCode><data>{key_xml()}</data></ServiceResponse>"
    ok = raw(SEARCH_KEYS, document, headers={"Content-Type": "application/xml"})
    assert check_exchange(SEARCH_KEYS, ok) == []
    blocked = raw(SEARCH_KEYS, "<ServiceResponse><responseCode>OTHER_ERROR</responseCode></ServiceResponse>",
                  status=409, headers={"Content-Type": "text/xml"})  # fmt: skip
    assert graded(check_exchange(SEARCH_KEYS, blocked)) == {
        (Grade.NOTE, "error-answer", "/ServiceResponse/responseCode"),
        (Grade.NOTE, "error-answer", "status"),
    }
    gone = raw(GET_KEY, "<html/>", status=503, headers={"Content-Type": "text/html"})
    assert graded(check_exchange(GET_KEY, gone)) == {(Grade.BREAKING, "unexpected-status", "status")}
    untyped = raw(GET_KEY, "<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse>")
    assert graded(check_exchange(GET_KEY, untyped)) == {(Grade.NOTE, "content-type", "header Content-Type")}
