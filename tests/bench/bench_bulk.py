"""Bulk throughput: 100,000 assets through ``provision_assets`` against the simulator in another process.

The simulator runs as ``qualys sim serve`` on loopback and emulates, server side, a limit of 20 calls per
1-second window with 2 calls at once (``/_sim/subscriptions/{user}/rate-limit``) and 20 ms of latency on every
OCA call (a ``latency`` fault with ``times=None``). The permitted maximum is then
min(20 / 1 s, 2 / 0.020 s) = 20 calls/s of 1000 assets: 20,000 assets/s.

The client runs in a child process of its own (``python -m tests.bench.bench_bulk --child ...``) so that its
memory figure is its own: peak RSS (``VmHWM``) growth over the run, read from ``/proc/self/status``. The input
is a CSV file of 100,000 rows in a temporary directory, read as a stream and spooled to disk by the helper.
The run must account for every row, and the simulator must hold exactly 100,000 new assets.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.bench.common import Figure, served_simulator
from tests.support import REPO

ASSETS = 100_000
CHUNK = 1000
CALLS_PER_WINDOW = 20
WINDOW_SEC = 1
CONCURRENCY = 2
LATENCY_SEC = 0.020
PERMITTED_CALLS_PER_SEC = min(CALLS_PER_WINDOW / WINDOW_SEC, CONCURRENCY / LATENCY_SEC)
PERMITTED = PERMITTED_CALLS_PER_SEC * CHUNK
TARGET_RATIO = 0.90
TARGET_MEMORY_MB = 100.0
USER = "bench_bulk"
PASSWORD = "bench-password"
TECHNOLOGY = "Comware 7"


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("hostIP,technology\n")
        for i in range(count):
            out.write(f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255},{TECHNOLOGY}\n")


def _memory_kb() -> dict[str, int]:
    found = {}
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0])
    return found


def child(url: str, source: Path, journal: Path) -> dict[str, Any]:
    """The client side, in its own process: one ``provision_assets`` run, timed, with its memory growth."""
    from qualys_sdk import Qualys
    from qualys_sdk.bulk import Progress, provision_assets

    marks: list[tuple[float, int]] = []
    with Qualys(username=USER, password=PASSWORD, gateway_url=url, api_url=url) as qualys:
        qualys.oca.list_technologies()  # log in and warm up before the measured run
        before = _memory_kb()
        start = time.perf_counter()

        def progress(p: Progress) -> None:
            marks.append((time.perf_counter() - start, p.chunks_done))

        result = provision_assets(qualys, source, journal=journal, chunk_size=CHUNK, concurrency=CONCURRENCY,
                                  progress=progress)  # fmt: skip
        seconds = time.perf_counter() - start
        after = _memory_kb()
    lines = {r.line for r in result.rows}
    return {
        "seconds": seconds,
        "summary": result.summary(),
        "all_lines": lines == set(range(2, ASSETS + 2)),
        "uuids": len({r.uuid for r in result.rows if r.uuid}),
        "hwm_growth_kb": after["VmHWM"] - before["VmHWM"],
        "rss_growth_kb": after["VmRSS"] - before["VmRSS"],
        "rss_before_kb": before["VmRSS"],
        # The first report comes once the input is checked and spooled, the last once every chunk is answered.
        "prepared_s": marks[0][0],
        "sent_s": marks[-1][0],
    }


def _count(url: str) -> int:
    return len(httpx.get(f"{url}/_sim/subscriptions/{USER}/assets", timeout=120).json())


def run(repeats: int) -> list[Figure]:
    del repeats  # one run of 100,000 assets is the figure
    with tempfile.TemporaryDirectory(prefix="qualys-bench-bulk-") as tmp:
        folder = Path(tmp)
        source = folder / "assets.csv"
        write_csv(source, ASSETS)
        log = folder / "server.log"
        with served_simulator(log) as url:
            httpx.post(f"{url}/_sim/subscriptions/{USER}", json={"password": PASSWORD}).raise_for_status()
            existing = _count(url)
            httpx.post(f"{url}/_sim/subscriptions/{USER}/rate-limit", json={
                "calls": CALLS_PER_WINDOW, "window_sec": WINDOW_SEC, "concurrency": CONCURRENCY,
            }).raise_for_status()  # fmt: skip
            httpx.post(f"{url}/_sim/faults", json={
                "kind": "latency", "path": "^/ocaapi/", "times": None, "seconds": LATENCY_SEC,
            }).raise_for_status()  # fmt: skip
            command = [sys.executable, "-m", "tests.bench.bench_bulk", "--child", url, str(source),
                       str(folder / "journal.jsonl")]  # fmt: skip
            done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, timeout=1800)
            if done.returncode != 0:
                raise RuntimeError(f"the bulk client failed:\n{done.stderr}")
            measured: dict[str, Any] = json.loads(done.stdout)
            new_assets = _count(url) - existing
        access = log.read_text(encoding="utf-8", errors="replace")
    limited = access.count('" 429 ')
    calls = access.count("POST /ocaapi/v2.0/asset/bulk")
    summary = measured["summary"]
    accounted = (
        measured["all_lines"] and summary["rows"] == ASSETS and summary["provisioned"] == ASSETS
        and measured["uuids"] == ASSETS and new_assets == ASSETS
    )  # fmt: skip
    rate = ASSETS / measured["seconds"]
    prepared = float(measured["prepared_s"])
    send_rate = ASSETS / (measured["sent_s"] - prepared)
    checks = f"{summary['provisioned']:,} rows provisioned, {new_assets:,} new assets in the simulator"
    limits = f"{calls} bulk calls, {limited} answered 429"
    return [
        Figure(
            name="bulk: 100,000 assets, provision_assets against the out-of-process simulator, assets/s",
            value=round(rate),
            unit="assets/s",
            detail={
                "total_s": round(measured["seconds"], 2),
                "permitted_assets_per_s": PERMITTED,
                "summary": summary,
                "new_assets": new_assets,
                "all_rows_accounted": accounted,
            },
            note=checks if accounted else f"NOT ALL ACCOUNTED FOR: {checks}",
        ),
        Figure(
            name="bulk: achieved / permitted maximum (20 calls/s x 1000 assets)",
            value=round(rate / PERMITTED, 3),
            unit="x",
            target=TARGET_RATIO,
            at_least=True,
            detail={
                "prepare_s": round(prepared, 2),
                "send_s": round(measured["sent_s"] - prepared, 2),
                "send_phase_ratio": round(send_rate / PERMITTED, 3),
                "bulk_calls": calls,
                "rate_limited_calls": limited,
            },
            note=f"prepare: input checked and spooled; send: first to last chunk; {limits}",
        ),
        Figure(
            name="bulk: client peak RSS growth over the 100,000-asset run",
            value=round(measured["hwm_growth_kb"] / 1024, 1),
            unit="MB",
            target=TARGET_MEMORY_MB,
            detail={
                "rss_growth_mb": round(measured["rss_growth_kb"] / 1024, 1),
                "rss_before_mb": round(measured["rss_before_kb"] / 1024, 1),
            },
            note="VmHWM after minus before, in the process that runs provision_assets",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the client side of the bulk benchmark (run by run())")
    parser.add_argument("--child", nargs=3, metavar=("URL", "SOURCE", "JOURNAL"), required=True)
    args = parser.parse_args(argv)
    url, source, journal = args.child
    print(json.dumps(child(url, Path(source), Path(journal))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
