"""Cloud Agent activation keys (QPS ``/qps/rest/1.0/*/ca/agentactkey``) for one subscription.

Keys are stored as the generated ``AgentActKey`` dataclasses, so what goes out is exactly what the XSDs
describe. Behaviour follows docs.qualys.com/en/ca/api/ (keys/*.htm, get_started/truncation.htm,
get_started/supported_ops.htm); ``SimError.code`` carries the QPS ``responseCode``.
"""

from __future__ import annotations

import copy
import random
import re
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
from qualys_sdk.activation_key_constants import KeyStatus, KeyType, License

from ..errors import SimError
from ..limits import MAX_QUOTE, clip

DEFAULT_LIMIT = 100
INVALID = "INVALID_REQUEST"
NOT_FOUND = "OBJECT_NOT_FOUND"
DUPLICATE = "CA_1001_DUPLICATE_KEY"
#: What a new subscription holds licenses for: the modules the published samples kept (PC_LICENSE in the release
#: notes' create sample, VM_LICENSE in a real create of five modules), and none of those they dropped (FIM).
DEFAULT_LICENSES = frozenset({License.VM_LICENSE, License.PC_LICENSE})
_FIELDS: dict[str, tuple[str, type]] = {
    "id": ("id", int), "title": ("title", str), "activationKey": ("activation_key", str),
    "countPurchased": ("count_purchased", int), "isDisabled": ("is_disabled", bool), "type": ("type_value", str),
    "status": ("status", str),
}  # fmt: skip
_OPERATORS = ("EQUALS", "NOT EQUALS", "GREATER", "LESSER", "IN", "CONTAINS")
_ASCII_INT = re.compile(r"-?[0-9]+")


def _invalid(message: str) -> SimError:
    return SimError(200, message, code=INVALID, resolution="Check the request against the agentactkey XSD.")


def _duplicate(title: str) -> SimError:
    """The answer of a real create whose title was taken (hoangmnsd/hoangmnsd.github.io, qg4, 2023)."""
    return SimError(
        200, f"Activation key already exists with title {title}", code=DUPLICATE,
        resolution="Activation key already exists. Try another activation key.",
    )  # fmt: skip


def _module_lists(modules: AgentActivationModulesQList | None) -> list[ActivationKeyModule]:
    if modules is None:
        return []
    wrappers = (modules.list_value, modules.set, modules.add, modules.remove, modules.update)
    return [m for w in wrappers if w is not None for m in w.activation_key_module]


def _check_values(request: AgentActKey) -> None:
    """Refuse request values outside the published enumerations (create_key.htm, update_key.htm).

    The responses' fields stay open strings for the SDK, but the service accepts only these.
    """
    for name, value, allowed in (
        ("type", request.type_value, KeyType.ALL), ("status", request.status, KeyStatus.ALL),
    ):  # fmt: skip
        if value is not None and value not in allowed:
            raise _invalid(clip(f"Invalid {name} {value!r}; valid values: {', '.join(allowed)}", MAX_QUOTE * 2))
    for module in _module_lists(request.modules):
        if module.license not in License.ALL:
            raise _invalid(
                clip(
                    f"Invalid module license {module.license!r}; valid values: {', '.join(License.ALL)}", MAX_QUOTE * 2
                )
            )


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
    """One page of a search: the keys, whether more match, and the last id (the next page starts after it)."""

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
    """One subscription's activation keys, with the licenses and tags a key may carry."""

    def __init__(self, *, clock: Callable[[], float], rng: random.Random) -> None:
        self._clock = clock
        self._rng = rng
        self.keys: dict[int, AgentActKey] = {}
        self._next_id = 3_800_001
        #: Modules the subscription holds licenses for: a key keeps only these (UNCONFIRMED inference).
        self.licenses: set[str] = set(DEFAULT_LICENSES)
        #: Tags that exist in the subscription, by id: a key keeps only these (UNCONFIRMED inference).
        self.tags: dict[int, str] = {}

    def preload(self) -> None:
        """Load the keys of the release notes' search sample."""
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

    def _check_title(self, title: str | None, key_id: int | None = None) -> None:
        if title and any(k.title == title for i, k in self.keys.items() if i != key_id):
            raise _duplicate(clip(title, MAX_QUOTE))

    def create(self, request: AgentActKey) -> AgentActKey:
        """Create a key from a valid request; a title already taken is ``CA_1001_DUPLICATE_KEY``."""
        _check_values(request)
        if not request.type_value:
            raise _invalid("type is required to create an activation key")
        self._check_title(request.title)
        key = AgentActKey(
            id=self._next_id, activation_key=str(uuid_module.UUID(int=self._rng.getrandbits(128), version=4)),
            status="ACTIVE", count_purchased=0, count_used=0, date_purchased=self._now(), network_id=0,
            is_disabled=False, apply_on_agents=False, suspend_self_patch=False,
        )  # fmt: skip
        self._apply(key, request)
        self._check_type(key)
        self._settle(key)
        self._next_id += 1
        self.keys[key.id or 0] = key
        return copy.deepcopy(key)

    def update(self, key_id: int, request: AgentActKey) -> AgentActKey:
        """Change a key: the fields a request sets, and its modules and tags as its QLists say."""
        if request.id is not None and request.id != key_id:
            raise _invalid(f"the id in the body ({request.id}) differs from the id in the path ({key_id})")
        _check_values(request)
        stored = self.keys.get(key_id)
        if stored is None:
            raise SimError(200, f"No activation key with id {key_id}", code=NOT_FOUND)
        self._check_title(request.title, key_id)
        updated = copy.deepcopy(stored)
        self._apply(updated, request)
        self._check_type(updated)
        self._settle(updated)
        self.keys[key_id] = updated
        return copy.deepcopy(updated)

    def _settle(self, key: AgentActKey) -> None:
        """What the service keeps of a valid request.

        UNCONFIRMED inferences from the release notes' update sample, which sends countPurchased 1, an expireDate,
        the FIM module and Tag2 to an UNLIMITED key and gets none of them back, and from a real create of five
        modules that came back with VM_LICENSE only:

        - countPurchased only on COUNT_* keys (0 otherwise), expireDate only on TIME_* keys (absent otherwise);
        - only modules the subscription holds a license for (:attr:`licenses`);
        - only tags that exist in the subscription (:attr:`tags`), with their id and name.
        """
        if not (key.type_value or "").startswith("COUNT"):
            key.count_purchased = 0
        if "TIME" not in (key.type_value or ""):
            key.expire_date = None
        if key.modules is not None and key.modules.list_value is not None:
            kept = [m for m in key.modules.list_value.activation_key_module if m.license in self.licenses]
            key.modules = (
                AgentActivationModulesQList(list_value=ActivationKeyModuleList(activation_key_module=kept))
                if kept
                else None
            )
        if key.tags is not None and key.tags.list_value is not None:
            known: list[Tag] = []
            for tag in key.tags.list_value.tag:
                tag_id = (
                    tag.id if tag.id in self.tags else next((i for i, n in self.tags.items() if n == tag.name), None)
                )
                if tag_id is not None and tag_id not in [t.id for t in known]:
                    known.append(Tag(id=tag_id, name=self.tags[tag_id]))
            key.tags = TagQList(list_value=TagList(tag=known)) if known else None

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
        """A copy of one key; ``OBJECT_NOT_FOUND`` when there is none."""
        stored = self.keys.get(key_id)
        if stored is None:
            raise SimError(200, f"No activation key with id {key_id}", code=NOT_FOUND)
        return copy.deepcopy(stored)

    def delete(self, key_id: int) -> AgentActKey:
        """Delete a key without agents; a key with agents is refused (``INVALID_REQUEST``)."""
        stored = self.keys.get(key_id)
        if stored is None:
            raise SimError(200, f"No activation key with id {key_id}", code=NOT_FOUND)
        if stored.agents is not None and stored.agents.list_value is not None and stored.agents.list_value.agent_asset:
            # delete_key.htm: "It's not possible to delete a key that has active agents associated with it."
            # The code and text of the refusal are UNCONFIRMED.
            raise SimError(
                200, f"Activation key {key_id} has active agents associated with it and cannot be deleted",
                code=INVALID, resolution="Move the agents to another activation key first.",
            )  # fmt: skip
        del self.keys[key_id]
        return AgentActKey(id=key_id)

    def search(self, criteria: list[Criteria], preferences: Preferences | None) -> Page:
        """The keys matching every criterion, by id, one page as ``preferences`` say (default 100)."""
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
        raise _invalid(clip(f"Unsupported search field: {field}", MAX_QUOTE))
    if operator not in _OPERATORS:
        raise _invalid(clip(f"Unsupported operator: {operator}", MAX_QUOTE))
    attr, kind = _FIELDS[field]
    text = criterion.value or ""
    raw_values = text.split(",") if operator == "IN" else [text]
    try:
        values = [_convert(v.strip(), kind) for v in raw_values]
    except ValueError:
        raise _invalid(clip(f"Invalid value for {field}: {criterion.value!r}", MAX_QUOTE)) from None
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
        if not _ASCII_INT.fullmatch(text):  # int() would take "٣", " 3" and "1_0" too
            raise ValueError(text)
        return int(text)
    if kind is bool:
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    return text
