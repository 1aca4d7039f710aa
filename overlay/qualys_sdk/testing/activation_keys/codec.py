"""QPS XML for the simulator: request bytes to the generated dataclasses, answers back to bytes.

The simulator has its own reader and writer, apart from the SDK's (``qualys_sdk._xml``), so that a bug in the
SDK's cannot hide behind the same bug in its fake. Requests are read safely:

* libxml2 never resolves an entity, loads a DTD or touches the network, keeps its default limits
  (``huge_tree=False``: 256 levels, 10 MB text nodes), and does not recover from a malformed document;
* a document with a DOCTYPE at all is refused (QPS takes none; DTDs are how entity attacks get in);
* the root must be ``<ServiceRequest>`` without a namespace; comments and processing instructions are dropped.

The tree is then bound by xsdata to the ``qualys_agentactkey`` dataclasses, skipping unknown elements; a value
that does not convert (``<id>abc</id>``) is refused. Answers are written by xsdata as the wire has them: UTF-8,
an XML declaration, no namespace, plus the schema location every published answer carries on its root.
"""

from __future__ import annotations

import threading
from typing import Any, Final, NoReturn
from xml.sax.saxutils import escape

from lxml import etree
from xsdata.exceptions import XmlContextError
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.formats.dataclass.serializers.writers.lxml import LxmlEventWriter

from qualys_agentactkey import ServiceRequest, ServiceResponse

#: Where an answer's ``xsi:noNamespaceSchemaLocation`` points when the simulator does not know its own address.
DEFAULT_BASE_URL = "https://qualysapi.qualys.com"

_CONTEXT = XmlContext()
_PARSER_CONFIG = ParserConfig(fail_on_unknown_properties=False, fail_on_converter_warnings=True)
_SERIALIZER_CONFIG = SerializerConfig(encoding="UTF-8", xml_declaration=True, pretty_print=False)
_ROOT: Final = _CONTEXT.build(ServiceRequest).qname
_EXCERPT = 200
_PARSERS = threading.local()


class RefusedXml(ValueError):
    """A request body that is not a safe, well-formed ``ServiceRequest`` of the documented shape."""


def _parser() -> Any:
    """This thread's parser: an lxml parser may be reused, but not by two threads at once."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, recover=False,
            huge_tree=False, remove_comments=True, remove_pis=True,
        )  # fmt: skip
    return parser


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def _malformed(exc: etree.XMLSyntaxError) -> NoReturn:
    line, column = exc.position
    reason = str(exc.msg).removesuffix(f", line {line}, column {column}")
    if reason.startswith("Excessive depth in document"):
        # libxml2's advice ("use XML_PARSE_HUGE option") is for libxml2 users, not for a client of the API.
        reason = "elements nested deeper than libxml2's safety limit of 256 levels"
    raise RefusedXml(f"malformed XML at line {line}, column {column}: {reason}") from None


def parse_request(body: bytes) -> ServiceRequest:
    """``body`` as a :class:`ServiceRequest`, or :class:`RefusedXml` saying why not."""
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        _malformed(exc)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise RefusedXml(
            f"refused an XML document with a DOCTYPE ({docinfo.doctype}): QPS responses never carry one, "
            "and DTDs can hide entity attacks"
        )
    if root.tag != _ROOT:
        raise RefusedXml(f"expected an XML document with root element <{_ROOT}> (no namespace), got <{root.tag!s}>")
    parser = XmlParser(config=_PARSER_CONFIG, context=_CONTEXT, handler=LxmlEventHandler)
    try:
        request: ServiceRequest = parser.parse(root, ServiceRequest)
    except (ValueError, TypeError) as exc:
        # ParserError and XmlContextError are ValueErrors; a missing required element is a TypeError from the
        # dataclass constructor. The message names the field and the value; the value may be long.
        reason = _excerpt(str(exc)) or type(exc).__name__
        if isinstance(exc, XmlContextError):
            reason = f"an element has children where a value was expected ({reason})"
        raise RefusedXml(f"the <{_ROOT}> document does not have the documented shape: {reason}") from None
    return request


def schema_location(base_url: str | None) -> bytes:
    """``xsi:noNamespaceSchemaLocation`` of a QPS answer: ``<API server>/qps/xsd/1.0/ca/agentactkey.xsd``.

    Every published answer carries it: ``<qualys_base_url>/qps/xsd/1.0/ca/agentactkey.xsd`` on delete_key.htm,
    ``https://qualysapi.qg4.apps.qualys.com/qps/xsd/...`` in a real answer (hoangmnsd/hoangmnsd.github.io),
    ``.../portal-api/xsd/1.0/ca/agentactkey.xsd`` in the older release notes' samples. The simulator names
    itself as the API server.
    """
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    return escape(f"{base}/qps/xsd/1.0/ca/agentactkey.xsd", {'"': "&quot;"}).encode("utf-8")


def render_response(response: ServiceResponse, base_url: str | None) -> bytes:
    """``response`` as the wire has it, its root naming the schema at ``base_url``.

    lxml writes it, and raises :class:`ValueError` rather than write a character XML 1.0 cannot carry (a control
    character, U+FFFE, a lone surrogate: from a key seeded with one), so no client is sent a document it cannot read.
    """
    serializer = XmlSerializer(config=_SERIALIZER_CONFIG, context=_CONTEXT, writer=LxmlEventWriter)
    return serializer.render(response).encode("utf-8").replace(
        b"<ServiceResponse>",
        b'<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="'
        + schema_location(base_url) + b'">',
        1,
    )  # fmt: skip
