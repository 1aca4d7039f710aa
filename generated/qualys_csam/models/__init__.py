"""Contains all the data models used in inputs/outputs"""

from .asset_business_metadata import AssetBusinessMetadata
from .asset_metadata import AssetMetadata
from .asset_metadata_import_request import AssetMetadataImportRequest
from .assigned_location import AssignedLocation
from .auth_error_detail import AuthErrorDetail
from .auth_error_response import AuthErrorResponse
from .auth_request import AuthRequest
from .business_app import BusinessApp
from .business_app_import_request import BusinessAppImportRequest
from .error_response import ErrorResponse
from .import_response import ImportResponse

__all__ = (
    "AssetBusinessMetadata",
    "AssetMetadata",
    "AssetMetadataImportRequest",
    "AssignedLocation",
    "AuthErrorDetail",
    "AuthErrorResponse",
    "AuthRequest",
    "BusinessApp",
    "BusinessAppImportRequest",
    "ErrorResponse",
    "ImportResponse",
)
