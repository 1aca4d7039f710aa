"""OCA v2 route handlers.

Each takes a validated ``gateway.Call``, asks the subscription's :class:`~.models.OCABackend` and renders the
guide's ``{"code": 200, "data": ..., "message": ...}`` answer.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request

from ..gateway import Call, Files
from .models import MAX_BULK_ROWS, check_bulk_filename
from .uploads import read_bulk_upload


def read_bulk_file(request: Request) -> Awaitable[tuple[Any, Files]]:
    """The bulk provision form, streamed: refused at the 1001st row (or at a wrong file extension) unread."""
    return read_bulk_upload(request, file_field="data", max_rows=MAX_BULK_ROWS, check_filename=check_bulk_filename)


def _ok(data: Any = None, message: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": 200}
    if data is not None:
        body["data"] = data
    if message is not None:
        body["message"] = message
    return body


def list_technologies(call: Call) -> dict[str, Any]:
    """``listTechnologies``."""
    return _ok({"items": [t.as_dict() for t in call.subscription.oca.technologies]})


def provision(call: Call) -> dict[str, Any]:
    """``provisionAsset``: a provision, or a re-provision when the body names a ``uuid``."""
    asset_uuid, new = call.subscription.oca.provision(call.body)
    what = "Provisioning" if new else "Reprovisioning"
    return _ok({"assetUUID": asset_uuid}, f"Request for Asset {what} sent Successfully.")


def provision_bulk(call: Call) -> dict[str, Any]:
    """``provisionAssetsBulk``."""
    filename, data = call.files["data"]
    return _ok({"items": call.subscription.oca.provision_bulk(filename, data)})


def revoke_bulk(call: Call) -> dict[str, Any]:
    """``revokeAssetsBulk``."""
    done, failed = call.subscription.oca.revoke([str(u) for u in call.body["assetList"]])
    return _ok({"items": {"successfulRevoke": done, "failedRevoke": failed}})


def asset_status(call: Call) -> dict[str, Any]:
    """``getAssetStatus``."""
    oca = call.subscription.oca
    return _ok({"status": oca.status(oca.asset(call.params["asset_uuid"]))})


def technology_commands(call: Call) -> dict[str, Any]:
    """``listTechnologyCommands``."""
    return _ok({"items": call.subscription.oca.technology_commands(call.params["technology_name"])})


def asset_commands(call: Call) -> dict[str, Any]:
    """``listAssetCommands``."""
    return _ok({"items": call.subscription.oca.asset_commands(call.params["asset_uuid"])})


def upload_output(call: Call) -> dict[str, Any]:
    """``uploadCommandOutput``."""
    outputs = {name: data for name, (_, data) in call.files.items()}
    call.subscription.oca.upload_output(call.params["asset_uuid"], outputs)
    return _ok(message="Command Output Uploaded Successfully.")


def upload_bulk_output(call: Call) -> dict[str, Any]:
    """``uploadCommandOutputBulk``."""
    filename, data = call.files["data"]
    call.subscription.oca.upload_bulk_output(call.params["asset_uuid"], filename, data)
    return _ok(message="Command Bulk Output Uploaded Successfully.")


def delete_asset(call: Call) -> dict[str, Any]:
    """``deleteAsset``."""
    call.subscription.oca.delete(call.params["asset_uuid"])
    return _ok({"assetUUID": call.params["asset_uuid"]}, "Asset(s) Revoked Successfully.")


def subscription_status(call: Call) -> dict[str, Any]:
    """``getSubscriptionAssetStatus``."""
    return _ok({"items": call.subscription.oca.subscription_status(int(call.params["number_of_days"]))})
