from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BusinessApp")


@_attrs_define
class BusinessApp:
    """One business application. Fields beyond the sample's are passed
    through. Character limits (`maxLength`) are from the online docs,
    docs.qualys.com/en/csam/api/business_information/import_business_app_metadata.htm
    ("Character Limit" column); `status` and `usedFor` have none there.

    """

    business_app_id: str
    """ Identifier of the business app in the source system (a CMDB sys_id, for example). """
    name: str
    created: int
    """ Milliseconds since 1970-01-01T00:00:00Z. """
    last_updated: int
    """ Milliseconds since 1970-01-01T00:00:00Z. """
    business_criticality: str | Unset = UNSET
    """ e.g. `1 - Most Critical`, `3 - Low`. """
    status: str | Unset = UNSET
    environment: str | Unset = UNSET
    used_for: str | Unset = UNSET
    operational_status: str | Unset = UNSET
    owned_by: str | Unset = UNSET
    managed_by: str | Unset = UNSET
    supported_by: str | Unset = UNSET
    support_group: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business_app_id = self.business_app_id

        name = self.name

        created = self.created

        last_updated = self.last_updated

        business_criticality = self.business_criticality

        status = self.status

        environment = self.environment

        used_for = self.used_for

        operational_status = self.operational_status

        owned_by = self.owned_by

        managed_by = self.managed_by

        supported_by = self.supported_by

        support_group = self.support_group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "businessAppId": business_app_id,
                "name": name,
                "created": created,
                "lastUpdated": last_updated,
            }
        )
        if business_criticality is not UNSET:
            field_dict["businessCriticality"] = business_criticality
        if status is not UNSET:
            field_dict["status"] = status
        if environment is not UNSET:
            field_dict["environment"] = environment
        if used_for is not UNSET:
            field_dict["usedFor"] = used_for
        if operational_status is not UNSET:
            field_dict["operationalStatus"] = operational_status
        if owned_by is not UNSET:
            field_dict["ownedBy"] = owned_by
        if managed_by is not UNSET:
            field_dict["managedBy"] = managed_by
        if supported_by is not UNSET:
            field_dict["supportedBy"] = supported_by
        if support_group is not UNSET:
            field_dict["supportGroup"] = support_group

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        business_app_id = d.pop("businessAppId")

        name = d.pop("name")

        created = d.pop("created")

        last_updated = d.pop("lastUpdated")

        business_criticality = d.pop("businessCriticality", UNSET)

        status = d.pop("status", UNSET)

        environment = d.pop("environment", UNSET)

        used_for = d.pop("usedFor", UNSET)

        operational_status = d.pop("operationalStatus", UNSET)

        owned_by = d.pop("ownedBy", UNSET)

        managed_by = d.pop("managedBy", UNSET)

        supported_by = d.pop("supportedBy", UNSET)

        support_group = d.pop("supportGroup", UNSET)

        business_app = cls(
            business_app_id=business_app_id,
            name=name,
            created=created,
            last_updated=last_updated,
            business_criticality=business_criticality,
            status=status,
            environment=environment,
            used_for=used_for,
            operational_status=operational_status,
            owned_by=owned_by,
            managed_by=managed_by,
            supported_by=supported_by,
            support_group=support_group,
        )

        business_app.additional_properties = d
        return business_app

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
