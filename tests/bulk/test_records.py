"""Bulk input: a row's spool record reads back whole; host IPs are checked by ipaddress itself."""

from __future__ import annotations

import ipaddress
import json

from hypothesis import given
from hypothesis import strategies as st

from qualys_sdk import AssetSpec
from qualys_sdk.bulk.records import Row, check

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
