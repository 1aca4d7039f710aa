"""What a finding says, how it is graded, and how a value it quotes is shown without giving a secret away.

Grades follow what the SDK does with the answer:

- **breaking**: the SDK would fail or mis-read it (a required field missing, a wrong type or format, a status
  the spec does not list, an answer the SDK could not read);
- **additive**: the service sends more than the spec knows (an unknown field or element, a new value of a
  documented set) — the SDK reads the rest and passes the new value through;
- **note**: a documented detail is missing or differs where the SDK tolerates it (rate-limit headers, the
  content type, a documented error answer whose success shape could therefore not be checked).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: Names (of JSON fields, XML elements, form fields) whose values are secrets: never shown, only their type
#: and length. Compared in lower case; anything nested under such a name is secret too.
SECRET_NAMES = frozenset(
    {
        "activationkey",
        "oldactivationkey",
        "newactivationkey",
        "customerid",
        "subscriptionid",
        "password",
        "token",
        "jwt",
    }
)
#: The longest quote of a value a finding shows.
MAX_QUOTE = 60

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Grade(enum.StrEnum):
    BREAKING = "breaking"
    ADDITIVE = "additive"
    NOTE = "note"


#: Most severe first: the order reports list findings in.
SEVERITY = (Grade.BREAKING, Grade.ADDITIVE, Grade.NOTE)


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between an answer and the spec.

    ``where`` is a JSON path (``$.data.items[0].status``), an XML path (``/ServiceResponse/data/AgentActKey[1]
    /status``), ``status``, ``body`` or ``header X-RateLimit-Limit``; ``expected`` says what the spec says,
    ``got`` what came back (a secret only as its type and length); ``kind`` is a short stable name for
    scripts (``missing-field``, ``wrong-type``, ``unknown-field``, ``new-value``, ...).
    """

    grade: Grade
    operation: str
    kind: str
    where: str
    expected: str
    got: str

    def line(self) -> str:
        """The finding on one line, for logs, JUnit and pytest."""
        return f"{self.grade}: {self.operation} {self.where}: expected {self.expected}, got {self.got} ({self.kind})"

    def as_note(self) -> Finding:
        """The same finding graded a note (used for error answers, whose shape the SDK does not depend on)."""
        return Finding(Grade.NOTE, self.operation, self.kind, self.where, self.expected, self.got)


def count(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each grade: ``{"breaking": 0, "additive": 1, "note": 3}``."""
    totals = {grade.value: 0 for grade in SEVERITY}
    for finding in findings:
        totals[finding.grade.value] += 1
    return totals


def worst(findings: Iterable[Finding]) -> Grade | None:
    """The most severe grade among the findings, or None when there are none."""
    grades = {f.grade for f in findings}
    return next((grade for grade in SEVERITY if grade in grades), None)


def is_secret(names: Iterable[Any]) -> bool:
    """Whether a value at this path (its field or element names, indexes ignored) is a secret."""
    return any(isinstance(name, str) and _local(name).lower() in SECRET_NAMES for name in names)


def _local(name: str) -> str:
    """An XML path step without its index (``AgentActKey[2]`` -> ``AgentActKey``)."""
    return name.split("[", 1)[0]


def kind_of(value: Any) -> str:
    """The JSON type name of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def describe(value: Any, *, secret: bool) -> str:
    """A value as a finding shows it: its type and a short quote, or for a secret its type and length only."""
    kind = kind_of(value)
    if isinstance(value, dict):
        return f"an object of {len(value)} field(s)"
    if isinstance(value, list):
        return f"an array of {len(value)} item(s)"
    if value is None:
        return "null"
    if secret:
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} of length {len(str(value))}"
    quoted = json.dumps(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
    return f"{kind} {clip(str(quoted))}"


def describe_text(text: str, *, secret: bool) -> str:
    """XML text as a finding shows it (secrets as their length only)."""
    if secret:
        return f"text of length {len(text)}"
    return f"text {clip(json.dumps(text))}"


def clip(text: str, limit: int = MAX_QUOTE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_path(parts: Sequence[Any]) -> str:
    """``$.data.items[0].status`` from the path parts jsonschema gives (keys and indexes)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(str(part)):
            out += f".{part}"
        else:
            out += f"[{clip(json.dumps(str(part)))}]"  # a key a server made up may be long
    return out
