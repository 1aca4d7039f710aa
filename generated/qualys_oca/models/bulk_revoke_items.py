from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkRevokeItems")


@_attrs_define
class BulkRevokeItems:
    successful_revoke: list[str] | Unset = UNSET
    failed_revoke: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        successful_revoke: list[str] | Unset = UNSET
        if not isinstance(self.successful_revoke, Unset):
            successful_revoke = self.successful_revoke

        failed_revoke: list[str] | Unset = UNSET
        if not isinstance(self.failed_revoke, Unset):
            failed_revoke = self.failed_revoke

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if successful_revoke is not UNSET:
            field_dict["successfulRevoke"] = successful_revoke
        if failed_revoke is not UNSET:
            field_dict["failedRevoke"] = failed_revoke

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        successful_revoke = cast(list[str], d.pop("successfulRevoke", UNSET))

        failed_revoke = cast(list[str], d.pop("failedRevoke", UNSET))

        bulk_revoke_items = cls(
            successful_revoke=successful_revoke,
            failed_revoke=failed_revoke,
        )

        bulk_revoke_items.additional_properties = d
        return bulk_revoke_items

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
