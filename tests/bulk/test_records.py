"""The quick IPv4 check of bulk input accepts only what the ipaddress module accepts."""

from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from qualys_sdk.bulk.records import _IPV4


def _valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@given(st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4}){2,4}\s?", fullmatch=True) | st.ip_addresses(v=4).map(str))
def test_quick_ipv4_check_agrees_with_ipaddress(text: str) -> None:
    assert bool(_IPV4.match(text)) == _valid(text)
