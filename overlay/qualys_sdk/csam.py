"""CSAM v2 business-metadata imports: ``Qualys(...).csam`` and ``AsyncQualys(...).csam``.

Records are the generated models (``qualys_csam.models.BusinessApp``,
``AssetBusinessMetadata``) or plain mappings in the wire's field names
(``{"businessAppId": ..., "name": ...}``). At most 250 per call; the bulk
helpers chunk larger imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from qualys_csam.api.assets import update_asset_business_metadata
from qualys_csam.api.business_apps import upsert_business_app_metadata
from qualys_csam.models import (
    AssetBusinessMetadata,
    AssetMetadataImportRequest,
    BusinessApp,
    BusinessAppImportRequest,
    ErrorResponse,
    ImportResponse,
)
from qualys_csam.types import Unset

from ._calls import AsyncRunner, Call, Runner
from ._errors import InputProblem, InputValidationError
from .types import ImportResult

M = TypeVar("M", BusinessApp, AssetBusinessMetadata)
MAX_RECORDS = 250

BusinessAppInput = BusinessApp | Mapping[str, Any]
AssetMetadataInput = AssetBusinessMetadata | Mapping[str, Any]


def csam_error_fields(parsed: Any) -> tuple[str | None, str | None, str | None]:
    if not isinstance(parsed, ErrorResponse):
        return None, None, None

    def text(value: Any) -> str | None:
        return None if isinstance(value, Unset) or value is None else str(value)

    message = text(parsed.response_message) or text(parsed.message) or text(parsed.error)
    return message, text(parsed.response_code), text(parsed.request_id)


def _result(parsed: ImportResponse) -> ImportResult:
    failed = parsed.failed_ids
    return ImportResult(
        response_code=parsed.response_code,
        message=None if isinstance(parsed.response_message, Unset) else parsed.response_message,
        request_id=None if isinstance(parsed.request_id, Unset) else parsed.request_id,
        failed_ids=[] if failed is None or isinstance(failed, Unset) else list(failed),
    )


def _records(records: Sequence[M | Mapping[str, Any]], model: type[M], what: str) -> list[M]:
    if not records:
        raise InputValidationError([InputProblem(f"no {what} to import", field="data")])
    if len(records) > MAX_RECORDS:
        raise InputValidationError(
            [InputProblem(f"{len(records)} {what} in one call; the API takes at most {MAX_RECORDS}", field="data")]
        )
    out: list[M] = []
    problems = []
    for index, record in enumerate(records):
        if isinstance(record, model):
            out.append(record)
            continue
        try:
            out.append(model.from_dict(dict(cast(Mapping[str, Any], record))))
        except KeyError as exc:
            problems.append(InputProblem(f"{what} #{index + 1}: mandatory field missing", field=str(exc.args[0])))
        except (TypeError, ValueError) as exc:
            problems.append(InputProblem(f"{what} #{index + 1}: {exc}"))
    if problems:
        raise InputValidationError(problems)
    return out


def _check_apps(apps: list[BusinessApp]) -> None:
    problems = [
        InputProblem(f"business app #{i + 1}: {name} must be epoch milliseconds, got {value!r}", field=name)
        for i, app in enumerate(apps)
        for name, value in (("created", app.created), ("lastUpdated", app.last_updated))
        if not isinstance(value, int) or isinstance(value, bool) or value < 0
    ]
    if problems:
        raise InputValidationError(problems)


class _Plans:
    def import_business_apps(self, apps: Sequence[BusinessAppInput]) -> Call[ImportResult]:
        records = _records(apps, BusinessApp, "business apps")
        _check_apps(records)
        body = BusinessAppImportRequest(data=records)
        return Call(
            upsert_business_app_metadata, {"body": body}, _result, client="csam", error_fields=csam_error_fields
        )

    def import_asset_metadata(self, assets: Sequence[AssetMetadataInput]) -> Call[ImportResult]:
        records = _records(assets, AssetBusinessMetadata, "assets")
        body = AssetMetadataImportRequest(data=records)
        return Call(
            update_asset_business_metadata, {"body": body}, _result, client="csam", error_fields=csam_error_fields
        )


class CSAM:
    """CSAM business-metadata imports. Check ``result.failed_ids``: records can fail inside a 200 answer.

    Example::

        result = qualys.csam.import_business_apps([
            {"businessAppId": "2fc86c65", "name": "Banking Service", "created": 1620643264000,
             "lastUpdated": 1620653309000},
        ])
        assert result.ok, result.failed_ids
    """

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._plans = _Plans()

    def import_business_apps(
        self, apps: Sequence[BusinessAppInput], *, timeout: float | None = None, max_retries: int | None = None
    ) -> ImportResult:
        """Create or update up to 250 business apps; ``businessAppId``, ``name``, ``created``, ``lastUpdated`` required.

        Not retried automatically once sent: an unknown outcome raises :class:`OutcomeUnknownError`;
        sending the same records again is harmless (it is an upsert).
        """
        return self._runner.run(self._plans.import_business_apps(apps), timeout=timeout, max_retries=max_retries)

    def import_asset_metadata(
        self, assets: Sequence[AssetMetadataInput], *, timeout: float | None = None, max_retries: int | None = None
    ) -> ImportResult:
        """Update the business metadata of up to 250 assets (``qualysAssetId`` and ``metadata``).

        A ``businessAppIds`` entry CSAM does not know is skipped without failing the asset.
        """
        return self._runner.run(self._plans.import_asset_metadata(assets), timeout=timeout, max_retries=max_retries)


class AsyncCSAM:
    """The async twin of :class:`CSAM`."""

    def __init__(self, runner: AsyncRunner) -> None:
        self._runner = runner
        self._plans = _Plans()

    async def import_business_apps(
        self, apps: Sequence[BusinessAppInput], *, timeout: float | None = None, max_retries: int | None = None
    ) -> ImportResult:
        """See :meth:`CSAM.import_business_apps`."""
        plan = self._plans.import_business_apps(apps)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    async def import_asset_metadata(
        self, assets: Sequence[AssetMetadataInput], *, timeout: float | None = None, max_retries: int | None = None
    ) -> ImportResult:
        """See :meth:`CSAM.import_asset_metadata`."""
        plan = self._plans.import_asset_metadata(assets)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)
