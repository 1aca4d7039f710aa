"""CSAM v2 business-metadata imports: the calls behind ``Qualys(...).csam`` and ``AsyncQualys(...).csam``.

Records are the generated models (``qualys_csam.models.BusinessApp``,
``AssetBusinessMetadata``) or plain mappings in the wire's field names
(``{"businessAppId": ..., "name": ...}``). At most 250 per call; the bulk
helpers chunk larger imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from qualys_csam import Client
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

from ._calls import BodyProblem, Call
from ._errors import InputProblem, InputValidationError
from ._failures import parsed_json
from .types import ImportResult

# Nothing here is for direct use: the calls are ``qualys.csam``'s.
__all__: list[str] = []

M = TypeVar("M", BusinessApp, AssetBusinessMetadata)
MAX_RECORDS = 250
# The generated parsers take a client only to read its raise_on_unexpected_status (False: the SDK decides).
_PARSING_CLIENT = Client(base_url="")

BusinessAppInput = BusinessApp | Mapping[str, Any]
AssetMetadataInput = AssetBusinessMetadata | Mapping[str, Any]


def csam_problem(parsed: Any) -> BodyProblem | None:
    """The message, code and request id of a CSAM error body."""
    if not isinstance(parsed, ErrorResponse):
        return None

    def text(value: Any) -> str | None:
        return None if isinstance(value, Unset) or value is None else str(value)

    message = text(parsed.response_message) or text(parsed.message) or text(parsed.error)
    return BodyProblem(message, text(parsed.response_code), text(parsed.request_id))


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


def _call(operation: Any, body: Any) -> Call[ImportResult]:
    return Call(
        "csam", operation._get_kwargs(body=body), parsed_json(operation, _PARSING_CLIENT), _result, csam_problem
    )


class Plans:
    """The calls of CSAM, shared by the sync and async clients; each checks its records before anything is sent."""

    def import_business_apps(self, apps: Sequence[BusinessAppInput]) -> Call[ImportResult]:
        """Create or update 1 to 250 business apps."""
        records = _records(apps, BusinessApp, "business apps")
        _check_apps(records)
        return _call(upsert_business_app_metadata, BusinessAppImportRequest(data=records))

    def import_asset_metadata(self, assets: Sequence[AssetMetadataInput]) -> Call[ImportResult]:
        """Update the business metadata of 1 to 250 assets."""
        records = _records(assets, AssetBusinessMetadata, "assets")
        return _call(update_asset_business_metadata, AssetMetadataImportRequest(data=records))
