"""Bulk revoke, command output uploads and CSAM imports."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from qualys_sdk import AsyncQualys, InputValidationError, Qualys
from qualys_sdk.bulk import (
    ImportRunResult,
    RevokeRunResult,
    UploadRunResult,
    aimport_asset_metadata,
    aimport_business_apps,
    arevoke_assets,
    aupload_outputs,
    import_asset_metadata,
    import_business_apps,
    revoke_assets,
    upload_outputs,
)
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_USERNAME

from .fake_server import FakeOCA


def test_revoke_is_idempotent(client: Qualys, server: FakeOCA) -> None:
    server.status = {"a": "Provision Confirmed", "b": "Provision Confirmed"}
    first = revoke_assets(client, ["a", "b", "a"])
    assert (first.revoked, first.already_gone, first.failed) == (["a", "b"], [], [])
    again = revoke_assets(client, ["a", "b"])
    assert (again.revoked, again.already_gone, again.complete) == ([], ["a", "b"], True)


def test_upload_outputs_from_a_directory(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    (tmp_path / "uuid-1.txt").write_text("show running-config\nhostname a\n")
    (tmp_path / "uuid-2.txt").write_text("show running-config\nhostname b\n")
    result = upload_outputs(client, tmp_path)
    assert result.uploaded == ["uuid-1", "uuid-2"]
    assert server.uploads == ["uuid-1", "uuid-2"]
    with pytest.raises(InputValidationError):
        upload_outputs(client, tmp_path / "missing")


def test_business_apps_in_chunks_of_250(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_text("businessAppId,name,created,lastUpdated\n" + "".join(f"app{i},App {i},1,2\n" for i in range(600)))
    result = import_business_apps(client, path)
    assert [len(call) for call in server.csam_calls] == [250, 250, 100]
    assert server.csam_calls[0][0] == {"businessAppId": "app0", "name": "App 0", "created": 1, "lastUpdated": 2}
    assert result.imported == 600
    assert result.complete


def test_asset_metadata_failures_per_record(client: Qualys, server: FakeOCA, tmp_path: Path) -> None:
    server.known_asset_ids = {"1", "2"}
    path = tmp_path / "assets.csv"
    path.write_text("qualysAssetId,environment,businessAppIds,assignedLocation.city\n1,Production,a;b,Miami\n"
                    "2,Development,,\n3,Production,,\n")  # fmt: skip
    result = import_asset_metadata(client, path)
    metadata = {"environment": "Production", "businessAppIds": ["a", "b"], "assignedLocation": {"city": "Miami"}}
    assert server.csam_calls[0][0] == {"qualysAssetId": "1", "metadata": metadata}
    assert result.imported == 2
    assert list(result.failed) == ["3"]


def test_missing_ids_are_input_errors(client: Qualys, server: FakeOCA) -> None:
    with pytest.raises(InputValidationError, match="businessAppId is missing"):
        import_business_apps(client, [{"name": "x", "created": 1, "lastUpdated": 1}])
    assert server.csam_calls == []


def test_async_twins(server: FakeOCA, tmp_path: Path) -> None:
    server.status = {"a": "Provision Confirmed"}
    server.known_asset_ids = {"1"}
    (tmp_path / "a.txt").write_text("show running-config\n")

    async def main() -> tuple[RevokeRunResult, UploadRunResult, ImportRunResult, ImportRunResult]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server.handler))
        async with AsyncQualys(username="u", password="p", platform="US1", http_client=http, max_retries=0) as q:
            uploaded = await aupload_outputs(q, tmp_path)
            revoked = await arevoke_assets(q, ["a", "b"])
            apps = await aimport_business_apps(q, [{"businessAppId": "x", "name": "X", "created": 1, "lastUpdated": 2}])
            assets = await aimport_asset_metadata(
                q, [{"qualysAssetId": "1", "metadata": {}}, {"qualysAssetId": "2", "metadata": {}}]
            )
        await http.aclose()
        return revoked, uploaded, apps, assets

    revoked, uploaded, apps, assets = asyncio.run(main())
    assert (revoked.revoked, revoked.already_gone) == (["a"], ["b"])
    assert uploaded.uploaded == ["a"]
    assert apps.imported == 1
    assert (assets.imported, list(assets.failed)) == (1, ["2"])


def test_a_failed_import_that_names_no_record_fails_the_whole_chunk(
    qualys_sim: Qualys, qualys_simulator: Simulator
) -> None:
    qualys_sim.oca.list_technologies()  # the first login makes the subscription
    # The simulator answers as a real failed import did: HTTP 200, FAILED, failedIds ["null"], nothing stored.
    qualys_simulator.fail_next_import(SIM_USERNAME)
    apps = [{"businessAppId": f"app-{i}", "name": "Payroll", "created": 0, "lastUpdated": 0} for i in range(3)]
    result = import_business_apps(qualys_sim, apps)
    assert result.imported == 0
    assert sorted(result.failed) == ["app-0", "app-1", "app-2"]
    assert "FAILED" in result.failed["app-0"]
    assert not result.complete
