"""The ``/_sim`` control plane over HTTP: the :class:`Simulator` methods for a simulator in another process.

JSON in, JSON out, no authentication (the simulator listens on loopback only).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .responses import json_response

if TYPE_CHECKING:
    from .simulator import Simulator

Action = Callable[[dict[str, Any], dict[str, str]], Any]


def routes(sim: Simulator) -> list[Route]:
    def wrap(action: Action) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            raw = await request.body()
            try:
                body = json.loads(raw) if raw else {}
                result = action(body, dict(request.path_params))
            except (ValueError, TypeError, KeyError) as exc:
                return json_response({"error": f"{type(exc).__name__}: {exc}"}, 400)
            return json_response({"ok": True} if result is None else result)

        return run

    def fault(body: dict[str, Any], _: dict[str, str]) -> dict[str, Any]:
        options = dict(body)
        added = sim.inject(options.pop("kind"), options.pop("path", ".*"), times=options.pop("times", 1), **options)
        return {"kind": added.kind, "path": added.path, "times": added.times}

    table: list[tuple[str, str, Action]] = [
        ("POST", "/_sim/reset", lambda b, p: sim.reset()),
        ("POST", "/_sim/subscriptions/{username}", lambda b, p: sim.create_subscription(p["username"], b["password"])),
        ("POST", "/_sim/subscriptions/{username}/seed", lambda b, p: sim.seed(p["username"])),
        ("POST", "/_sim/subscriptions/{username}/confirm",
         lambda b, p: sim.confirm_provisioning(p["username"], b.get("uuid"))),
        ("GET", "/_sim/subscriptions/{username}/assets", lambda b, p: sim.assets(p["username"])),
        ("GET", "/_sim/subscriptions/{username}/csam/assets", lambda b, p: sim.asset_metadata(p["username"])),
        ("GET", "/_sim/subscriptions/{username}/csam/businessapps", lambda b, p: sim.business_apps(p["username"])),
        ("POST", "/_sim/subscriptions/{username}/csam/assets",
         lambda b, p: sim.add_csam_asset(p["username"], b["qualysAssetId"])),
        ("POST", "/_sim/subscriptions/{username}/rate-limit",
         lambda b, p: sim.set_rate_limit(p["username"], b.get("calls"), b.get("window_sec", 3600),
                                         b.get("concurrency"))),
        ("POST", "/_sim/subscriptions/{username}/expire-tokens", lambda b, p: sim.expire_tokens(p["username"])),
        ("POST", "/_sim/faults", fault),
        ("DELETE", "/_sim/faults", lambda b, p: sim.clear_faults()),
        ("POST", "/_sim/clock/advance", lambda b, p: sim.advance(float(b["seconds"]))),
    ]  # fmt: skip
    return [Route(path, wrap(action), methods=[method]) for method, path, action in table]
