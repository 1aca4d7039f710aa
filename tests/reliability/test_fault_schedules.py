"""Bulk provision under schedules of faults: every run ends with exactly the intended assets, each row told once.

Hypothesis draws a schedule (one step per request: rate-limit blocks, 502/503, responses slower than the call's
timeout, connections dropped before or after the server applied the request, expired tokens) and plays it
against the in-process simulator while a few chunks are provisioned. Whatever the schedule, the simulator must
end up holding each intended (hostIP, technology) once, none lost and none duplicated, and the result must
account for every input row exactly once. A run that could not finish leaves rows ``unknown``; resuming it
from its journal with no faults completes it, under the same invariant.
"""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from qualys_sdk import AuthenticationError, OutcomeUnknownError, Qualys
from qualys_sdk.bulk import BulkRunResult, provision_assets
from qualys_sdk.testing import Simulator

from .support import (
    CALL_TIMEOUT,
    PASSWORD,
    USERNAME,
    ScheduledTransport,
    Step,
    asset_pairs,
    client_for,
    new_simulator,
    served,
)

#: A sample asset of the simulator: a row naming it must come back ``exists``, never as a new asset.
EXISTING = ("111.1.8.21", "Comware 7")
TECHNOLOGIES = ("Fabric 7", "Comware 7", "ArubaOS 8")

steps = st.one_of(
    st.just(Step("ok")),
    st.builds(Step, st.just("429"), retry_after=st.sampled_from([0, 1])),
    st.sampled_from([Step(kind) for kind in ("502", "503", "slow", "drop", "drop_after", "token_expired", "expire")]),
)
# At most two slow steps: each costs real time.
schedules = st.lists(steps, max_size=10).filter(lambda s: sum(step.kind == "slow" for step in s) <= 2)


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """One run first, so that loading specs and modules never counts against the small per-call timeout."""
    sim = new_simulator()
    with client_for(ScheduledTransport(sim)) as client:
        client.oca.list_technologies()


def _records(count: int, with_existing: bool) -> list[dict[str, str]]:
    records = [{"hostIP": f"10.9.{i // 250}.{i % 250 + 1}", "technology": TECHNOLOGIES[i % 3]} for i in range(count)]
    if with_existing:
        records.insert(count // 2, {"hostIP": EXISTING[0], "technology": EXISTING[1]})
    return records


def _check_accounting(result: BulkRunResult, records: list[dict[str, str]]) -> None:
    """Every input row once, in order, with its own (hostIP, technology) and a status a fault can leave."""
    assert [r.line for r in result.rows] == list(range(1, len(records) + 1))
    assert [(r.host_ip, r.technology) for r in result.rows] == [(x["hostIP"], x["technology"]) for x in records]
    assert {r.status for r in result.rows} <= {"provisioned", "exists", "unknown"}
    assert (result.count("unknown") == 0) == result.complete


def _check_assets(sim: Simulator, baseline: Counter[tuple[str, str]], intended: set[tuple[str, str]],
                  result: BulkRunResult | None) -> None:  # fmt: skip
    """Nothing duplicated, nothing foreign; when ``result`` is complete, nothing lost and every UUID right."""
    held = asset_pairs(sim)
    for pair, count in held.items():
        assert pair in intended or pair in baseline, f"an asset nobody asked for: {pair}"
        assert count == max(baseline[pair], 1), f"{pair} is held {count} times"
    by_uuid = {a["uuid"]: (a["hostIP"], a["technology"]) for a in sim.assets(USERNAME)}
    if result is None:
        return
    for row in result.rows:
        if row.status in ("provisioned", "exists"):
            assert row.uuid is not None
            assert by_uuid.get(row.uuid) == (row.host_ip, row.technology)
    if result.complete:
        assert held == baseline + Counter(intended - set(baseline))
        assert result.count("exists") >= (1 if EXISTING in intended else 0)


@given(
    schedule=schedules,
    count=st.integers(30, 60),
    concurrency=st.integers(1, 2),
    with_existing=st.booleans(),
)
def test_no_asset_lost_or_duplicated_under_any_fault_schedule(
    tmp_path_factory: pytest.TempPathFactory, schedule: list[Step], count: int, concurrency: int, with_existing: bool
) -> None:
    journal = tmp_path_factory.mktemp("run") / "journal.jsonl"
    records = _records(count, with_existing)
    intended = {(x["hostIP"], x["technology"]) for x in records}
    sim = new_simulator()
    baseline = asset_pairs(sim)
    result: BulkRunResult | None
    with client_for(ScheduledTransport(sim, schedule), timeout=CALL_TIMEOUT, max_retries=2) as client:
        try:
            result = provision_assets(client, records, journal=journal, chunk_size=10, concurrency=concurrency)
        except AuthenticationError:
            result = None  # a token refused twice in a row: the run stops, and the journal says where
    event(
        "run: "
        + ("stopped by a refused token" if result is None else "complete" if result.complete else "unknown rows")
    )
    if result is not None:
        _check_accounting(result, records)
        event(f"rows found existing: {result.count('exists') > 0}")
    _check_assets(sim, baseline, intended, result)
    if result is not None and result.complete:
        return
    sim.clear_faults()
    with client_for(ScheduledTransport(sim)) as client:
        resumed = provision_assets(client, None, journal=journal)
    _check_accounting(resumed, records)
    assert resumed.complete
    _check_assets(sim, baseline, intended, resumed)
    if result is not None:
        # What the first run learned stands: the resume only completes the rows it could not.
        for before, after in zip(result.rows, resumed.rows, strict=True):
            if before.status != "unknown":
                assert (after.status, after.uuid) == (before.status, before.uuid)


@pytest.mark.parametrize("kind", ["drop", "drop_after"])
def test_a_dropped_connection_over_a_socket_is_no_answer_at_all(kind: str) -> None:
    """Served by uvicorn, a drop must break the connection, not come back as a 500 the client would believe."""
    sim = new_simulator()
    baseline = asset_pairs(sim)
    sim.inject(kind, r"/ocaapi/v2\.0/asset$")
    with served(sim) as url, Qualys(username=USERNAME, password=PASSWORD, gateway_url=url, api_url=url) as client:
        with pytest.raises(OutcomeUnknownError) as info:
            client.oca.provision("10.8.0.1", "Fabric 7")
        # A cut connection reads as a protocol error or a reset, depending on when the socket closes.
        assert isinstance(info.value.cause, httpx.RemoteProtocolError | httpx.ReadError)
        added = asset_pairs(sim) - baseline
        assert added == (Counter({("10.8.0.1", "Fabric 7"): 1}) if kind == "drop_after" else Counter())
        assert client.oca.list_technologies()  # the client goes on over a new connection
