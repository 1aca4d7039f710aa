"""The fixed plan of the live contract check: read-only calls, in order, and the only requests it may send.

The plan is known before anything is sent (``--dry-run`` prints it); what it asks for depends only on earlier
answers: which technologies (the first ones listed, a z/OS one among them when there is one), which asset
(the first of the subscription's 30-day status, else the 1-day one) and which key (the first of the search).
There is no OCA call that lists older assets, so a tenant without an asset provisioned in the last 30 days
skips the two asset calls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

#: Keys asked for by the search: a small first page (``limitResults``).
KEY_PAGE = 5
DEFAULT_TECHNOLOGIES = 3
DEFAULT_MAX_CALLS = 30

Api = Literal["oca", "agentactkey"]


@dataclass(frozen=True, slots=True)
class Operation:
    """A spec operation the check calls: ``path`` is relative to its API's base URL, ``{name}`` a parameter."""

    api: Api
    operation_id: str
    method: str
    path: str

    @property
    def host(self) -> Literal["gateway", "api"]:
        """Which base URL the path is relative to: the gateway (OCA) or the API server (QPS)."""
        return "gateway" if self.api == "oca" else "api"

    def matches(self, method: str, relative_path: str) -> bool:
        return method == self.method and _pattern(self.path).fullmatch(relative_path) is not None


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


FETCH_TOKEN = Operation("oca", "fetchToken", "POST", "/auth")
LIST_TECHNOLOGIES = Operation("oca", "listTechnologies", "GET", "/ocaapi/v2.0/technology/PolicyCompliance")
LIST_TECHNOLOGY_COMMANDS = Operation(
    "oca", "listTechnologyCommands", "GET", "/ocaapi/v2.0/technology/{technology_name}/command/PolicyCompliance"
)
SUBSCRIPTION_STATUS = Operation(
    "oca", "getSubscriptionAssetStatus", "GET", "/ocaapi/v2.0/assets/status/subscription/{number_of_days}"
)
ASSET_STATUS = Operation("oca", "getAssetStatus", "GET", "/ocaapi/v2.0/asset/{asset_uuid}/status")
ASSET_COMMANDS = Operation(
    "oca", "listAssetCommands", "GET", "/ocaapi/v2.0/asset/{asset_uuid}/command/PolicyCompliance"
)
SEARCH_KEYS = Operation("agentactkey", "searchActivationKeys", "POST", "/qps/rest/1.0/search/ca/agentactkey/")
GET_KEY = Operation("agentactkey", "getActivationKey", "GET", "/qps/rest/1.0/get/ca/agentactkey/{id}")

#: Every operation the check may call: all of them read (QPS search is a POST that reads).
READ_ONLY: tuple[Operation, ...] = (
    FETCH_TOKEN,
    LIST_TECHNOLOGIES,
    LIST_TECHNOLOGY_COMMANDS,
    SUBSCRIPTION_STATUS,
    ASSET_STATUS,
    ASSET_COMMANDS,
    SEARCH_KEYS,
    GET_KEY,
)


def operation_for(method: str, relative_path: str, host: Literal["gateway", "api"]) -> Operation | None:
    """The read-only operation a request is, or None: the check sends nothing else."""
    return next((op for op in READ_ONLY if op.host == host and op.matches(method, relative_path)), None)


@dataclass(frozen=True, slots=True)
class Step:
    """One planned call. ``case`` tells apart calls of the same operation (``tech2``, ``30days``); ``index`` is
    the technology's position or the number of days; ``detail`` says what the call asks for."""

    number: int
    operation: Operation
    detail: str
    case: str = ""
    index: int | None = None

    @property
    def name(self) -> str:
        """``listTechnologyCommands[tech2]``: the operation, and the case when there is one."""
        return self.operation.operation_id + (f"[{self.case}]" if self.case else "")

    def as_json(self) -> dict[str, Any]:
        return {
            "step": self.number,
            "operation": self.operation.operation_id,
            "case": self.case or None,
            "api": self.operation.api,
            "method": self.operation.method,
            "path": self.operation.path,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]
    technologies: int

    @property
    def calls(self) -> int:
        """Requests the plan sends when every call runs once (retries of the SDK aside)."""
        return len(self.steps)


def build_plan(technologies: int = DEFAULT_TECHNOLOGIES) -> Plan:
    """The plan, asking for the commands of ``technologies`` technologies."""
    if technologies < 0:
        raise ValueError(f"technologies must be 0 or more, not {technologies}")
    specs: list[tuple[Operation, str, str, int | None]] = [
        (FETCH_TOKEN, "a JWT for the gateway calls, fetched by the SDK before the first of them", "", None),
        (LIST_TECHNOLOGIES, "every technology", "", None),
    ]
    specs += [
        (LIST_TECHNOLOGY_COMMANDS, f"commands of technology {i + 1} of {technologies}: the first listed, a z/OS "
         "one among them if any, named without '/'", f"tech{i + 1}", i)
        for i in range(technologies)
    ]  # fmt: skip
    specs += [
        (SUBSCRIPTION_STATUS, "assets provisioned in the last day", "1day", 1),
        (SUBSCRIPTION_STATUS, "assets provisioned in the last 30 days", "30days", 30),
        (ASSET_STATUS, "status of the first asset listed, if any", "", None),
        (ASSET_COMMANDS, "commands of the same asset", "", None),
        (SEARCH_KEYS, f"the first page of activation keys, limitResults {KEY_PAGE}", "", None),
        (GET_KEY, "the first key found, if any", "", None),
    ]
    steps = tuple(
        Step(number, op, detail, case, index) for number, (op, detail, case, index) in enumerate(specs, start=1)
    )
    return Plan(steps, technologies)


def choose_technologies(versions: Sequence[str], count: int) -> list[str]:
    """The first ``count`` technologyVersions as listed, one with z/OS among them when the list has one.

    z/OS names carry a ``/`` that the commands path drops (``IBM zOS ...``): the call most likely to drift.
    """
    unique = list(dict.fromkeys(v for v in versions if v.strip()))
    zos = [v for v in unique if "z/os" in v.lower()][:1] if count else []
    others = [v for v in unique if v not in zos][: count - len(zos)]
    return sorted([*zos, *others], key=unique.index)
