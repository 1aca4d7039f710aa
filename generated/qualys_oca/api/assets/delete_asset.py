from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.asset_uuid_response import AssetUUIDResponse
from ...models.error_response import ErrorResponse
from ...types import Response, Unset


def _get_kwargs(
    asset_uuid: str,
    *,
    asset_flow_type: str | Unset = "DEFAULT",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(asset_flow_type, Unset):
        headers["assetFlowType"] = asset_flow_type

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/ocaapi/v2.0/asset/{asset_uuid}".format(
            asset_uuid=quote(str(asset_uuid), safe=""),
        ),
    }

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

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

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
    asset_uuid: str,
    *,
    client: AuthenticatedClient | Client,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[AssetUUIDResponse | ErrorResponse]:
    """Delete an Asset using UUID

     Deletes the asset together with all its configuration data and
    reports.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetUUIDResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        asset_uuid=asset_uuid,
        asset_flow_type=asset_flow_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    asset_uuid: str,
    *,
    client: AuthenticatedClient | Client,
    asset_flow_type: str | Unset = "DEFAULT",
) -> AssetUUIDResponse | ErrorResponse | None:
    """Delete an Asset using UUID

     Deletes the asset together with all its configuration data and
    reports.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetUUIDResponse | ErrorResponse
    """

    return sync_detailed(
        asset_uuid=asset_uuid,
        client=client,
        asset_flow_type=asset_flow_type,
    ).parsed


async def asyncio_detailed(
    asset_uuid: str,
    *,
    client: AuthenticatedClient | Client,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[AssetUUIDResponse | ErrorResponse]:
    """Delete an Asset using UUID

     Deletes the asset together with all its configuration data and
    reports.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetUUIDResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        asset_uuid=asset_uuid,
        asset_flow_type=asset_flow_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_uuid: str,
    *,
    client: AuthenticatedClient | Client,
    asset_flow_type: str | Unset = "DEFAULT",
) -> AssetUUIDResponse | ErrorResponse | None:
    """Delete an Asset using UUID

     Deletes the asset together with all its configuration data and
    reports.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetUUIDResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            asset_uuid=asset_uuid,
            client=client,
            asset_flow_type=asset_flow_type,
        )
    ).parsed
