from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from .. import types
from ..types import File

T = TypeVar("T", bound="BulkProvisionUpload")


@_attrs_define
class BulkProvisionUpload:
    data: File
    """ The asset file: `.csv` or `.txt`, at most 1000 assets, one
    `BulkAssetRow` per line after a header row.
     """

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_tuple()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("data", self.data.to_tuple()))

        return files

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data = File(payload=BytesIO(d.pop("data")))

        bulk_provision_upload = cls(
            data=data,
        )

        return bulk_provision_upload
