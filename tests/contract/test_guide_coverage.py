"""Every operation of the guide has a spec operation and a recorded exchange."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from qualys_sdk.testing.cassettes import load_cassette
from tests.support import CASSETTES, spec

GUIDE: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (CASSETTES.parent / "contract" / "guide_operations.yaml").read_text()
)


@pytest.mark.parametrize("entry", GUIDE["oca"], ids=lambda e: e["guide"])
def test_guide_operation_is_in_the_spec(entry: dict[str, Any]) -> None:
    op = spec.operation("oca.yaml", entry["operationId"])
    assert (op.method, op.path) == (entry["method"], entry["path"])


@pytest.mark.parametrize("entry", GUIDE["oca"] + GUIDE["oca_errors"], ids=lambda e: e["cassette"])
def test_guide_operation_has_a_cassette(entry: dict[str, Any]) -> None:
    path = CASSETTES / "oca" / f"{entry['cassette']}.yaml"
    assert path.is_file(), f"no cassette {path.name} for {entry.get('guide') or entry.get('case')}"
    cassette = load_cassette(path)
    assert cassette.operation_id == entry["operationId"]
    if "status" in entry:
        assert [i.status for i in cassette.interactions] == [entry["status"]]


def test_every_spec_operation_is_in_the_guide_list() -> None:
    listed = {e["operationId"] for e in GUIDE["oca"]}
    assert {op.operation_id for op in spec.operations("oca.yaml")} == listed


def test_every_cassette_names_a_spec_operation() -> None:
    ids = {op.operation_id for op in spec.operations("oca.yaml")}
    for path in sorted((CASSETTES / "oca").glob("*.yaml")):
        assert load_cassette(path).operation_id in ids, path.name
