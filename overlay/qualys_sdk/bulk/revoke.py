"""Bulk revoke (delete) of OCA assets, idempotent: assets already gone count as revoked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from .._errors import NotFoundError

if TYPE_CHECKING:
    from .._sync._client import Qualys

CHUNK = 1000


@dataclass
class RevokeRunResult:
    revoked: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed


def revoke_assets(client: Qualys, uuids: Iterable[str], *, chunk_size: int = CHUNK) -> RevokeRunResult:
    """Delete every asset in ``uuids``, in chunks; safe to run again.

    A UUID the server lists in ``failedRevoke`` is looked up: when the asset no longer exists it counts as
    revoked (``already_gone``), so a repeated or resumed run reports success. Errors other than that raise
    on the first one (deleting is safe to repeat: run it again).
    """
    result = RevokeRunResult()
    for chunk in chunks_of(uuids, chunk_size):
        answer = client.oca.revoke_bulk(chunk)
        result.revoked.extend(answer.revoked)
        for uuid in answer.failed:
            try:
                client.oca.get_status(uuid)
            except NotFoundError:
                result.already_gone.append(uuid)
            else:
                result.failed.append(uuid)
    return result


def chunks_of(uuids: Iterable[str], size: int) -> list[list[str]]:
    """Each UUID once, in order, in chunks."""
    iterator = iter(dict.fromkeys(uuids))
    return list(iter(lambda: list(islice(iterator, size)), []))
