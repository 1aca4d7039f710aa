from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """An error body. UNCONFIRMED: Qualys documents no CSAM error body. Both
    shapes seen on gateway APIs are covered: the CSAM envelope
    (`responseCode` `FAILED` with `responseMessage`) and the gateway's
    `{"status", "error", "message"}`. All fields are optional.

    """

    request_id: str | Unset = UNSET
    response_code: str | Unset = UNSET
    response_message: str | Unset = UNSET
    failed_ids: list[int | str] | None | Unset = UNSET
    status: int | Unset = UNSET
    error: str | Unset = UNSET
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        response_code = self.response_code

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

        status = self.status

        error = self.error

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if request_id is not UNSET:
            field_dict["requestId"] = request_id
        if response_code is not UNSET:
            field_dict["responseCode"] = response_code
        if response_message is not UNSET:
            field_dict["responseMessage"] = response_message
        if failed_ids is not UNSET:
            field_dict["failedIds"] = failed_ids
        if status is not UNSET:
            field_dict["status"] = status
        if error is not UNSET:
            field_dict["error"] = error
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        request_id = d.pop("requestId", UNSET)

        response_code = d.pop("responseCode", UNSET)

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

        status = d.pop("status", UNSET)

        error = d.pop("error", UNSET)

        message = d.pop("message", UNSET)

        error_response = cls(
            request_id=request_id,
            response_code=response_code,
            response_message=response_message,
            failed_ids=failed_ids,
            status=status,
            error=error,
            message=message,
        )

        error_response.additional_properties = d
        return error_response

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
