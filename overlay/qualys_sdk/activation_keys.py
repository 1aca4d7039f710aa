"""Cloud Agent activation keys (QPS REST 1.0, XML): the calls behind ``Qualys(...).activation_keys``.

The QPS API lives on the platform's API server, with HTTP Basic auth. Its
bodies are the ``ServiceRequest`` / ``ServiceResponse`` envelopes generated
into ``qualys_agentactkey`` from ``specs/agentactkey``. QPS reports most
errors with HTTP 200 and a ``responseCode``: every call checks it and raises
the matching error (``OBJECT_NOT_FOUND`` -> :class:`NotFoundError`, ...).

Results are the generated ``AgentActKey`` dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from xsdata.models.datatype import XmlDateTime

from qualys_agentactkey import (
    ActivationKeyModule,
    ActivationKeyModuleList,
    AgentActivationModulesQList,
    AgentActKey,
    AgentActKeyList,
    Criteria,
    Filters,
    Preferences,
    ServiceRequest,
    ServiceResponse,
    Tag,
    TagList,
    TagQList,
)

from . import _xml
from ._calls import BodyProblem, Call
from ._errors import InputProblem, InputValidationError, ResponseFormatError

# The page type and the search helper; the rest is the plumbing behind ``qualys.activation_keys``.
__all__ = ["KeyPage", "criterion"]

T = TypeVar("T")
QPS_PATH = "/qps/rest/1.0"
MAX_PAGE = 1000


@dataclass(frozen=True)
class KeyPage:
    """One page of a search: the keys, and where the next page starts when ``has_more``."""

    keys: list[AgentActKey]
    has_more: bool
    last_id: int | None


def _read(response: httpx.Response) -> ServiceResponse:
    return _xml.parse(response.content, ServiceResponse)


def qps_problem(parsed: ServiceResponse) -> BodyProblem | None:
    """The error a QPS answer reports: any ``responseCode`` but SUCCESS (QPS sends most errors with HTTP 200)."""
    code = (parsed.response_code or "").strip()
    if code == "SUCCESS":
        return None
    details = parsed.response_error_details
    return BodyProblem(
        details.error_message if details is not None else None,
        code or None,
        resolution=details.error_resolution if details is not None else None,
    )


def _qps(method: str, path: str, body: ServiceRequest | None, convert: Callable[[ServiceResponse], T]) -> Call[T]:
    """A QPS call: ``path`` below /qps/rest/1.0, the body rendered as the wire wants it."""
    request: dict[str, Any] = {"method": method, "url": QPS_PATH + path, "headers": {"Accept": "application/xml"}}
    if body is not None:
        request["content"] = _xml.render(body)
        request["headers"]["Content-Type"] = "text/xml"
    return Call("qps", request, _read, convert, qps_problem)


def criterion(field: str, operator: str, value: str | int) -> Criteria:
    """A search filter: ``criterion("title", "CONTAINS", "linux")``; criteria are ANDed."""
    return Criteria(field_value=field, operator=operator, value=str(value))


def _date(value: dt.date | dt.datetime | str | None) -> XmlDateTime | None:
    if value is None:
        return None
    if isinstance(value, str):
        return XmlDateTime.from_string(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        raise InputValidationError([InputProblem("expire_date must be timezone-aware (Qualys uses UTC)",
                                                 field="expireDate")])  # fmt: skip
    return XmlDateTime.from_datetime(value.astimezone(dt.UTC).replace(microsecond=0))


def _modules(licenses: Iterable[str] | None) -> ActivationKeyModuleList | None:
    if licenses is None:
        return None
    return ActivationKeyModuleList(activation_key_module=[ActivationKeyModule(license=str(x)) for x in licenses])


def _tags(tags: Iterable[Tag | int] | None) -> TagList | None:
    if tags is None:
        return None
    return TagList(tag=[t if isinstance(t, Tag) else Tag(id=int(t)) for t in tags])


def _key_id(key_id: int | str) -> int:
    try:
        value = int(key_id)
    except (TypeError, ValueError):
        value = -1
    if value <= 0:
        raise InputValidationError([InputProblem(f"not an activation key id: {key_id!r}", field="id")])
    return value


def _only_key(response: ServiceResponse) -> AgentActKey:
    keys = response.data.agent_act_key if response.data is not None else []
    if len(keys) != 1:
        raise ResponseFormatError(f"expected one activation key in the response, got {len(keys)}")
    return keys[0]


def _page(response: ServiceResponse) -> KeyPage:
    keys = list(response.data.agent_act_key) if response.data is not None else []
    return KeyPage(keys=keys, has_more=bool(response.has_more_records), last_id=response.last_id)


class Plans:
    """The calls of the activation-key API, shared by the sync and async clients."""

    def create(
        self,
        *,
        type: str,
        title: str | None,
        count_purchased: int | None,
        expire_date: dt.date | dt.datetime | str | None,
        modules: Iterable[str] | None,
        tags: Iterable[Tag | int] | None,
        owner_id: int | None,
    ) -> Call[AgentActKey]:
        """Create a key: a ``COUNT_*`` type needs ``count_purchased`` >= 1, a ``*TIME_LIMITED`` one ``expire_date``."""
        problems = []
        if type.startswith("COUNT") and (count_purchased is None or count_purchased < 1):
            problems.append(InputProblem(f"a {type} key needs count_purchased >= 1", field="countPurchased"))
        if "TIME" in type and expire_date is None:
            problems.append(InputProblem(f"a {type} key needs an expire_date", field="expireDate"))
        if problems:
            raise InputValidationError(problems)
        module_list, tag_list = _modules(modules), _tags(tags)
        key = AgentActKey(
            title=title,
            type_value=type,
            count_purchased=count_purchased,
            expire_date=_date(expire_date),
            owner_id=owner_id,
            modules=AgentActivationModulesQList(list_value=module_list) if module_list else None,
            tags=TagQList(list_value=tag_list) if tag_list else None,
        )
        return _qps(
            "POST", "/create/ca/agentactkey/", ServiceRequest(data=AgentActKeyList(agent_act_key=[key])), _only_key
        )

    def update(
        self,
        key_id: int | str,
        *,
        title: str | None,
        type: str | None,
        count_purchased: int | None,
        expire_date: dt.date | dt.datetime | str | None,
        is_disabled: bool | None,
        apply_on_agents: bool | None,
        add_modules: Iterable[str] | None,
        remove_modules: Iterable[str] | None,
        add_tags: Iterable[Tag | int] | None,
        remove_tags: Iterable[Tag | int] | None,
    ) -> Call[AgentActKey]:
        """Change a key: only what is given is sent; modules and tags are added or removed."""
        key_id = _key_id(key_id)
        modules = (
            AgentActivationModulesQList(add=_modules(add_modules), remove=_modules(remove_modules))
            if add_modules is not None or remove_modules is not None
            else None
        )
        tags = (
            TagQList(add=_tags(add_tags), remove=_tags(remove_tags))
            if add_tags is not None or remove_tags is not None
            else None
        )
        key = AgentActKey(
            title=title, type_value=type, count_purchased=count_purchased, expire_date=_date(expire_date),
            is_disabled=is_disabled, apply_on_agents=apply_on_agents, modules=modules, tags=tags,
        )  # fmt: skip
        # The id goes in the path, as the public docs show (specs/agentactkey/NOTES.md).
        return _qps(
            "POST", f"/update/ca/agentactkey/{key_id}", ServiceRequest(data=AgentActKeyList(agent_act_key=[key])),
            _only_key,
        )  # fmt: skip

    def get(self, key_id: int | str) -> Call[AgentActKey]:
        """One key by id."""
        return _qps("GET", f"/get/ca/agentactkey/{_key_id(key_id)}", None, _only_key)

    def delete(self, key_id: int | str) -> Call[int]:
        """Delete a key; the call's result is its id."""

        def deleted(response: ServiceResponse) -> int:
            key = _only_key(response)
            return int(key.id) if key.id is not None else _key_id(key_id)

        return _qps("POST", f"/delete/ca/agentactkey/{_key_id(key_id)}", ServiceRequest(), deleted)

    def search(self, criteria: Sequence[Criteria], limit: int | None, start_from_id: int | None) -> Call[KeyPage]:
        """One page of the keys matching every criterion, with ids above ``start_from_id`` when given."""
        if limit is not None and not 1 <= limit <= MAX_PAGE:
            raise InputValidationError([InputProblem(f"limit must be 1..{MAX_PAGE}, got {limit}",
                                                     field="limitResults")])  # fmt: skip
        all_criteria = list(criteria)
        if start_from_id is not None:
            # The documented cursor: ids greater than the last one seen.
            all_criteria.append(criterion("id", "GREATER", start_from_id))
        request = ServiceRequest(
            filters=Filters(criteria=all_criteria) if all_criteria else None,
            preferences=Preferences(limit_results=limit) if limit is not None else None,
        )
        return _qps("POST", "/search/ca/agentactkey/", request, _page)
