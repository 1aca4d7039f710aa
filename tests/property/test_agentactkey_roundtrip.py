"""Generated agentactkey classes round-trip through ``qualys_sdk._xml`` and render XML valid against the XSD.

Hypothesis builds ``ServiceRequest`` and ``ServiceResponse`` objects holding ``AgentActKey`` values. The
strategies are derived from the generated dataclasses (field types, required fields, ``min_occurs``,
``min_inclusive``/``max_inclusive``) and from the shipped XSDs: the integer range of each element
(``xs:int`` or ``xs:long``) and the known values of the open string types (``sdk:knownValue``), mixed with
arbitrary text, so a new server value is exercised too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from functools import cache
from importlib.resources import as_file
from typing import Any

import xmlschema
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed
from xsdata.models.datatype import XmlDateTime

from qualys_agentactkey import AgentActKey, AgentActKeyList, ServiceRequest, ServiceResponse
from qualys_sdk import _xml
from qualys_sdk._specs import spec_file

XS = "http://www.w3.org/2001/XMLSchema"
SDK = "urn:qualys-sdk:xsd-annotations"
INTEGER_RANGES = {"xs:int": (-(2**31), 2**31 - 1), "xs:long": (-(2**63), 2**63 - 1)}


@cache
def _schema() -> xmlschema.XMLSchema10:
    with as_file(spec_file("agentactkey/envelope.xsd")) as path:
        return xmlschema.XMLSchema10(str(path))


def _schema_documents() -> list[Any]:
    """envelope.xsd and every file it includes, directly or not, as lxml trees."""
    pending, seen, documents = ["envelope.xsd"], set(), []
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        document = etree.fromstring(spec_file(f"agentactkey/{name}").read_bytes())
        documents.append(document)
        pending.extend(document.xpath("//xs:include/@schemaLocation", namespaces={"xs": XS}))
    return documents


def _declared_types() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """XML name of every element and attribute of a simple type -> that type; simple type -> its known values."""
    documents = _schema_documents()
    known: dict[str, tuple[str, ...]] = {}
    simple_types = set()
    for document in documents:
        for simple in document.xpath("//xs:simpleType[@name]", namespaces={"xs": XS}):
            simple_types.add(simple.get("name"))
            values = simple.xpath(".//sdk:knownValue/text()", namespaces={"sdk": SDK})
            if values:
                known[simple.get("name")] = tuple(values)
    types_by_name: dict[str, str] = {}
    for document in documents:
        for node in document.xpath("//xs:element[@name][@type] | //xs:attribute[@name][@type]", namespaces={"xs": XS}):
            name, type_name = node.get("name"), node.get("type")
            if type_name.startswith("xs:") or type_name in simple_types:
                # One name with two simple types would make the lookup by name ambiguous.
                assert types_by_name.setdefault(name, type_name) == type_name, f"{name} has two types"
    return types_by_name, known


TYPES_BY_NAME, KNOWN_VALUES = _declared_types()

# Text XML 1.0 can carry: no control characters except tab and newline (a carriage return would come back as a
# newline, by XML's end-of-line handling), no surrogates, no U+FFFE/U+FFFF.
xml_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], include_characters="\t\n",
                  exclude_characters="\ufffe\uffff"),
    max_size=12,
)  # fmt: skip


@st.composite
def xml_datetimes(draw: st.DrawFn) -> XmlDateTime:
    moment = draw(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)))
    fraction = draw(st.just(0) | st.integers(0, 999_999_999))
    offset = draw(st.none() | st.just(0) | st.integers(-14 * 60, 14 * 60))
    return XmlDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                       fractional_second=fraction, offset=offset)  # fmt: skip


def _xml_name(field: dataclasses.Field[Any]) -> str:
    return str(field.metadata.get("name", field.name))


def _scalar(hint: Any, field: dataclasses.Field[Any]) -> st.SearchStrategy[Any]:
    type_name = TYPES_BY_NAME.get(_xml_name(field), "")
    if hint is bool:
        return st.booleans()
    if hint is int:
        if "min_inclusive" in field.metadata or "max_inclusive" in field.metadata:
            return st.integers(field.metadata.get("min_inclusive"), field.metadata.get("max_inclusive"))
        if type_name not in INTEGER_RANGES:
            raise NotImplementedError(f"no integer range for {_xml_name(field)} (XSD type {type_name!r})")
        return st.integers(*INTEGER_RANGES[type_name])
    if hint is str:
        known = KNOWN_VALUES.get(type_name)
        return st.sampled_from(known) | xml_text if known else xml_text
    if hint is XmlDateTime:
        return xml_datetimes()
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return for_class(hint)
    raise NotImplementedError(f"no strategy for {_xml_name(field)}: {hint!r}")


def _field(hint: Any, field: dataclasses.Field[Any]) -> st.SearchStrategy[Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return st.none() | _field(inner, field)
    if origin is list:
        return st.lists(_scalar(args[0], field), min_size=int(field.metadata.get("min_occurs", 0)), max_size=2)
    return _scalar(hint, field)


def for_class(cls: type[Any], **overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Instances of a generated dataclass, every field drawn from its type (or from ``overrides``)."""
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: overrides[f.name] if f.name in overrides else _field(hints[f.name], f) for f in dataclasses.fields(cls)
    }
    return st.builds(cls, **fields)


keys = st.builds(AgentActKeyList, agent_act_key=st.lists(for_class(AgentActKey), min_size=1, max_size=3))
requests = for_class(ServiceRequest, data=keys)
responses = for_class(ServiceResponse, data=keys)


def _round_trip(value: ServiceRequest | ServiceResponse) -> None:
    xml = _xml.render(value)
    errors = [str(e).split("\n", 1)[0] for e in _schema().iter_errors(xml)]
    assert errors == [], "the SDK rendered XML its own schema rejects"
    assert _xml.parse(xml, type(value)) == value


@given(request=requests)
def test_service_request_with_keys_round_trips(request: ServiceRequest) -> None:
    _round_trip(request)


@given(response=responses)
def test_service_response_with_keys_round_trips(response: ServiceResponse) -> None:
    _round_trip(response)


def test_strategies_are_derived_from_the_schema() -> None:
    """The XSD lookups the strategies rely on find what the generated classes use."""
    assert TYPES_BY_NAME["id"] == "xs:long"
    assert TYPES_BY_NAME["count"] == "xs:int"
    assert KNOWN_VALUES["ActivationKeyLicense"][0] == "VM_LICENSE"
    assert TYPES_BY_NAME["license"] == "ActivationKeyLicense"
    assert TYPES_BY_NAME["operator"] == "CriteriaOperator"
