from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkProvisionCount")


@_attrs_define
class BulkProvisionCount:
    """How many rows went each way. The guide (v1.4 PDF) spells the third
    count `skippedProvisions`; the online pages for bulk provision and
    bulk re-provision (reprovision_assets_in_bulk.htm) spell it
    `skipppedProvisions`, with three p's, while their lists keep
    `skippedProvisions`. Both are accepted; which one the live service
    sends is UNCONFIRMED.

    """

    successful_provisions: int | Unset = UNSET
    failed_provisions: int | Unset = UNSET
    skipped_provisions: int | Unset = UNSET
    skippped_provisions: int | Unset = UNSET
    """ The online docs' spelling of `skippedProvisions`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        successful_provisions = self.successful_provisions

        failed_provisions = self.failed_provisions

        skipped_provisions = self.skipped_provisions

        skippped_provisions = self.skippped_provisions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if successful_provisions is not UNSET:
            field_dict["successfulProvisions"] = successful_provisions
        if failed_provisions is not UNSET:
            field_dict["failedProvisions"] = failed_provisions
        if skipped_provisions is not UNSET:
            field_dict["skippedProvisions"] = skipped_provisions
        if skippped_provisions is not UNSET:
            field_dict["skipppedProvisions"] = skippped_provisions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        successful_provisions = d.pop("successfulProvisions", UNSET)

        failed_provisions = d.pop("failedProvisions", UNSET)

        skipped_provisions = d.pop("skippedProvisions", UNSET)

        skippped_provisions = d.pop("skipppedProvisions", UNSET)

        bulk_provision_count = cls(
            successful_provisions=successful_provisions,
            failed_provisions=failed_provisions,
            skipped_provisions=skipped_provisions,
            skippped_provisions=skippped_provisions,
        )

        bulk_provision_count.additional_properties = d
        return bulk_provision_count

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
