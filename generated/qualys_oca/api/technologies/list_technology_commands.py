from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.command_list_response import CommandListResponse
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    technology_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ocaapi/v2.0/technology/{technology_name}/command/PolicyCompliance".format(
            technology_name=quote(str(technology_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CommandListResponse | ErrorResponse:
    if response.status_code == 200:
        response_200 = CommandListResponse.from_dict(response.json())

        return response_200

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
) -> Response[CommandListResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    technology_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CommandListResponse | ErrorResponse]:
    """Fetch Supported Commands for a Technology

    Args:
        technology_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        technology_name=technology_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    technology_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> CommandListResponse | ErrorResponse | None:
    """Fetch Supported Commands for a Technology

    Args:
        technology_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandListResponse | ErrorResponse
    """

    return sync_detailed(
        technology_name=technology_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    technology_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CommandListResponse | ErrorResponse]:
    """Fetch Supported Commands for a Technology

    Args:
        technology_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        technology_name=technology_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    technology_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> CommandListResponse | ErrorResponse | None:
    """Fetch Supported Commands for a Technology

    Args:
        technology_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandListResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            technology_name=technology_name,
            client=client,
        )
    ).parsed
