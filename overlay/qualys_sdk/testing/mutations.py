"""The ``mutate`` fault: an answer changed on its way out, as a drifting Qualys would change it.

What a mutation may do, each part optional:

* ``json_patch``: RFC 6902 operations (``add``, ``remove``, ``replace``, ``move``, ``copy``, ``test``) applied
  to a JSON answer with the ``jsonpatch`` library, e.g. ``[{"op": "remove", "path": "/data/0/name"}]``;
* ``xml``: edits of an XML (QPS) answer, each ``{"op": ..., "path": ...}`` where ``path`` is an ElementPath
  from the root element (``data/AgentActKey/title``: every match is edited) and ``op`` is

  - ``remove``: the element goes, with its children;
  - ``rename``: the element is renamed to ``to`` (children and text kept);
  - ``set``: the element's text becomes ``value``;

* ``status``: the answer's HTTP status is replaced;
* ``drop_headers``: these headers are removed (the rate-limit headers among them).

Everything is checked when the fault is added, so that a bad mutation is a 400 on ``POST /_sim/faults`` and
never a broken answer later. An answer whose body does not parse as the mutation expects (a JSON patch on an
XML answer, a path that is not there) goes out unchanged but for ``status`` and ``drop_headers``: the fault
still fires, and a test sees that its edit did not apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonpatch
from lxml import etree

XML_OPS = ("remove", "rename", "set")
#: Bounds of a mutation: enough for any test, small enough that adding one cannot cost the server much.
MAX_OPERATIONS = 100


@dataclass(frozen=True)
class XmlEdit:
    """One checked edit of an XML answer: ``op`` on the elements at ``path``."""

    op: str
    path: str
    to: str = ""
    value: str = ""


def json_patch(operations: object) -> jsonpatch.JsonPatch:
    """``operations`` as a JSON patch, or ValueError saying which operation is wrong and why."""
    if not isinstance(operations, list) or len(operations) > MAX_OPERATIONS:
        raise ValueError(f"json_patch must be a list of at most {MAX_OPERATIONS} RFC 6902 operations")
    try:
        # The library checks each operation's "op" and "path" as it builds the patch.
        return jsonpatch.JsonPatch(operations)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"json_patch is not a valid RFC 6902 patch: {exc}") from None


def xml_edits(operations: object) -> tuple[XmlEdit, ...]:
    """``operations`` as XML edits, or ValueError naming the first bad one."""
    if not isinstance(operations, list) or len(operations) > MAX_OPERATIONS:
        raise ValueError(f"xml must be a list of at most {MAX_OPERATIONS} operations")
    edits = []
    for n, operation in enumerate(operations):
        where = f"xml[{n}]"
        if not isinstance(operation, dict) or operation.get("op") not in XML_OPS:
            raise ValueError(f"{where}: expected an object whose op is one of {', '.join(XML_OPS)}")
        edit = XmlEdit(**{k: v for k, v in operation.items() if k in ("op", "path", "to", "value")})
        if not isinstance(edit.path, str) or not edit.path:
            raise ValueError(f"{where}: path must be an ElementPath from the root element, such as data/AgentActKey")
        try:
            etree.Element("x").findall(edit.path)  # compiles the path: a syntax error shows here
        except SyntaxError as exc:
            raise ValueError(f"{where}: path {edit.path!r} is not an ElementPath: {exc}") from None
        if edit.op == "rename" and not _is_name(edit.to):
            raise ValueError(f"{where}: rename needs 'to', an XML element name")
        if edit.op == "set" and not isinstance(edit.value, str):
            raise ValueError(f"{where}: set needs 'value', a string")
        edits.append(edit)
    return tuple(edits)


def _is_name(text: object) -> bool:
    if not isinstance(text, str) or not text:
        return False
    try:
        etree.Element(text)
    except ValueError:
        return False
    return True


def patch_json(body: bytes, patch: jsonpatch.JsonPatch) -> bytes:
    """The JSON answer ``body`` with ``patch`` applied; ``body`` itself when it is not JSON or the patch fails."""
    try:
        document: Any = json.loads(body)
        return json.dumps(patch.apply(document)).encode()
    except (ValueError, jsonpatch.JsonPatchException, jsonpatch.JsonPointerException):
        return body


def edit_xml(body: bytes, edits: tuple[XmlEdit, ...]) -> bytes:
    """The XML answer ``body`` with ``edits`` made; ``body`` itself when it is not XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return body
    for edit in edits:
        for element in root.findall(edit.path):
            if edit.op == "remove":
                parent = element.getparent()
                if parent is not None:
                    parent.remove(element)
            elif edit.op == "rename":
                element.tag = edit.to
            else:
                element.text = edit.value
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return written
