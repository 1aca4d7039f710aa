"""The simulator's state: settings, the clock, and one set of backends per subscription.

Nothing here knows about HTTP: each API's ``responses`` module parses requests and calls its backend (its
``models``), the control plane (``control``) reads and changes the same objects directly.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .activation_keys.models import KeysBackend
from .csam.models import CSAMBackend
from .oca.models import OCABackend

#: Returns Unix time in seconds. Tests inject a fake one; the default is ``time.time``.
Clock = Callable[[], float]


@dataclass
class SimSettings:
    """What a simulator instance is configured with; every field can be changed at runtime."""

    #: JWT lifetime: Qualys documents 4 hours for the gateway token.
    token_lifetime: float = 4 * 3600.0
    #: Simulated seconds between a provision and its ``Provision Confirmed`` status.
    provision_delay: float = 2.0
    #: Seed for every random choice (UUIDs, ids, probabilistic faults), so runs repeat.
    seed: int = 0
    #: ``HS512`` or ``HS256``; Qualys gateway tokens are HS512.
    jwt_algorithm: str = "HS512"
    #: Start without the guide's sample data.
    empty: bool = False


class FakeClock:
    """A clock that moves only when told to (``clock.advance(3)``) or slept on (``clock.sleep(3)``).

    Pass it, and its ``sleep``, wherever code takes a clock: the simulator, the SDK's limiter. Each sleep is
    recorded in ``sleeps`` and moves the clock at once; safe to share between threads.
    """

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        """The current time, in Unix seconds."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        with self._lock:
            self.now += seconds

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move the clock by it, at once."""
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        """:meth:`sleep` for async code."""
        # Does not yield to the event loop: the sleeping task moves the clock to exactly the time it asked for.
        self.sleep(seconds)


@dataclass
class RateLimit:
    """The gateway's or API server's limit for one subscription: calls per window, calls at once."""

    calls: int
    window_sec: int
    concurrency: int | None = None
    window_start: float = 0.0
    used: int = 0
    running: int = 0


@dataclass
class Subscription:
    """Everything one Qualys account holds: its password and one backend per API."""

    username: str
    password: str
    oca: OCABackend
    csam: CSAMBackend
    keys: KeysBackend
    rate_limit: RateLimit | None = None
    #: Tokens handed out, and those expired on demand (control plane) before their ``exp``.
    issued_tokens: list[str] = field(default_factory=list)
    expired_tokens: set[str] = field(default_factory=set)

    def expire_tokens(self) -> None:
        """Make every token issued so far expired."""
        self.expired_tokens.update(self.issued_tokens)


@dataclass
class World:
    """All subscriptions of one simulator, created on first use of a username (moto style)."""

    settings: SimSettings
    clock: Clock = time.time
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.random = random.Random(self.settings.seed)  # noqa: S311  # reproducible, not secret

    def new_subscription(self, username: str, password: str) -> Subscription:
        """Create ``username``'s subscription with ``password`` (and the sample data, unless ``empty``)."""
        rng = random.Random(f"{self.settings.seed}:{username}")  # noqa: S311  # reproducible ids
        oca = OCABackend(clock=self.clock, rng=rng, provision_delay=lambda: self.settings.provision_delay)
        csam = CSAMBackend(clock=self.clock, rng=rng, known_asset_ids=oca.qualys_asset_ids)
        keys = KeysBackend(clock=self.clock, rng=rng)
        if not self.settings.empty:
            oca.preload()
            csam.preload()
            keys.preload()
        subscription = Subscription(username=username, password=password, oca=oca, csam=csam, keys=keys)
        self.subscriptions[username] = subscription
        return subscription

    def login(self, username: str, password: str) -> Subscription | None:
        """The subscription for these credentials, created on first use; ``None`` for a wrong password."""
        with self.lock:
            subscription = self.subscriptions.get(username)
            if subscription is None:
                return self.new_subscription(username, password)
            return subscription if subscription.password == password else None

    def get(self, username: str) -> Subscription | None:
        """The subscription of ``username``, or None."""
        with self.lock:
            return self.subscriptions.get(username)

    def reset(self) -> None:
        """Forget every subscription, and start the random generator over."""
        with self.lock:
            self.subscriptions.clear()
            self.random = random.Random(self.settings.seed)  # noqa: S311  # reproducible, not secret
