"""The plan: read-only operations of the specs, in a fixed order, and the choice of technologies."""

from __future__ import annotations

import pytest

from qualys_sdk._specs import openapi
from qualys_sdk.contract.plan import (
    GET_KEY,
    LIST_TECHNOLOGY_COMMANDS,
    READ_ONLY,
    SEARCH_KEYS,
    build_plan,
    choose_technologies,
    operation_for,
)


def test_the_plan_calls_each_read_once_in_order() -> None:
    plan = build_plan()
    assert [s.name for s in plan.steps] == [
        "fetchToken",
        "listTechnologies",
        "listTechnologyCommands[tech1]",
        "listTechnologyCommands[tech2]",
        "listTechnologyCommands[tech3]",
        "getSubscriptionAssetStatus[1day]",
        "getSubscriptionAssetStatus[30days]",
        "getAssetStatus",
        "listAssetCommands",
        "searchActivationKeys",
        "getActivationKey",
    ]
    assert [s.number for s in plan.steps] == list(range(1, 12))
    assert plan.calls == 11
    assert build_plan(0).calls == 8
    with pytest.raises(ValueError, match="technologies must be 0 or more"):
        build_plan(-1)


@pytest.mark.parametrize("operation", [op for op in READ_ONLY if op.api == "oca"], ids=lambda op: op.operation_id)
def test_each_oca_operation_is_the_specs_with_its_method_and_path(operation: object) -> None:
    from qualys_sdk.contract.plan import Operation

    assert isinstance(operation, Operation)
    spec = openapi("oca.yaml")
    assert spec["paths"][operation.path][operation.method.lower()]["operationId"] == operation.operation_id


def test_no_operation_writes() -> None:
    spec = openapi("oca.yaml")
    writes = {op["operationId"] for item in spec["paths"].values() for method, op in item.items() if method != "get"}
    assert {op.operation_id for op in READ_ONLY if op.api == "oca"} & writes == {"fetchToken"}
    # QPS: search reads through a POST, get is a GET; create, update and delete are never among them.
    assert {(op.method, op.path) for op in READ_ONLY if op.api == "agentactkey"} == {
        ("POST", "/qps/rest/1.0/search/ca/agentactkey/"),
        ("GET", "/qps/rest/1.0/get/ca/agentactkey/{id}"),
    }


def test_requests_match_only_their_operation_on_their_host() -> None:
    name = "/ocaapi/v2.0/technology/IBM zOS Security Server RACF 2/command/PolicyCompliance"
    assert operation_for("GET", name, "gateway") == LIST_TECHNOLOGY_COMMANDS
    assert operation_for("GET", name, "api") is None
    assert operation_for("POST", name, "gateway") is None
    assert operation_for("GET", "/ocaapi/v2.0/technology/IBM z/OS 2/command/PolicyCompliance", "gateway") is None
    assert operation_for("POST", "/qps/rest/1.0/search/ca/agentactkey/", "api") == SEARCH_KEYS
    assert operation_for("GET", "/qps/rest/1.0/get/ca/agentactkey/12", "api") == GET_KEY
    for write in ("/qps/rest/1.0/delete/ca/agentactkey/12", "/qps/rest/1.0/create/ca/agentactkey/",
                  "/qps/rest/1.0/update/ca/agentactkey/12"):  # fmt: skip
        assert operation_for("POST", write, "api") is None
    assert operation_for("DELETE", "/ocaapi/v2.0/asset/abc", "gateway") is None
    assert operation_for("POST", "/ocaapi/v2.0/asset", "gateway") is None


def test_technologies_are_the_first_listed_with_a_zos_one() -> None:
    listed = ["A 1", "B 2", "C 3", "IBM z/OS Security Server RACF 2", "IBM z/OS 3"]
    assert choose_technologies(listed, 3) == ["A 1", "B 2", "IBM z/OS Security Server RACF 2"]
    assert choose_technologies(listed, 1) == ["IBM z/OS Security Server RACF 2"]
    assert choose_technologies(listed, 0) == []
    assert choose_technologies(["A 1", "A 1", " ", "B 2"], 5) == ["A 1", "B 2"]
    assert choose_technologies(["A 1", "B 2"], 2) == ["A 1", "B 2"]
