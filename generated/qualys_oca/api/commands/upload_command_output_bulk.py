from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.bulk_command_output_upload import BulkCommandOutputUpload
from ...models.error_response import ErrorResponse
from ...models.message_response import MessageResponse
from ...types import Response, Unset


def _get_kwargs(
    asset_uuid: str,
    *,
    body: BulkCommandOutputUpload,
    asset_flow_type: str | Unset = "DEFAULT",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(asset_flow_type, Unset):
        headers["assetFlowType"] = asset_flow_type

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/ocaapi/v2.0/asset/{asset_uuid}/command/bulk/output/PolicyCompliance".format(
            asset_uuid=quote(str(asset_uuid), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    # Content-Type is left to httpx, which picks a random multipart boundary.

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | MessageResponse:
    if response.status_code == 200:
        response_200 = MessageResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | MessageResponse]:
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
    body: BulkCommandOutputUpload,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[ErrorResponse | MessageResponse]:
    """Upload the output of every command in one file

     Multipart field `data`: one `.txt` file holding the output of every
    command of the asset. Any other file type is refused with
    `ERR-2070 - Invalid file format. Only txt file type is supported.
    Please upload a file appropriately`. Documented online only
    (bulk_command_upload.htm), not in the v1.4 guide.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkCommandOutputUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MessageResponse]
    """

    kwargs = _get_kwargs(
        asset_uuid=asset_uuid,
        body=body,
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
    body: BulkCommandOutputUpload,
    asset_flow_type: str | Unset = "DEFAULT",
) -> ErrorResponse | MessageResponse | None:
    """Upload the output of every command in one file

     Multipart field `data`: one `.txt` file holding the output of every
    command of the asset. Any other file type is refused with
    `ERR-2070 - Invalid file format. Only txt file type is supported.
    Please upload a file appropriately`. Documented online only
    (bulk_command_upload.htm), not in the v1.4 guide.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkCommandOutputUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MessageResponse
    """

    return sync_detailed(
        asset_uuid=asset_uuid,
        client=client,
        body=body,
        asset_flow_type=asset_flow_type,
    ).parsed


async def asyncio_detailed(
    asset_uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: BulkCommandOutputUpload,
    asset_flow_type: str | Unset = "DEFAULT",
) -> Response[ErrorResponse | MessageResponse]:
    """Upload the output of every command in one file

     Multipart field `data`: one `.txt` file holding the output of every
    command of the asset. Any other file type is refused with
    `ERR-2070 - Invalid file format. Only txt file type is supported.
    Please upload a file appropriately`. Documented online only
    (bulk_command_upload.htm), not in the v1.4 guide.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkCommandOutputUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MessageResponse]
    """

    kwargs = _get_kwargs(
        asset_uuid=asset_uuid,
        body=body,
        asset_flow_type=asset_flow_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_uuid: str,
    *,
    client: AuthenticatedClient | Client,
    body: BulkCommandOutputUpload,
    asset_flow_type: str | Unset = "DEFAULT",
) -> ErrorResponse | MessageResponse | None:
    """Upload the output of every command in one file

     Multipart field `data`: one `.txt` file holding the output of every
    command of the asset. Any other file type is refused with
    `ERR-2070 - Invalid file format. Only txt file type is supported.
    Please upload a file appropriately`. Documented online only
    (bulk_command_upload.htm), not in the v1.4 guide.

    Args:
        asset_uuid (str):
        asset_flow_type (str | Unset):  Default: 'DEFAULT'.
        body (BulkCommandOutputUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MessageResponse
    """

    return (
        await asyncio_detailed(
            asset_uuid=asset_uuid,
            client=client,
            body=body,
            asset_flow_type=asset_flow_type,
        )
    ).parsed
