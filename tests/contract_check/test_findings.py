"""Findings: grades, counting, and values shown without giving a secret away."""

from __future__ import annotations

from qualys_sdk.contract.findings import Finding, Grade, count, describe, describe_text, is_secret, json_path, worst


def test_describe_quotes_plain_values_and_hides_secrets() -> None:
    assert describe("Provision Confirmed", secret=False) == 'string "Provision Confirmed"'
    assert describe(7, secret=False) == "integer 7"
    assert describe(True, secret=False) == "boolean true"
    assert describe(None, secret=True) == "null"
    assert describe({"a": 1}, secret=False) == "an object of 1 field(s)"
    assert describe([1, 2], secret=False) == "an array of 2 item(s)"
    assert describe("381cb3fe-6d7d-41f7-9142-26e6e1dc5bee", secret=True) == "a string of length 36"
    assert describe_text("ACTIVE", secret=False) == 'text "ACTIVE"'
    assert describe_text("abc", secret=True) == "text of length 3"
    assert describe("x" * 500, secret=False).endswith("…")
    assert len(describe("x" * 500, secret=False)) < 80


def test_secret_names_anywhere_on_the_path() -> None:
    assert is_secret(["data", "items", 0, "activationKey"])
    assert is_secret(["", "ServiceResponse", "data", "AgentActKey[2]", "activationKey"])
    assert is_secret(["data", "customerId", "value"])
    assert is_secret(["SubscriptionID"])
    assert is_secret(["newActivationKey"])
    assert not is_secret(["data", "items", 0, "status"])


def test_json_paths() -> None:
    assert json_path([]) == "$"
    assert json_path(["data", "items", 3, "status"]) == "$.data.items[3].status"
    assert json_path(["data", "odd key"]) == '$.data["odd key"]'


def test_grades_count_and_the_worst_wins() -> None:
    note = Finding(Grade.NOTE, "op", "missing-header", "header X", "the header", "no such header")
    additive = Finding(Grade.ADDITIVE, "op", "unknown-field", "$.x", "no such field", "a string of length 1")
    assert count([note, additive, note]) == {"breaking": 0, "additive": 1, "note": 2}
    assert worst([note, additive]) is Grade.ADDITIVE
    assert worst([]) is None
    breaking = Finding(Grade.BREAKING, "op", "wrong-type", "$.code", "type integer", 'string "1"')
    assert breaking.as_note().grade is Grade.NOTE
    assert breaking.line() == 'breaking: op $.code: expected type integer, got string "1" (wrong-type)'
