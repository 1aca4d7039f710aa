"""A fast reader from an lxml tree to the generated QPS dataclasses, equal to what xsdata's parser makes.

xsdata's ``XmlParser`` is general: it drives a node stack through every start and end event, with hooks for
wildcards, xsi:type substitution, mixed content and the like. The QPS envelope classes use none of that, so
reading a large search page through it costs about forty times what building the lxml tree costs. This module
builds, once per generated class, a converter from the dataclass fields and their xsdata metadata
(``fields(cls)``, ``metadata["name"]``, ``metadata["type"]``, the type hints) that walks the element tree and
calls the dataclass constructors directly.

It reads exactly as xsdata does with ``ParserConfig(fail_on_unknown_properties=False)``:

* unknown elements and attributes (``xsi:noNamespaceSchemaLocation`` too), and text and tails around child
  elements are ignored; a second occurrence of a single-valued element is skipped unread (the first counts);
* ``int`` is ``int(text)``, ``bool`` is ``true``/``1``/``false``/``0`` after stripping, ``XmlDateTime`` is
  ``XmlDateTime.from_string``, ``str`` is the text as it is;
* an empty element of a class reads as that class with its defaults; an empty element of a simple type reads
  as ``""`` where the field is a string, and, where xsdata would also leave ``""``, as ``None`` in an ``int``,
  ``bool`` or date field (``<id/>``: no id, not a string where an int belongs). :func:`qualys_sdk._xml.parse`
  applies the same rule to what xsdata reads, so both readings stay equal.

Whatever it does not handle it leaves to xsdata: :func:`read` returns ``None`` for a class whose shape it does
not support (a check against xsdata's own ``XmlMeta`` of every class decides), for a document with an
``xsi:type`` or ``xsi:nil`` attribute, and whenever reading fails (a value that does not convert, a child
element inside a value, a missing required field). The caller then parses with xsdata, which returns its
result or raises its own error, so errors stay exactly those of xsdata.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, Final, TypeVar

from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.models.elements import XmlMeta, XmlVar
from xsdata.models.datatype import XmlDateTime

__all__ = ["converter", "read"]

T = TypeVar("T")

Converter = Callable[[Any], Any]

XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"

# The metadata keys whose meaning this module knows: the XML name, kind and namespace, and restrictions that
# xsdata does not check while parsing. Anything else (tokens, format, wrapper, nillable, choices...) is xsdata's.
_KNOWN_METADATA: Final = frozenset(
    {"name", "type", "namespace", "min_occurs", "max_occurs", "min_inclusive", "max_inclusive", "required"}
)

# xsi:type and xsi:nil change what xsdata builds: leave documents with either to it. Other xsi: attributes
# (QPS sends xsi:noNamespaceSchemaLocation on every response) are ignored by xsdata, and here.
_HAS_XSI_TYPE_OR_NIL = etree.XPath(
    "boolean(//@*[namespace-uri() = $ns][local-name() = 'type' or local-name() = 'nil'])"
)


class Unsupported(Exception):
    """The class has a shape this module does not read; xsdata does."""


def _bool(text: str) -> bool:
    value = text.strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError(f"Invalid bool literal '{text}'")


# The usual form of an xs:dateTime, in ASCII digits: 2021-05-13T15:19:31Z, with optional fraction and offset.
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))?"
)


def _date_time(text: str) -> XmlDateTime:
    """``XmlDateTime.from_string(text)``, about three times faster for the usual form (its general parser
    walks the format string one character at a time); any other form goes to ``from_string``."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return XmlDateTime.from_string(text)
    year, month, day, hour, minute, second, fraction, zulu, sign, offset_hours, offset_minutes = match.groups()
    try:
        # Years 1-9999, hours 0-23: the dates datetime accepts are those from_string accepts in this form.
        dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return XmlDateTime.from_string(text)  # hour 24, year 0 or an error: from_string decides
    if zulu:
        offset: int | None = 0
    elif sign:
        offset = int(offset_hours) * 60 + int(offset_minutes)
        if sign == "-":
            offset = -offset
    else:
        offset = None
    return XmlDateTime(
        int(year), int(month), int(day), int(hour), int(minute), int(second),
        int(fraction.ljust(9, "0")) if fraction else 0, offset,
    )  # fmt: skip


# Simple types and how xsdata's converters read them; None: the text itself.
_SIMPLE: Final[dict[type, Callable[[str], Any] | None]] = {
    str: None,
    int: int,
    bool: _bool,
    XmlDateTime: _date_time,
}

# Per child tag: field name, converter (None for str), is a list, is a class.
_Child = tuple[str, Converter | None, bool, bool]


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """``None | X`` -> X; ``list[X]`` -> X, True."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise Unsupported(f"union {hint!r}")
        return _unwrap(inner[0])
    if origin is list:
        (item,) = args
        if typing.get_origin(item) is not None:
            raise Unsupported(f"nested generic {hint!r}")
        return item, True
    return hint, False


def _check_var(var: XmlVar, name: str, qname: str, item: Any, is_list: bool) -> None:
    """The field reads as xsdata reads it: same XML name, type, cardinality, and none of the features skipped here."""
    ok = (
        var.name == name
        and var.qname == qname
        and tuple(var.types) == (item,)
        and var.list_element == is_list
        and var.init
        and not var.nillable
        and not var.tokens
        and var.format is None
        and not var.any_type
        and var.wrapper is None
        and not var.mixed
        and not var.is_clazz_union
        and (var.default is None or (is_list and var.default is list))
    )
    if not ok:
        raise Unsupported(f"{name} differs from xsdata's view of it")


class _Builder:
    """Builds converters and remembers them; safe to share between threads."""

    def __init__(self, context: XmlContext) -> None:
        self._context = context
        self._lock = threading.RLock()
        self._done: dict[type, Converter | None] = {}
        self._building: dict[type, list[Converter]] = {}

    def get(self, cls: type) -> Converter | None:
        try:
            return self._done[cls]
        except KeyError:
            pass
        with self._lock:
            if cls not in self._done:
                try:
                    self._build(cls)
                except Unsupported:
                    self._done[cls] = None
                    self._building.clear()
            return self._done[cls]

    def _nested(self, cls: type) -> Converter:
        if cls in self._done:
            found = self._done[cls]
            if found is None:
                raise Unsupported(f"{cls.__name__} is not supported")
            return found
        if cls in self._building:
            # A class that contains itself: call through the slot filled once it is built.
            slot = self._building[cls]

            def through_slot(element: Any) -> Any:
                return slot[0](element)

            return through_slot
        return self._build(cls)

    def _build(self, cls: type) -> Converter:
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise Unsupported(f"{cls!r} is not a dataclass")
        meta: XmlMeta = self._context.build(cls)
        if meta.wildcards or meta.choices or meta.any_attributes or meta.mixed_content or meta.nillable:
            raise Unsupported(f"{cls.__name__} has wildcards, choices or nillable content")
        if meta.wrappers:
            raise Unsupported(f"{cls.__name__} has wrapper elements")
        slot: list[Converter] = []
        self._building[cls] = slot
        plan = _Plan(cls)
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            if not field.init or set(field.metadata) - _KNOWN_METADATA:
                raise Unsupported(f"{cls.__name__}.{field.name} has metadata this reader does not handle")
            self._add(plan, meta, field, hints[field.name])
        expected_elements = {qname for qname, matches in meta.elements.items() for _ in matches}
        if set(plan.children) != expected_elements or len(plan.attributes) != len(meta.attributes):
            raise Unsupported(f"{cls.__name__}: the fields do not match xsdata's elements and attributes")
        convert = _make_converter(plan)
        slot.append(convert)
        del self._building[cls]
        self._done[cls] = convert
        return convert

    def _add(self, plan: _Plan, meta: XmlMeta, field: dataclasses.Field[Any], hint: Any) -> None:
        where = f"{plan.cls.__name__}.{field.name}"
        kind = field.metadata.get("type")
        if kind is None and meta.text is not None and meta.text.name == field.name:
            kind = "Text"  # a simple-typed field without metadata is the element's text, to xsdata
        item, is_list = _unwrap(hint)
        xml_name = str(field.metadata.get("name", field.name))
        if kind == "Element":
            namespace = field.metadata.get("namespace", meta.namespace or "")
            qname = f"{{{namespace}}}{xml_name}" if namespace else xml_name
            matches = meta.elements.get(qname, [])
            if len(matches) != 1:
                raise Unsupported(f"{where}: no single xsdata element {qname}")
            _check_var(matches[0], field.name, qname, item, is_list)
            if item in _SIMPLE:
                plan.children[qname] = (field.name, _SIMPLE[item], is_list, False)
            else:
                plan.children[qname] = (field.name, self._nested(item), is_list, True)
        elif kind == "Attribute" and not is_list and item in _SIMPLE:
            var = meta.attributes.get(xml_name)
            if var is None:
                raise Unsupported(f"{where}: no xsdata attribute {xml_name}")
            _check_var(var, field.name, xml_name, item, is_list)
            plan.attributes[xml_name] = (field.name, _SIMPLE[item])
        elif kind == "Text" and not is_list and item in _SIMPLE and plan.text is None and meta.text is not None:
            var = meta.text
            if var.name != field.name or tuple(var.types) != (item,) or var.nillable or var.tokens or var.format:
                raise Unsupported(f"{where} differs from xsdata's view of it")
            plan.text = (field.name, _SIMPLE[item])
        else:
            raise Unsupported(f"{where}: {kind!r} of {item!r}")


@dataclasses.dataclass
class _Plan:
    """How to read one class: its child elements by tag, its attributes by name, its text field."""

    cls: type
    children: dict[str, _Child] = dataclasses.field(default_factory=dict)
    attributes: dict[str, tuple[str, Converter | None]] = dataclasses.field(default_factory=dict)
    text: tuple[str, Converter | None] | None = None


def _make_converter(plan: _Plan) -> Converter:  # noqa: PLR0915
    cls, children, attributes, text = plan.cls, plan.children, plan.attributes, plan.text
    # One lookup table per kind of field, so that the common case (a single value) takes the fewest steps.
    values = {tag: (name, read) for tag, (name, read, many, nested) in children.items() if not many and not nested}
    others = {tag: spec for tag, spec in children.items() if spec[2] or spec[3]}
    get_value, get_other = values.get, others.get

    # One function with the branches inline: this loop runs once per element of the document.
    def convert(element: Any) -> Any:  # noqa: PLR0912
        params: dict[str, Any] = {}
        for child in element:
            tag = child.tag
            found = get_value(tag)
            if found is not None:
                name, read = found
                if name in params:
                    continue  # xsdata skips a repeated single-valued element unread
                if len(child):
                    raise ValueError("a child element inside a value")
                value = child.text
                if value is None:
                    params[name] = "" if read is None else None
                else:
                    params[name] = value if read is None else read(value)
                continue
            other = get_other(tag)
            if other is None:
                continue  # unknown element (or a comment): skipped
            name, read, many, nested = other
            if not many and name in params:
                continue
            if nested:
                value = read(child)  # type: ignore[misc]
            else:
                if len(child):
                    raise ValueError("a child element inside a value")
                value = child.text
                if value is None:
                    value = "" if read is None else None
                elif read is not None:
                    value = read(value)
            if not many:
                params[name] = value
            elif name in params:
                params[name].append(value)
            else:
                params[name] = [value]
        if attributes:
            for key, (name, read) in attributes.items():
                value = element.get(key)
                if value is not None:
                    params[name] = value if read is None else read(value)
        if text is not None:
            value = element.text
            if value is not None:
                name, read = text
                params[name] = value if read is None else read(value)
        return cls(**params)

    return convert


_BUILDER = _Builder(XmlContext())


def converter(cls: type[T]) -> Callable[[Any], T] | None:
    """The converter from an lxml element to ``cls``, or None when ``cls`` is xsdata's to read."""
    return _BUILDER.get(cls)


def read(root: Any, cls: type[T], *, check_xsi: bool = True) -> T | None:
    """``root`` (an lxml element whose tag is the class's XML name) as ``cls``; None: let xsdata read it.

    ``check_xsi=False`` skips the search for xsi:type and xsi:nil, for a caller that knows there are none.
    """
    convert = _BUILDER.get(cls)
    if convert is None or (check_xsi and _HAS_XSI_TYPE_OR_NIL(root, ns=XSI)):
        return None
    try:
        result: T = convert(root)
    except Exception:  # any doubt is xsdata's: it returns its own result or raises its own error
        return None
    return result
