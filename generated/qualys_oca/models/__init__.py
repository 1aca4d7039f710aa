"""Contains all the data models used in inputs/outputs"""

from .asset_list_request import AssetListRequest
from .asset_request import AssetRequest
from .asset_status_data import AssetStatusData
from .asset_status_item import AssetStatusItem
from .asset_status_list_data import AssetStatusListData
from .asset_status_list_response import AssetStatusListResponse
from .asset_status_response import AssetStatusResponse
from .asset_uuid_data import AssetUUIDData
from .asset_uuid_response import AssetUUIDResponse
from .auth_request import AuthRequest
from .bulk_asset_row import BulkAssetRow
from .bulk_command_output_upload import BulkCommandOutputUpload
from .bulk_provision_count import BulkProvisionCount
from .bulk_provision_data import BulkProvisionData
from .bulk_provision_items import BulkProvisionItems
from .bulk_provision_response import BulkProvisionResponse
from .bulk_provision_upload import BulkProvisionUpload
from .bulk_revoke_data import BulkRevokeData
from .bulk_revoke_items import BulkRevokeItems
from .bulk_revoke_response import BulkRevokeResponse
from .command_list_data import CommandListData
from .command_list_response import CommandListResponse
from .command_output_upload import CommandOutputUpload
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .failed_provision import FailedProvision
from .manifest_type import ManifestType
from .message_response import MessageResponse
from .provision_assets_bulk_manifest_types import ProvisionAssetsBulkManifestTypes
from .provisioned_asset import ProvisionedAsset
from .skipped_provision import SkippedProvision
from .technology import Technology
from .technology_list_data import TechnologyListData
from .technology_list_response import TechnologyListResponse

__all__ = (
    "AssetListRequest",
    "AssetRequest",
    "AssetStatusData",
    "AssetStatusItem",
    "AssetStatusListData",
    "AssetStatusListResponse",
    "AssetStatusResponse",
    "AssetUUIDData",
    "AssetUUIDResponse",
    "AuthRequest",
    "BulkAssetRow",
    "BulkCommandOutputUpload",
    "BulkProvisionCount",
    "BulkProvisionData",
    "BulkProvisionItems",
    "BulkProvisionResponse",
    "BulkProvisionUpload",
    "BulkRevokeData",
    "BulkRevokeItems",
    "BulkRevokeResponse",
    "CommandListData",
    "CommandListResponse",
    "CommandOutputUpload",
    "ErrorDetail",
    "ErrorResponse",
    "FailedProvision",
    "ManifestType",
    "MessageResponse",
    "ProvisionAssetsBulkManifestTypes",
    "ProvisionedAsset",
    "SkippedProvision",
    "Technology",
    "TechnologyListData",
    "TechnologyListResponse",
)
