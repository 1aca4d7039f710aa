"""Bulk revoke, command output uploads and CSAM imports: the same checks, chunks and results for both clients."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._errors import NotFoundError, QualysError
from ..csam_import import ImportRunResult, account, checked_chunks
from ..outputs import UploadRunResult, output_files
from ..revoke import CHUNK, RevokeRunResult, chunks_of

if TYPE_CHECKING:
    from ..._async._client import AsyncQualys


async def arevoke_assets(client: AsyncQualys, uuids: Iterable[str], *, chunk_size: int = CHUNK) -> RevokeRunResult:
    """Delete every asset in ``uuids``, in chunks; safe to run again.

    A UUID the server lists in ``failedRevoke`` is looked up: when the asset no longer exists it counts as
    revoked (``already_gone``), so a repeated or resumed run reports success. Errors other than that raise
    on the first one (deleting is safe to repeat: run it again).
    """
    result = RevokeRunResult()
    for chunk in chunks_of(uuids, chunk_size):
        answer = await client.oca.revoke_bulk(chunk)
        result.revoked.extend(answer.revoked)
        for uuid in answer.failed:
            try:
                await client.oca.get_status(uuid)
            except NotFoundError:
                result.already_gone.append(uuid)
            else:
                result.failed.append(uuid)
    return result


async def aupload_outputs(client: AsyncQualys, directory: str | Path) -> UploadRunResult:
    """Upload ``<directory>/<asset uuid>.txt`` files, each holding the output of every command of that asset.

    Each file goes through the bulk command output upload. Errors are collected per file (``failed``
    maps the UUID to the error); an empty directory is an input error.
    """
    result = UploadRunResult()
    for path in output_files(directory):
        try:
            await client.oca.upload_command_output_bulk(path.stem, path)
        except QualysError as exc:
            result.failed[path.stem] = f"{type(exc).__name__}: {exc}"
        else:
            result.uploaded.append(path.stem)
    return result


async def aimport_business_apps(
    client: AsyncQualys, source: str | Path | Iterable[Mapping[str, Any]]
) -> ImportRunResult:
    """Import business apps from CSV (wire field names as columns), JSON Lines or mappings, 250 per call.

    Every record is checked for its id first (InputValidationError listing every problem); records the
    server lists in ``failedIds`` are collected in ``failed``; other errors raise on the first one.
    """
    result = ImportRunResult()
    for chunk in checked_chunks(source, "businessAppId"):
        account(result, chunk, await client.csam.import_business_apps(chunk), "businessAppId")
    return result


async def aimport_asset_metadata(
    client: AsyncQualys, source: str | Path | Iterable[Mapping[str, Any]]
) -> ImportRunResult:
    """Import asset business metadata (``qualysAssetId`` plus metadata columns), 250 per call.

    CSV columns: ``qualysAssetId`` and the metadata field names; ``businessAppIds`` separated by ``;``;
    ``assignedLocation.city`` and the like for the location. Failures as in :func:`aimport_business_apps`.
    """
    result = ImportRunResult()
    for chunk in checked_chunks(source, "qualysAssetId"):
        account(result, chunk, await client.csam.import_asset_metadata(chunk), "qualysAssetId")
    return result
