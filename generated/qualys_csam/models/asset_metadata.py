from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.assigned_location import AssignedLocation


T = TypeVar("T", bound="AssetMetadata")


@_attrs_define
class AssetMetadata:
    """Business metadata of one asset. Fields beyond the sample's are
    passed through. Character limits (`maxLength`) are from the online
    docs, docs.qualys.com/en/csam/api/business_information/import_asset_business_metadata.htm
    ("Character Limit" column).

    """

    operational_status: str | Unset = UNSET
    environment: str | Unset = UNSET
    company: str | Unset = UNSET
    department: str | Unset = UNSET
    owned_by: str | Unset = UNSET
    managed_by: str | Unset = UNSET
    supported_by: str | Unset = UNSET
    support_group: str | Unset = UNSET
    business_app_ids: list[str] | Unset = UNSET
    """ Business apps the asset belongs to. Unknown ids are skipped, not failed. """
    assigned_location: AssignedLocation | Unset = UNSET
    """ Character limits from the online docs (import_asset_business_metadata.htm);
    `street` has none there.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operational_status = self.operational_status

        environment = self.environment

        company = self.company

        department = self.department

        owned_by = self.owned_by

        managed_by = self.managed_by

        supported_by = self.supported_by

        support_group = self.support_group

        business_app_ids: list[str] | Unset = UNSET
        if not isinstance(self.business_app_ids, Unset):
            business_app_ids = self.business_app_ids

        assigned_location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.assigned_location, Unset):
            assigned_location = self.assigned_location.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if operational_status is not UNSET:
            field_dict["operationalStatus"] = operational_status
        if environment is not UNSET:
            field_dict["environment"] = environment
        if company is not UNSET:
            field_dict["company"] = company
        if department is not UNSET:
            field_dict["department"] = department
        if owned_by is not UNSET:
            field_dict["ownedBy"] = owned_by
        if managed_by is not UNSET:
            field_dict["managedBy"] = managed_by
        if supported_by is not UNSET:
            field_dict["supportedBy"] = supported_by
        if support_group is not UNSET:
            field_dict["supportGroup"] = support_group
        if business_app_ids is not UNSET:
            field_dict["businessAppIds"] = business_app_ids
        if assigned_location is not UNSET:
            field_dict["assignedLocation"] = assigned_location

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.assigned_location import AssignedLocation

        d = dict(src_dict)
        operational_status = d.pop("operationalStatus", UNSET)

        environment = d.pop("environment", UNSET)

        company = d.pop("company", UNSET)

        department = d.pop("department", UNSET)

        owned_by = d.pop("ownedBy", UNSET)

        managed_by = d.pop("managedBy", UNSET)

        supported_by = d.pop("supportedBy", UNSET)

        support_group = d.pop("supportGroup", UNSET)

        business_app_ids = cast(list[str], d.pop("businessAppIds", UNSET))

        _assigned_location = d.pop("assignedLocation", UNSET)
        assigned_location: AssignedLocation | Unset
        if isinstance(_assigned_location, Unset):
            assigned_location = UNSET
        else:
            assigned_location = AssignedLocation.from_dict(_assigned_location)

        asset_metadata = cls(
            operational_status=operational_status,
            environment=environment,
            company=company,
            department=department,
            owned_by=owned_by,
            managed_by=managed_by,
            supported_by=supported_by,
            support_group=support_group,
            business_app_ids=business_app_ids,
            assigned_location=assigned_location,
        )

        asset_metadata.additional_properties = d
        return asset_metadata

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
