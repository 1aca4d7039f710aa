"""Bulk input: a row's spool record reads back whole; host IPs are checked and written by ipaddress itself;
a technology is spelled as the technology list spells it."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualys_sdk import AssetSpec, InputValidationError
from qualys_sdk.bulk.records import Row, Technologies, check, normal_ip, spool_rows

_text = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=20)


@given(
    line=st.integers(min_value=1, max_value=10**9),
    asset=st.builds(
        AssetSpec,
        host_ip=_text,
        technology=_text,
        dns_name=st.none() | _text,
        mac=st.none() | _text,
        model_name=st.none() | _text,
        netbios=st.none() | _text,
        serial_number=st.none() | _text,
        uuid=st.none() | _text,
    ),
)
def test_a_spool_record_reads_back_as_the_row(line: int, asset: AssetSpec) -> None:
    assert Row.from_json(json.loads(json.dumps(Row(line, asset).to_json()))) == Row(line, asset)


def _valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@given(st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4}){2,4}", fullmatch=True) | st.ip_addresses().map(str))
def test_a_host_ip_is_accepted_exactly_when_ipaddress_accepts_it(text: str) -> None:
    problems = check({"host_ip": text, "technology": "Fabric 7"}, {"file": "in.csv", "line": 2}, None)
    assert (not problems) == _valid(text)
    if problems:
        assert (problems[0].field, problems[0].line) == ("hostIP", 2)


@given(st.ip_addresses())
def test_every_spelling_of_an_address_is_one_identity(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    spellings = {str(address), str(address).upper()}
    if isinstance(address, ipaddress.IPv6Address):
        spellings.add(address.exploded)
        spellings.add(address.exploded.upper())
    assert {normal_ip(s) for s in spellings} == {str(address)}


KNOWN = Technologies(["Comware 7", "Comware 5", "IBM z/OS Security Server RACF 2", "Fabric 7", "Fabric 8"])


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("Comware 7", "Comware 7"),
        ("comware 7", "Comware 7"),
        ("IBM zOS Security Server RACF 2", "IBM z/OS Security Server RACF 2"),
        ("ibm z/os security server racf 2", "IBM z/OS Security Server RACF 2"),
        ("Comware", None),
        ("Comware 77", None),
    ],
)
def test_a_technology_maps_to_the_lists_spelling(given: str, canonical: str | None) -> None:
    assert KNOWN.canonical(given) == canonical


def test_two_entries_that_differ_only_by_case_are_each_exact_and_neither_is_guessed() -> None:
    known = Technologies(["Foo 1", "FOO 1"])
    assert (known.canonical("Foo 1"), known.canonical("FOO 1"), known.canonical("foo 1")) == ("Foo 1", "FOO 1", None)


def test_an_unknown_technology_names_the_closest_known_ones() -> None:
    problem = KNOWN.problem("Comware", {"file": "d.csv", "line": 2})
    assert (problem.file, problem.line, problem.field) == ("d.csv", 2, "technology")
    assert problem.message == "unknown technology 'Comware': did you mean 'Comware 7' or 'Comware 5'?"
    assert KNOWN.problem("Juniper", {}).message == "unknown technology 'Juniper': no known technology is close"


def test_a_record_of_another_type_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(InputValidationError) as info:
        spool_rows([AssetSpec("10.0.0.1", "Fabric 7"), 42], tmp_path / "spool")  # type: ignore[list-item]
    assert [(p.line, p.message) for p in info.value.problems] == [(2, "a record must be an AssetSpec or a mapping, "
                                                                      "not int")]  # fmt: skip
