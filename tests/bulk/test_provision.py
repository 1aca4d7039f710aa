"""Bulk provision: every row accounted for, nothing lost or duplicated, across failures and resumes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qualys_sdk import AssetSpec, AsyncQualys, AuthenticationError, InputValidationError, Qualys
from qualys_sdk.bulk import BulkRunResult, Progress, aprovision_assets, provision_assets

from .fake_server import FakeOCA, fake_client

HEADER = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"


@pytest.fixture
def client(server: FakeOCA) -> Iterator[Qualys]:
    with fake_client(server, max_retries=2) as qualys:
        yield qualys


def _csv(tmp_path: Path, count: int, start: int = 0, name: str = "assets.csv") -> Path:
    path = tmp_path / name
    rows = [
        f",10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255},,,,,Fabric 7,PolicyCompliance,\n"
        for i in range(start, start + count)
    ]
    path.write_text(HEADER + "".join(rows))
    return path


def test_thousands_of_rows_in_chunks(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    seen: list[Progress] = []
    result = provision_assets(client, _csv(tmp_path, 2500), journal=tmp_path / "j.jsonl", progress=seen.append)
    assert server.bulk_calls == 3
    assert result.summary()["provisioned"] == 2500
    assert result.complete
    assert len(server.assets) == 2500
    assert {r.uuid for r in result.rows} == set(server.assets.values())
    assert seen[-1].rows_done == 2500
    assert seen[-1].chunks_done == 3


def test_every_problem_is_reported_before_anything_is_sent(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + ",10.0.0.1,,,,,Fabric 7,PolicyCompliance,\n" + ",10.0.0.300,,,,,Fabric 7,,\n"
                    + ",10.0.0.2,,,,,,PolicyCompliance,\n" + ",10.0.0.3,,,,,Fabric 7,Other,\n")  # fmt: skip
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, path, journal=tmp_path / "j.jsonl")
    where = [(p.line, p.field) for p in info.value.problems]
    assert where == [(3, "hostIP"), (4, "technology"), (5, "type")]
    assert all(p.file == str(path) for p in info.value.problems)
    assert server.bulk_calls == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hostIP,technology\n10.0.0.1,Fabric 7,extra\n", "in.csv:2: 3 cells where the header has 2"),
        (b"hostIP,technology\n10.0.0.1,Fabric \xff\n", "not UTF-8"),
        (b"hostIP,technology,colour\n10.0.0.1,Fabric 7,red\n", "unknown column 'colour'"),
        (b"hostIP,technology\n" + b"x" * (1024 * 1024 + 10) + b"\n", "longer than 1048576 bytes"),
        (b"", "the file is empty"),
    ],
    ids=["cells", "utf8", "column", "long-line", "empty"],
)
def test_malformed_files(client: Qualys, server: FakeOCA, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, path, journal=tmp_path / "j.jsonl")
    assert message in str(info.value)
    assert server.bulk_calls == 0


def test_unknown_technologies_are_input_errors(client: Qualys, server: FakeOCA) -> None:
    with pytest.raises(InputValidationError, match="unknown technology 'Fabric 99'"):
        provision_assets(client, [AssetSpec("10.0.0.1", "Fabric 99")], technologies=["Fabric 7"])
    assert server.bulk_calls == 0


def test_json_lines_duplicates_and_existing_assets(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    server.assets[("10.0.0.1", "Fabric 7")] = "existing-uuid"
    path = tmp_path / "in.jsonl"
    records = [
        {"hostIP": "10.0.0.1", "technology": "Fabric 7"},
        {"hostIP": "10.0.0.2", "technology": "Fabric 7"},
        {"hostIP": "10.0.0.2", "technology": "Fabric 7", "dnsName": "again"},
        {"hostIP": "0.0.0.9", "technology": "Fabric 7"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = provision_assets(client, path, journal=tmp_path / "j.jsonl")
    statuses = [(r.line, r.status) for r in result.rows]
    assert statuses == [(1, "exists"), (2, "provisioned"), (3, "duplicate"), (4, "failed")]
    assert result.rows[0].uuid == "existing-uuid"
    assert result.rows[2].reason == "same asset as line 2"
    assert result.rows[3].reason == "reserved address"
    assert len(server.assets) == 2


def test_connection_lost_after_the_server_applied_a_chunk(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    server.drop_after_apply = 1
    result = provision_assets(client, _csv(tmp_path, 30), journal=tmp_path / "j.jsonl", chunk_size=10)
    assert len(server.assets) == 30  # nothing duplicated
    assert result.complete
    assert result.summary()["provisioned"] + result.summary()["exists"] == 30
    assert {r.uuid for r in result.rows} == set(server.assets.values())  # nothing lost


def test_resume_after_a_crash_between_sending_and_recording(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    source, journal = _csv(tmp_path, 50), tmp_path / "j.jsonl"
    server.interrupt_after_apply = 3
    with pytest.raises(KeyboardInterrupt):
        provision_assets(client, source, journal=journal, chunk_size=10, concurrency=1)
    assert len(server.assets) == 30  # three chunks applied, the third never recorded
    server.interrupt_after_apply = None
    calls_before = server.bulk_calls
    result = provision_assets(client, None, journal=journal)
    assert server.bulk_calls - calls_before == 3  # the unrecorded chunk again, then the two never sent
    assert len(server.assets) == 50
    assert result.complete
    assert len(result.rows) == 50
    assert {r.uuid for r in result.rows} == set(server.assets.values())
    again = provision_assets(client, None, journal=journal)
    assert server.bulk_calls - calls_before == 3  # a finished run sends nothing more
    assert again.summary() == result.summary()


def test_resume_reads_a_journal_written_in_the_first_layout(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    # As the first releases wrote them: every spool field, nulls included; outcomes by row key, one mapping each.
    journal = tmp_path / "j.jsonl"
    spool = tmp_path / "j.jsonl.rows"
    fields = {"dnsName": None, "mac": None, "modelName": None, "netbios": None, "serialNumber": None, "uuid": None}
    ips = [f"10.9.0.{i}" for i in range(1, 6)]
    spool.write_text("".join(json.dumps({"line": n, "hostIP": ip, "technology": "Fabric 7", **fields}) + "\n"
                             for n, ip in enumerate(ips, start=2)))  # fmt: skip
    server.assets[(ips[0], "Fabric 7")] = "uuid-0"
    server.assets[(ips[1], "Fabric 7")] = "uuid-1"
    events = [
        {"journal": "qualys-sdk bulk", "version": 1, "kind": "provision", "source": "assets.csv", "chunk_size": 2,
         "duplicates": [[7, 3]]},
        {"chunk": 0, "state": "sending", "keys": [f"{ip}|Fabric 7" for ip in ips[:2]]},
        {"chunk": 0, "state": "done", "outcome": {
            f"{ips[0]}|Fabric 7": {"status": "provisioned", "uuid": "uuid-0"},
            f"{ips[1]}|Fabric 7": {"status": "exists", "uuid": "uuid-1", "reason": "already there", "resent": True},
        }},
        {"chunk": 1, "state": "sending", "keys": [f"{ip}|Fabric 7" for ip in ips[2:4]]},
    ]  # fmt: skip
    journal.write_text("".join(json.dumps(event) + "\n" for event in events))
    result = provision_assets(client, None, journal=journal)
    assert server.bulk_calls == 2  # chunk 1 again (left sending), then chunk 2; chunk 0 was answered
    assert [(r.line, r.host_ip, r.status, r.uuid, r.reason) for r in result.rows] == [
        (2, ips[0], "provisioned", "uuid-0", None),
        (3, ips[1], "exists", "uuid-1", "already there"),
        (4, ips[2], "provisioned", server.assets[(ips[2], "Fabric 7")], None),
        (5, ips[3], "provisioned", server.assets[(ips[3], "Fabric 7")], None),
        (6, ips[4], "provisioned", server.assets[(ips[4], "Fabric 7")], None),
        (7, ips[1], "duplicate", None, "same asset as line 3"),
    ]
    assert result.complete


def test_wait_until_confirmed(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    original = server.handler

    def confirming(request: httpx.Request) -> httpx.Response:
        if "subscription" in request.url.path:
            server.confirm_all()
        return original(request)

    server.handler = confirming  # type: ignore[method-assign]
    client._http._transport.inner = httpx.MockTransport(confirming)  # type: ignore[attr-defined]
    result = provision_assets(client, _csv(tmp_path, 5), journal=tmp_path / "j.jsonl", wait_confirmed=True,
                              poll_interval=0.01, confirm_timeout=5)  # fmt: skip
    assert result.unconfirmed == []
    assert set(server.status.values()) == {"Provision Confirmed"}


def test_a_journal_from_elsewhere_is_refused(client: Qualys, tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    journal.write_text('{"journal": "something else"}\n')
    with pytest.raises(InputValidationError, match="not a qualys-sdk bulk journal"):
        provision_assets(client, None, journal=journal)


def test_async_client_runs_the_same_journaled_bulk(server: FakeOCA, tmp_path: Path) -> None:
    async def main() -> BulkRunResult:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server.handler))
        async with AsyncQualys(username="u", password="p", platform="US1", http_client=http) as qualys:
            result = await aprovision_assets(qualys, _csv(tmp_path, 25), journal=tmp_path / "j.jsonl", chunk_size=10)
        await http.aclose()
        return result

    result = asyncio.run(main())
    assert server.bulk_calls == 3
    assert result.summary()["provisioned"] == 25
    assert {r.uuid for r in result.rows} == set(server.assets.values())


# ------------------------------------------------------------------------------------------- technologies


def test_unknown_technologies_are_caught_before_anything_is_sent(
    client: Qualys, server: FakeOCA, tmp_path: Path
) -> None:
    path = tmp_path / "d.csv"
    path.write_text("hostIP,technology\n10.79.0.1,Comware\n10.79.0.2,Comware 7\n10.79.0.3,Fabrik 7\n")
    with pytest.raises(InputValidationError) as info:
        provision_assets(client, path, journal=tmp_path / "j.jsonl")
    assert [(p.file, p.line, p.field) for p in info.value.problems] == [(str(path), 2, "technology"),
                                                                        (str(path), 4, "technology")]  # fmt: skip
    assert "'Comware': did you mean 'Comware 7'?" in str(info.value.problems[0])
    assert "'Fabrik 7': did you mean 'Fabric 7' or 'Fabric 8'?" in str(info.value.problems[1])
    assert (server.technology_calls, server.bulk_calls) == (1, 0)


def test_the_technology_check_can_be_skipped_or_given(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    unchecked = provision_assets(client, [AssetSpec("10.79.0.1", "Comware")], journal=tmp_path / "a",
                                 check_technologies=False)  # fmt: skip
    assert server.technology_calls == 0
    assert unchecked.rows[0].status == "provisioned"  # this fake server takes any technology
    given = provision_assets(client, [AssetSpec("10.79.0.2", "Comware 7")], journal=tmp_path / "b",
                             technologies=["Comware 7"])  # fmt: skip
    assert server.technology_calls == 0  # an explicit list wins: no fetch
    assert given.rows[0].status == "provisioned"


def test_a_technology_list_that_cannot_be_fetched_leaves_the_check_to_the_server(
    client: Qualys, server: FakeOCA, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    original = server.handler

    def no_list(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/technology/PolicyCompliance"):
            return httpx.Response(503, json={"_error": {"code": 503, "message": "busy"}})
        return original(request)

    client._http._transport.inner = httpx.MockTransport(no_list)  # type: ignore[attr-defined]
    result = provision_assets(client, [AssetSpec("10.79.0.1", "Comware 7")], journal=tmp_path / "j.jsonl")
    assert result.complete
    assert "technology list could not be fetched" in caplog.text
    header = json.loads((tmp_path / "j.jsonl").read_text().splitlines()[0])
    assert header["technologies"] == "unchecked: no technology list (InternalServerError)"


def test_a_refused_login_at_the_technology_check_resumes(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    original = server.handler
    refuse = [True]

    def refusing(request: httpx.Request) -> httpx.Response:
        if refuse[0] and request.url.path == "/auth":
            return httpx.Response(401, json={"_error": {"code": 401, "message": "no"}})
        return original(request)

    client._http._transport.inner = httpx.MockTransport(refusing)  # type: ignore[attr-defined]
    journal = tmp_path / "j.jsonl"
    with pytest.raises(AuthenticationError):
        provision_assets(client, [AssetSpec("10.79.0.1", "comware 7")], journal=journal)
    refuse[0] = False
    result = provision_assets(client, None, journal=journal)  # the header was written before the first call
    assert [(r.technology, r.status) for r in result.rows] == [("Comware 7", "provisioned")]


def test_a_resumed_run_fetches_no_technology_list(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    server.interrupt_after_apply = 1
    with pytest.raises(KeyboardInterrupt):
        provision_assets(client, _csv(tmp_path, 20), journal=tmp_path / "j.jsonl", chunk_size=10, concurrency=1)
    server.interrupt_after_apply = None
    assert server.technology_calls == 1
    assert provision_assets(client, None, journal=tmp_path / "j.jsonl").complete
    assert server.technology_calls == 1


def test_async_runs_check_technologies_with_one_call(server: FakeOCA, tmp_path: Path) -> None:
    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server.handler))
        async with AsyncQualys(username="u", password="p", platform="US1", http_client=http) as qualys:
            with pytest.raises(InputValidationError, match="did you mean 'Comware 7'"):
                await aprovision_assets(qualys, [AssetSpec("10.79.0.1", "Comware")], journal=tmp_path / "a")
            result = await aprovision_assets(qualys, [AssetSpec("10.79.0.1", "comware 7")], journal=tmp_path / "b")
            assert result.rows[0].technology == "Comware 7"
        await http.aclose()

    asyncio.run(main())
    assert (server.technology_calls, server.bulk_calls) == (2, 1)


# ------------------------------------------------------------------------------------------- one device, one identity


def test_one_device_is_one_identity(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    records = [
        {"hostIP": "2001:db8::5", "technology": "Fabric 7"},
        {"hostIP": "2001:DB8::5", "technology": "Fabric 7"},
        {"hostIP": "2001:0db8::0005", "technology": "fabric 7"},
        {"hostIP": "10.6.0.1", "technology": "IBM zOS Security Server RACF 2"},
        {"hostIP": "10.6.0.1", "technology": "IBM z/OS Security Server RACF 2"},
        {"hostIP": "10.6.0.1", "technology": "ibm z/os security server racf 2"},
    ]
    result = provision_assets(client, records, journal=tmp_path / "j.jsonl")
    assert [(r.line, r.status, r.reason) for r in result.rows] == [
        (1, "provisioned", None), (2, "duplicate", "same asset as line 1"), (3, "duplicate", "same asset as line 1"),
        (4, "provisioned", None), (5, "duplicate", "same asset as line 4"), (6, "duplicate", "same asset as line 4"),
    ]  # fmt: skip
    # What is sent, and reported, is the one form: ipaddress's, and the technology list's.
    assert set(server.assets) == {("2001:db8::5", "Fabric 7"), ("10.6.0.1", "IBM z/OS Security Server RACF 2")}
    assert {(r.host_ip, r.technology) for r in result.rows} == set(server.assets)


def test_without_a_technology_list_only_the_address_is_normalised(
    client: Qualys, server: FakeOCA, tmp_path: Path
) -> None:
    records = [AssetSpec("2001:DB8::5", "IBM zOS X 2"), AssetSpec("2001:db8::5", "IBM z/OS X 2"),
               AssetSpec("2001:0db8::5", "IBM zOS X 2")]  # fmt: skip
    result = provision_assets(client, records, journal=tmp_path / "j.jsonl", check_technologies=False)
    assert [r.status for r in result.rows] == ["provisioned", "provisioned", "duplicate"]
    assert set(server.assets) == {("2001:db8::5", "IBM zOS X 2"), ("2001:db8::5", "IBM z/OS X 2")}


def test_an_answer_in_the_servers_own_spelling_is_matched(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    original = server.handler

    def shouting(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.url.path.endswith("/asset/bulk"):
            body = json.loads(response.content)
            for item in body["data"]["items"]["successfulProvisions"]:
                item["ip"], item["technology"] = item["ip"].upper(), item["technology"].replace("/", "")
            return httpx.Response(200, json=body)
        return response

    client._http._transport.inner = httpx.MockTransport(shouting)  # type: ignore[attr-defined]
    result = provision_assets(client, [AssetSpec("2001:db8::a", "IBM z/OS Security Server RACF 2")],
                              journal=tmp_path / "j.jsonl")  # fmt: skip
    assert result.rows[0].status == "provisioned"
    assert result.rows[0].uuid == server.assets[("2001:db8::a", "IBM z/OS Security Server RACF 2")]


def test_with_one_call_at_a_time_the_chunks_go_out_in_input_order(client: Qualys, server: FakeOCA) -> None:
    # Two workers wait for the one slot at every step (one is reading its next chunk meanwhile): the earlier chunk
    # always goes first, so the journal, the progress and the server see the input's order.
    records = [AssetSpec(f"10.6.{i // 250}.{i % 250 + 1}", "Fabric 7") for i in range(60)]
    result = provision_assets(client, records, chunk_size=1, concurrency=1)
    assert result.count("provisioned") == 60
    assert [host for host, _ in server.assets] == [r.host_ip for r in records]
