from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.asset_request import AssetRequest
from ...models.asset_uuid_response import AssetUUIDResponse
from ...models.error_response import ErrorResponse
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: AssetRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(asset_flow_type, Unset):
        headers["assetFlowType"] = asset_flow_type

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/ocaapi/v2.0/asset",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssetUUIDResponse | ErrorResponse:
    if response.status_code == 200:
        response_200 = AssetUUIDResponse.from_dict(response.json())

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
) -> Response[AssetUUIDResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AssetRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[AssetUUIDResponse | ErrorResponse]:
    """Provision an Asset, or Re-Provision Asset when `uuid` is given

     Without `uuid` this provisions a new asset ("Provision an Asset"); the
    asset starts in status `Provision Requested` and moves to
    `Provision Confirmed`.

    With `uuid` it re-provisions that existing asset ("Re-Provision
    Asset"). Then `hostIP`, `type` and `technology` must be sent with
    their current values: they cannot be changed. Every other field can
    be updated.

    `modelName` and `serialNumber` are not required when `assetFlowType`
    is `DEFAULT`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetRequest): Body of provision and re-provision. A `uuid` makes it a
            re-provision of that asset.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetUUIDResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        asset_flow_type=asset_flow_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AssetRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> AssetUUIDResponse | ErrorResponse | None:
    """Provision an Asset, or Re-Provision Asset when `uuid` is given

     Without `uuid` this provisions a new asset ("Provision an Asset"); the
    asset starts in status `Provision Requested` and moves to
    `Provision Confirmed`.

    With `uuid` it re-provisions that existing asset ("Re-Provision
    Asset"). Then `hostIP`, `type` and `technology` must be sent with
    their current values: they cannot be changed. Every other field can
    be updated.

    `modelName` and `serialNumber` are not required when `assetFlowType`
    is `DEFAULT`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetRequest): Body of provision and re-provision. A `uuid` makes it a
            re-provision of that asset.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetUUIDResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        asset_flow_type=asset_flow_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AssetRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[AssetUUIDResponse | ErrorResponse]:
    """Provision an Asset, or Re-Provision Asset when `uuid` is given

     Without `uuid` this provisions a new asset ("Provision an Asset"); the
    asset starts in status `Provision Requested` and moves to
    `Provision Confirmed`.

    With `uuid` it re-provisions that existing asset ("Re-Provision
    Asset"). Then `hostIP`, `type` and `technology` must be sent with
    their current values: they cannot be changed. Every other field can
    be updated.

    `modelName` and `serialNumber` are not required when `assetFlowType`
    is `DEFAULT`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetRequest): Body of provision and re-provision. A `uuid` makes it a
            re-provision of that asset.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetUUIDResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        asset_flow_type=asset_flow_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AssetRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> AssetUUIDResponse | ErrorResponse | None:
    """Provision an Asset, or Re-Provision Asset when `uuid` is given

     Without `uuid` this provisions a new asset ("Provision an Asset"); the
    asset starts in status `Provision Requested` and moves to
    `Provision Confirmed`.

    With `uuid` it re-provisions that existing asset ("Re-Provision
    Asset"). Then `hostIP`, `type` and `technology` must be sent with
    their current values: they cannot be changed. Every other field can
    be updated.

    `modelName` and `serialNumber` are not required when `assetFlowType`
    is `DEFAULT`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetRequest): Body of provision and re-provision. A `uuid` makes it a
            re-provision of that asset.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetUUIDResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            asset_flow_type=asset_flow_type,
        )
    ).parsed
