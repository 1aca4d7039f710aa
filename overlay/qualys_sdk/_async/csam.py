"""CSAM business-metadata imports of the client: ``qualys.csam``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Unpack

from .._calls import RequestOptions
from ..csam import AssetMetadataInput, BusinessAppInput, Plans
from ..types import ImportResult

if TYPE_CHECKING:
    from ._client import AsyncQualys


class AsyncCSAM:
    """CSAM business-metadata imports: ``qualys.csam``.

    Check ``result.failed_ids``: records can fail inside a 200 answer.

    Example::

        from qualys_sdk import AsyncQualys

        app = {"businessAppId": "2fc86c65", "name": "Banking Service", "created": 1620643264000,
               "lastUpdated": 1620653309000}
        async with AsyncQualys() as qualys:
            result = await qualys.csam.import_business_apps([app])
            assert result.ok, result.failed_ids
    """

    def __init__(self, client: AsyncQualys) -> None:
        self._client = client
        self._plans = Plans()

    async def import_business_apps(
        self, apps: Sequence[BusinessAppInput], **options: Unpack[RequestOptions]
    ) -> ImportResult:
        """Create or update up to 250 business apps; ``businessAppId``, ``name``, ``created``, ``lastUpdated`` required.

        Not retried automatically once sent: an unknown outcome raises :class:`OutcomeUnknownError`;
        sending the same records again is harmless (it is an upsert).
        """
        return await self._client.run(self._plans.import_business_apps(apps), **options)

    async def import_asset_metadata(
        self, assets: Sequence[AssetMetadataInput], **options: Unpack[RequestOptions]
    ) -> ImportResult:
        """Update the business metadata of up to 250 assets (``qualysAssetId`` and ``metadata``).

        A ``businessAppIds`` entry CSAM does not know is skipped without failing the asset.
        """
        return await self._client.run(self._plans.import_asset_metadata(assets), **options)
