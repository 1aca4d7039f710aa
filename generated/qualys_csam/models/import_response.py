from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImportResponse")


@_attrs_define
class ImportResponse:
    response_code: str
    """ Outcome. Known values: `SUCCESS`, `FAILED`. Open: other values may appear.
     """
    request_id: str | Unset = UNSET
    response_message: str | Unset = UNSET
    failed_ids: list[int | str] | None | Unset = UNSET
    """ Records that were not imported; `null` when none failed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response_code = self.response_code

        request_id = self.request_id

        response_message = self.response_message

        failed_ids: list[int | str] | None | Unset
        if isinstance(self.failed_ids, Unset):
            failed_ids = UNSET
        elif isinstance(self.failed_ids, list):
            failed_ids = []
            for failed_ids_type_0_item_data in self.failed_ids:
                failed_ids_type_0_item: int | str
                failed_ids_type_0_item = failed_ids_type_0_item_data
                failed_ids.append(failed_ids_type_0_item)

        else:
            failed_ids = self.failed_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "responseCode": response_code,
            }
        )
        if request_id is not UNSET:
            field_dict["requestId"] = request_id
        if response_message is not UNSET:
            field_dict["responseMessage"] = response_message
        if failed_ids is not UNSET:
            field_dict["failedIds"] = failed_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        response_code = d.pop("responseCode")

        request_id = d.pop("requestId", UNSET)

        response_message = d.pop("responseMessage", UNSET)

        def _parse_failed_ids(data: object) -> list[int | str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                failed_ids_type_0 = []
                _failed_ids_type_0 = data
                for failed_ids_type_0_item_data in _failed_ids_type_0:

                    def _parse_failed_ids_type_0_item(data: object) -> int | str:
                        return cast(int | str, data)

                    failed_ids_type_0_item = _parse_failed_ids_type_0_item(
                        failed_ids_type_0_item_data
                    )

                    failed_ids_type_0.append(failed_ids_type_0_item)

                return failed_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int | str] | None | Unset, data)

        failed_ids = _parse_failed_ids(d.pop("failedIds", UNSET))

        import_response = cls(
            response_code=response_code,
            request_id=request_id,
            response_message=response_message,
            failed_ids=failed_ids,
        )

        import_response.additional_properties = d
        return import_response

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
