"""OCA v2 calls of the client: ``qualys.oca``. Each method runs one :class:`~qualys_sdk.oca.Plans` call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Unpack

from .._calls import RequestOptions
from ..oca import AssetSpec, Content, Plans
from ..types import AssetStatusItem, BulkProvisionResult, BulkRevokeResult, ProvisionResult, Technology

if TYPE_CHECKING:
    from ._client import AsyncQualys


class AsyncOCA:
    """OCA v2 calls: ``qualys.oca``.

    Every method takes ``timeout=``, ``max_retries=`` and ``max_response_bytes=``
    (:class:`~qualys_sdk._calls.RequestOptions`); each defaults to the client's.

    Example::

        from qualys_sdk import AsyncQualys

        async with AsyncQualys() as qualys:
            print(len(await qualys.oca.list_technologies()))
            asset = await qualys.oca.provision("10.0.0.1", "Fabric 7")
            print(await qualys.oca.get_status(asset.asset_uuid))
    """

    def __init__(self, client: AsyncQualys) -> None:
        self._client = client
        self._plans = Plans()

    async def list_technologies(self, **options: Unpack[RequestOptions]) -> list[Technology]:
        """Every technology OCA assesses, e.g. ``Technology("Brocade Fabric", technology_version="Fabric 7")``."""
        return await self._client.run(self._plans.list_technologies(), **options)

    async def list_technology_commands(self, technology: str, **options: Unpack[RequestOptions]) -> list[str]:
        """Commands for a technology: ``list_technology_commands("ArubaOS 6")`` -> ``["show running-config"]``.

        ``technology`` is a technologyVersion; a ``/`` in it (``IBM z/OS Security Server RACF 2``) is fine.
        """
        return await self._client.run(self._plans.list_technology_commands(technology), **options)

    async def list_asset_commands(self, uuid: str, **options: Unpack[RequestOptions]) -> list[str]:
        """Commands whose output the asset needs: ``list_asset_commands(asset_uuid)``."""
        return await self._client.run(self._plans.list_asset_commands(uuid), **options)

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
        **options: Unpack[RequestOptions],
    ) -> ProvisionResult:
        """Provision one asset: ``provision("10.0.0.1", "Fabric 7", dns_name="core-1")``.

        Not retried automatically once sent: a timeout or 5xx raises :class:`OutcomeUnknownError`
        (the asset may exist); check with :meth:`subscription_status` or a bulk provision, which skips
        assets that exist.
        """
        spec = AssetSpec(host_ip, technology, dns_name=dns_name, mac=mac, model_name=model_name, netbios=netbios,
                         serial_number=serial_number)  # fmt: skip
        return await self._client.run(self._plans.provision(spec), **options)

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
        **options: Unpack[RequestOptions],
    ) -> ProvisionResult:
        """Re-provision an asset: ``reprovision(uuid, "10.0.0.1", "Fabric 7", dns_name="core-1-new")``.

        ``host_ip`` and ``technology`` must be the asset's current values: the API cannot change them.
        The client refuses a change it can see: for assets it provisioned, or when ``original=(host_ip,
        technology)`` is given. Not retried automatically once sent (see :meth:`provision`).
        """
        spec = AssetSpec(host_ip, technology, uuid=uuid, dns_name=dns_name, mac=mac, model_name=model_name,
                         netbios=netbios, serial_number=serial_number)  # fmt: skip
        return await self._client.run(self._plans.reprovision(spec, original), **options)

    async def get_status(self, uuid: str, **options: Unpack[RequestOptions]) -> str:
        """Provision status of an asset, e.g. ``AssetStatus.PROVISION_CONFIRMED`` (``"Provision Confirmed"``)."""
        return await self._client.run(self._plans.get_status(uuid), **options)

    async def upload_command_output(
        self, uuid: str, command: str, output: Content, **options: Unpack[RequestOptions]
    ) -> str | None:
        """Upload one command's output: ``upload_command_output(uuid, "show running-config", Path("run.txt"))``.

        ``output`` is text, bytes, a path or a binary file. Returns the server's message.
        """
        return await self.upload_command_outputs(uuid, {command: output}, **options)

    async def upload_command_outputs(
        self, uuid: str, outputs: Mapping[str, Content], **options: Unpack[RequestOptions]
    ) -> str | None:
        """Upload several commands' outputs in one call: ``{"show running-config": text, "show version": path}``."""
        return await self._client.run(self._plans.upload_command_outputs(uuid, outputs), **options)

    async def upload_command_output_bulk(
        self, uuid: str, content: Content, **options: Unpack[RequestOptions]
    ) -> str | None:
        """Upload one ``.txt`` file holding the output of every command of the asset."""
        return await self._client.run(self._plans.upload_command_output_bulk(uuid, content), **options)

    async def delete(self, uuid: str, **options: Unpack[RequestOptions]) -> str:
        """Delete an asset with all its configuration data and reports; returns its UUID."""
        return await self._client.run(self._plans.delete(uuid), **options)

    async def provision_bulk(
        self, assets: Iterable[AssetSpec], **options: Unpack[RequestOptions]
    ) -> BulkProvisionResult:
        """One bulk call of at most 1000 assets (``AssetSpec`` with ``uuid`` set re-provisions that asset).

        The client writes the upload file. Assets that exist come back in ``skipped``. For more assets,
        resuming and waiting for confirmation, use the bulk helpers.
        """
        return await self._client.run(self._plans.provision_bulk(assets), **options)

    async def revoke_bulk(self, uuids: Iterable[str], **options: Unpack[RequestOptions]) -> BulkRevokeResult:
        """Delete many assets in one call; UUIDs that could not be deleted are in ``failed``."""
        return await self._client.run(self._plans.revoke_bulk(uuids), **options)

    async def subscription_status(self, days: int = 30, **options: Unpack[RequestOptions]) -> list[AssetStatusItem]:
        """Status of every asset provisioned in the last ``days`` days (1 to 30)."""
        return await self._client.run(self._plans.subscription_status(days), **options)
