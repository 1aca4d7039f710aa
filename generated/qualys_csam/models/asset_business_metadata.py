from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.asset_metadata import AssetMetadata


T = TypeVar("T", bound="AssetBusinessMetadata")


@_attrs_define
class AssetBusinessMetadata:
    qualys_asset_id: str
    """ The asset's Qualys asset ID, sent as a string (`"6420613"`). """
    metadata: AssetMetadata
    """ Business metadata of one asset. Fields beyond the sample's are passed through. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        qualys_asset_id = self.qualys_asset_id

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "qualysAssetId": qualys_asset_id,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.asset_metadata import AssetMetadata

        d = dict(src_dict)
        qualys_asset_id = d.pop("qualysAssetId")

        metadata = AssetMetadata.from_dict(d.pop("metadata"))

        asset_business_metadata = cls(
            qualys_asset_id=qualys_asset_id,
            metadata=metadata,
        )

        asset_business_metadata.additional_properties = d
        return asset_business_metadata

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
