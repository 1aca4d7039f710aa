from typing import Literal

ProvisionAssetsBulkManifestTypes = Literal["PolicyCompliance"]

PROVISION_ASSETS_BULK_MANIFEST_TYPES_VALUES: set[ProvisionAssetsBulkManifestTypes] = {
    "PolicyCompliance",
}


def check_provision_assets_bulk_manifest_types(
    value: str,
) -> ProvisionAssetsBulkManifestTypes:
    if value in PROVISION_ASSETS_BULK_MANIFEST_TYPES_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PROVISION_ASSETS_BULK_MANIFEST_TYPES_VALUES!r}"
    )
