"""Bulk input: the quick IPv4 check accepts only what the ipaddress module accepts; spool lines read back whole."""

from __future__ import annotations

import ipaddress
import json

from hypothesis import given
from hypothesis import strategies as st

from qualys_sdk import AssetSpec
from qualys_sdk.bulk.records import _IPV4, _SPOOLED, Row, _spool_line


def _valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@given(st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4}){2,4}\s?", fullmatch=True) | st.ip_addresses(v=4).map(str))
def test_quick_ipv4_check_agrees_with_ipaddress(text: str) -> None:
    assert bool(_IPV4.match(text)) == _valid(text)


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
def test_a_spool_line_is_the_rows_json_and_reads_back_as_the_row(line: int, asset: AssetSpec) -> None:
    text = _spool_line(line, {name: getattr(asset, name) for name, _ in _SPOOLED})
    assert text.endswith("}\n")
    assert json.loads(text) == Row(line, asset).to_json()
    assert Row.from_json(json.loads(text)) == Row(line, asset)
