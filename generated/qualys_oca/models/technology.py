from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Technology")


@_attrs_define
class Technology:
    technology: str
    """ Technology family, e.g. `Brocade Fabric`. """
    technology_version: str
    """ The value to use as `technology` when provisioning, e.g. `Fabric 7`. """
    created_at: str | Unset = UNSET
    """ Qualys OCA timestamp, milliseconds and a `+hhmm` offset:
    `2019-01-21T07:06:07.000+0000`. Not RFC 3339.
     """
    updated_at: str | Unset = UNSET
    """ Qualys OCA timestamp, milliseconds and a `+hhmm` offset:
    `2019-01-21T07:06:07.000+0000`. Not RFC 3339.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        technology = self.technology

        technology_version = self.technology_version

        created_at = self.created_at

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "technology": technology,
                "technologyVersion": technology_version,
            }
        )
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        technology = d.pop("technology")

        technology_version = d.pop("technologyVersion")

        created_at = d.pop("createdAt", UNSET)

        updated_at = d.pop("updatedAt", UNSET)

        technology = cls(
            technology=technology,
            technology_version=technology_version,
            created_at=created_at,
            updated_at=updated_at,
        )

        technology.additional_properties = d
        return technology

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
