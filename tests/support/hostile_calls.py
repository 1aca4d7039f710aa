"""Every public method of ``Qualys`` and ``AsyncQualys`` as a call to drive at a test server, and the memory probe.

Used two ways:

- imported by ``tests/reliability/test_hostile.py``: :data:`CALLS` (each method with sample arguments, and
  whether it is safe to repeat), :func:`invoke` (one call on a fresh client, timed) and :func:`run_concurrently`
  (many at once, none waited for past a bound: a hanging call is reported, not waited for);
- run as the memory probe, in a fresh interpreter so that its peak RSS is the SDK's alone::

      python -m tests.support.hostile_calls WARM_URL URL TIMEOUT NAME...   # from the repository root

  It first makes every named call, sync and async, against WARM_URL (a well-behaved server), so that imports,
  caches and lazily built objects are in place; then takes ``ru_maxrss`` as the baseline, makes each call
  against URL and prints one JSON line per call (:class:`ProbeRecord`). A watchdog ends the process when RSS
  grows past :data:`ABORT_GROWTH_BYTES`, so that an unbounded read fails the test quickly, and not the machine.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final, Literal

from qualys_sdk import AssetSpec, AsyncQualys, Qualys

Flavor = Literal["sync", "async"]
FLAVORS: Final[tuple[Flavor, ...]] = ("sync", "async")
Api = Literal["oca", "csam", "keys"]

UUID: Final = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
TECHNOLOGY: Final = "Fabric 7"
BUSINESS_APP: Final = {"businessAppId": "a", "name": "n", "created": 1, "lastUpdated": 1}
ASSET_METADATA: Final = {"qualysAssetId": "1", "metadata": {"environment": "Production"}}

#: The contract: taking any oversized answer grows the peak RSS by less than this.
MAX_GROWTH_BYTES: Final = 150_000_000
#: The probe stops itself when its resident memory grows this much past the baseline: twice what the contract
#: allows, so the verdict is already clear, and the remaining calls of an unbounded read are not worth minutes
#: (or the machine's memory: a 1 GiB bomb inflated whole takes 2 GiB). The watchdog needs the GIL, so one large
#: copy in C can overshoot it; it is a safety net, the assertions use ``ru_maxrss``.
ABORT_GROWTH_BYTES: Final = 2 * MAX_GROWTH_BYTES
#: A probe call not finished this long after its timeout is reported as hanging, and the probe stops.
HANG_GRACE: Final = 5.0


@dataclass(frozen=True)
class SdkCall:
    """One public method with sample arguments: ``run`` on a ``Qualys``, ``run_async`` on an ``AsyncQualys``.

    ``safe``: whether the SDK may repeat it (a GET, a delete, a revoke, a QPS read); an unanswered call that is
    not safe ends in ``OutcomeUnknownError`` rather than a timeout. ``api``: "keys" go to the API server with
    Basic auth, the others to the gateway with a JWT from /auth.
    """

    name: str
    api: Api
    safe: bool
    run: Callable[[Qualys], object]
    run_async: Callable[[AsyncQualys], Awaitable[object]]


async def _all_keys(client: AsyncQualys) -> object:
    return [key async for key in client.activation_keys.iter_all()]


CALLS: Final[tuple[SdkCall, ...]] = (
    SdkCall("oca.list_technologies", "oca", True,
            lambda q: q.oca.list_technologies(), lambda q: q.oca.list_technologies()),
    SdkCall("oca.list_technology_commands", "oca", True,
            lambda q: q.oca.list_technology_commands(TECHNOLOGY),
            lambda q: q.oca.list_technology_commands(TECHNOLOGY)),
    SdkCall("oca.list_asset_commands", "oca", True,
            lambda q: q.oca.list_asset_commands(UUID), lambda q: q.oca.list_asset_commands(UUID)),
    SdkCall("oca.provision", "oca", False,
            lambda q: q.oca.provision("10.0.0.1", TECHNOLOGY), lambda q: q.oca.provision("10.0.0.1", TECHNOLOGY)),
    SdkCall("oca.reprovision", "oca", False,
            lambda q: q.oca.reprovision(UUID, "10.0.0.1", TECHNOLOGY),
            lambda q: q.oca.reprovision(UUID, "10.0.0.1", TECHNOLOGY)),
    SdkCall("oca.get_status", "oca", True, lambda q: q.oca.get_status(UUID), lambda q: q.oca.get_status(UUID)),
    SdkCall("oca.upload_command_output", "oca", False,
            lambda q: q.oca.upload_command_output(UUID, "show version", "text"),
            lambda q: q.oca.upload_command_output(UUID, "show version", "text")),
    SdkCall("oca.upload_command_outputs", "oca", False,
            lambda q: q.oca.upload_command_outputs(UUID, {"show version": "text"}),
            lambda q: q.oca.upload_command_outputs(UUID, {"show version": "text"})),
    SdkCall("oca.upload_command_output_bulk", "oca", False,
            lambda q: q.oca.upload_command_output_bulk(UUID, b"text"),
            lambda q: q.oca.upload_command_output_bulk(UUID, b"text")),
    SdkCall("oca.delete", "oca", True, lambda q: q.oca.delete(UUID), lambda q: q.oca.delete(UUID)),
    SdkCall("oca.provision_bulk", "oca", False,
            lambda q: q.oca.provision_bulk([AssetSpec("10.0.0.2", TECHNOLOGY)]),
            lambda q: q.oca.provision_bulk([AssetSpec("10.0.0.2", TECHNOLOGY)])),
    SdkCall("oca.revoke_bulk", "oca", True, lambda q: q.oca.revoke_bulk([UUID]), lambda q: q.oca.revoke_bulk([UUID])),
    SdkCall("oca.subscription_status", "oca", True,
            lambda q: q.oca.subscription_status(30), lambda q: q.oca.subscription_status(30)),
    SdkCall("csam.import_business_apps", "csam", False,
            lambda q: q.csam.import_business_apps([BUSINESS_APP]),
            lambda q: q.csam.import_business_apps([BUSINESS_APP])),
    SdkCall("csam.import_asset_metadata", "csam", False,
            lambda q: q.csam.import_asset_metadata([ASSET_METADATA]),
            lambda q: q.csam.import_asset_metadata([ASSET_METADATA])),
    SdkCall("activation_keys.create", "keys", False,
            lambda q: q.activation_keys.create(type="UNLIMITED", title="t"),
            lambda q: q.activation_keys.create(type="UNLIMITED", title="t")),
    SdkCall("activation_keys.update", "keys", False,
            lambda q: q.activation_keys.update(1, title="t"), lambda q: q.activation_keys.update(1, title="t")),
    SdkCall("activation_keys.get", "keys", True,
            lambda q: q.activation_keys.get(1), lambda q: q.activation_keys.get(1)),
    SdkCall("activation_keys.delete", "keys", True,
            lambda q: q.activation_keys.delete(1), lambda q: q.activation_keys.delete(1)),
    SdkCall("activation_keys.search", "keys", True,
            lambda q: q.activation_keys.search(), lambda q: q.activation_keys.search()),
    SdkCall("activation_keys.iter_all", "keys", True, lambda q: list(q.activation_keys.iter_all()), _all_keys),
)  # fmt: skip
CALLS_BY_NAME: Final = {call.name: call for call in CALLS}


@dataclass(frozen=True)
class Outcome:
    """How one call ended: ``error`` or ``result``, after ``elapsed`` seconds of the method itself (client set-up
    and close excluded); ``finished`` False when it had not ended when we stopped waiting."""

    finished: bool
    error: BaseException | None = None
    result: object = None
    elapsed: float | None = None


def _client_options(url: str, timeout: float, max_retries: int | None) -> dict[str, Any]:
    options: dict[str, Any] = {
        "username": "u", "password": "p", "gateway_url": url, "api_url": url, "timeout": timeout,
    }  # fmt: skip
    if max_retries is not None:
        options["max_retries"] = max_retries
    return options


def invoke(call: SdkCall, flavor: Flavor, url: str, *, timeout: float, max_retries: int | None = 0) -> Outcome:
    """``call`` on a new client for ``url`` (gateway and API server both), closed after; ``max_retries`` None:
    the client's default. Never raises: whatever the method raises is the outcome."""
    options = _client_options(url, timeout, max_retries)
    if flavor == "sync":
        with Qualys(**options) as client:
            start = time.monotonic()
            try:
                result = call.run(client)
            except BaseException as exc:  # RecursionError and the like are what some scenarios look for
                return Outcome(True, error=exc, elapsed=time.monotonic() - start)
            return Outcome(True, result=result, elapsed=time.monotonic() - start)

    async def main() -> Outcome:
        async with AsyncQualys(**options) as client:
            start = time.monotonic()
            try:
                result = await call.run_async(client)
            except BaseException as exc:
                return Outcome(True, error=exc, elapsed=time.monotonic() - start)
            return Outcome(True, result=result, elapsed=time.monotonic() - start)

    return asyncio.run(main())


class _Worker(threading.Thread):
    def __init__(self, job: Callable[[], Outcome]) -> None:
        # A daemon: a call that hangs must not keep the test run (or the probe) from ending.
        super().__init__(daemon=True)
        self._job = job
        self.outcome: Outcome | None = None

    def run(self) -> None:
        try:
            self.outcome = self._job()
        except BaseException as exc:  # a failure setting the client up: report it, never as a thread crash
            self.outcome = Outcome(True, error=exc, elapsed=0.0)


def run_concurrently(jobs: Sequence[Callable[[], Outcome]], *, wait: float) -> list[Outcome]:
    """Run every job on its own thread, all at once; after ``wait`` seconds, those still running are reported
    unfinished (and left to end on their own, or when their server closes)."""
    workers = [_Worker(job) for job in jobs]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + wait
    for worker in workers:
        worker.join(max(deadline - time.monotonic(), 0))
    return [
        worker.outcome if worker.outcome is not None and not worker.is_alive() else Outcome(False) for worker in workers
    ]


# -- the memory probe ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProbeRecord:
    """One probe call. ``error``: the qualified class name of what it raised (None: it returned, or did not end);
    ``growth_bytes``: peak RSS so far minus the baseline; ``own_growth_bytes``: what this call added to the peak.
    ``stopped``: why the probe stopped at this call, if it did."""

    call: str
    flavor: Flavor
    finished: bool
    error: str | None
    message: str
    elapsed: float | None
    growth_bytes: int
    own_growth_bytes: int
    stopped: str | None = None

    @classmethod
    def from_json(cls, line: str) -> ProbeRecord:
        return cls(**json.loads(line))


def _peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024  # bytes on macOS, KiB on Linux


def _current_rss_bytes() -> int | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None  # no /proc: the watchdog is off, the assertions still hold
    return pages * os.sysconf("SC_PAGE_SIZE")


class _Probe:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current: tuple[str, Flavor] = ("", "sync")

    def emit(self, record: ProbeRecord) -> None:
        with self._lock:
            sys.stdout.write(json.dumps(asdict(record)) + "\n")
            sys.stdout.flush()

    def stop(self, why: str, baseline: int, code: int) -> None:
        name, flavor = self.current
        growth = _peak_rss_bytes() - baseline
        self.emit(ProbeRecord(name, flavor, False, None, why, None, growth, growth, stopped=why))
        os._exit(code)  # not sys.exit: a thread still reading must not keep the process alive

    def watch(self, baseline_peak: int) -> None:
        start = _current_rss_bytes()
        if start is None:
            return
        while True:
            time.sleep(0.005)
            now = _current_rss_bytes()
            if now is not None and now - start > ABORT_GROWTH_BYTES:
                self.stop(f"resident memory grew by {(now - start) >> 20} MiB: stopped", baseline_peak, 3)


def probe(warm_url: str, url: str, timeout: float, names: Sequence[str]) -> None:
    calls = [CALLS_BY_NAME[name] for name in names]
    for call in calls:
        for flavor in FLAVORS:
            warm = invoke(call, flavor, warm_url, timeout=timeout)
            if warm.error is not None:
                print(f"warm-up {call.name} {flavor}: {warm.error!r}", file=sys.stderr)
    gc.collect()
    baseline = _peak_rss_bytes()
    state = _Probe()
    threading.Thread(target=state.watch, args=(baseline,), daemon=True).start()
    for call in calls:
        for flavor in FLAVORS:
            state.current = (call.name, flavor)
            before = _peak_rss_bytes()
            job = partial(invoke, call, flavor, url, timeout=timeout)
            outcome = run_concurrently([job], wait=timeout + HANG_GRACE)[0]
            after = _peak_rss_bytes()
            if not outcome.finished:
                state.stop(f"no answer {timeout + HANG_GRACE:.0f}s after the call started: stopped", baseline, 4)
            error = outcome.error
            what = None if error is None else f"{type(error).__module__}.{type(error).__qualname__}"
            message = repr(outcome.result)[:300] if error is None else str(error)[:300]
            record = ProbeRecord(call.name, flavor, True, what, message, outcome.elapsed, after - baseline,
                                 after - before)  # fmt: skip
            state.emit(record)
            del outcome, error
            gc.collect()


if __name__ == "__main__":
    probe(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:])
