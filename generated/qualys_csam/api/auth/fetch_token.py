from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.auth_error_response import AuthErrorResponse
from ...models.auth_request import AuthRequest
from ...types import Response


def _get_kwargs(
    *,
    body: AuthRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuthErrorResponse | str:
    if response.status_code == 201:
        response_201 = response.text
        return response_201

    if response.status_code == 401:
        response_401 = AuthErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = AuthErrorResponse.from_dict(response.json())

        return response_404

    response_default = AuthErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuthErrorResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AuthRequest,
) -> Response[AuthErrorResponse | str]:
    """Fetch Authentication Token

     Exchange a username and password for a JWT, valid for 4 hours. Send it
    as `Authorization: Bearer <token>` on every other call. There is no
    refresh endpoint: call this again before the token expires.
    This endpoint is exempt from the API rate limits.

    Args:
        body (AuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthErrorResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AuthRequest,
) -> AuthErrorResponse | str | None:
    """Fetch Authentication Token

     Exchange a username and password for a JWT, valid for 4 hours. Send it
    as `Authorization: Bearer <token>` on every other call. There is no
    refresh endpoint: call this again before the token expires.
    This endpoint is exempt from the API rate limits.

    Args:
        body (AuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthErrorResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AuthRequest,
) -> Response[AuthErrorResponse | str]:
    """Fetch Authentication Token

     Exchange a username and password for a JWT, valid for 4 hours. Send it
    as `Authorization: Bearer <token>` on every other call. There is no
    refresh endpoint: call this again before the token expires.
    This endpoint is exempt from the API rate limits.

    Args:
        body (AuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthErrorResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AuthRequest,
) -> AuthErrorResponse | str | None:
    """Fetch Authentication Token

     Exchange a username and password for a JWT, valid for 4 hours. Send it
    as `Authorization: Bearer <token>` on every other call. There is no
    refresh endpoint: call this again before the token expires.
    This endpoint is exempt from the API rate limits.

    Args:
        body (AuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthErrorResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
