"""The constants of qualys_sdk.activation_key_constants are the ``<sdk:knownValue>`` entries of the shipped XSDs."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed

from qualys_sdk._specs import spec_file
from qualys_sdk.activation_key_constants import CriteriaOperator, KeyStatus, KeyType, License, ResponseCode

NAMESPACES = {"xs": "http://www.w3.org/2001/XMLSchema", "sdk": "urn:qualys-sdk:xsd-annotations"}
XSD_FILES = [
    "envelope.xsd",
    "qualys_common.xsd",
    "agentactkey.xsd",
    "activationmodules.xsd",
    "agentags.xsd",
    "agentactivationhost.xsd",
    "agentkeybinarymapping.xsd",
]
# Constants class -> the XSD simple type whose known values it lists.
CLASSES: dict[type[Any], str] = {
    ResponseCode: "ResponseCode",
    License: "ActivationKeyLicense",
    KeyType: "ActivationKeyType",
    KeyStatus: "AgentStatus",
    CriteriaOperator: "CriteriaOperator",
}


def _known_values() -> dict[str, tuple[str, ...]]:
    """Simple type name -> its ``sdk:knownValue`` texts, in document order, over every agentactkey XSD."""
    found: dict[str, tuple[str, ...]] = {}
    for name in XSD_FILES:
        document = etree.fromstring(spec_file(f"agentactkey/{name}").read_bytes())
        for simple in document.xpath("//xs:simpleType[@name]", namespaces=NAMESPACES):
            values = simple.xpath(".//sdk:knownValue/text()", namespaces=NAMESPACES)
            if values:
                found[simple.get("name")] = tuple(values)
    return found


KNOWN = _known_values()


def test_every_xsd_file_is_read() -> None:
    """XSD_FILES names every schema envelope.xsd pulls in, so no documented type is missed."""
    included = set()
    for name in XSD_FILES:
        document = etree.fromstring(spec_file(f"agentactkey/{name}").read_bytes())
        included.update(document.xpath("//xs:include/@schemaLocation", namespaces=NAMESPACES))
    assert included | {"envelope.xsd"} == set(XSD_FILES)


def test_every_documented_open_type_has_constants() -> None:
    assert set(KNOWN) == set(CLASSES.values())


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_constants_are_the_known_values_of_the_xsd(cls: type[Any]) -> None:
    known = KNOWN[CLASSES[cls]]
    assert known == cls.ALL
    constants = {name: value for name, value in vars(cls).items() if name.isupper() and name != "ALL"}
    assert sorted(constants.values()) == sorted(known), "a constant is missing from ALL, or ALL has no constant"
    # Names are the values, with "NOT EQUALS" spelled NOT_EQUALS.
    assert [name for name, value in constants.items() if name != value.replace(" ", "_")] == []
