"""OCA v2 routes: path, method and spec operation of each handler in :mod:`.responses`."""

from __future__ import annotations

from starlette.routing import Route

from ..auth import Tokens
from ..gateway import Api, Handler, endpoint
from ..state import World
from . import exceptions, responses

API = Api("oca.yaml", error=exceptions.error, unauthorized=exceptions.error)

# In the order starlette tries them: a path that matches with another method gets that route's 405 and Allow.
url_paths: list[tuple[str, str, str, Handler]] = [
    ("GET", "/ocaapi/v2.0/technology/PolicyCompliance", "listTechnologies", responses.list_technologies),
    ("POST", "/ocaapi/v2.0/asset", "provisionAsset", responses.provision),
    ("POST", "/ocaapi/v2.0/asset/bulk", "provisionAssetsBulk", responses.provision_bulk),
    ("DELETE", "/ocaapi/v2.0/asset/revoke/bulk", "revokeAssetsBulk", responses.revoke_bulk),
    ("GET", "/ocaapi/v2.0/asset/{asset_uuid}/status", "getAssetStatus", responses.asset_status),
    # No ":path": a name with "/" (literal or %2F, which the server decodes) matches no route and is not found, as
    # the guide says to send "IBM zOS Security Server RACF 2" here, without the "/" of the technology list.
    ("GET", "/ocaapi/v2.0/technology/{technology_name}/command/PolicyCompliance", "listTechnologyCommands",
     responses.technology_commands),
    ("GET", "/ocaapi/v2.0/asset/{asset_uuid}/command/PolicyCompliance", "listAssetCommands",
     responses.asset_commands),
    ("POST", "/ocaapi/v2.0/asset/{asset_uuid}/command/output/PolicyCompliance", "uploadCommandOutput",
     responses.upload_output),
    ("POST", "/ocaapi/v2.0/asset/{asset_uuid}/command/bulk/output/PolicyCompliance", "uploadCommandOutputBulk",
     responses.upload_bulk_output),
    ("DELETE", "/ocaapi/v2.0/asset/{asset_uuid}", "deleteAsset", responses.delete_asset),
    ("GET", "/ocaapi/v2.0/assets/status/subscription/{number_of_days}", "getSubscriptionAssetStatus",
     responses.subscription_status),
]  # fmt: skip

#: Multipart bodies read as a stream rather than whole (the bulk provision file: refused at its 1001st row).
_STREAMED = {"provisionAssetsBulk": responses.read_bulk_file}


def routes(world: World, tokens: Tokens) -> list[Route]:
    """OCA's routes, each behind the gateway (token, spec validation)."""
    return [
        Route(path, endpoint(world, tokens, API, op_id, handler, read_form=_STREAMED.get(op_id)), methods=[method])
        for method, path, op_id, handler in url_paths
    ]
