"""The bulk helpers for :class:`AsyncQualys`: the same checks, chunks and results as their sync twins."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import NotFoundError, QualysError
from .csam_import import ImportRunResult, account, checked_chunks
from .outputs import UploadRunResult, output_files
from .revoke import CHUNK, RevokeRunResult, chunks_of

if TYPE_CHECKING:
    from .._async._client import AsyncQualys


async def arevoke_assets(client: AsyncQualys, uuids: Iterable[str], *, chunk_size: int = CHUNK) -> RevokeRunResult:
    """See :func:`qualys_sdk.bulk.revoke_assets`."""
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
    """See :func:`qualys_sdk.bulk.upload_outputs`."""
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
    """See :func:`qualys_sdk.bulk.import_business_apps`."""
    result = ImportRunResult()
    for chunk in checked_chunks(source, "businessAppId"):
        account(result, chunk, await client.csam.import_business_apps(chunk), "businessAppId")
    return result


async def aimport_asset_metadata(
    client: AsyncQualys, source: str | Path | Iterable[Mapping[str, Any]]
) -> ImportRunResult:
    """See :func:`qualys_sdk.bulk.import_asset_metadata`."""
    result = ImportRunResult()
    for chunk in checked_chunks(source, "qualysAssetId"):
        account(result, chunk, await client.csam.import_asset_metadata(chunk), "qualysAssetId")
    return result
