"""Every operation of the Qualys documents has a spec operation and a recorded exchange."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from qualys_sdk.testing.cassettes import load_cassette
from tests.support import CASSETTES, TESTS, spec

GUIDE: dict[str, list[dict[str, Any]]] = yaml.safe_load((TESTS / "contract" / "guide_operations.yaml").read_text())
APIS = {"oca": "oca.yaml", "csam": "csam.yaml"}
OPERATIONS = [(api, e) for api in APIS for e in GUIDE[api]]
CASES = [(api, e) for api in APIS for e in GUIDE[api] + GUIDE[f"{api}_errors"]]


@pytest.mark.parametrize(("api", "entry"), OPERATIONS, ids=lambda v: v["guide"] if isinstance(v, dict) else v)
def test_guide_operation_is_in_the_spec(api: str, entry: dict[str, Any]) -> None:
    op = spec.operation(APIS[api], entry["operationId"])
    assert (op.method, op.path) == (entry["method"], entry["path"])


@pytest.mark.parametrize(("api", "entry"), CASES, ids=lambda v: v["cassette"] if isinstance(v, dict) else v)
def test_guide_operation_has_a_cassette(api: str, entry: dict[str, Any]) -> None:
    path = CASSETTES / api / f"{entry['cassette']}.yaml"
    assert path.is_file(), f"no cassette {path.name} for {entry.get('guide') or entry.get('case')}"
    cassette = load_cassette(path)
    assert cassette.operation_id == entry["operationId"]
    if "status" in entry:
        assert [i.status for i in cassette.interactions] == [entry["status"]]


@pytest.mark.parametrize("api", APIS)
def test_every_spec_operation_is_in_the_guide_list(api: str) -> None:
    listed = {e["operationId"] for e in GUIDE[api]}
    assert {op.operation_id for op in spec.operations(APIS[api])} == listed


@pytest.mark.parametrize("api", APIS)
def test_every_cassette_names_a_spec_operation(api: str) -> None:
    ids = {op.operation_id for op in spec.operations(APIS[api])}
    for path in sorted((CASSETTES / api).glob("*.yaml")):
        assert load_cassette(path).operation_id in ids, path.name
