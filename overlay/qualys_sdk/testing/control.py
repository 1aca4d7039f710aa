"""The ``/_sim`` control plane over HTTP: the :class:`Simulator` methods for a simulator in another process.

JSON in, JSON out, no authentication (the simulator listens on loopback only). A body that is not a JSON object,
or a value of the wrong type or out of range, is refused with 400 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from . import limits
from .answers import json_response
from .errors import SimError

if TYPE_CHECKING:
    from .simulator import Simulator

Action = Callable[[dict[str, Any], dict[str, str]], Any]


def _object(raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    body = limits.parse_json(raw)
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def routes(sim: Simulator) -> list[Route]:
    """The ``/_sim`` routes, each calling a :class:`Simulator` method."""

    def wrap(action: Action) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                body = _object(await limits.read_body(request, limits.MAX_CONTROL_BODY))
                result = action(body, dict(request.path_params))
            except SimError as exc:
                return json_response({"error": exc.message}, exc.status)
            except ClientDisconnect:
                return Response(status_code=400)
            except (ValueError, TypeError, KeyError) as exc:
                return json_response({"error": limits.clip(f"{type(exc).__name__}: {exc}")}, 400)
            return json_response({"ok": True} if result is None else result)

        return run

    def fault(body: dict[str, Any], _: dict[str, str]) -> dict[str, Any]:
        options = dict(body)
        added = sim.inject(options.pop("kind"), options.pop("path", ".*"), times=options.pop("times", 1), **options)
        return {"kind": added.kind, "path": added.path, "times": added.times}

    table: list[tuple[str, str, Action]] = [
        ("POST", "/_sim/reset", lambda b, p: sim.reset()),
        ("POST", "/_sim/subscriptions/{username}", lambda b, p: sim.create_subscription(p["username"], b["password"])),
        ("DELETE", "/_sim/subscriptions/{username}", lambda b, p: sim.forget_subscription(p["username"])),
        ("POST", "/_sim/subscriptions/{username}/seed", lambda b, p: sim.seed(p["username"])),
        ("POST", "/_sim/subscriptions/{username}/confirm",
         lambda b, p: sim.confirm_provisioning(p["username"], b.get("uuid"))),
        ("GET", "/_sim/subscriptions/{username}/assets", lambda b, p: sim.assets(p["username"])),
        ("GET", "/_sim/subscriptions/{username}/csam/assets", lambda b, p: sim.asset_metadata(p["username"])),
        ("GET", "/_sim/subscriptions/{username}/csam/businessapps", lambda b, p: sim.business_apps(p["username"])),
        ("POST", "/_sim/subscriptions/{username}/csam/assets",
         lambda b, p: sim.add_csam_asset(p["username"], b["qualysAssetId"])),
        ("POST", "/_sim/subscriptions/{username}/csam/fail-next-import",
         lambda b, p: sim.fail_next_import(p["username"])),
        ("POST", "/_sim/subscriptions/{username}/licenses",
         lambda b, p: sim.set_licenses(p["username"], b["licenses"])),
        ("POST", "/_sim/subscriptions/{username}/tags",
         lambda b, p: sim.add_tag(p["username"], b["id"], b.get("name"))),
        ("POST", "/_sim/subscriptions/{username}/rate-limit",
         lambda b, p: sim.set_rate_limit(p["username"], b.get("calls"), b.get("window_sec", 3600),
                                         b.get("concurrency"))),
        ("POST", "/_sim/subscriptions/{username}/expire-tokens", lambda b, p: sim.expire_tokens(p["username"])),
        ("POST", "/_sim/faults", fault),
        ("DELETE", "/_sim/faults", lambda b, p: sim.clear_faults()),
        ("POST", "/_sim/clock/advance", lambda b, p: sim.advance(b["seconds"])),
    ]  # fmt: skip
    return [Route(path, wrap(action), methods=[method]) for method, path, action in table]
