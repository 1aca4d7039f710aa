"""Safe XML for the QPS API (``/qps/rest``): bytes from the server to generated dataclasses, and back.

:func:`parse` reads a response body into a class of ``qualys_agentactkey``
(``ServiceResponse``, ``ServiceRequest``, ``AgentActKey``...). Whatever the
server sends, it either returns a fully typed object or raises
:class:`~qualys_sdk._errors.ResponseFormatError`:

* no DOCTYPE at all (internal or external DTD): QPS never sends one, and DTDs
  are how entity attacks (XXE, "billion laughs") get in. The parser never
  loads a DTD or expands an entity, and a document that has a DOCTYPE is
  refused after parsing;
* no entity resolution, no network, no DTD loading, libxml2's default limits
  (``huge_tree=False``: at most 256 levels deep, text nodes up to 10 MB);
* no recovery: a truncated or malformed body is an error naming the line and
  column, never a silently shortened result (xsdata's own lxml handler parses
  with ``recover=True``, which is why the tree is built here and only then
  handed to xsdata);
* the root element must be the one the class maps to, without a namespace;
* a value that does not fit its field (``<id>abc</id>``) is an error, not a
  string in an ``int`` field;
* elements the SDK does not know are skipped, so fields Qualys adds later do
  not break parsing.

:func:`render` writes a dataclass as the wire does: UTF-8, an XML
declaration, no namespace.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import typing
from collections.abc import Iterator
from typing import Any, Final, NoReturn, TypedDict, TypeVar

from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed
from xsdata.exceptions import XmlContextError
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from qualys_agentactkey import ServiceRequest, ServiceResponse

from . import _xml_fast
from ._errors import InputProblem, InputValidationError, ResponseFormatError, excerpt

__all__ = ["parse", "render"]

T = TypeVar("T")

# Class metadata is costly to build and safe to share; xsdata's parsers and serializers are cheap and are made per
# call because their state must not be shared between threads (lxml parsers are kept per thread, see _parser).
_CONTEXT = XmlContext()
_PARSER_CONFIG = ParserConfig(fail_on_unknown_properties=False, fail_on_converter_warnings=True)
_SERIALIZER_CONFIG = SerializerConfig(encoding="UTF-8", xml_declaration=True, pretty_print=False)

# The envelopes are read by qualys_sdk._xml_fast, which gives objects equal to xsdata's in a fraction of the time
# (tests/unit/test_xml_fast.py checks the equality); whatever it cannot read, xsdata reads, or refuses.
_FAST_CLASSES: Final = frozenset({ServiceResponse, ServiceRequest})


# resolve_entities, no_network, load_dtd: no entity or DTD ever reaches the file system or the network.
# recover=False: a truncated body is an error, not a shorter result. huge_tree=False keeps libxml2's limits.
# Comments and PIs are dropped: they carry nothing for QPS, and xsdata's event handler expects elements only.
class _ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    recover: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool


_SAFE_PARSER_OPTIONS: Final[_ParserOptions] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "recover": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


_PARSERS = threading.local()


def _parser() -> Any:
    """This thread's safe parser: an lxml parser may be reused, but not by two threads at once."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(**_SAFE_PARSER_OPTIONS)
    return parser


def _refuse(message: str, data: bytes) -> NoReturn:
    # The excerpt keeps at most 200 characters; a few KiB of a multi-megabyte body are enough to find them.
    raise ResponseFormatError(message, body_excerpt=excerpt(data[:4096]))


def _syntax_error(exc: etree.XMLSyntaxError, data: bytes) -> NoReturn:
    if not data.strip():
        _refuse("expected an XML document, got an empty body", data)
    line, column = exc.position
    reason = str(exc.msg).removesuffix(f", line {line}, column {column}")
    if reason.startswith("Excessive depth in document"):
        # libxml2's advice ("use XML_PARSE_HUGE option") is for libxml2 users, not for SDK users.
        reason = "elements nested deeper than libxml2's safety limit of 256 levels"
    _refuse(f"malformed XML at line {line}, column {column}: {reason}", data)


def parse(data: bytes, cls: type[T]) -> T:
    """Read ``data`` into ``cls`` (a generated dataclass whose XML name is the document's root element).

    Raises :class:`ResponseFormatError` when the body is not a safe, well-formed document of that shape;
    its ``body_excerpt`` holds the start of the body (at most 200 characters).
    """
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        _syntax_error(exc, data)
    # The parser neither loads a DTD nor expands an entity (see _SAFE_PARSER_OPTIONS); a document that has
    # one at all is refused: QPS never sends one, and DTDs are how entity attacks get in.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        _refuse(
            f"refused an XML document with a DOCTYPE ({docinfo.doctype}): QPS responses never carry one, "
            "and DTDs can hide entity attacks",
            data,
        )
    expected = _CONTEXT.build(cls).qname
    if root.tag != expected:
        _refuse(f"expected an XML document with root element <{expected}> (no namespace), got <{root.tag!s}>", data)
    if cls in _FAST_CLASSES:
        fast = _xml_fast.read(root, cls)
        if fast is not None:
            return fast
    parser = XmlParser(config=_PARSER_CONFIG, context=_CONTEXT, handler=LxmlEventHandler)
    try:
        return _none_for_empty(parser.parse(root, cls))
    except (ValueError, TypeError) as exc:
        # ParserError and XmlContextError are ValueErrors; a missing required element is a TypeError from the
        # dataclass constructor. The message names the field and the value; the value may be long.
        reason = excerpt(str(exc)) or type(exc).__name__
        if isinstance(exc, XmlContextError):
            reason = f"an element has children where a value was expected ({reason})"
        _refuse(f"the <{expected}> document does not have the documented shape: {reason}", data)


@functools.cache
def _typed_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, holds a non-string simple type) for each field of a generated dataclass."""
    hints = typing.get_type_hints(cls)
    found = []
    for field in dataclasses.fields(cls):
        kinds = [a for a in typing.get_args(hints[field.name]) or (hints[field.name],) if a is not type(None)]
        kinds = [typing.get_args(k)[0] if typing.get_origin(k) is list else k for k in kinds]
        found.append((field.name, all(k is not str and not dataclasses.is_dataclass(k) for k in kinds)))
    return tuple(found)


def _none_for_empty(obj: T) -> T:
    """What xsdata read, with ``""`` from an empty element of an int, bool or date field made ``None`` (in place),
    as the fast reader reads it; strings stay ``""``."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    for name, typed in _typed_fields(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, list):
            if typed:
                value[:] = [None if item == "" else item for item in value]
            else:
                for item in value:
                    _none_for_empty(item)
        elif typed and value == "":
            setattr(obj, name, None)
        else:
            _none_for_empty(value)
    return obj


# Characters XML 1.0 cannot carry at all: C0 controls other than tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _strings(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, list | tuple):
        for index, item in enumerate(obj):
            yield from _strings(item, f"{path}[{index}]")
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for field in dataclasses.fields(obj):
            yield from _strings(getattr(obj, field.name), f"{path}.{field.name}")


def _unwritable(obj: object) -> list[InputProblem]:
    problems = []
    for path, text in _strings(obj, type(obj).__name__):
        bad = _NOT_XML_CHAR.search(text)
        if bad is not None:
            problems.append(InputProblem(f"character U+{ord(bad.group()):04X} cannot be sent in XML", field=path))
    return problems


def render(obj: object) -> bytes:
    """``obj`` (a generated dataclass) as a UTF-8 XML document with a declaration and no namespace.

    Raises :class:`InputValidationError` naming the field when a string holds a character XML 1.0 cannot
    carry (control characters other than tab, newline and carriage return; lone surrogates).
    """
    problems = _unwritable(obj)
    if problems:
        raise InputValidationError(problems)
    serializer = XmlSerializer(config=_SERIALIZER_CONFIG, context=_CONTEXT)
    return serializer.render(obj).encode("utf-8")
