"""Bulk revoke (delete) of OCA assets, idempotent: assets already gone count as revoked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

CHUNK = 1000


@dataclass
class RevokeRunResult:
    """``revoked``: deleted now; ``already_gone``: no longer there, counted as revoked; ``failed``: still there."""

    revoked: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every asset is gone."""
        return not self.failed


def chunks_of(uuids: Iterable[str], size: int) -> list[list[str]]:
    """Each UUID once, in order, in chunks."""
    iterator = iter(dict.fromkeys(uuids))
    return list(iter(lambda: list(islice(iterator, size)), []))
