from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.business_app_import_request import BusinessAppImportRequest
from ...models.error_response import ErrorResponse
from ...models.import_response import ImportResponse
from ...types import Response


def _get_kwargs(
    *,
    body: BusinessAppImportRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rest/2.0/upsert/am/businessapp/metadata",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ImportResponse:
    if response.status_code == 200:
        response_200 = ImportResponse.from_dict(response.json())

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

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    response_default = ErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ImportResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BusinessAppImportRequest,
) -> Response[ErrorResponse | ImportResponse]:
    """Import Business App Metadata

     Create or update business applications, at most 250 per request.
    `businessAppId`, `name`, `created` and `lastUpdated` are mandatory;
    times are epoch milliseconds.

    Args:
        body (BusinessAppImportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImportResponse]
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
    body: BusinessAppImportRequest,
) -> ErrorResponse | ImportResponse | None:
    """Import Business App Metadata

     Create or update business applications, at most 250 per request.
    `businessAppId`, `name`, `created` and `lastUpdated` are mandatory;
    times are epoch milliseconds.

    Args:
        body (BusinessAppImportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImportResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BusinessAppImportRequest,
) -> Response[ErrorResponse | ImportResponse]:
    """Import Business App Metadata

     Create or update business applications, at most 250 per request.
    `businessAppId`, `name`, `created` and `lastUpdated` are mandatory;
    times are epoch milliseconds.

    Args:
        body (BusinessAppImportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImportResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BusinessAppImportRequest,
) -> ErrorResponse | ImportResponse | None:
    """Import Business App Metadata

     Create or update business applications, at most 250 per request.
    `businessAppId`, `name`, `created` and `lastUpdated` are mandatory;
    times are epoch milliseconds.

    Args:
        body (BusinessAppImportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImportResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
