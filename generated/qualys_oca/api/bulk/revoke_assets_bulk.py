from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.asset_list_request import AssetListRequest
from ...models.bulk_revoke_response import BulkRevokeResponse
from ...models.error_response import ErrorResponse
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: AssetListRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(asset_flow_type, Unset):
        headers["assetFlowType"] = asset_flow_type

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/ocaapi/v2.0/asset/revoke/bulk",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BulkRevokeResponse | ErrorResponse:
    if response.status_code == 200:
        response_200 = BulkRevokeResponse.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    response_default = ErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BulkRevokeResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AssetListRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[BulkRevokeResponse | ErrorResponse]:
    """Delete Assets in Bulk

     Deletes many assets and all their configuration data and reports.
    UUIDs that could not be deleted are listed in `failedRevoke`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetListRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkRevokeResponse | ErrorResponse]
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
    body: AssetListRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> BulkRevokeResponse | ErrorResponse | None:
    """Delete Assets in Bulk

     Deletes many assets and all their configuration data and reports.
    UUIDs that could not be deleted are listed in `failedRevoke`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetListRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkRevokeResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        asset_flow_type=asset_flow_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AssetListRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[BulkRevokeResponse | ErrorResponse]:
    """Delete Assets in Bulk

     Deletes many assets and all their configuration data and reports.
    UUIDs that could not be deleted are listed in `failedRevoke`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetListRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BulkRevokeResponse | ErrorResponse]
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
    body: AssetListRequest,
    asset_flow_type: str | Unset = "DEFAULT",
) -> BulkRevokeResponse | ErrorResponse | None:
    """Delete Assets in Bulk

     Deletes many assets and all their configuration data and reports.
    UUIDs that could not be deleted are listed in `failedRevoke`.

    Args:
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (AssetListRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BulkRevokeResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            asset_flow_type=asset_flow_type,
        )
    ).parsed
