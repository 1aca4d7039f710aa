"""The simulator object: its ASGI app and the Python control plane (the ``/_sim`` endpoints call the same methods)."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from qualys_agentactkey import AgentActKey

from . import control, gateway, qps
from .auth import Tokens
from .faults import Fault, FaultLayer, Faults
from .responses import error_for
from .state import Clock, RateLimit, SimSettings, Subscription, World


class Simulator:
    """An in-memory Qualys: OCA v2, CSAM v2 business metadata and Cloud Agent activation keys.

    ``app`` is the ASGI app (serve it with uvicorn, or hand it to ``starlette.testclient.TestClient``).
    Any username/password works: the first call for a username creates its subscription with that password.
    ``clock`` returns Unix seconds (``time.time`` by default; pass :class:`~.state.FakeClock` in tests).
    """

    def __init__(
        self,
        *,
        empty: bool = False,
        clock: Clock | None = None,
        seed: int = 0,
        provision_delay: float = 2.0,
        token_lifetime: float = 4 * 3600.0,
        jwt_algorithm: str = "HS512",
        secret: bytes | None = None,
    ) -> None:
        settings = SimSettings(
            token_lifetime=token_lifetime, provision_delay=provision_delay, seed=seed, jwt_algorithm=jwt_algorithm,
            empty=empty,
        )  # fmt: skip
        self.world = World(settings, clock) if clock is not None else World(settings)
        self.tokens = Tokens(self.world, secret)
        self.faults = Faults(self.world)
        api = Starlette(
            routes=[*gateway.routes(self.world, self.tokens), *qps.routes(self.world), *control.routes(self)],
            exception_handlers={HTTPException: _http_error},
        )
        self.app = FaultLayer(api, self.world, self.faults, self.tokens)

    @property
    def settings(self) -> SimSettings:
        return self.world.settings

    # -- subscriptions -------------------------------------------------------------------------------

    def subscription(self, username: str, password: str | None = None) -> Subscription:
        """The subscription of ``username``, created (with ``password``, or any first one) if new."""
        with self.world.lock:
            found = self.world.get(username)
            if found is None:
                if password is None:
                    raise KeyError(f"no subscription for {username!r} yet; pass a password to create it")
                found = self.world.new_subscription(username, password)
            return found

    def create_subscription(self, username: str, password: str) -> None:
        self.subscription(username, password)

    def reset(self) -> None:
        """Forget every subscription and fault (sample data comes back with the next login)."""
        self.world.reset()
        self.faults.clear()

    def seed(self, username: str) -> None:
        """Load the guides' sample data into ``username``'s subscription (for one started ``empty``)."""
        subscription = self.subscription(username)
        with self.world.lock:
            subscription.oca.preload()
            subscription.csam.preload()
            subscription.keys.preload()

    def add_activation_key(self, username: str, key: AgentActKey) -> None:
        with self.world.lock:
            self.subscription(username).keys.add(key)

    def add_csam_asset(self, username: str, qualys_asset_id: int | str) -> None:
        """Make a CSAM asset known that is not an OCA device."""
        with self.world.lock:
            self.subscription(username).csam.extra_asset_ids.add(str(qualys_asset_id))

    # -- reads ---------------------------------------------------------------------------------------

    def assets(self, username: str) -> list[dict[str, Any]]:
        """The OCA assets of ``username``, each with its ``qualysAssetId`` and current status."""
        with self.world.lock:
            oca = self.subscription(username).oca
            return [a.as_dict(oca.status(a)) for a in oca.assets.values()]

    def asset_metadata(self, username: str) -> dict[str, dict[str, Any]]:
        """CSAM business metadata by Qualys asset id."""
        with self.world.lock:
            return {k: dict(v) for k, v in self.subscription(username).csam.asset_metadata.items()}

    def business_apps(self, username: str) -> dict[str, dict[str, Any]]:
        with self.world.lock:
            return {k: dict(v) for k, v in self.subscription(username).csam.business_apps.items()}

    # -- behaviour -----------------------------------------------------------------------------------

    def confirm_provisioning(self, username: str, asset_uuid: str | None = None) -> None:
        """Move one asset (or all) to ``Provision Confirmed`` now."""
        with self.world.lock:
            oca = self.subscription(username).oca
            for asset in oca.assets.values():
                if asset_uuid is None or asset.uuid == asset_uuid:
                    asset.confirmed = True

    def inject(self, kind: str, path: str = ".*", *, times: int | None = 1, **options: Any) -> Fault:
        """Add a fault (see :class:`~.faults.Fault`): ``sim.inject("status", "/asset$", status=429, times=2)``."""
        return self.faults.add(Fault(kind, path, times, **options))

    def clear_faults(self) -> None:
        self.faults.clear()

    def set_rate_limit(
        self, username: str, calls: int | None, window_sec: int = 3600, concurrency: int | None = None
    ) -> None:
        """Emulate ``calls`` per ``window_sec`` (and ``concurrency`` at once) for ``username``; ``None`` lifts it."""
        with self.world.lock:
            subscription = self.subscription(username)
            subscription.rate_limit = (
                RateLimit(calls, window_sec, concurrency, window_start=self.world.clock())
                if calls is not None
                else None
            )

    def expire_tokens(self, username: str) -> None:
        """Every JWT issued so far to ``username`` now answers 401 ``JWT expired``."""
        with self.world.lock:
            self.subscription(username).expire_tokens()

    def advance(self, seconds: float) -> None:
        """Move a :class:`~.state.FakeClock` forward (fails with the real clock)."""
        advance = getattr(self.world.clock, "advance", None)
        if advance is None:
            raise TypeError("the simulator runs on the real clock; create it with clock=FakeClock() to advance it")
        advance(seconds)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}  # keeps Allow on a 405
    return error_for(request.url.path, status, str(getattr(exc, "detail", "")) or "Not Found", headers)
