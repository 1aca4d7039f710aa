"""CSAM v2 routes: path, method and spec operation of each handler in :mod:`.responses`."""

from __future__ import annotations

from starlette.routing import Route

from ..auth import Tokens
from ..gateway import Api, Handler, endpoint
from ..state import World
from . import exceptions, responses

#: CSAM refuses in its own envelope; a missing or expired token is refused by the gateway in front of it.
API = Api("csam.yaml", error=exceptions.error, unauthorized=exceptions.gateway_error)

url_paths: list[tuple[str, str, str, Handler]] = [
    ("POST", "/rest/2.0/upsert/am/businessapp/metadata", "upsertBusinessAppMetadata", responses.upsert_business_apps),
    ("POST", "/rest/2.0/update/am/asset/business/metadata", "updateAssetBusinessMetadata",
     responses.update_asset_metadata),
]  # fmt: skip


def routes(world: World, tokens: Tokens) -> list[Route]:
    """CSAM's routes, each behind the gateway (token, spec validation)."""
    return [
        Route(path, endpoint(world, tokens, API, op_id, handler), methods=[method])
        for method, path, op_id, handler in url_paths
    ]
