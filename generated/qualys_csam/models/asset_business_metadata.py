from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset_metadata import AssetMetadata


T = TypeVar("T", bound="AssetBusinessMetadata")


@_attrs_define
class AssetBusinessMetadata:
    """One asset's metadata. Only `qualysAssetId` is required (the online
    docs: "Required to import asset business metadata"); `metadata` may
    be left out.

    """

    qualys_asset_id: str
    """ The asset's Qualys asset ID, sent as a string of ASCII digits
    (`"6420613"`).
     """
    metadata: AssetMetadata | Unset = UNSET
    """ Business metadata of one asset. Fields beyond the sample's are
    passed through. Character limits (`maxLength`) are from the online
    docs, docs.qualys.com/en/csam/api/business_information/import_asset_business_metadata.htm
    ("Character Limit" column).
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        qualys_asset_id = self.qualys_asset_id

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "qualysAssetId": qualys_asset_id,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.asset_metadata import AssetMetadata

        d = dict(src_dict)
        qualys_asset_id = d.pop("qualysAssetId")

        _metadata = d.pop("metadata", UNSET)
        metadata: AssetMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = AssetMetadata.from_dict(_metadata)

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
