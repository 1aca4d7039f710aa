"""Typed results of the SDK calls, where the generated models need a friendlier shape.

OCA times (``2019-01-21T07:06:07.000+0000``) become timezone-aware
``datetime`` values; identifiers (asset UUIDs, ids) stay strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

__all__ = [
    "AssetStatus",
    "AssetStatusItem",
    "BulkProvisionResult",
    "BulkRevokeResult",
    "FailedProvision",
    "ImportResult",
    "ProvisionResult",
    "ProvisionedAsset",
    "SkippedProvision",
    "Technology",
    "parse_oca_time",
]

_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_oca_time(value: str | None) -> datetime | None:
    """``2019-01-21T07:06:07.000+0000`` as an aware datetime; None for None or an empty string.

    Raises ValueError, naming the value, for anything else that is not a time.
    """
    if not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    text = _OFFSET.sub(r"\1:\2", text)
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"OCA time {value!r} has no UTC offset")
    return parsed


class AssetStatus:
    """Provision statuses OCA reports. The server may send others: statuses are plain strings."""

    PROVISION_REQUESTED: Final = "Provision Requested"
    PROVISION_CONFIRMED: Final = "Provision Confirmed"


@dataclass(frozen=True)
class Technology:
    """A technology OCA assesses. Use ``technology_version`` when provisioning and fetching commands."""

    technology: str
    technology_version: str
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ProvisionResult:
    """The answer to a provision or re-provision: the asset's UUID and the server's message."""

    asset_uuid: str
    message: str | None = None


@dataclass(frozen=True)
class AssetStatusItem:
    """One asset of the subscription's status: its UUID and provision status."""

    asset_uuid: str
    status: str


@dataclass(frozen=True)
class ProvisionedAsset:
    """A row a bulk provision provisioned: the new asset's UUID, its IP and technology."""

    uuid: str
    ip: str
    technology: str


@dataclass(frozen=True)
class FailedProvision:
    """A row the server did not provision, and why (shape UNCONFIRMED: see specs/PROVENANCE.md)."""

    ip: str | None
    technology: str | None
    reason: str | None


@dataclass(frozen=True)
class SkippedProvision:
    """A row skipped because its (hostIP, technology) exists; ``uuid`` is the existing asset's (UNCONFIRMED)."""

    uuid: str | None
    ip: str | None
    technology: str | None
    reason: str | None


@dataclass(frozen=True)
class BulkProvisionResult:
    """One bulk provision call: every row is in exactly one of the three lists."""

    successful: list[ProvisionedAsset] = field(default_factory=list)
    failed: list[FailedProvision] = field(default_factory=list)
    skipped: list[SkippedProvision] = field(default_factory=list)


@dataclass(frozen=True)
class BulkRevokeResult:
    """One bulk revoke call: the UUIDs deleted, and those the server could not delete."""

    revoked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """A CSAM import. ``failed_ids``: the records that were not imported (as the server sent them)."""

    response_code: str
    message: str | None = None
    request_id: str | None = None
    failed_ids: list[str | int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the server said ``SUCCESS`` and listed no failed record."""
        return self.response_code == "SUCCESS" and not self.failed_ids
