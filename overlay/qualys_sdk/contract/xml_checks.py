"""A QPS XML answer against the agentactkey XSDs the SDK ships: xmlschema's errors, graded, plus what an XSD
cannot grade by itself.

The document is walked beside its element declarations first: an element or attribute the schema does not
declare is additive (the SDK's parser skips it), a required element that is missing is breaking, and a value
of an open string type outside its known values (``<xs:appinfo><sdk:knownValue>``: key status, type, license,
responseCode) is additive. Then every xmlschema error the walk has not already explained is breaking: a value
of the wrong type, elements out of the order or count the schema allows. A renamed element is both: the old
name missing (breaking when it is required) and the new one unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed

from .._specs import envelope_schema
from . import specs
from .findings import Finding, Grade, clip, describe_text, is_secret

ROOT = "ServiceResponse"
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_XS = "{http://www.w3.org/2001/XMLSchema}"


def check_xml(operation_id: str, body: bytes) -> list[Finding]:
    """Every difference between a QPS answer and the XSDs."""
    root, problem = _parse(body)
    if root is None:
        return [Finding(Grade.BREAKING, operation_id, "not-xml", "body", f"a well-formed <{ROOT}> document", problem)]
    schema = envelope_schema()
    tag = str(root.tag)
    if tag != ROOT:
        return [Finding(Grade.BREAKING, operation_id, "wrong-root", "/" + clip(tag),
                        f"the root element <{ROOT}> without a namespace", f"<{clip(tag)}>")]  # fmt: skip
    walk = _Walk(operation_id, root.getroottree())
    walk.element(root, schema.elements[ROOT])
    findings = walk.findings
    findings += [f for error in schema.iter_errors(root) if (f := _graded(operation_id, error, walk.flagged))]
    code = root.findtext("responseCode")
    if code is not None and code.strip() != "SUCCESS":
        findings.append(Finding(Grade.NOTE, operation_id, "error-answer", f"/{ROOT}/responseCode",
                                "SUCCESS (an error answer: the success shape was not checked)",
                                describe_text(code.strip(), secret=False)))  # fmt: skip
    return findings


def safe_root(body: bytes) -> Any:
    """The root element of a document the SDK would read, or None."""
    return _parse(body)[0]


def _parser() -> Any:
    """The same limits as the SDK's own parser (qualys_sdk._xml): no DTD, no entity, no network, no recovery."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           recover=False, huge_tree=False, remove_comments=True, remove_pis=True)  # fmt: skip


def _parse(body: bytes) -> tuple[Any, str]:
    """The root element, or None and why the body is not a document the SDK would read."""
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        return None, clip(f"malformed XML ({exc.msg})", 120) if body.strip() else "an empty body"
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return None, "a document with a DOCTYPE (the SDK refuses those)"
    return root, ""


class _Walk:
    """Walks a document beside its declarations; ``flagged`` holds the paths whose problems it reported."""

    def __init__(self, operation_id: str, tree: Any) -> None:
        self.operation_id = operation_id
        self.tree = tree
        self.known = specs.known_values()
        self.findings: list[Finding] = []
        self.flagged: set[str] = set()

    def _add(self, grade: Grade, kind: str, where: str, *, expected: str, got: str, flag: str) -> None:
        self.findings.append(Finding(grade, self.operation_id, kind, where, expected, got))
        self.flagged.add(flag)

    def element(self, elem: Any, decl: Any) -> None:
        path = self.tree.getpath(elem)
        for name in elem.attrib:
            if not str(name).startswith(_XSI) and name not in decl.attributes:
                self._add(Grade.ADDITIVE, "unknown-attribute", f"{path}/@{clip(str(name))}",
                          expected="no such attribute in the XSD", got="an attribute", flag=path)  # fmt: skip
        xsd_type = decl.type
        known = self.known.get(str(xsd_type.name)) if xsd_type.name else None
        text = (elem.text or "").strip()
        if known is not None and len(elem) == 0 and text not in known:
            self._add(Grade.ADDITIVE, "new-value", path, expected=f"one of {clip(', '.join(sorted(known)))}",
                      got=describe_text(text, secret=is_secret(path.split("/"))), flag=path)  # fmt: skip
        if xsd_type.has_simple_content():
            return  # children where a value belongs: xmlschema reports them
        children = {child.name: child for child in xsd_type.content.iter_elements()}
        for child in elem:
            child_decl = children.get(child.tag)
            if child_decl is None:
                self._add(Grade.ADDITIVE, "unknown-element", self.tree.getpath(child),
                          expected="no such element in the XSD", got="an element", flag=path)  # fmt: skip
            else:
                self.element(child, child_decl)
        present = {child.tag for child in elem}
        for required in _required(xsd_type.content):
            if required.name not in present:
                self._add(Grade.BREAKING, "missing-element", f"{path}/{required.name}",
                          expected="a required element", got="nothing", flag=path)  # fmt: skip


def _required(group: Any) -> Iterator[Any]:
    """The element declarations a group requires (a choice requires none of its own: any branch will do)."""
    if group.model == "choice" or group.min_occurs == 0:
        return
    for item in group:
        if hasattr(item, "model"):
            yield from _required(item)
        elif item.min_occurs >= 1:
            yield item


def _graded(operation_id: str, error: Any, flagged: set[str]) -> Finding | None:
    """An xmlschema error the walk did not already report, as a breaking finding (never quoting a secret)."""
    import xmlschema  # noqa: PLC0415  # the [contract] extra

    path = str(error.path or "body")
    if path in flagged and not isinstance(error, xmlschema.XMLSchemaDecodeError):
        return None  # the walk named the unknown or missing element or attribute behind this error
    if isinstance(error, xmlschema.XMLSchemaChildrenValidationError):
        return Finding(Grade.BREAKING, operation_id, "wrong-structure", path,
                       "the elements, order and counts the XSD allows", clip(str(error.reason), 120))  # fmt: skip
    elem = error.elem
    if elem is not None and len(elem):
        got = "child elements, where a value belongs"
    elif elem is not None and isinstance(error.obj, str):
        got = describe_text((elem.text or "").strip(), secret=is_secret(path.split("/")))
    else:
        got = "another value"
    return Finding(Grade.BREAKING, operation_id, "wrong-type", path, f"a value of type {_type_name(error)}", got)


def _type_name(error: Any) -> str:
    """The XSD type an error's value should have had (``xs:long``, ``AgentStatus``)."""
    validator = error.validator
    xsd_type = validator.type if hasattr(validator, "min_occurs") else validator  # an element: its type
    for candidate in (xsd_type, getattr(xsd_type, "base_type", None)):
        name = str(getattr(candidate, "name", None) or "")
        if name:
            return f"xs:{name.removeprefix(_XS)}" if name.startswith(_XS) else name
    return "the declared type"
