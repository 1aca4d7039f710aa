from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bulk_provision_count import BulkProvisionCount
    from ..models.failed_provision import FailedProvision
    from ..models.provisioned_asset import ProvisionedAsset
    from ..models.skipped_provision import SkippedProvision


T = TypeVar("T", bound="BulkProvisionItems")


@_attrs_define
class BulkProvisionItems:
    count: BulkProvisionCount | Unset = UNSET
    """ How many rows went each way. The guide (v1.4 PDF) spells the third
    count `skippedProvisions`; the online pages for bulk provision and
    bulk re-provision (reprovision_assets_in_bulk.htm) spell it
    `skipppedProvisions`, with three p's, while their lists keep
    `skippedProvisions`. Both are accepted; which one the live service
    sends is UNCONFIRMED.
     """
    successful_provisions: list[ProvisionedAsset] | Unset = UNSET
    failed_provisions: list[FailedProvision] | Unset = UNSET
    skipped_provisions: list[SkippedProvision] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count: dict[str, Any] | Unset = UNSET
        if not isinstance(self.count, Unset):
            count = self.count.to_dict()

        successful_provisions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.successful_provisions, Unset):
            successful_provisions = []
            for successful_provisions_item_data in self.successful_provisions:
                successful_provisions_item = successful_provisions_item_data.to_dict()
                successful_provisions.append(successful_provisions_item)

        failed_provisions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed_provisions, Unset):
            failed_provisions = []
            for failed_provisions_item_data in self.failed_provisions:
                failed_provisions_item = failed_provisions_item_data.to_dict()
                failed_provisions.append(failed_provisions_item)

        skipped_provisions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.skipped_provisions, Unset):
            skipped_provisions = []
            for skipped_provisions_item_data in self.skipped_provisions:
                skipped_provisions_item = skipped_provisions_item_data.to_dict()
                skipped_provisions.append(skipped_provisions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if count is not UNSET:
            field_dict["count"] = count
        if successful_provisions is not UNSET:
            field_dict["successfulProvisions"] = successful_provisions
        if failed_provisions is not UNSET:
            field_dict["failedProvisions"] = failed_provisions
        if skipped_provisions is not UNSET:
            field_dict["skippedProvisions"] = skipped_provisions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bulk_provision_count import BulkProvisionCount
        from ..models.failed_provision import FailedProvision
        from ..models.provisioned_asset import ProvisionedAsset
        from ..models.skipped_provision import SkippedProvision

        d = dict(src_dict)
        _count = d.pop("count", UNSET)
        count: BulkProvisionCount | Unset
        if isinstance(_count, Unset):
            count = UNSET
        else:
            count = BulkProvisionCount.from_dict(_count)

        _successful_provisions = d.pop("successfulProvisions", UNSET)
        successful_provisions: list[ProvisionedAsset] | Unset = UNSET
        if _successful_provisions is not UNSET:
            successful_provisions = []
            for successful_provisions_item_data in _successful_provisions:
                successful_provisions_item = ProvisionedAsset.from_dict(
                    successful_provisions_item_data
                )

                successful_provisions.append(successful_provisions_item)

        _failed_provisions = d.pop("failedProvisions", UNSET)
        failed_provisions: list[FailedProvision] | Unset = UNSET
        if _failed_provisions is not UNSET:
            failed_provisions = []
            for failed_provisions_item_data in _failed_provisions:
                failed_provisions_item = FailedProvision.from_dict(
                    failed_provisions_item_data
                )

                failed_provisions.append(failed_provisions_item)

        _skipped_provisions = d.pop("skippedProvisions", UNSET)
        skipped_provisions: list[SkippedProvision] | Unset = UNSET
        if _skipped_provisions is not UNSET:
            skipped_provisions = []
            for skipped_provisions_item_data in _skipped_provisions:
                skipped_provisions_item = SkippedProvision.from_dict(
                    skipped_provisions_item_data
                )

                skipped_provisions.append(skipped_provisions_item)

        bulk_provision_items = cls(
            count=count,
            successful_provisions=successful_provisions,
            failed_provisions=failed_provisions,
            skipped_provisions=skipped_provisions,
        )

        bulk_provision_items.additional_properties = d
        return bulk_provision_items

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
