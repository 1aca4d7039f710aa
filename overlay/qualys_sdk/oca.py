"""OCA v2 (Out-of-Band Configuration Assessment): the calls behind ``Qualys(...).oca`` and ``AsyncQualys(...).oca``.

:class:`Plans` describes each operation once (generated operation, arguments, conversion of the result);
the client classes (``_async/oca.py``, and ``_sync/oca.py`` made from it) only run them. API quirks hidden
here:

- ``technology`` takes a technologyVersion (``Fabric 7``); names with ``/``
  (``IBM z/OS Security Server RACF 2``) are accepted and sent without it where
  the API wants that (the commands path);
- a re-provision may not change ``hostIP``, ``type`` or ``technology``: the
  client refuses one that would, when it knows the asset (it was provisioned
  through this client, or ``original=`` says);
- uploads take a command name and a path, bytes or text.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final

from qualys_oca import Client
from qualys_oca.api.assets import delete_asset, get_asset_status, get_subscription_asset_status, provision_asset
from qualys_oca.api.bulk import provision_assets_bulk, revoke_assets_bulk
from qualys_oca.api.commands import list_asset_commands, upload_command_output, upload_command_output_bulk
from qualys_oca.api.technologies import list_technologies, list_technology_commands
from qualys_oca.models import (
    AssetListRequest,
    AssetRequest,
    BulkCommandOutputUpload,
    BulkProvisionUpload,
    CommandOutputUpload,
    ErrorResponse,
)
from qualys_oca.types import UNSET, File, Unset

from ._calls import BodyProblem, Call
from ._errors import InputProblem, InputValidationError
from ._failures import parsed_json
from .types import (
    AssetStatusItem,
    BulkProvisionResult,
    BulkRevokeResult,
    FailedProvision,
    ProvisionedAsset,
    ProvisionResult,
    SkippedProvision,
    Technology,
    parse_oca_time,
)

# AssetSpec is what users build; the rest is the plumbing behind ``qualys.oca``.
__all__ = ["AssetSpec"]

Content = str | bytes | os.PathLike[str] | BinaryIO

#: Columns of the bulk provision file, in the guide's field order (specs/PROVENANCE.md, UNCONFIRMED).
BULK_COLUMNS = ("dnsName", "hostIP", "mac", "modelName", "netbios", "serialNumber", "technology", "type", "uuid")
MAX_BULK_ROWS = 1000
POLICY_COMPLIANCE: Final = "PolicyCompliance"
# The generated parsers take a client only to read its raise_on_unexpected_status (False: the SDK decides).
_PARSING_CLIENT: Final = Client(base_url="")


@dataclass(frozen=True, slots=True)
class AssetSpec:
    """One asset to provision (``uuid`` unset) or re-provision (``uuid`` set)."""

    host_ip: str
    technology: str
    dns_name: str | None = None
    mac: str | None = None
    model_name: str | None = None
    netbios: str | None = None
    serial_number: str | None = None
    uuid: str | None = None

    @property
    def identity(self) -> tuple[str, str]:
        """What makes an asset unique to OCA: (hostIP, technology)."""
        return (self.host_ip, self.technology)

    def to_request(self) -> AssetRequest:
        """The generated model of a provision (or re-provision) request for this asset."""

        def opt(value: str | None) -> str | Unset:
            return UNSET if value is None else value

        return AssetRequest(
            host_ip=self.host_ip,
            technology=self.technology,
            type_=POLICY_COMPLIANCE,
            dns_name=opt(self.dns_name),
            mac=opt(self.mac),
            model_name=opt(self.model_name),
            netbios=opt(self.netbios),
            serial_number=opt(self.serial_number),
            uuid=opt(self.uuid),
        )

    def to_row(self) -> dict[str, str]:
        """This asset as a row of the bulk provision file, by column name (empty strings for unset fields)."""
        values = {
            "dnsName": self.dns_name, "hostIP": self.host_ip, "mac": self.mac, "modelName": self.model_name,
            "netbios": self.netbios, "serialNumber": self.serial_number, "technology": self.technology,
            "type": POLICY_COMPLIANCE, "uuid": self.uuid,
        }  # fmt: skip
        return {k: v or "" for k, v in values.items()}


def command_path_name(technology: str) -> str:
    """The technology as the commands path wants it: without ``/`` (``IBM zOS Security Server RACF 2``)."""
    return technology.replace("/", "")


def bulk_file(assets: Iterable[AssetSpec]) -> bytes:
    """The bulk provision file for these assets: a header row and one CSV row per asset."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BULK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for asset in assets:
        writer.writerow(asset.to_row())
    return out.getvalue().encode("utf-8")


def _content(value: Content) -> tuple[bytes | BinaryIO, str | None]:
    """Bytes or a binary file for an upload, and the file name to give it."""
    if isinstance(value, bytes):
        return value, None
    if isinstance(value, str):
        return value.encode("utf-8"), None
    if isinstance(value, os.PathLike):
        path = Path(value)
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise InputValidationError(
                [InputProblem(f"cannot read the file: {exc.strerror}", file=str(path))]
            ) from None
    return value, getattr(value, "name", None) and Path(str(value.name)).name


def _file(value: Content, *, default_name: str | None, mime_type: str | None) -> File:
    data, name = _content(value)
    payload = io.BytesIO(data) if isinstance(data, bytes) else data
    return File(payload=payload, file_name=name or default_name, mime_type=mime_type)


def oca_problem(parsed: Any) -> BodyProblem | None:
    """The message of an OCA error body."""
    if isinstance(parsed, ErrorResponse):
        return BodyProblem(parsed.field_error.message)
    return None


def _check_uuid(uuid: str) -> str:
    if not uuid or "/" in uuid:
        raise InputValidationError([InputProblem(f"not an asset UUID: {uuid!r}", field="uuid")])
    return uuid


class Plans:
    """The calls of OCA, shared by the sync and async clients; remembers the assets it provisioned."""

    def __init__(self, asset_flow_type: str = "DEFAULT") -> None:
        self.asset_flow_type = asset_flow_type
        self._known: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def _call(self, operation: Any, convert: Any, **kwargs: Any) -> Call[Any]:
        return Call(
            "oca", operation._get_kwargs(**kwargs), parsed_json(operation, _PARSING_CLIENT), convert, oca_problem
        )

    def list_technologies(self) -> Call[list[Technology]]:
        """Every technology OCA assesses."""

        def convert(parsed: Any) -> list[Technology]:
            return [
                Technology(
                    technology=t.technology,
                    technology_version=t.technology_version,
                    created_at=parse_oca_time(t.created_at or None),
                    updated_at=parse_oca_time(t.updated_at or None),
                )
                for t in parsed.data.items
            ]

        return self._call(list_technologies, convert)

    def list_technology_commands(self, technology: str) -> Call[list[str]]:
        """The commands of a technology (named as the commands path wants it: without ``/``)."""
        name = command_path_name(technology)
        if not name.strip():
            raise InputValidationError([InputProblem("technology is empty", field="technology")])
        return self._call(list_technology_commands, lambda p: list(p.data.items), technology_name=name)

    def list_asset_commands(self, uuid: str) -> Call[list[str]]:
        """The commands whose output an asset needs."""
        return self._call(
            list_asset_commands, lambda p: list(p.data.items), asset_uuid=_check_uuid(uuid),
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def _remember(self, asset: AssetSpec) -> Any:
        def convert(parsed: Any) -> ProvisionResult:
            result = ProvisionResult(asset_uuid=parsed.data.asset_uuid, message=parsed.message or None)
            with self._lock:
                self._known[result.asset_uuid] = asset.identity
            return result

        return convert

    def provision(self, asset: AssetSpec) -> Call[ProvisionResult]:
        """Provision one asset (it must have no ``uuid``); remembers it, for :meth:`reprovision`'s check."""
        if asset.uuid is not None:
            raise InputValidationError([InputProblem("provision() takes no uuid; use reprovision()", field="uuid")])
        return self._call(
            provision_asset, self._remember(asset), body=asset.to_request(), asset_flow_type=self.asset_flow_type
        )

    def reprovision(self, asset: AssetSpec, original: tuple[str, str] | None) -> Call[ProvisionResult]:
        """Re-provision an asset; refuses a change of hostIP or technology it can see (``original``, or remembered)."""
        if not asset.uuid:
            raise InputValidationError([InputProblem("reprovision() needs the asset's uuid", field="uuid")])
        with self._lock:
            known = original or self._known.get(asset.uuid)
        if known is not None:
            problems = [
                InputProblem(f"a re-provision cannot change {name}: asset {asset.uuid} has {old!r}, not {new!r}",
                             field=name)
                for name, old, new in zip(("hostIP", "technology"), known, asset.identity, strict=True)
                if old != new
            ]  # fmt: skip
            if problems:
                raise InputValidationError(problems)
        return self._call(
            provision_asset, self._remember(asset), body=asset.to_request(), asset_flow_type=self.asset_flow_type
        )

    def get_status(self, uuid: str) -> Call[str]:
        """An asset's provision status."""
        return self._call(
            get_asset_status, lambda p: str(p.data.status), asset_uuid=_check_uuid(uuid),
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def upload_command_outputs(self, uuid: str, outputs: Mapping[str, Content]) -> Call[str | None]:
        """Upload command outputs of an asset, by command name, in one call."""
        if not outputs:
            raise InputValidationError([InputProblem("no command output to upload", field="outputs")])
        body = CommandOutputUpload()
        for command, output in outputs.items():
            if not command.strip():
                raise InputValidationError([InputProblem("a command name is empty", field="command")])
            data, name = _content(output)
            # A plain value goes as a form field, like curl -F 'cmd=text'; a file keeps its name, like -F 'cmd=@file'.
            payload = io.BytesIO(data) if isinstance(data, bytes) else data
            body[command] = File(payload=payload, file_name=name, mime_type="text/plain" if name else None)
        return self._call(
            upload_command_output, lambda p: p.message or None, asset_uuid=_check_uuid(uuid), body=body,
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def upload_command_output_bulk(self, uuid: str, content: Content) -> Call[str | None]:
        """Upload one ``.txt`` file holding the output of every command of an asset."""
        data = BulkCommandOutputUpload(data=_file(content, default_name="command_output.txt", mime_type="text/plain"))
        if data.data.file_name and not data.data.file_name.lower().endswith(".txt"):
            raise InputValidationError(
                [InputProblem("the bulk command output must be a .txt file (the server answers ERR-2070)",
                              file=data.data.file_name)]
            )  # fmt: skip
        return self._call(
            upload_command_output_bulk, lambda p: p.message or None, asset_uuid=_check_uuid(uuid), body=data,
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def delete(self, uuid: str) -> Call[str]:
        """Delete an asset."""
        return self._call(
            delete_asset, lambda p: p.data.asset_uuid, asset_uuid=_check_uuid(uuid),
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def provision_bulk(self, assets: Iterable[AssetSpec]) -> Call[BulkProvisionResult]:
        """Provision 1 to 1000 assets in one call, from the bulk file the client writes."""
        rows = list(assets)
        if not rows:
            raise InputValidationError([InputProblem("no asset to provision", field="assets")])
        if len(rows) > MAX_BULK_ROWS:
            raise InputValidationError(
                [InputProblem(f"{len(rows)} assets in one call; the API takes at most {MAX_BULK_ROWS}", field="assets")]
            )
        upload = BulkProvisionUpload(
            data=File(payload=io.BytesIO(bulk_file(rows)), file_name="assets.csv", mime_type="text/csv")
        )

        def convert(parsed: Any) -> BulkProvisionResult:
            items = parsed.data.items

            def listed(value: Any) -> list[Any]:
                return [] if isinstance(value, Unset) or value is None else list(value)

            def opt(value: Any) -> str | None:
                return None if isinstance(value, Unset) or value is None else str(value)

            return BulkProvisionResult(
                successful=[ProvisionedAsset(a.uuid, a.ip, a.technology) for a in listed(items.successful_provisions)],
                failed=[
                    FailedProvision(opt(a.ip), opt(a.technology), opt(a.reason))
                    for a in listed(items.failed_provisions)
                ],
                skipped=[
                    SkippedProvision(opt(a.uuid), opt(a.ip), opt(a.technology), opt(a.reason))
                    for a in listed(items.skipped_provisions)
                ],
            )

        return self._call(
            provision_assets_bulk, convert, body=upload, manifest_types=POLICY_COMPLIANCE,
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def revoke_bulk(self, uuids: Iterable[str]) -> Call[BulkRevokeResult]:
        """Delete many assets in one call."""
        asset_list = [_check_uuid(u) for u in uuids]
        if not asset_list:
            raise InputValidationError([InputProblem("no asset to revoke", field="uuids")])

        def convert(parsed: Any) -> BulkRevokeResult:
            items = parsed.data.items
            revoked = [] if isinstance(items.successful_revoke, Unset) else list(items.successful_revoke)
            failed = [] if isinstance(items.failed_revoke, Unset) else list(items.failed_revoke)
            return BulkRevokeResult(revoked=revoked, failed=failed)

        return self._call(
            revoke_assets_bulk, convert, body=AssetListRequest(asset_list=asset_list),
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def subscription_status(self, days: int) -> Call[list[AssetStatusItem]]:
        """The status of every asset provisioned in the last ``days`` days (1 to 30)."""
        if not 1 <= days <= 30:
            raise InputValidationError([InputProblem(f"days must be 1..30, got {days}", field="days")])
        return self._call(
            get_subscription_asset_status,
            lambda p: [AssetStatusItem(i.asset_uuid, i.status) for i in p.data.items],
            number_of_days=days,
            asset_flow_type=self.asset_flow_type,
        )
