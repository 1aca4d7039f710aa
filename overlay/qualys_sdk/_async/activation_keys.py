"""Cloud Agent activation keys of the client: ``qualys.activation_keys``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import TYPE_CHECKING, Unpack

from qualys_agentactkey import AgentActKey, Criteria, Tag

from .._calls import RequestOptions
from ..activation_keys import MAX_PAGE, KeyPage, Plans

if TYPE_CHECKING:
    from ._client import AsyncQualys


class AsyncActivationKeys:
    """Cloud Agent activation keys: ``qualys.activation_keys``.

    Licenses and key types are plain strings; known values are in :mod:`qualys_sdk.activation_key_constants`.
    Every method takes ``timeout=``, ``max_retries=`` and ``max_response_bytes=``.

    Example::

        from qualys_sdk import AsyncQualys, criterion

        async with AsyncQualys() as qualys:
            await qualys.activation_keys.create(type="UNLIMITED", title="linux-prod", modules=["VM_LICENSE"])
            async for key in qualys.activation_keys.iter_all([criterion("title", "CONTAINS", "linux")]):
                print(key.id, key.activation_key)
    """

    def __init__(self, client: AsyncQualys) -> None:
        self._client = client
        self._plans = Plans()

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
        **options: Unpack[RequestOptions],
    ) -> AgentActKey:
        """Create a key. ``COUNT_*`` types need ``count_purchased >= 1``, ``TIME_*`` types an ``expire_date``.

        Not retried automatically once sent (an unknown outcome raises :class:`OutcomeUnknownError`).
        """
        plan = self._plans.create(type=type, title=title, count_purchased=count_purchased, expire_date=expire_date,
                                  modules=modules, tags=tags, owner_id=owner_id)  # fmt: skip
        return await self._client.run(plan, **options)

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
        **options: Unpack[RequestOptions],
    ) -> AgentActKey:
        """Change a key; only the arguments given are sent. ``apply_on_agents=True`` pushes the change to agents."""
        plan = self._plans.update(
            key_id, title=title, type=type, count_purchased=count_purchased, expire_date=expire_date,
            is_disabled=is_disabled, apply_on_agents=apply_on_agents, add_modules=add_modules,
            remove_modules=remove_modules, add_tags=add_tags, remove_tags=remove_tags,
        )  # fmt: skip
        return await self._client.run(plan, **options)

    async def get(self, key_id: int | str, **options: Unpack[RequestOptions]) -> AgentActKey:
        """One key by id; :class:`NotFoundError` when it does not exist or is out of scope."""
        return await self._client.run(self._plans.get(key_id), **options)

    async def delete(self, key_id: int | str, **options: Unpack[RequestOptions]) -> int:
        """Delete a key (one with active agents cannot be deleted); returns its id."""
        return await self._client.run(self._plans.delete(key_id), **options)

    async def search(
        self,
        criteria: Sequence[Criteria] = (),
        *,
        limit: int | None = None,
        start_from_id: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> KeyPage:
        """One page of keys matching every criterion (``limit`` 1..1000, server default 100)."""
        return await self._client.run(self._plans.search(criteria, limit, start_from_id), **options)

    async def iter_all(
        self, criteria: Sequence[Criteria] = (), *, page_size: int = MAX_PAGE, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[AgentActKey]:
        """Every matching key, page by page (``hasMoreRecords`` / ``lastId``); raises on the first error."""
        start: int | None = None
        while True:
            page = await self.search(criteria, limit=page_size, start_from_id=start, **options)
            for key in page.keys:
                yield key
            if not page.has_more or page.last_id is None:
                return
            start = page.last_id
