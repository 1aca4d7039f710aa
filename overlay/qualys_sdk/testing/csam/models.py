"""CSAM v2 business metadata imports for one subscription, in plain Python.

Behaviour follows the "Qualys Global AssetView/CyberSecurity Asset Management v2.x API Release Notes"
(v2.2): at most 250 records per import, mandatory business-app fields, an unknown ``businessAppId`` in
asset metadata skipped without failing. Assets are the subscription's OCA devices (by their Qualys asset
id) plus any added through the control plane.
"""

from __future__ import annotations

import copy
import random
import uuid as uuid_module
from collections.abc import Callable
from typing import Any

from ..errors import SimError

MAX_RECORDS = 250

# The business app of the release notes' import sample, so the asset sample's association has a target.
_SAMPLE_APPS = (
    {
        "businessAppId": "2fc86c650a0a0bb4003698b5331640df", "name": "Banking Service",
        "businessCriticality": "1 - Most Critical", "created": 1620643264000, "lastUpdated": 1620653309000,
    },
)  # fmt: skip


class CSAMBackend:
    """One subscription's CSAM: its business apps and the business metadata of its assets."""

    def __init__(
        self, *, clock: Callable[[], float], rng: random.Random, known_asset_ids: Callable[[], set[str]]
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._oca_asset_ids = known_asset_ids
        self.extra_asset_ids: set[str] = set()
        self.business_apps: dict[str, dict[str, Any]] = {}
        self.asset_metadata: dict[str, dict[str, Any]] = {}
        #: Set by the control plane (``fail_next_import``): the next import fails as a real one was seen to.
        self.fail_next = False

    def preload(self) -> None:
        """Load the release notes' sample business app."""
        for app in _SAMPLE_APPS:
            self.business_apps[str(app["businessAppId"])] = dict(app)

    def asset_ids(self) -> set[str]:
        """The Qualys asset ids CSAM knows: the subscription's OCA assets and those added by the control plane."""
        return self._oca_asset_ids() | self.extra_asset_ids

    def _request_id(self) -> str:
        return str(uuid_module.UUID(int=self._rng.getrandbits(128), version=4))

    def _check_size(self, records: list[Any]) -> None:
        if not records:
            raise SimError(400, "data must hold at least one record")
        if len(records) > MAX_RECORDS:
            raise SimError(400, f"{len(records)} records in one request; at most {MAX_RECORDS} are allowed")

    def _failed_import(self) -> dict[str, Any] | None:
        """The answer of a real failed import, once, when the control plane asked for it.

        Source: pjuster/Qualys, Qualys-API-Business-app-import.sh, which records the answer of a business app
        upsert: ``{"requestId": ..., "responseMessage": "Failed to import asset metadata", "responseCode":
        "FAILED", "failedIds": ["null"]}`` (the message names asset metadata even for business apps).
        """
        if not self.fail_next:
            return None
        self.fail_next = False
        return {
            "requestId": self._request_id(), "responseMessage": "Failed to import asset metadata",
            "responseCode": "FAILED", "failedIds": ["null"],
        }  # fmt: skip

    def upsert_business_apps(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """Create or update business apps by ``businessAppId``; the import's answer."""
        self._check_size(records)
        failed = self._failed_import()
        if failed is not None:
            return failed
        for record in records:
            key = str(record["businessAppId"])
            self.business_apps[key] = {**self.business_apps.get(key, {}), **copy.deepcopy(record)}
        return {
            "requestId": self._request_id(), "responseMessage": "Business app metadata imported successfully",
            "responseCode": "SUCCESS", "failedIds": None,
        }  # fmt: skip

    def update_asset_metadata(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """Update the metadata of known assets; unknown ids are listed in ``failedIds``. The import's answer."""
        self._check_size(records)
        failed_import = self._failed_import()
        if failed_import is not None:
            return failed_import
        known = self.asset_ids()
        # Failed ids are strings, as the one real failed answer on record sends them (``["null"]``).
        failed: list[str] = []
        for record in records:
            asset_id = str(record["qualysAssetId"])
            if asset_id not in known:
                failed.append(asset_id)
                continue
            metadata = copy.deepcopy(record.get("metadata") or {})
            # Unknown business apps are skipped, not failed (the release notes' note on this import).
            if isinstance(metadata.get("businessAppIds"), list):
                metadata["businessAppIds"] = [a for a in metadata["businessAppIds"] if str(a) in self.business_apps]
            self.asset_metadata[asset_id] = {**self.asset_metadata.get(asset_id, {}), **metadata}
        if failed:
            return {
                "requestId": self._request_id(), "responseMessage": "Asset metadata imported with failures",
                "responseCode": "FAILED", "failedIds": failed,
            }  # fmt: skip
        return {
            "requestId": self._request_id(), "responseMessage": "Asset metadata imported successfully",
            "responseCode": "SUCCESS", "failedIds": None,
        }  # fmt: skip
