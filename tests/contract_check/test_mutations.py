"""``qualys contract check`` against ``qualys sim serve`` whose answers a ``mutate`` fault changes, as a drifting
Qualys would: each kind of change gets its grade, the check's exit code, and a finding naming where it is."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from .test_cli import PASSWORD, check

TECHNOLOGIES = "/technology/PolicyCompliance$"
GET_KEY = "/get/ca/agentactkey/"
CASES: dict[str, tuple[dict[str, Any], int, tuple[str, str, str, str]]] = {
    # name: (the mutate fault, the exit code, (grade, operation, kind, where) of the finding)
    "a required field removed": (
        {"path": TECHNOLOGIES, "json_patch": [{"op": "remove", "path": "/data/items/0/technology"}]},
        10, ("breaking", "listTechnologies", "missing-field", "$.data.items[0].technology"),
    ),
    "a type changed": (
        {"path": TECHNOLOGIES, "json_patch": [{"op": "replace", "path": "/data/items/0/technology", "value": 7}]},
        10, ("breaking", "listTechnologies", "wrong-type", "$.data.items[0].technology"),
    ),
    "a field added": (
        {"path": TECHNOLOGIES, "json_patch": [{"op": "add", "path": "/data/items/0/vendorCode", "value": 7}]},
        0, ("additive", "listTechnologies", "unknown-field", "$.data.items[0].vendorCode"),
    ),
    "a new enum value": (
        {"path": GET_KEY, "xml": [{"op": "set", "path": "data/AgentActKey/status", "value": "HIBERNATING"}]},
        0, ("additive", "getActivationKey", "new-value", "/ServiceResponse/data/AgentActKey/status"),
    ),
    "an unexpected status": (
        {"path": TECHNOLOGIES, "status": 202},
        10, ("breaking", "listTechnologies", "unexpected-status", "status"),
    ),
    "the rate-limit headers dropped": (
        {"path": TECHNOLOGIES, "drop_headers": ["X-RateLimit-Limit"]},
        0, ("note", "listTechnologies", "missing-header", "header X-RateLimit-Limit"),
    ),
    "an XML element removed": (
        {"path": GET_KEY, "xml": [{"op": "remove", "path": "responseCode"}]},
        10, ("breaking", "getActivationKey", "missing-element", "/ServiceResponse/responseCode"),
    ),
    "an XML element renamed": (
        {"path": GET_KEY, "xml": [{"op": "rename", "path": "data/AgentActKey/countUsed", "to": "used"}]},
        0, ("additive", "getActivationKey", "unknown-element", "/ServiceResponse/data/AgentActKey/used"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_a_mutated_answer_is_reported_with_its_grade_and_path(server: str, name: str) -> None:
    fault, exit_code, expected = CASES[name]
    user = "mutated_" + "_".join(name.split())
    # The subscription announces its rate limits, so that the only missing header is the one the fault drops.
    assert httpx.post(f"{server}/_sim/subscriptions/{user}", json={"password": PASSWORD}).status_code == 200
    assert httpx.post(f"{server}/_sim/subscriptions/{user}/rate-limit", json={"calls": 1000}).status_code == 200
    clean = json.loads(check(server, "--json", user=user).stdout)
    assert clean["summary"] == {"breaking": 0, "additive": 0, "note": 0}, clean["summary"]

    added = httpx.post(f"{server}/_sim/faults", json={"kind": "mutate", "times": 1, **fault})
    assert added.status_code == 200, added.text
    result = check(server, "--json", user=user)
    assert result.returncode == exit_code, result.stderr
    findings = [(f["grade"], f["operation"], f["kind"], f["where"]) for c in json.loads(result.stdout)["calls"]
                for f in c["findings"]]  # fmt: skip
    assert findings == [expected]
    if expected[0] == "additive":
        # --strict makes an additive finding fail the check too.
        httpx.post(f"{server}/_sim/faults", json={"kind": "mutate", "times": 1, **fault})
        assert check(server, "--strict", user=user).returncode == 10
