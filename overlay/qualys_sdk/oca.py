"""OCA v2 (Out-of-Band Configuration Assessment): ``Qualys(...).oca`` and ``AsyncQualys(...).oca``.

Each method describes its call once (the ``_plan_*`` functions: generated
operation, arguments, conversion of the result); the sync and async classes
only run the plan. API quirks hidden here:

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

from ._calls import AsyncRunner, Call, Runner
from ._errors import InputProblem, InputValidationError
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

Content = str | bytes | os.PathLike[str] | BinaryIO

#: Columns of the bulk provision file, in the guide's field order (specs/PROVENANCE.md, UNCONFIRMED).
BULK_COLUMNS = ("dnsName", "hostIP", "mac", "modelName", "netbios", "serialNumber", "technology", "type", "uuid")
MAX_BULK_ROWS = 1000
POLICY_COMPLIANCE: Final = "PolicyCompliance"


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


def oca_error_fields(parsed: Any) -> tuple[str | None, str | None, str | None]:
    if isinstance(parsed, ErrorResponse):
        return parsed.field_error.message, None, None
    return None, None, None


def _check_uuid(uuid: str) -> str:
    if not uuid or "/" in uuid:
        raise InputValidationError([InputProblem(f"not an asset UUID: {uuid!r}", field="uuid")])
    return uuid


class _Plans:
    """The calls of OCA, shared by the sync and async clients; remembers the assets it provisioned."""

    def __init__(self, asset_flow_type: str = "DEFAULT") -> None:
        self.asset_flow_type = asset_flow_type
        self._known: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def _call(self, operation: Any, convert: Any, **kwargs: Any) -> Call[Any]:
        return Call(operation, kwargs, convert, client="oca", error_fields=oca_error_fields)

    def list_technologies(self) -> Call[list[Technology]]:
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
        name = command_path_name(technology)
        if not name.strip():
            raise InputValidationError([InputProblem("technology is empty", field="technology")])
        return self._call(list_technology_commands, lambda p: list(p.data.items), technology_name=name)

    def list_asset_commands(self, uuid: str) -> Call[list[str]]:
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
        if asset.uuid is not None:
            raise InputValidationError([InputProblem("provision() takes no uuid; use reprovision()", field="uuid")])
        return self._call(
            provision_asset, self._remember(asset), body=asset.to_request(), asset_flow_type=self.asset_flow_type
        )

    def reprovision(self, asset: AssetSpec, original: tuple[str, str] | None) -> Call[ProvisionResult]:
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
        return self._call(
            get_asset_status, lambda p: str(p.data.status), asset_uuid=_check_uuid(uuid),
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def upload_command_outputs(self, uuid: str, outputs: Mapping[str, Content]) -> Call[str | None]:
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
        return self._call(
            delete_asset, lambda p: p.data.asset_uuid, asset_uuid=_check_uuid(uuid),
            asset_flow_type=self.asset_flow_type,
        )  # fmt: skip

    def provision_bulk(self, assets: Iterable[AssetSpec]) -> Call[BulkProvisionResult]:
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
        if not 1 <= days <= 30:
            raise InputValidationError([InputProblem(f"days must be 1..30, got {days}", field="days")])
        return self._call(
            get_subscription_asset_status,
            lambda p: [AssetStatusItem(i.asset_uuid, i.status) for i in p.data.items],
            number_of_days=days,
            asset_flow_type=self.asset_flow_type,
        )


def _spec(host_ip: str, technology: str, uuid: str | None = None, **optional: str | None) -> AssetSpec:
    return AssetSpec(host_ip=host_ip, technology=technology, uuid=uuid, **optional)


class OCA:
    """OCA v2 calls. Every method takes ``timeout=`` (total seconds for the call, retries included) and
    ``max_retries=``; both default to the client's.

    Example::

        with Qualys(platform="US2") as qualys:
            for tech in qualys.oca.list_technologies():
                print(tech.technology_version)
            asset = qualys.oca.provision("10.0.0.1", "Fabric 7")
            print(qualys.oca.get_status(asset.asset_uuid))
    """

    def __init__(self, runner: Runner, plans: _Plans) -> None:
        self._runner = runner
        self._plans = plans

    def list_technologies(self, *, timeout: float | None = None, max_retries: int | None = None) -> list[Technology]:
        """Every technology OCA assesses, e.g. ``Technology("Brocade Fabric", technology_version="Fabric 7")``."""
        return self._runner.run(self._plans.list_technologies(), timeout=timeout, max_retries=max_retries)

    def list_technology_commands(
        self, technology: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[str]:
        """Commands for a technology: ``list_technology_commands("ArubaOS 6")`` -> ``["show running-config"]``.

        ``technology`` is a technologyVersion; a ``/`` in it (``IBM z/OS Security Server RACF 2``) is fine.
        """
        return self._runner.run(
            self._plans.list_technology_commands(technology), timeout=timeout, max_retries=max_retries
        )

    def list_asset_commands(
        self, uuid: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[str]:
        """Commands whose output the asset needs: ``list_asset_commands(asset_uuid)``."""
        return self._runner.run(self._plans.list_asset_commands(uuid), timeout=timeout, max_retries=max_retries)

    def provision(
        self,
        host_ip: str,
        technology: str,
        *,
        dns_name: str | None = None,
        mac: str | None = None,
        model_name: str | None = None,
        netbios: str | None = None,
        serial_number: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ProvisionResult:
        """Provision one asset: ``provision("10.0.0.1", "Fabric 7", dns_name="core-1")``.

        Not retried automatically once sent: a timeout or 5xx raises :class:`OutcomeUnknownError`
        (the asset may exist); check with :meth:`subscription_status` or a bulk provision, which skips
        assets that exist.
        """
        spec = _spec(host_ip, technology, dns_name=dns_name, mac=mac, model_name=model_name, netbios=netbios,
                     serial_number=serial_number)  # fmt: skip
        return self._runner.run(self._plans.provision(spec), timeout=timeout, max_retries=max_retries)

    def reprovision(
        self,
        uuid: str,
        host_ip: str,
        technology: str,
        *,
        dns_name: str | None = None,
        mac: str | None = None,
        model_name: str | None = None,
        netbios: str | None = None,
        serial_number: str | None = None,
        original: tuple[str, str] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ProvisionResult:
        """Re-provision an asset: ``reprovision(uuid, "10.0.0.1", "Fabric 7", dns_name="core-1-new")``.

        ``host_ip`` and ``technology`` must be the asset's current values: the API cannot change them.
        The client refuses a change it can see: for assets it provisioned, or when ``original=(host_ip,
        technology)`` is given. Not retried automatically once sent (see :meth:`provision`).
        """
        spec = _spec(host_ip, technology, uuid=uuid, dns_name=dns_name, mac=mac, model_name=model_name,
                     netbios=netbios, serial_number=serial_number)  # fmt: skip
        return self._runner.run(self._plans.reprovision(spec, original), timeout=timeout, max_retries=max_retries)

    def get_status(self, uuid: str, *, timeout: float | None = None, max_retries: int | None = None) -> str:
        """Provision status of an asset, e.g. ``AssetStatus.PROVISION_CONFIRMED`` (``"Provision Confirmed"``)."""
        return self._runner.run(self._plans.get_status(uuid), timeout=timeout, max_retries=max_retries)

    def upload_command_output(
        self, uuid: str, command: str, output: Content, *, timeout: float | None = None, max_retries: int | None = None
    ) -> str | None:
        """Upload one command's output: ``upload_command_output(uuid, "show running-config", Path("run.txt"))``.

        ``output`` is text, bytes, a path or a binary file. Returns the server's message.
        """
        return self.upload_command_outputs(uuid, {command: output}, timeout=timeout, max_retries=max_retries)

    def upload_command_outputs(
        self, uuid: str, outputs: Mapping[str, Content], *, timeout: float | None = None, max_retries: int | None = None
    ) -> str | None:
        """Upload several commands' outputs in one call: ``{"show running-config": text, "show version": path}``."""
        plan = self._plans.upload_command_outputs(uuid, outputs)
        return self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    def upload_command_output_bulk(
        self, uuid: str, content: Content, *, timeout: float | None = None, max_retries: int | None = None
    ) -> str | None:
        """Upload one ``.txt`` file holding the output of every command of the asset."""
        plan = self._plans.upload_command_output_bulk(uuid, content)
        return self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    def delete(self, uuid: str, *, timeout: float | None = None, max_retries: int | None = None) -> str:
        """Delete an asset with all its configuration data and reports; returns its UUID."""
        return self._runner.run(self._plans.delete(uuid), timeout=timeout, max_retries=max_retries)

    def provision_bulk(
        self, assets: Iterable[AssetSpec], *, timeout: float | None = None, max_retries: int | None = None
    ) -> BulkProvisionResult:
        """One bulk call of at most 1000 assets (``AssetSpec`` with ``uuid`` set re-provisions that asset).

        The client writes the upload file. Assets that exist come back in ``skipped``. For more assets,
        resuming and waiting for confirmation, use the bulk helpers.
        """
        return self._runner.run(self._plans.provision_bulk(assets), timeout=timeout, max_retries=max_retries)

    def revoke_bulk(
        self, uuids: Iterable[str], *, timeout: float | None = None, max_retries: int | None = None
    ) -> BulkRevokeResult:
        """Delete many assets in one call; UUIDs that could not be deleted are in ``failed``."""
        return self._runner.run(self._plans.revoke_bulk(uuids), timeout=timeout, max_retries=max_retries)

    def subscription_status(
        self, days: int = 30, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[AssetStatusItem]:
        """Status of every asset provisioned in the last ``days`` days (1 to 30)."""
        return self._runner.run(self._plans.subscription_status(days), timeout=timeout, max_retries=max_retries)


class AsyncOCA:
    """The async twin of :class:`OCA`: the same methods, awaited.

    Example::

        async with AsyncQualys(platform="US2") as qualys:
            technologies = await qualys.oca.list_technologies()
    """

    def __init__(self, runner: AsyncRunner, plans: _Plans) -> None:
        self._runner = runner
        self._plans = plans

    async def list_technologies(
        self, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[Technology]:
        """See :meth:`OCA.list_technologies`."""
        return await self._runner.run(self._plans.list_technologies(), timeout=timeout, max_retries=max_retries)

    async def list_technology_commands(
        self, technology: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[str]:
        """See :meth:`OCA.list_technology_commands`."""
        plan = self._plans.list_technology_commands(technology)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    async def list_asset_commands(
        self, uuid: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[str]:
        """See :meth:`OCA.list_asset_commands`."""
        return await self._runner.run(self._plans.list_asset_commands(uuid), timeout=timeout, max_retries=max_retries)

    async def provision(
        self,
        host_ip: str,
        technology: str,
        *,
        dns_name: str | None = None,
        mac: str | None = None,
        model_name: str | None = None,
        netbios: str | None = None,
        serial_number: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ProvisionResult:
        """See :meth:`OCA.provision`."""
        spec = _spec(host_ip, technology, dns_name=dns_name, mac=mac, model_name=model_name, netbios=netbios,
                     serial_number=serial_number)  # fmt: skip
        return await self._runner.run(self._plans.provision(spec), timeout=timeout, max_retries=max_retries)

    async def reprovision(
        self,
        uuid: str,
        host_ip: str,
        technology: str,
        *,
        dns_name: str | None = None,
        mac: str | None = None,
        model_name: str | None = None,
        netbios: str | None = None,
        serial_number: str | None = None,
        original: tuple[str, str] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ProvisionResult:
        """See :meth:`OCA.reprovision`."""
        spec = _spec(host_ip, technology, uuid=uuid, dns_name=dns_name, mac=mac, model_name=model_name,
                     netbios=netbios, serial_number=serial_number)  # fmt: skip
        plan = self._plans.reprovision(spec, original)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    async def get_status(self, uuid: str, *, timeout: float | None = None, max_retries: int | None = None) -> str:
        """See :meth:`OCA.get_status`."""
        return await self._runner.run(self._plans.get_status(uuid), timeout=timeout, max_retries=max_retries)

    async def upload_command_output(
        self, uuid: str, command: str, output: Content, *, timeout: float | None = None, max_retries: int | None = None
    ) -> str | None:
        """See :meth:`OCA.upload_command_output`."""
        return await self.upload_command_outputs(uuid, {command: output}, timeout=timeout, max_retries=max_retries)

    async def upload_command_outputs(
        self, uuid: str, outputs: Mapping[str, Content], *, timeout: float | None = None, max_retries: int | None = None
    ) -> str | None:
        """See :meth:`OCA.upload_command_outputs`."""
        plan = self._plans.upload_command_outputs(uuid, outputs)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    async def upload_command_output_bulk(
        self, uuid: str, content: Content, *, timeout: float | None = None, max_retries: int | None = None
    ) -> str | None:
        """See :meth:`OCA.upload_command_output_bulk`."""
        plan = self._plans.upload_command_output_bulk(uuid, content)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)

    async def delete(self, uuid: str, *, timeout: float | None = None, max_retries: int | None = None) -> str:
        """See :meth:`OCA.delete`."""
        return await self._runner.run(self._plans.delete(uuid), timeout=timeout, max_retries=max_retries)

    async def provision_bulk(
        self, assets: Iterable[AssetSpec], *, timeout: float | None = None, max_retries: int | None = None
    ) -> BulkProvisionResult:
        """See :meth:`OCA.provision_bulk`."""
        return await self._runner.run(self._plans.provision_bulk(assets), timeout=timeout, max_retries=max_retries)

    async def revoke_bulk(
        self, uuids: Iterable[str], *, timeout: float | None = None, max_retries: int | None = None
    ) -> BulkRevokeResult:
        """See :meth:`OCA.revoke_bulk`."""
        return await self._runner.run(self._plans.revoke_bulk(uuids), timeout=timeout, max_retries=max_retries)

    async def subscription_status(
        self, days: int = 30, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[AssetStatusItem]:
        """See :meth:`OCA.subscription_status`."""
        plan = self._plans.subscription_status(days)
        return await self._runner.run(plan, timeout=timeout, max_retries=max_retries)
