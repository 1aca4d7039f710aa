"""A journal belongs to one input; every state a crash can leave it in resumes; a run's report reads it back."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest

from qualys_sdk import AssetSpec, InputValidationError, Qualys
from qualys_sdk.bulk import provision_assets, read_report

from .fake_server import FakeOCA


def _csv(path: Path, ips: list[str], technology: str = "Fabric 7") -> Path:
    path.write_text("hostIP,technology\n" + "".join(f"{ip},{technology}\n" for ip in ips))
    return path


def _ips(start: int, count: int) -> list[str]:
    return [f"10.5.{i // 250}.{i % 250 + 1}" for i in range(start, start + count)]


# ------------------------------------------------------------------------------------------- bound to its input


def test_another_input_with_the_same_journal_is_refused(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "b.journal"
    first = _csv(tmp_path / "b1.csv", _ips(0, 5))
    provision_assets(client, first, journal=journal)
    second = _csv(tmp_path / "b2.csv", _ips(100, 5))
    calls = server.bulk_calls
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, second, journal=journal)
    message = str(info.value)
    assert str(first) in message  # the input the journal records
    assert str(second) in message  # the input given now
    assert "restart=True" in message  # and the way out
    assert "--restart" in message
    assert info.value.first.file == str(journal)
    assert server.bulk_calls == calls  # b2's rows were never sent
    assert len(server.assets) == 5


def test_a_changed_file_is_another_input(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    # The typo case: the same path, fixed content; the old journal must not replay the old rows.
    source, journal = _csv(tmp_path / "d.csv", _ips(0, 3)), tmp_path / "d.journal"
    provision_assets(client, source, journal=journal)
    _csv(source, _ips(0, 4))
    with pytest.raises(InputValidationError, match="restart"):
        provision_assets(client, source, journal=journal)


def test_other_records_are_another_input(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "r.journal"
    records = [AssetSpec(ip, "Fabric 7") for ip in _ips(0, 4)]
    provision_assets(client, records, journal=journal)
    with pytest.raises(InputValidationError, match=r"<records>.*restart=True"):
        provision_assets(client, [AssetSpec(ip, "Fabric 7") for ip in _ips(10, 4)], journal=journal)
    again = provision_assets(client, iter(records), journal=journal)  # the same records, from a one-shot iterator
    assert again.already_finished
    assert not list(tmp_path.glob("*.check"))  # the records' digest was taken on a spool now gone


def test_a_finished_run_is_returned_and_nothing_is_sent(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    source, journal = _csv(tmp_path / "d.csv", _ips(0, 25)), tmp_path / "d.journal"
    first = provision_assets(client, source, journal=journal, chunk_size=10)
    assert not first.already_finished
    calls, fetches = server.bulk_calls, server.technology_calls
    again = provision_assets(client, source, journal=journal)
    assert again.already_finished
    assert (server.bulk_calls, server.technology_calls) == (calls, fetches)
    assert again.rows == first.rows
    moved = tmp_path / "moved.csv"
    source.rename(moved)  # the same content elsewhere is the same input
    assert provision_assets(client, moved, journal=journal).already_finished


def test_the_same_input_resumes_an_unfinished_run(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    source, journal = _csv(tmp_path / "d.csv", _ips(0, 30)), tmp_path / "d.journal"
    server.interrupt_after_apply = 2
    with pytest.raises(KeyboardInterrupt):
        provision_assets(client, source, journal=journal, chunk_size=10, concurrency=1)
    server.interrupt_after_apply = None
    fetches = server.technology_calls
    result = provision_assets(client, source, journal=journal)  # no chunk_size: the run keeps its own
    assert result.complete
    assert not result.already_finished
    assert server.technology_calls == fetches  # the rows were checked when the run started
    assert sorted(r.host_ip for r in result.rows) == sorted(_ips(0, 30))
    assert {r.uuid for r in result.rows} == set(server.assets.values())


def test_a_resume_keeps_its_chunk_size(client: Qualys, tmp_path: Path) -> None:
    source, journal = _csv(tmp_path / "d.csv", _ips(0, 5)), tmp_path / "d.journal"
    provision_assets(client, source, journal=journal, chunk_size=2)
    with pytest.raises(InputValidationError, match="chunks of 2 rows, not 3"):
        provision_assets(client, source, journal=journal, chunk_size=3)
    assert provision_assets(client, source, journal=journal, chunk_size=2).already_finished


def test_restart_starts_a_new_run_and_keeps_the_old_journal(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "b.journal"
    first = provision_assets(client, _csv(tmp_path / "b1.csv", _ips(0, 3)), journal=journal)
    second = provision_assets(client, _csv(tmp_path / "b2.csv", _ips(0, 5)), journal=journal, restart=True)
    kept = [p for p in tmp_path.iterdir() if re.fullmatch(r"b\.journal\.\d{8}T\d{6}Z", p.name)]
    assert len(kept) == 1
    assert Path(f"{kept[0]}.rows").is_file()  # the old spool moved with it
    assert read_report(kept[0]).rows == first.rows  # and the old run still reads back
    # The new run: b2's rows, the three b1 also had coming back as existing assets, nothing twice.
    assert [r.status for r in second.rows] == ["exists"] * 3 + ["provisioned"] * 2
    assert len(server.assets) == 5
    assert json.loads(journal.read_text().splitlines()[0])["previous"] == str(kept[0])
    third = provision_assets(client, _csv(tmp_path / "b2.csv", _ips(0, 5)), journal=journal, restart=True)
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("b.journal.2")]) == 4  # two runs kept, two spools
    assert {r.status for r in third.rows} == {"exists"}


def test_restart_needs_the_input(client: Qualys, tmp_path: Path) -> None:
    journal = tmp_path / "b.journal"
    provision_assets(client, [AssetSpec("10.5.0.1", "Fabric 7")], journal=journal)
    with pytest.raises(InputValidationError, match="restart=True needs the input"):
        provision_assets(client, None, journal=journal, restart=True)


# ------------------------------------------------------------------------------------------- crash states


@pytest.mark.parametrize("content", [b"", b'{"journal": "qualys-sdk bulk", "version": 2, "kind": "prov'],
                         ids=["empty", "header-cut-short"])  # fmt: skip
def test_a_journal_that_never_got_its_header_starts_fresh(
    client: Qualys, server: FakeOCA, tmp_path: Path, content: bytes
) -> None:
    # What a kill between creating the journal and its fsync leaves.
    journal = tmp_path / "d.journal"
    journal.write_bytes(content)
    result = provision_assets(client, _csv(tmp_path / "d.csv", _ips(0, 4)), journal=journal)
    assert result.summary()["provisioned"] == 4
    with pytest.raises(InputValidationError, match="records no run to resume: give the input"):
        provision_assets(client, None, journal=tmp_path / "never-written.journal")


def test_a_journal_that_records_nothing_sent_is_no_journal(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "d.journal"
    with pytest.raises(InputValidationError, match="unknown technology 'Comwar 7'"):
        provision_assets(client, _csv(tmp_path / "typo.csv", _ips(0, 3), "Comwar 7"), journal=journal)
    assert journal.is_file()  # written before the technologies were checked; nothing was sent
    result = provision_assets(client, _csv(tmp_path / "fixed.csv", _ips(0, 3), "Comware 7"), journal=journal)
    assert result.summary()["provisioned"] == 3
    assert not list(tmp_path.glob("d.journal.2*"))  # nothing was sent: nothing to keep


def test_a_header_with_nothing_sent_resumes_from_its_spool(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "d.journal"
    provision_assets(client, _csv(tmp_path / "d.csv", _ips(0, 3)), journal=journal)
    header = journal.read_text().splitlines()[0]
    journal.write_text(header + "\n")  # as if killed right after the header was written
    result = provision_assets(client, None, journal=journal)
    assert result.complete
    assert [r.status for r in result.rows] == ["exists"] * 3


def test_the_spool_is_on_disk_before_the_header_names_it(
    client: Qualys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name an fsynced descriptor")
    events: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace

    def spy_fsync(fd: int) -> None:
        events.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        fsync(fd)

    def spy_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(("replace", f"{Path(src).name}>{Path(dst).name}"))
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", spy_fsync)
    monkeypatch.setattr(os, "replace", spy_replace)
    provision_assets(client, [AssetSpec("10.5.0.1", "Fabric 7")], journal=tmp_path / "d.journal",
                     check_technologies=False)  # fmt: skip
    order = [
        ("fsync", "d.journal.rows.new"),
        ("replace", "d.journal.rows.new>d.journal.rows"),
        ("fsync", "d.journal.new"),
        ("replace", "d.journal.new>d.journal"),
    ]
    assert [e for e in events if e in order] == order


def test_a_damaged_spool_is_refused_with_the_way_out(client: Qualys, tmp_path: Path) -> None:
    source, journal = _csv(tmp_path / "d.csv", _ips(0, 4)), tmp_path / "d.journal"
    assert provision_assets(client, source, journal=journal, chunk_size=2).complete
    spool = Path(f"{journal}.rows")
    spool.write_bytes(spool.read_bytes()[:-10])
    with pytest.raises(InputValidationError, match="restart=True"):
        provision_assets(client, None, journal=journal)
    assert provision_assets(client, source, journal=journal, restart=True).complete


def test_a_run_without_a_journal_cleans_up_after_itself(client: Qualys, server: FakeOCA) -> None:
    done = provision_assets(client, [AssetSpec(ip, "Fabric 7") for ip in _ips(0, 3)])
    assert done.complete
    assert not done.journal.parent.exists()
    server.drop_after_apply = 10  # every answer lost: the rows stay unknown, and the journal is what resumes them
    unknown = provision_assets(client, [AssetSpec(ip, "Fabric 7") for ip in _ips(10, 3)])
    assert not unknown.complete
    assert unknown.journal.is_file()
    server.drop_after_apply = 0
    assert provision_assets(client, None, journal=unknown.journal).complete


def test_a_bad_input_without_a_journal_leaves_no_folder(
    client: Qualys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A temporary folder of this test's own: other runs on the machine make and remove their own meanwhile.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(InputValidationError):
        provision_assets(client, [AssetSpec("not-an-ip", "Fabric 7")])
    assert list(tmp_path.glob("qualys-bulk-*")) == []


# ------------------------------------------------------------------------------------------- reports


def test_a_report_reads_every_row_back_and_sends_nothing(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    server.assets[("10.5.0.2", "Fabric 7")] = "existing-uuid"
    source = tmp_path / "d.csv"
    source.write_text("hostIP,technology\n10.5.0.1,Fabric 7\n10.5.0.2,Fabric 7\n0.0.0.9,Fabric 7\n10.5.0.1,fabric 7\n")
    result = provision_assets(client, source, journal=tmp_path / "d.journal")
    calls = server.bulk_calls
    report = read_report(tmp_path / "d.journal")
    assert report.rows == result.rows
    assert report.already_finished
    assert server.bulk_calls == calls
    shown = report.report()
    assert shown["summary"] == {"rows": 4, "provisioned": 1, "exists": 1, "failed": 1, "duplicate": 1, "unknown": 0}
    assert [list(row) for row in shown["rows"]] == [["line", "hostIP", "technology", "assetUUID", "outcome",
                                                     "reason"]] * 4  # fmt: skip
    assert shown["rows"][1] == {"line": 3, "hostIP": "10.5.0.2", "technology": "Fabric 7",
                                "assetUUID": "existing-uuid", "outcome": "exists", "reason": "exists"}  # fmt: skip
    assert shown["rows"][2]["reason"] == "reserved address"
    assert shown["rows"][3]["reason"] == "same asset as line 2"


def test_a_report_of_an_interrupted_run_says_what_is_unknown(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    journal = tmp_path / "d.journal"
    server.interrupt_after_apply = 2
    with pytest.raises(KeyboardInterrupt):
        provision_assets(client, _csv(tmp_path / "d.csv", _ips(0, 5)), journal=journal, chunk_size=2, concurrency=1)
    report = read_report(journal)
    assert not report.already_finished
    assert [r.status for r in report.rows] == ["provisioned"] * 2 + ["unknown"] * 3
    # Chunks 1 (rows 2-3) and 2 (row 4) wait for the one slot together: either may be the one in flight.
    sent, not_sent = (
        "sent, but no answer was recorded: resume the run to settle it",
        "not sent: resume the run to send it",
    )
    by_chunk = [{r.reason for r in report.rows[2:4]}, {r.reason for r in report.rows[4:]}]
    assert by_chunk in ([{sent}, {not_sent}], [{not_sent}, {sent}])


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "no bulk run is recorded"), (b"\xff\xfe\n", "not a qualys-sdk bulk journal"),
     (b"[1, 2]\n", "not a qualys-sdk bulk journal")],
    ids=["empty", "binary", "not-an-object"],
)  # fmt: skip
def test_a_report_of_something_else_is_an_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "j"
    path.write_bytes(content)
    with pytest.raises(InputValidationError, match=message):
        read_report(path)
