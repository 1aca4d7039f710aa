"""Bulk helpers: many assets, records or keys per call, with every row accounted for.

- :func:`provision_assets` (and :func:`aprovision_assets` for ``AsyncQualys``): OCA bulk provision /
  re-provision from CSV, JSON Lines or records, journaled and resumable (Ctrl-C raises
  :class:`BulkInterrupted`); :func:`read_report`: every row's outcome from a run's journal, sending nothing;
- :func:`revoke_assets`: bulk delete, idempotent;
- :func:`upload_outputs`: command outputs for many assets from a directory;
- :func:`import_business_apps`, :func:`import_asset_metadata`: CSAM imports in chunks of 250.

Each has an ``a``-prefixed twin for :class:`AsyncQualys` (``aprovision_assets``, ``arevoke_assets``, ...).

Activation keys need no helper: ``client.activation_keys.iter_all()`` pages through every key, and
``create`` / ``update`` take module and tag lists (``add_modules``, ``remove_tags``, ...).
"""

from ._async.helpers import aimport_asset_metadata, aimport_business_apps, arevoke_assets, aupload_outputs
from ._sync.helpers import import_asset_metadata, import_business_apps, revoke_assets, upload_outputs
from .csam_import import ImportRunResult
from .outputs import UploadRunResult
from .provision import (
    BulkInterrupted,
    BulkRunResult,
    Progress,
    RowOutcome,
    aprovision_assets,
    provision_assets,
    read_report,
)
from .revoke import RevokeRunResult

__all__ = [
    "BulkInterrupted",
    "BulkRunResult",
    "ImportRunResult",
    "Progress",
    "RevokeRunResult",
    "RowOutcome",
    "UploadRunResult",
    "aimport_asset_metadata",
    "aimport_business_apps",
    "aprovision_assets",
    "arevoke_assets",
    "aupload_outputs",
    "import_asset_metadata",
    "import_business_apps",
    "provision_assets",
    "read_report",
    "revoke_assets",
    "upload_outputs",
]
