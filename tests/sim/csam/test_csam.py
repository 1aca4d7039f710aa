"""CSAM imports seen through the ``Qualys`` client, checked against the simulator's state through its control plane:
a behaviour passes only when client and simulator agree on it.
"""

from __future__ import annotations

from typing import Any

import pytest

from qualys_sdk import InputValidationError, Qualys
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_PASSWORD, SIM_USERNAME

SAMPLE_APP = "2fc86c650a0a0bb4003698b5331640df"  # the release notes' business app, preloaded
UNKNOWN_ASSET_ID = 9_999_999


def _asset(sim: Simulator, uuid: str) -> dict[str, Any]:
    return next(a for a in sim.assets(SIM_USERNAME) if a["uuid"] == uuid)


def _metadata(qualys_asset_id: int | str, **fields: Any) -> dict[str, Any]:
    return {"qualysAssetId": str(qualys_asset_id), "metadata": {"environment": "Production", **fields}}


def test_asset_metadata_lands_on_the_oca_asset_and_unknown_ids_fail(
    qualys_sim: Qualys, qualys_simulator: Simulator
) -> None:
    asset = qualys_sim.oca.provision("10.20.0.1", "Fabric 7", dns_name="edge-1")
    qualys_id = _asset(qualys_simulator, asset.asset_uuid)["qualysAssetId"]

    result = qualys_sim.csam.import_asset_metadata(
        [_metadata(qualys_id, ownedBy="Joey Bolick", businessAppIds=[SAMPLE_APP]), _metadata(UNKNOWN_ASSET_ID)]
    )

    assert result.response_code == "FAILED"
    assert [str(i) for i in result.failed_ids] == [str(UNKNOWN_ASSET_ID)]
    assert not result.ok
    stored = qualys_simulator.asset_metadata(SIM_USERNAME)
    assert set(stored) == {str(qualys_id)}, "only the known asset is stored, under the OCA asset's qualysAssetId"
    assert stored[str(qualys_id)]["ownedBy"] == "Joey Bolick"
    assert stored[str(qualys_id)]["businessAppIds"] == [SAMPLE_APP]


def test_an_unknown_business_app_is_skipped_not_failed(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    asset = qualys_sim.oca.provision("10.20.0.2", "Fabric 7")
    qualys_id = _asset(qualys_simulator, asset.asset_uuid)["qualysAssetId"]

    result = qualys_sim.csam.import_asset_metadata([_metadata(qualys_id, businessAppIds=[SAMPLE_APP, "no-such-app"])])

    assert result.ok
    assert result.failed_ids == []
    assert qualys_simulator.asset_metadata(SIM_USERNAME)[str(qualys_id)]["businessAppIds"] == [SAMPLE_APP]


def test_business_apps_import_and_the_control_plane_sees_them(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    app: dict[str, Any] = {"businessAppId": "5678f28f933a31003b4bb095e57ffb88", "name": "Customer Support Portal",
           "businessCriticality": "3 - Low", "created": 1620643264000, "lastUpdated": 1620653309000}  # fmt: skip
    assert qualys_sim.csam.import_business_apps([app]).ok
    assert qualys_simulator.business_apps(SIM_USERNAME)[app["businessAppId"]]["name"] == "Customer Support Portal"


def test_more_than_250_records_are_refused_before_sending(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.create_subscription(SIM_USERNAME, SIM_PASSWORD)
    qualys_simulator.add_csam_asset(SIM_USERNAME, 1)
    sent = qualys_sim.stats.requests
    with pytest.raises(InputValidationError) as caught:
        qualys_sim.csam.import_asset_metadata([_metadata(1)] * 251)
    assert caught.value.first.field == "data"
    assert "250" in caught.value.first.message
    assert qualys_sim.stats.requests == sent, "nothing was sent"
    assert qualys_simulator.asset_metadata(SIM_USERNAME) == {}
    assert qualys_sim.csam.import_asset_metadata([_metadata(1)] * 250).ok  # the limit itself is fine


def test_a_csam_asset_added_through_the_control_plane_is_known(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.create_subscription(SIM_USERNAME, SIM_PASSWORD)
    qualys_simulator.add_csam_asset(SIM_USERNAME, 123456)
    assert qualys_sim.csam.import_asset_metadata([_metadata(123456, department="IT")]).ok
    assert qualys_simulator.asset_metadata(SIM_USERNAME)["123456"]["department"] == "IT"
