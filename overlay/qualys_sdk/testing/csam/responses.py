"""CSAM v2 route handlers.

Each takes a validated ``gateway.Call`` and answers with what the subscription's :class:`~.models.CSAMBackend`
reports (``requestId``, ``responseCode``, ``failedIds``...).
"""

from __future__ import annotations

from typing import Any

from ..gateway import Call


def upsert_business_apps(call: Call) -> dict[str, Any]:
    """``upsertBusinessAppMetadata``."""
    return call.subscription.csam.upsert_business_apps(call.body["data"])


def update_asset_metadata(call: Call) -> dict[str, Any]:
    """``updateAssetBusinessMetadata``."""
    return call.subscription.csam.update_asset_metadata(call.body["data"])
