"""The simulator object: its ASGI app and the Python control plane (the ``/_sim`` endpoints call the same methods)."""

from __future__ import annotations

import math
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from qualys_agentactkey import AgentActKey

from . import control, gateway
from .activation_keys import urls as activation_keys
from .auth import Tokens
from .csam import urls as csam
from .exceptions import error_for
from .faults import Fault, FaultLayer, Faults
from .oca import urls as oca
from .state import Clock, RateLimit, SimSettings, Subscription, World


class Simulator:
    """An in-memory Qualys: OCA v2, CSAM v2 business metadata and Cloud Agent activation keys.

    ``app`` is the ASGI app (serve it with :func:`qualys_sdk.testing.server.serve`, or hand it to
    ``qualys_sdk.testing.transport.sim_client``).

    Credentials: the first login of a username (``POST /auth``, a QPS Basic call, or :meth:`create_subscription`)
    creates its subscription and registers that password; later calls must send the same password (another gets
    401) until the subscription is forgotten (:meth:`forget_subscription`, or :meth:`reset` for all).
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
            routes=[
                *gateway.routes(self.world, self.tokens),
                *oca.routes(self.world, self.tokens),
                *csam.routes(self.world, self.tokens),
                *activation_keys.routes(self.world),
                *control.routes(self),
            ],
            exception_handlers={HTTPException: _http_error},
        )
        self.app = FaultLayer(api, self.world, self.faults, self.tokens)

    @property
    def settings(self) -> SimSettings:
        """The simulator's settings; each can be changed at runtime."""
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
        """Register ``username`` with ``password`` now (a no-op if it exists: its password stays)."""
        if not isinstance(username, str) or not username or not isinstance(password, str) or not password:
            raise ValueError("username and password must be non-empty strings")
        self.subscription(username, password)

    def forget_subscription(self, username: str) -> None:
        """Forget ``username``'s subscription, its password and data: its next login registers it afresh."""
        with self.world.lock:
            self.world.subscriptions.pop(username, None)

    def reset(self) -> None:
        """Forget every subscription (with its password) and fault; sample data comes back with the next login."""
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
        """Store ``key`` (which needs an id) in ``username``'s subscription as it is."""
        with self.world.lock:
            self.subscription(username).keys.add(key)

    def add_csam_asset(self, username: str, qualys_asset_id: int | str) -> None:
        """Make a CSAM asset known that is not an OCA device (its id: ASCII digits)."""
        text = (
            str(qualys_asset_id)
            if isinstance(qualys_asset_id, int | str) and not isinstance(qualys_asset_id, bool)
            else ""
        )
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"qualysAssetId must be ASCII digits, got {qualys_asset_id!r}")
        with self.world.lock:
            self.subscription(username).csam.extra_asset_ids.add(text)

    def fail_next_import(self, username: str) -> None:
        """Make ``username``'s next CSAM import fail as a real one was seen to (pjuster/Qualys).

        HTTP 200, ``responseCode`` ``FAILED``, ``responseMessage`` "Failed to import asset metadata",
        ``failedIds: ["null"]``, nothing stored.
        """
        with self.world.lock:
            self.subscription(username).csam.fail_next = True

    def set_licenses(self, username: str, licenses: list[str]) -> None:
        """Set the Cloud Agent modules ``username``'s subscription holds licenses for.

        The default is ``VM_LICENSE`` and ``PC_LICENSE``; a key keeps only these of the modules it is given.
        """
        if not isinstance(licenses, list | tuple) or not all(isinstance(x, str) for x in licenses):
            raise ValueError("licenses must be a list of strings")
        with self.world.lock:
            self.subscription(username).keys.licenses = set(licenses)

    def add_tag(self, username: str, tag_id: int, name: str | None = None) -> None:
        """Make a tag exist in ``username``'s subscription, so that activation keys can carry it."""
        if not isinstance(tag_id, int) or isinstance(tag_id, bool) or tag_id <= 0:
            raise ValueError(f"a tag id is a positive integer, got {tag_id!r}")
        if name is not None and not isinstance(name, str):
            raise ValueError(f"a tag name is a string, got {name!r}")
        with self.world.lock:
            self.subscription(username).keys.tags[tag_id] = name or f"Tag {tag_id}"

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
        """CSAM business apps by ``businessAppId``."""
        with self.world.lock:
            return {k: dict(v) for k, v in self.subscription(username).csam.business_apps.items()}

    # -- behaviour -----------------------------------------------------------------------------------

    def confirm_provisioning(self, username: str, asset_uuid: str | None = None) -> None:
        """Move one asset (or all) to ``Provision Confirmed`` now."""
        if asset_uuid is not None and not isinstance(asset_uuid, str):
            raise ValueError(f"uuid must be a string, got {asset_uuid!r}")
        with self.world.lock:
            oca = self.subscription(username).oca
            for asset in oca.assets.values():
                if asset_uuid is None or asset.uuid == asset_uuid:
                    asset.confirmed = True

    def inject(self, kind: str, path: str = ".*", *, times: int | None = 1, **options: Any) -> Fault:
        """Add a fault (see :class:`~.faults.Fault`): ``sim.inject("status", "/asset$", status=429, times=2)``."""
        return self.faults.add(Fault(kind, path, times, **options))

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self.faults.clear()

    def set_rate_limit(
        self, username: str, calls: int | None, window_sec: int = 3600, concurrency: int | None = None
    ) -> None:
        """Emulate ``calls`` per ``window_sec`` (and ``concurrency`` at once) for ``username``; ``None`` lifts it."""
        if calls is not None:
            _check_count("calls", calls, 0)
            _check_count("window_sec", window_sec, 1)
            if concurrency is not None:
                _check_count("concurrency", concurrency, 1)
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
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not 0 <= seconds < math.inf:
            raise ValueError(f"seconds must be a finite number of 0 or more, got {seconds!r}")
        advance = getattr(self.world.clock, "advance", None)
        if advance is None:
            raise TypeError("the simulator runs on the real clock; create it with clock=FakeClock() to advance it")
        advance(seconds)


def _check_count(name: str, value: object, low: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ValueError(f"{name} must be an integer of {low} or more, got {value!r}")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}  # keeps Allow on a 405
    return error_for(request.url.path, status, str(getattr(exc, "detail", "")) or "Not Found", headers)
