"""Cloud Agent activation keys (QPS REST 1.0, XML): ``Qualys(...).activation_keys``.

The QPS API lives on the platform's API server, with HTTP Basic auth. Its
bodies are the ``ServiceRequest`` / ``ServiceResponse`` envelopes generated
into ``qualys_agentactkey`` from ``specs/agentactkey``. QPS reports most
errors with HTTP 200 and a ``responseCode``: every call checks it and raises
the matching error (``OBJECT_NOT_FOUND`` -> :class:`NotFoundError`, ...).

Results are the generated ``AgentActKey`` dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

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
from ._calls import QPS_ERRORS, status_error
from ._errors import APIStatusError, InputProblem, InputValidationError, ResponseFormatError, excerpt

T = TypeVar("T")
QPS_PATH = "/qps/rest/1.0"
MAX_PAGE = 1000


@dataclass(frozen=True)
class KeyPage:
    """One page of a search: the keys, and where the next page starts when ``has_more``."""

    keys: list[AgentActKey]
    has_more: bool
    last_id: int | None


@dataclass(frozen=True)
class QPSRequest:
    """A QPS call ready to send: method, path below /qps/rest/1.0, body, and how to read the answer."""

    method: str
    path: str
    body: ServiceRequest | None
    convert: Callable[[ServiceResponse], Any]


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


class _Plans:
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
    ) -> QPSRequest:
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
        return QPSRequest(
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
    ) -> QPSRequest:
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
        return QPSRequest(
            "POST",
            f"/update/ca/agentactkey/{key_id}",
            ServiceRequest(data=AgentActKeyList(agent_act_key=[key])),
            _only_key,
        )

    def get(self, key_id: int | str) -> QPSRequest:
        return QPSRequest("GET", f"/get/ca/agentactkey/{_key_id(key_id)}", None, _only_key)

    def delete(self, key_id: int | str) -> QPSRequest:
        def deleted(response: ServiceResponse) -> int:
            key = _only_key(response)
            return int(key.id) if key.id is not None else _key_id(key_id)

        return QPSRequest("POST", f"/delete/ca/agentactkey/{_key_id(key_id)}", ServiceRequest(), deleted)

    def search(self, criteria: Sequence[Criteria], limit: int | None, start_from_id: int | None) -> QPSRequest:
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
        return QPSRequest("POST", "/search/ca/agentactkey/", request, _page)


def build_http_request(plan: QPSRequest, api_url: str, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
    """The HTTP request for ``plan``, built by ``http`` so that its default headers, cookies and timeouts apply."""
    content = _xml.render(plan.body) if plan.body is not None else None
    headers = {"Accept": "application/xml"}
    if content is not None:
        headers["Content-Type"] = "text/xml"
    return http.build_request(plan.method, f"{api_url}{QPS_PATH}{plan.path}", content=content, headers=headers)


def read_response(plan: QPSRequest, response: httpx.Response) -> Any:
    """The converted result, or the error the response means (HTTP status or QPS responseCode)."""
    try:
        parsed = _xml.parse(response.content, ServiceResponse)
    except ResponseFormatError:
        if response.status_code >= 400:
            raise status_error(response, api_server=True) from None
        raise
    code = (parsed.response_code or "").strip()
    details = parsed.response_error_details
    message = details.error_message if details is not None else None
    if response.status_code >= 400:
        raise status_error(response, message=message, code=code or None, api_server=True)
    if code != "SUCCESS":
        what = f"{response.request.method} {response.request.url.path}"
        resolution = f" ({details.error_resolution})" if details is not None and details.error_resolution else ""
        text = f"{what}: {code or 'no responseCode'}: {message or excerpt(response.content)}{resolution}"
        cls = QPS_ERRORS.get(code, APIStatusError)
        raise cls(text, response=response, code=code or None, body_excerpt=excerpt(response.content))
    return plan.convert(parsed)


class _QPSRunner(Protocol):
    def run_qps(self, plan: QPSRequest, *, timeout: float | None, max_retries: int | None) -> Any: ...


class _AsyncQPSRunner(Protocol):
    async def run_qps(self, plan: QPSRequest, *, timeout: float | None, max_retries: int | None) -> Any: ...


class ActivationKeys:
    """Cloud Agent activation keys. Licenses and key types are plain strings; known values are in
    :mod:`qualys_sdk.activation_key_constants`.

    Example::

        key = qualys.activation_keys.create(type="UNLIMITED", title="linux-prod", modules=["VM_LICENSE", "PC_LICENSE"])
        for key in qualys.activation_keys.iter_all([criterion("title", "CONTAINS", "linux")]):
            print(key.id, key.activation_key)
    """

    def __init__(self, runner: _QPSRunner) -> None:
        self._runner = runner
        self._plans = _Plans()

    def create(
        self,
        *,
        type: str,
        title: str | None = None,
        count_purchased: int | None = None,
        expire_date: dt.date | dt.datetime | str | None = None,
        modules: Iterable[str] | None = None,
        tags: Iterable[Tag | int] | None = None,
        owner_id: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentActKey:
        """Create a key. ``COUNT_*`` types need ``count_purchased >= 1``, ``TIME_*`` types an ``expire_date``.

        Not retried automatically once sent (an unknown outcome raises :class:`OutcomeUnknownError`).
        """
        plan = self._plans.create(type=type, title=title, count_purchased=count_purchased, expire_date=expire_date,
                                  modules=modules, tags=tags, owner_id=owner_id)  # fmt: skip
        result: AgentActKey = self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    def update(
        self,
        key_id: int | str,
        *,
        title: str | None = None,
        type: str | None = None,
        count_purchased: int | None = None,
        expire_date: dt.date | dt.datetime | str | None = None,
        is_disabled: bool | None = None,
        apply_on_agents: bool | None = None,
        add_modules: Iterable[str] | None = None,
        remove_modules: Iterable[str] | None = None,
        add_tags: Iterable[Tag | int] | None = None,
        remove_tags: Iterable[Tag | int] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentActKey:
        """Change a key; only the arguments given are sent. ``apply_on_agents=True`` pushes the change to agents."""
        plan = self._plans.update(
            key_id, title=title, type=type, count_purchased=count_purchased, expire_date=expire_date,
            is_disabled=is_disabled, apply_on_agents=apply_on_agents, add_modules=add_modules,
            remove_modules=remove_modules, add_tags=add_tags, remove_tags=remove_tags,
        )  # fmt: skip
        result: AgentActKey = self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    def get(self, key_id: int | str, *, timeout: float | None = None, max_retries: int | None = None) -> AgentActKey:
        """One key by id; :class:`NotFoundError` when it does not exist or is out of scope."""
        result: AgentActKey = self._runner.run_qps(self._plans.get(key_id), timeout=timeout, max_retries=max_retries)
        return result

    def delete(self, key_id: int | str, *, timeout: float | None = None, max_retries: int | None = None) -> int:
        """Delete a key (one with active agents cannot be deleted); returns its id."""
        result: int = self._runner.run_qps(self._plans.delete(key_id), timeout=timeout, max_retries=max_retries)
        return result

    def search(
        self,
        criteria: Sequence[Criteria] = (),
        *,
        limit: int | None = None,
        start_from_id: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> KeyPage:
        """One page of keys matching every criterion (``limit`` 1..1000, server default 100)."""
        plan = self._plans.search(criteria, limit, start_from_id)
        result: KeyPage = self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    def iter_all(
        self, criteria: Sequence[Criteria] = (), *, page_size: int = MAX_PAGE, timeout: float | None = None
    ) -> Iterator[AgentActKey]:
        """Every matching key, page by page (``hasMoreRecords`` / ``lastId``); raises on the first error."""
        start: int | None = None
        while True:
            page = self.search(criteria, limit=page_size, start_from_id=start, timeout=timeout)
            yield from page.keys
            if not page.has_more or page.last_id is None:
                return
            start = page.last_id


class AsyncActivationKeys:
    """The async twin of :class:`ActivationKeys`."""

    def __init__(self, runner: _AsyncQPSRunner) -> None:
        self._runner = runner
        self._plans = _Plans()

    async def create(
        self,
        *,
        type: str,
        title: str | None = None,
        count_purchased: int | None = None,
        expire_date: dt.date | dt.datetime | str | None = None,
        modules: Iterable[str] | None = None,
        tags: Iterable[Tag | int] | None = None,
        owner_id: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentActKey:
        """See :meth:`ActivationKeys.create`."""
        plan = self._plans.create(type=type, title=title, count_purchased=count_purchased, expire_date=expire_date,
                                  modules=modules, tags=tags, owner_id=owner_id)  # fmt: skip
        result: AgentActKey = await self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    async def update(
        self,
        key_id: int | str,
        *,
        title: str | None = None,
        type: str | None = None,
        count_purchased: int | None = None,
        expire_date: dt.date | dt.datetime | str | None = None,
        is_disabled: bool | None = None,
        apply_on_agents: bool | None = None,
        add_modules: Iterable[str] | None = None,
        remove_modules: Iterable[str] | None = None,
        add_tags: Iterable[Tag | int] | None = None,
        remove_tags: Iterable[Tag | int] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AgentActKey:
        """See :meth:`ActivationKeys.update`."""
        plan = self._plans.update(
            key_id, title=title, type=type, count_purchased=count_purchased, expire_date=expire_date,
            is_disabled=is_disabled, apply_on_agents=apply_on_agents, add_modules=add_modules,
            remove_modules=remove_modules, add_tags=add_tags, remove_tags=remove_tags,
        )  # fmt: skip
        result: AgentActKey = await self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    async def get(
        self, key_id: int | str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> AgentActKey:
        """See :meth:`ActivationKeys.get`."""
        plan = self._plans.get(key_id)
        result: AgentActKey = await self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    async def delete(self, key_id: int | str, *, timeout: float | None = None, max_retries: int | None = None) -> int:
        """See :meth:`ActivationKeys.delete`."""
        result: int = await self._runner.run_qps(self._plans.delete(key_id), timeout=timeout, max_retries=max_retries)
        return result

    async def search(
        self,
        criteria: Sequence[Criteria] = (),
        *,
        limit: int | None = None,
        start_from_id: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> KeyPage:
        """See :meth:`ActivationKeys.search`."""
        plan = self._plans.search(criteria, limit, start_from_id)
        result: KeyPage = await self._runner.run_qps(plan, timeout=timeout, max_retries=max_retries)
        return result

    async def iter_all(
        self, criteria: Sequence[Criteria] = (), *, page_size: int = MAX_PAGE, timeout: float | None = None
    ) -> AsyncIterator[AgentActKey]:
        """See :meth:`ActivationKeys.iter_all`."""
        start: int | None = None
        while True:
            page = await self.search(criteria, limit=page_size, start_from_id=start, timeout=timeout)
            for key in page.keys:
                yield key
            if not page.has_more or page.last_id is None:
                return
            start = page.last_id
