from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.manifest_type import ManifestType, check_manifest_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="AssetRequest")


@_attrs_define
class AssetRequest:
    """Body of provision and re-provision. A `uuid` makes it a
    re-provision of that asset.

    """

    host_ip: str
    """ Host IP of the asset, not blank (whitespace alone is refused).
    Cannot change on re-provision.
     """
    technology: str
    """ A `technologyVersion` from the technology list (e.g. `Fabric 7`). Cannot change on re-provision. """
    type_: ManifestType
    """ Manifest type of the asset. Cannot change on re-provision. """
    dns_name: str | Unset = UNSET
    """ Domain name of the asset. """
    mac: str | Unset = UNSET
    """ MAC address of the asset. """
    model_name: str | Unset = UNSET
    """ Model name. Not required when `assetFlowType` is `DEFAULT`. """
    netbios: str | Unset = UNSET
    """ NetBIOS name of the asset. """
    serial_number: str | Unset = UNSET
    """ Serial number. Not required when `assetFlowType` is `DEFAULT`. """
    uuid: str | Unset = UNSET
    """ UUID of the asset to re-provision. Only for re-provisioning. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        host_ip = self.host_ip

        technology = self.technology

        type_: str = self.type_

        dns_name = self.dns_name

        mac = self.mac

        model_name = self.model_name

        netbios = self.netbios

        serial_number = self.serial_number

        uuid = self.uuid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hostIP": host_ip,
                "technology": technology,
                "type": type_,
            }
        )
        if dns_name is not UNSET:
            field_dict["dnsName"] = dns_name
        if mac is not UNSET:
            field_dict["mac"] = mac
        if model_name is not UNSET:
            field_dict["modelName"] = model_name
        if netbios is not UNSET:
            field_dict["netbios"] = netbios
        if serial_number is not UNSET:
            field_dict["serialNumber"] = serial_number
        if uuid is not UNSET:
            field_dict["uuid"] = uuid

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        host_ip = d.pop("hostIP")

        technology = d.pop("technology")

        type_ = check_manifest_type(d.pop("type"))

        dns_name = d.pop("dnsName", UNSET)

        mac = d.pop("mac", UNSET)

        model_name = d.pop("modelName", UNSET)

        netbios = d.pop("netbios", UNSET)

        serial_number = d.pop("serialNumber", UNSET)

        uuid = d.pop("uuid", UNSET)

        asset_request = cls(
            host_ip=host_ip,
            technology=technology,
            type_=type_,
            dns_name=dns_name,
            mac=mac,
            model_name=model_name,
            netbios=netbios,
            serial_number=serial_number,
            uuid=uuid,
        )

        asset_request.additional_properties = d
        return asset_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
