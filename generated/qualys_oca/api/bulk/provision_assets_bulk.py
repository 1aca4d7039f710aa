from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.bulk_provision_response import BulkProvisionResponse
from ...models.bulk_provision_upload import BulkProvisionUpload
from ...models.error_response import ErrorResponse
from ...models.provision_assets_bulk_manifest_types import (
    ProvisionAssetsBulkManifestTypes,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BulkProvisionUpload,
    manifest_types: ProvisionAssetsBulkManifestTypes,
    asset_flow_type: str | Unset = "DEFAULT",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(asset_flow_type, Unset):
        headers["assetFlowType"] = asset_flow_type

    params: dict[str, Any] = {}

    json_manifest_types: str = manifest_types
    params["manifest_types"] = json_manifest_types

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/ocaapi/v2.0/asset/bulk",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    # Content-Type is left to httpx, which picks a random multipart boundary.

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BulkProvisionResponse | ErrorResponse:
    if response.status_code == 200:
        response_200 = BulkProvisionResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    response_default = ErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BulkProvisionResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BulkProvisionUpload,
    manifest_types: ProvisionAssetsBulkManifestTypes,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[BulkProvisionResponse | ErrorResponse]:
    """Provision Assets in Bulk, or Re-Provision Assets in Bulk

     Multipart field `data`: a `.csv` or `.txt` file with at most 1000
    assets. Any other file extension is refused with `ERR-2052`.

    The guide does not give the file's columns. The SDK writes a header
    row with the field names of the single provision body (see
    `BulkAssetRow`) and one asset per row; a row with a `uuid`
    re-provisions that asset ("Re-Provision Assets in Bulk"), where
    `hostIP`, `type` and `technology` cannot change.

    Rows whose asset (hostIP, technology) already exists are returned in
    `skippedProvisions`, invalid rows in `failedProvisions`.

    Args:
        manifest_types (ProvisionAssetsBulkManifestTypes):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkProvisionUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkProvisionResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        manifest_types=manifest_types,
        asset_flow_type=asset_flow_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: BulkProvisionUpload,
    manifest_types: ProvisionAssetsBulkManifestTypes,
    asset_flow_type: str | Unset = "DEFAULT",
) -> BulkProvisionResponse | ErrorResponse | None:
    """Provision Assets in Bulk, or Re-Provision Assets in Bulk

     Multipart field `data`: a `.csv` or `.txt` file with at most 1000
    assets. Any other file extension is refused with `ERR-2052`.

    The guide does not give the file's columns. The SDK writes a header
    row with the field names of the single provision body (see
    `BulkAssetRow`) and one asset per row; a row with a `uuid`
    re-provisions that asset ("Re-Provision Assets in Bulk"), where
    `hostIP`, `type` and `technology` cannot change.

    Rows whose asset (hostIP, technology) already exists are returned in
    `skippedProvisions`, invalid rows in `failedProvisions`.

    Args:
        manifest_types (ProvisionAssetsBulkManifestTypes):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkProvisionUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkProvisionResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        manifest_types=manifest_types,
        asset_flow_type=asset_flow_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BulkProvisionUpload,
    manifest_types: ProvisionAssetsBulkManifestTypes,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[BulkProvisionResponse | ErrorResponse]:
    """Provision Assets in Bulk, or Re-Provision Assets in Bulk

     Multipart field `data`: a `.csv` or `.txt` file with at most 1000
    assets. Any other file extension is refused with `ERR-2052`.

    The guide does not give the file's columns. The SDK writes a header
    row with the field names of the single provision body (see
    `BulkAssetRow`) and one asset per row; a row with a `uuid`
    re-provisions that asset ("Re-Provision Assets in Bulk"), where
    `hostIP`, `type` and `technology` cannot change.

    Rows whose asset (hostIP, technology) already exists are returned in
    `skippedProvisions`, invalid rows in `failedProvisions`.

    Args:
        manifest_types (ProvisionAssetsBulkManifestTypes):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkProvisionUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkProvisionResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        manifest_types=manifest_types,
        asset_flow_type=asset_flow_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BulkProvisionUpload,
    manifest_types: ProvisionAssetsBulkManifestTypes,
    asset_flow_type: str | Unset = "DEFAULT",
) -> BulkProvisionResponse | ErrorResponse | None:
    """Provision Assets in Bulk, or Re-Provision Assets in Bulk

     Multipart field `data`: a `.csv` or `.txt` file with at most 1000
    assets. Any other file extension is refused with `ERR-2052`.

    The guide does not give the file's columns. The SDK writes a header
    row with the field names of the single provision body (see
    `BulkAssetRow`) and one asset per row; a row with a `uuid`
    re-provisions that asset ("Re-Provision Assets in Bulk"), where
    `hostIP`, `type` and `technology` cannot change.

    Rows whose asset (hostIP, technology) already exists are returned in
    `skippedProvisions`, invalid rows in `failedProvisions`.

    Args:
        manifest_types (ProvisionAssetsBulkManifestTypes):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkProvisionUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkProvisionResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            manifest_types=manifest_types,
            asset_flow_type=asset_flow_type,
        )
    ).parsed
