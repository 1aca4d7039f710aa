"""``qualys_sdk._xml_fast`` reads every QPS body into objects equal to what xsdata's parser makes of it.

The reference is xsdata's ``XmlParser`` with the configuration ``qualys_sdk._xml`` uses, on the same safely
built lxml tree. Checked on every agentactkey cassette body, on generated ``ServiceRequest`` and
``ServiceResponse`` objects rendered to XML (Hypothesis), on the odd corners of xsdata's reading (empty
elements, repeated elements, unknown elements, whitespace, xsi attributes) and on bad values, which must give
the same error as before.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
from xsdata.models.datatype import XmlDateTime

from qualys_agentactkey import (
    AgentActKey,
    AgentActKeyList,
    Criteria,
    Filters,
    Preferences,
    ServiceRequest,
    ServiceResponse,
)
from qualys_sdk import _xml, _xml_fast
from qualys_sdk._errors import ResponseFormatError
from qualys_sdk.testing.cassettes import load_cassettes
from tests.property.test_agentactkey_roundtrip import requests, responses
from tests.support import CASSETTES

T = TypeVar("T")

Envelope = type[ServiceRequest] | type[ServiceResponse]


def _tree(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(**_xml._SAFE_PARSER_OPTIONS))


def _by_xsdata(data: bytes, cls: type[T]) -> T:
    """xsdata's reading, with the one rule the SDK adds: an empty element of an int, bool or date field is None."""
    parser = XmlParser(config=_xml._PARSER_CONFIG, context=_xml._CONTEXT, handler=LxmlEventHandler)
    return _xml._none_for_empty(parser.parse(_tree(data), cls))


def _fast(data: bytes, cls: type[T]) -> T:
    """The fast reader alone; fails the test if it hands the document back to xsdata."""
    result = _xml_fast.read(_tree(data), cls)
    assert result is not None, "the fast reader gave up on this document"
    return result


def _same(data: bytes, cls: type[Any]) -> Any:
    expected = _by_xsdata(data, cls)
    assert _fast(data, cls) == expected
    assert _xml.parse(data, cls) == expected
    return expected


def _bodies() -> list[tuple[str, Envelope, bytes]]:
    found: list[tuple[str, Envelope, bytes]] = []
    for cassette in load_cassettes(CASSETTES / "agentactkey"):
        for index, interaction in enumerate(cassette.interactions):
            where = f"{cassette.name}[{index}]"
            if interaction.request_body:
                found.append((f"{where}:request", ServiceRequest, interaction.request_body))
            found.append((f"{where}:response", ServiceResponse, interaction.response_body))
    return found


BODIES = _bodies()


def test_the_envelopes_have_fast_readers() -> None:
    assert _xml_fast.converter(ServiceResponse) is not None
    assert _xml_fast.converter(ServiceRequest) is not None
    assert len(BODIES) >= 9


@pytest.mark.parametrize(("name", "cls", "data"), BODIES, ids=[b[0] for b in BODIES])
def test_every_cassette_body_reads_equal_to_xsdata(name: str, cls: Envelope, data: bytes) -> None:
    _same(data, cls)


@given(response=responses)
def test_generated_responses_read_equal_to_xsdata(response: ServiceResponse) -> None:
    data = _xml.render(response)
    assert _same(data, ServiceResponse) == response


@given(request=requests)
def test_generated_requests_read_equal_to_xsdata(request: ServiceRequest) -> None:
    data = _xml.render(request)
    assert _same(data, ServiceRequest) == request


# ------------------------------------------------------------------------------------ xsdata's odd corners

ODD_RESPONSES = {
    "empty elements": b"<ServiceResponse><responseCode/><count></count><data><AgentActKey><id/><title/>"
    b"<isDisabled/><datePurchased/><tags/></AgentActKey><AgentActKey/></data></ServiceResponse>",
    "repeated single values, first wins, later unread": b"<ServiceResponse><responseCode>A</responseCode>"
    b"<responseCode>B</responseCode><count>1</count><count>oops</count><data><AgentActKey><id>1</id></AgentActKey>"
    b"</data><data><AgentActKey><id>x</id></AgentActKey></data></ServiceResponse>",
    "unknown and namespaced elements": b'<ServiceResponse xmlns:q="urn:q"><q:responseCode>NO</q:responseCode>'
    b"<responseCode>SUCCESS</responseCode><new><count>9</count></new><q:count>8</q:count><data><AgentActKey>"
    b"<q:id>7</q:id><id>3</id><extra a='1'>t<b/></extra></AgentActKey></data></ServiceResponse>",
    "whitespace and signs": b"<ServiceResponse><responseCode>  SUCCESS \n</responseCode><count> +12 </count>"
    b"<hasMoreRecords> true\n</hasMoreRecords><lastId>1_000</lastId><data><AgentActKey><isDisabled>1</isDisabled>"
    b"<applyOnAgents>0</applyOnAgents><title> </title><dateLastUsed> 2021-05-13T15:19:31+02:00 </dateLastUsed>"
    b"</AgentActKey></data></ServiceResponse>",
    "text, tails, comments and attributes around elements": b'<ServiceResponse a="1">text<!-- c --><responseCode '
    b'b="2">SUC<![CDATA[CESS]]></responseCode>tail<?pi x?><data>t<AgentActKey>t<id>5</id>t</AgentActKey>t</data>'
    b"</ServiceResponse>",
    "schema location": b'<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    b'xsi:noNamespaceSchemaLocation="x.xsd"><responseCode>SUCCESS</responseCode></ServiceResponse>',
    "every date form": b"<ServiceResponse><responseCode>S</responseCode><data><AgentActKey>"
    b"<datePurchased>2021-05-13T15:19:31.5Z</datePurchased><dateLastUsed>2020-02-29T24:00:00</dateLastUsed>"
    b"<expireDate>0001-01-01T00:00:00.123456789-14:00</expireDate></AgentActKey></data></ServiceResponse>",
}


@pytest.mark.parametrize("data", ODD_RESPONSES.values(), ids=list(ODD_RESPONSES))
def test_odd_but_readable_documents_read_equal_to_xsdata(data: bytes) -> None:
    _same(data, ServiceResponse)


def test_empty_elements_are_empty_strings_in_string_fields_and_none_elsewhere() -> None:
    parsed = _same(ODD_RESPONSES["empty elements"], ServiceResponse)
    assert parsed.response_code == ""
    # xsdata alone leaves "" in these, whatever the field's type; an int field holding a string would break callers.
    assert parsed.count is None
    (key, empty) = parsed.data.agent_act_key
    assert (key.id, key.title, key.date_purchased, key.is_disabled) == (None, "", None, None)
    assert key.tags is not None
    assert empty == AgentActKey()


def test_xsdata_alone_would_leave_strings_in_typed_fields() -> None:
    # Why the rule above exists: the generated dataclasses say int | None, xsdata gives "".
    parser = XmlParser(config=_xml._PARSER_CONFIG, context=_xml._CONTEXT, handler=LxmlEventHandler)
    raw: Any = parser.parse(_tree(ODD_RESPONSES["empty elements"]), ServiceResponse)
    assert raw.count == ""
    assert _xml.parse(ODD_RESPONSES["empty elements"], ServiceResponse).count is None


def test_request_attributes_and_text_read_equal_to_xsdata() -> None:
    data = (
        b'<ServiceRequest><preferences><limitResults>5</limitResults></preferences><filters><Criteria field="id" '
        b'operator="GREATER" other="x">12</Criteria><Criteria field="title" operator="CONTAINS"/></filters>'
        b"</ServiceRequest>"
    )
    assert _same(data, ServiceRequest) == ServiceRequest(
        filters=Filters(
            criteria=[
                Criteria(field_value="id", operator="GREATER", value="12"),
                Criteria(field_value="title", operator="CONTAINS", value=""),
            ]
        ),
        preferences=Preferences(limit_results=5),
    )


@pytest.mark.parametrize(
    "data",
    [
        b'<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><responseCode>S</responseCode>'
        b'<data xsi:nil="true"/></ServiceResponse>',
        b'<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><responseCode>S</responseCode>'
        b'<data><AgentActKey xsi:type="AgentActKey"><id>1</id></AgentActKey></data></ServiceResponse>',
    ],
    ids=["xsi:nil", "xsi:type"],
)
def test_xsi_type_and_nil_are_left_to_xsdata(data: bytes) -> None:
    assert _xml_fast.read(_tree(data), ServiceResponse) is None
    assert _xml.parse(data, ServiceResponse) == _by_xsdata(data, ServiceResponse)
    # Outside UTF-8 the attributes cannot be found as bytes: the tree is searched instead.
    utf16 = data.decode().encode("utf-16")
    assert _xml.parse(utf16, ServiceResponse) == _by_xsdata(data, ServiceResponse)


# ---------------------------------------------------------------------------------------------- bad values

BAD_RESPONSES = {
    "not an int": b"<ServiceResponse><responseCode>S</responseCode><data><AgentActKey><id>abc</id></AgentActKey>"
    b"</data></ServiceResponse>",
    "not a bool": b"<ServiceResponse><responseCode>S</responseCode><hasMoreRecords>yes</hasMoreRecords>"
    b"</ServiceResponse>",
    "not a date": b"<ServiceResponse><responseCode>S</responseCode><data><AgentActKey><expireDate>2021-02-30T00:00:00"
    b"</expireDate></AgentActKey></data></ServiceResponse>",
    "children in a value": b"<ServiceResponse><responseCode><b>SUCCESS</b></responseCode></ServiceResponse>",
    "missing required": b"<ServiceResponse><count>1</count></ServiceResponse>",
    "missing required module license": b"<ServiceResponse><responseCode>S</responseCode><data><AgentActKey><modules>"
    b"<list><ActivationKeyModule/></list></modules></AgentActKey></data></ServiceResponse>",
}


def _error(data: bytes, monkeypatch: pytest.MonkeyPatch, *, fast: bool) -> str:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(_xml, "_FAST_CLASSES", frozenset())
        with pytest.raises(ResponseFormatError) as info:
            _xml.parse(data, ServiceResponse)
    return str(info.value)


@pytest.mark.parametrize("data", BAD_RESPONSES.values(), ids=list(BAD_RESPONSES))
def test_bad_values_give_the_same_error_as_before(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _xml_fast.read(_tree(data), ServiceResponse) is None
    assert _error(data, monkeypatch, fast=True) == _error(data, monkeypatch, fast=False)


def test_a_bad_value_deep_in_a_large_page_is_still_an_error() -> None:
    keys = b"".join(b"<AgentActKey><id>%d</id></AgentActKey>" % i for i in range(2000))
    data = b"<ServiceResponse><responseCode>S</responseCode><data>" + keys + b"<AgentActKey><id>abc</id>"
    data += b"</AgentActKey></data></ServiceResponse>"
    with pytest.raises(ResponseFormatError, match="abc"):
        _xml.parse(data, ServiceResponse)


# ------------------------------------------------------------------------------------------------- dates

digits = st.integers(0, 99).map("{:02d}".format)
date_times = st.builds(
    "{}-{}-{}T{}:{}:{}{}{}".format,
    st.integers(0, 9999).map("{:04d}".format),
    digits,
    digits,
    digits,
    digits,
    digits,
    st.just("") | st.text("0123456789", min_size=0, max_size=10).map(".{}".format),
    st.sampled_from(["", "Z", "+00:00", "-00:00", "+14:00", "-05:30", "+99:99", "z", " "]),
) | st.text(max_size=30)


@given(text=date_times)
def test_date_times_read_as_xml_date_time_from_string(text: str) -> None:
    try:
        expected: XmlDateTime | type[Exception] = XmlDateTime.from_string(text)
    except ValueError:
        expected = ValueError
    try:
        got: XmlDateTime | type[Exception] = _xml_fast._date_time(text)
    except ValueError:
        got = ValueError
    assert got == expected
    if isinstance(got, XmlDateTime):
        assert tuple(got) == tuple(expected)  # type: ignore[arg-type]


def test_unsupported_classes_are_left_to_xsdata() -> None:
    class NotADataclass:
        pass

    assert _xml_fast.converter(NotADataclass) is None
    assert _xml_fast.converter(AgentActKeyList) is not None
