"""One exchange against the spec of its operation: status, headers, content type and body, as findings.

:func:`check_exchange` is the checker's one entry point, fed a :class:`~.capture.RawExchange`: the runner
feeds it what came over the wire, tests feed it answers they mutated.

- **Status**: one the operation lists (``200``, ``404``, ``5XX``) is expected; any other is breaking, even if a
  ``default`` response would match it (``default`` is there so that the generated client parses error
  envelopes, not a promise of the status). A listed error status is a documented error answer: its body is
  checked against the error schema and every finding about it is a note (the SDK raises the error its status
  means, whatever the body holds), plus one note that the success shape was not checked.
- **Headers**: each header the matched response documents (the ``X-RateLimit-*`` family): missing, or a value
  its schema refuses, is a note (the SDK reads the limits when they come and ignores a value it cannot read).
- **Content type**: another media type than the documented ones is a note (the SDK reads a body by its
  status and shape, not by this header); the body is then read as the documented type.
- **Body**: JSON through :mod:`.json_checks`, the ``/auth`` token as text (a secret: never quoted), QPS XML
  through :mod:`.xml_checks`.

QPS has no OpenAPI spec: its answers are HTTP 200 (errors too, with a ``responseCode``) as
``application/xml``; 401 and 409 (blocked) are the documented error statuses (specs/agentactkey/NOTES.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from . import specs
from .capture import RawExchange
from .findings import Finding, Grade, describe
from .json_checks import check_json
from .plan import FETCH_TOKEN, Operation
from .xml_checks import check_xml

QPS_SUCCESS = 200
QPS_ERRORS = (401, 409)
QPS_MEDIA_TYPES = ("application/xml", "text/xml")
_INT = re.compile(r"^-?[0-9]+$")


def check_exchange(operation: Operation, exchange: RawExchange) -> list[Finding]:
    """Every difference between this answer and what the spec documents for ``operation``."""
    if operation.api == "agentactkey":
        return _check_qps(operation, exchange)
    return _check_openapi(specs.OPENAPI[operation.api], operation, exchange)


def _check_openapi(spec_name: str, operation: Operation, exchange: RawExchange) -> list[Finding]:
    op_id = operation.operation_id
    documented = specs.documented_statuses(spec_name, op_id)
    response = specs.response_for(spec_name, op_id, exchange.status)
    if response is None or response.matched == "default":
        return [_unexpected_status(op_id, exchange.status, documented)]
    findings = _headers(op_id, response.headers, exchange)
    if response.content:
        media = _documented_media(op_id, list(response.content), exchange, findings)
        schema = (response.content[media] or {}).get("schema") or {}
        findings += _json_body(spec_name, operation, schema, exchange, media)
    if exchange.status >= 300:
        findings = [f.as_note() for f in findings]
        findings.append(_error_answer(op_id, exchange.status, documented))
    return findings


def _check_qps(operation: Operation, exchange: RawExchange) -> list[Finding]:
    op_id = operation.operation_id
    documented = [str(QPS_SUCCESS), *map(str, QPS_ERRORS)]
    if exchange.status != QPS_SUCCESS and exchange.status not in QPS_ERRORS:
        return [_unexpected_status(op_id, exchange.status, documented)]
    findings: list[Finding] = []
    _documented_media(op_id, list(QPS_MEDIA_TYPES), exchange, findings)
    findings += check_xml(op_id, exchange.response_body)
    if exchange.status != QPS_SUCCESS:
        findings = [f.as_note() for f in findings]
        findings.append(_error_answer(op_id, exchange.status, documented))
    return findings


def _unexpected_status(op_id: str, status: int, documented: list[str]) -> Finding:
    return Finding(Grade.BREAKING, op_id, "unexpected-status", "status", f"one of {', '.join(documented)}",
                   f"HTTP {status}")  # fmt: skip


def _error_answer(op_id: str, status: int, documented: list[str]) -> Finding:
    return Finding(Grade.NOTE, op_id, "error-answer", "status",
                   f"{documented[0]} (HTTP {status} is a documented error: the success shape was not checked)",
                   f"HTTP {status}")  # fmt: skip


def _headers(op_id: str, documented: Mapping[str, Any], exchange: RawExchange) -> list[Finding]:
    findings = []
    for name, header in documented.items():
        value = exchange.header(name)
        schema = (header or {}).get("schema") or {}
        if value is None:
            findings.append(Finding(Grade.NOTE, op_id, "missing-header", f"header {name}", "the header, as documented",
                                    "no such header"))  # fmt: skip
        elif schema.get("type") == "integer" and not _INT.match(value.strip()):
            findings.append(Finding(Grade.NOTE, op_id, "header-value", f"header {name}", "an integer",
                                    describe(value, secret=False)))  # fmt: skip
    return findings


def _documented_media(op_id: str, media_types: list[str], exchange: RawExchange, findings: list[Finding]) -> str:
    """The documented media type to read the body as: the answer's own, else the first documented (and a note)."""
    media = exchange.media_type
    if media in media_types:
        return media
    got = f"Content-Type {media}" if media else "no Content-Type header"
    findings.append(Finding(Grade.NOTE, op_id, "content-type", "header Content-Type", " or ".join(media_types), got))
    return media_types[0]


def _json_body(spec_name: str, operation: Operation, schema: Mapping[str, Any], exchange: RawExchange,
               media: str) -> list[Finding]:  # fmt: skip
    op_id = operation.operation_id
    secret = operation == FETCH_TOKEN  # the body of /auth is the JWT itself
    if media.startswith("text/"):
        try:
            text = exchange.response_body.decode("utf-8")
        except UnicodeDecodeError:
            return [Finding(Grade.BREAKING, op_id, "not-text", "body", "UTF-8 text", "undecodable bytes")]
        return check_json(spec_name, op_id, schema, text.strip(), secret=secret)
    try:
        value = json.loads(exchange.response_body)
    except (ValueError, RecursionError):
        got = "an empty body" if not exchange.response_body.strip() else "a body that is not JSON"
        return [Finding(Grade.BREAKING, op_id, "not-json", "body", "a JSON document", got)]
    return check_json(spec_name, op_id, schema, value, secret=secret)
