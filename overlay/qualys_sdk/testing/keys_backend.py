"""Cloud Agent activation keys (QPS ``/qps/rest/1.0/*/ca/agentactkey``) for one subscription.

Keys are stored as the generated ``AgentActKey`` dataclasses, so what goes out is exactly what the XSDs
describe. Behaviour follows docs.qualys.com/en/ca/api/ (keys/*.htm, get_started/truncation.htm,
get_started/supported_ops.htm); ``SimError.code`` carries the QPS ``responseCode``.
"""

from __future__ import annotations

import copy
import random
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from xsdata.models.datatype import XmlDateTime

from qualys_agentactkey import (
    ActivationKeyModule,
    ActivationKeyModuleList,
    AgentActivationHostQList,
    AgentActivationModulesQList,
    AgentActKey,
    AgentAsset,
    AgentAssetList,
    Criteria,
    Preferences,
    Tag,
    TagList,
    TagQList,
)

from .errors import SimError

DEFAULT_LIMIT = 100
INVALID = "INVALID_REQUEST"
NOT_FOUND = "OBJECT_NOT_FOUND"
_FIELDS: dict[str, tuple[str, type]] = {
    "id": ("id", int), "title": ("title", str), "activationKey": ("activation_key", str),
    "countPurchased": ("count_purchased", int), "isDisabled": ("is_disabled", bool), "type": ("type_value", str),
    "status": ("status", str),
}  # fmt: skip
_OPERATORS = ("EQUALS", "NOT EQUALS", "GREATER", "LESSER", "IN", "CONTAINS")


def _invalid(message: str) -> SimError:
    return SimError(200, message, code=INVALID, resolution="Check the request against the agentactkey XSD.")


def _xml_time(stamp: str) -> XmlDateTime:
    return XmlDateTime.from_string(stamp)


def _sample_keys() -> list[AgentActKey]:
    """The three keys of the release notes' search sample (ids 3473802, 3617002, 3714801)."""
    hosts = [
        (8409005, "c67c64c9-0623-4d18-8de6-b2392f9464f3", "test linux 1619075506543 49"),
        (8390993, "ed450a84-c70a-4a89-a476-bd3681a8ffff", "test windows 1618919635655 76"),
        (8390994, "a11f7007-0b1e-49e5-802b-d497203aae63", "test windows 1618919641938 75"),
        (8390995, "b59ebf2e-4780-460f-80ed-130370ad13ee", "test linux 1618919800790 0"),
    ]
    common: dict[str, Any] = {
        "status": "ACTIVE", "count_purchased": 0, "count_used": 0, "type_value": "UNLIMITED", "network_id": 0,
        "is_disabled": False, "apply_on_agents": False, "suspend_self_patch": False,
    }  # fmt: skip
    agents = AgentActivationHostQList(
        list_value=AgentAssetList(agent_asset=[AgentAsset(id=i, uuid=u, name=n) for i, u, n in hosts])
    )
    modules = AgentActivationModulesQList(
        list_value=ActivationKeyModuleList(activation_key_module=[ActivationKeyModule(license="PC_LICENSE")])
    )
    return [
        AgentActKey(
            id=3473802, activation_key="381cb3fe-6d7d-41f7-9142-26e6e1dc5bee",
            date_purchased=_xml_time("2021-04-20T11:52:57Z"), agents=agents, **common,
        ),
        AgentActKey(
            id=3617002, activation_key="c89d05c2-d30e-4a59-aec3-453605266dab",
            date_purchased=_xml_time("2021-05-13T15:19:31Z"), title="Update from APIfim ownerl", owner_id=364812443,
            **common,
        ),
        AgentActKey(
            id=3714801, activation_key="3fcd9610-7fa0-4242-b2b7-2d4b24484d3c",
            date_purchased=_xml_time("2021-05-19T10:57:48Z"), title="Owner", modules=modules, owner_id=381715587,
            **common,
        ),
    ]  # fmt: skip


@dataclass
class Page:
    keys: list[AgentActKey]
    has_more: bool
    last_id: int | None


def _merge_items(current: list[Any], qlist: Any, attr: str, same: Callable[[Any, Any], bool]) -> list[Any]:
    """Apply a QList's ``list``/``set`` (replace), then ``add`` and ``remove``, to ``current``."""
    result = list(current)
    for replace in (qlist.list_value, qlist.set):
        if replace is not None:
            result = list(getattr(replace, attr))
    if qlist.add is not None:
        result += [item for item in getattr(qlist.add, attr) if not any(same(item, old) for old in result)]
    if qlist.remove is not None:
        result = [old for old in result if not any(same(item, old) for item in getattr(qlist.remove, attr))]
    return result


def _same_tag(a: Tag, b: Tag) -> bool:
    return a.id == b.id if a.id is not None and b.id is not None else a.name == b.name


class KeysBackend:
    def __init__(self, *, clock: Callable[[], float], rng: random.Random) -> None:
        self._clock = clock
        self._rng = rng
        self.keys: dict[int, AgentActKey] = {}
        self._next_id = 3_800_001

    def preload(self) -> None:
        for key in _sample_keys():
            self.add(key)

    def add(self, key: AgentActKey) -> AgentActKey:
        """Store ``key`` as given (control plane seeding); it needs an id."""
        if key.id is None:
            raise ValueError("a seeded activation key needs an id")
        self.keys[key.id] = copy.deepcopy(key)
        self._next_id = max(self._next_id, key.id + 1)
        return key

    def _now(self) -> XmlDateTime:
        return XmlDateTime.from_datetime(datetime.fromtimestamp(int(self._clock()), tz=UTC))

    def _check_type(self, key: AgentActKey) -> None:
        if key.type_value in ("COUNT_LIMITED", "COUNT_TIME_LIMITED") and not (key.count_purchased or 0) >= 1:
            raise _invalid(f"countPurchased must be 1 or more for a {key.type_value} key")
        if key.type_value in ("TIME_LIMITED", "COUNT_TIME_LIMITED") and key.expire_date is None:
            raise _invalid(f"expireDate is required for a {key.type_value} key")
        if key.count_purchased is not None and key.count_purchased < 0:
            raise _invalid("countPurchased cannot be negative")

    def create(self, request: AgentActKey) -> AgentActKey:
        if not request.type_value:
            raise _invalid("type is required to create an activation key")
        key = AgentActKey(
            id=self._next_id, activation_key=str(uuid_module.UUID(int=self._rng.getrandbits(128), version=4)),
            status="ACTIVE", count_purchased=0, count_used=0, date_purchased=self._now(), network_id=0,
            is_disabled=False, apply_on_agents=False, suspend_self_patch=False,
        )  # fmt: skip
        self._apply(key, request)
        self._check_type(key)
        self._next_id += 1
        self.keys[key.id or 0] = key
        return copy.deepcopy(key)

    def update(self, key_id: int, request: AgentActKey) -> AgentActKey:
        if request.id is not None and request.id != key_id:
            raise _invalid(f"the id in the body ({request.id}) differs from the id in the path ({key_id})")
        stored = self.keys.get(key_id)
        if stored is None:
            raise SimError(200, f"No activation key with id {key_id}", code=NOT_FOUND)
        updated = copy.deepcopy(stored)
        self._apply(updated, request)
        self._check_type(updated)
        self.keys[key_id] = updated
        return copy.deepcopy(updated)

    def _apply(self, key: AgentActKey, request: AgentActKey) -> None:
        for name in (
            "title", "status", "count_purchased", "type_value", "expire_date", "network_id", "is_disabled",
            "apply_on_agents", "suspend_self_patch", "owner_id",
        ):  # fmt: skip
            value = getattr(request, name)
            if value is not None:
                setattr(key, name, value)
        if request.modules is not None:
            current = key.modules.list_value.activation_key_module if key.modules and key.modules.list_value else []
            merged = _merge_items(
                current, request.modules, "activation_key_module", lambda a, b: a.license == b.license
            )
            key.modules = (
                AgentActivationModulesQList(list_value=ActivationKeyModuleList(activation_key_module=merged))
                if merged
                else None
            )
        if request.tags is not None:
            current_tags = key.tags.list_value.tag if key.tags and key.tags.list_value else []
            tags = _merge_items(current_tags, request.tags, "tag", _same_tag)
            key.tags = TagQList(list_value=TagList(tag=tags)) if tags else None

    def get(self, key_id: int) -> AgentActKey:
        stored = self.keys.get(key_id)
        if stored is None:
            raise SimError(200, f"No activation key with id {key_id}", code=NOT_FOUND)
        return copy.deepcopy(stored)

    def delete(self, key_id: int) -> AgentActKey:
        if self.keys.pop(key_id, None) is None:
            raise SimError(200, f"No activation key with id {key_id}", code=NOT_FOUND)
        return AgentActKey(id=key_id)

    def search(self, criteria: list[Criteria], preferences: Preferences | None) -> Page:
        tests = [_criterion_test(c) for c in criteria]
        found = [k for _, k in sorted(self.keys.items()) if all(test(k) for test in tests)]
        limit = DEFAULT_LIMIT
        if preferences is not None:
            if preferences.start_from_id is not None:
                found = [k for k in found if (k.id or 0) >= preferences.start_from_id]
            if preferences.start_from_offset is not None:
                found = found[max(preferences.start_from_offset - 1, 0) :]
            limit = preferences.limit_results or DEFAULT_LIMIT
        page = found[:limit]
        has_more = len(found) > limit
        return Page([copy.deepcopy(k) for k in page], has_more, page[-1].id if has_more and page else None)


def _criterion_test(criterion: Criteria) -> Callable[[AgentActKey], bool]:
    field = criterion.field_value
    operator = criterion.operator
    if field not in _FIELDS:
        raise _invalid(f"Unsupported search field: {field}")
    if operator not in _OPERATORS:
        raise _invalid(f"Unsupported operator: {operator}")
    attr, kind = _FIELDS[field]
    raw_values = criterion.value.split(",") if operator == "IN" else [criterion.value]
    try:
        values = [_convert(v.strip(), kind) for v in raw_values]
    except ValueError:
        raise _invalid(f"Invalid value for {field}: {criterion.value!r}") from None
    if operator in ("GREATER", "LESSER") and kind is not int:
        raise _invalid(f"{operator} applies to numeric fields, not {field}")
    if operator == "CONTAINS" and kind is not str:
        raise _invalid(f"CONTAINS applies to text fields, not {field}")
    wanted = values[0]

    def test(key: AgentActKey) -> bool:
        value = getattr(key, attr)
        if operator == "EQUALS":
            return bool(value == wanted)
        if operator == "NOT EQUALS":
            return bool(value != wanted)
        if operator == "IN":
            return value in values
        if operator == "CONTAINS":
            return value is not None and str(wanted).lower() in str(value).lower()
        if value is None:
            return False
        return bool(value > wanted) if operator == "GREATER" else bool(value < wanted)

    return test


def _convert(text: str, kind: type) -> Any:
    if kind is int:
        return int(text)
    if kind is bool:
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    return text
