from typing import Literal

ManifestType = Literal["PolicyCompliance"]

MANIFEST_TYPE_VALUES: set[ManifestType] = {
    "PolicyCompliance",
}


def check_manifest_type(value: str) -> ManifestType:
    if value in MANIFEST_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {MANIFEST_TYPE_VALUES!r}"
    )
