"""Injected faults and expired tokens, seen through the ``Qualys`` client: retried where a call may be repeated,
an unknown outcome where it may not, a new token where the old one expired.
"""

from __future__ import annotations

import httpx
import pytest

from qualys_sdk import OutcomeUnknownError, Qualys
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_USERNAME


def test_an_injected_429_on_a_read_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    fault = qualys_simulator.inject("status", "/status$", status=429, retry_after=0)
    assert qualys_sim.oca.get_status("663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5") == "Provision Confirmed"
    assert fault.times == 0, "the fault fired"
    assert qualys_sim.stats.retries == 1


def test_an_injected_503_on_a_read_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/technology/PolicyCompliance$", status=503, times=1)
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert qualys_sim.stats.retries == 1


def test_a_429_on_provision_is_retried_once_applied_once(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/ocaapi/v2.0/asset$", status=429, retry_after=0)
    result = qualys_sim.oca.provision("10.30.0.1", "Fabric 7")
    assert [a["uuid"] for a in qualys_simulator.assets(SIM_USERNAME) if a["hostIP"] == "10.30.0.1"] == [
        result.asset_uuid
    ]


def test_a_qps_409_block_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/search/ca/agentactkey", status=409, retry_after=0)
    assert len(qualys_sim.activation_keys.search().keys) == 3
    assert qualys_sim.stats.retries == 1


def test_provision_answer_lost_after_apply_is_an_unknown_outcome(
    qualys_sim: Qualys, qualys_simulator: Simulator
) -> None:
    qualys_simulator.inject("drop_after", "/ocaapi/v2.0/asset$")
    with pytest.raises(OutcomeUnknownError) as caught:
        qualys_sim.oca.provision("10.40.0.1", "Comware 7", dns_name="lost-answer")
    assert caught.value.request is not None
    assert caught.value.request.url.path == "/ocaapi/v2.0/asset"
    assert isinstance(caught.value.cause, httpx.RemoteProtocolError)
    assert qualys_sim.stats.retries == 0, "a provision is never repeated on its own"
    created = [a for a in qualys_simulator.assets(SIM_USERNAME) if a["hostIP"] == "10.40.0.1"]
    assert len(created) == 1, "the simulator applied the provision whose answer was lost"
    assert created[0]["dnsName"] == "lost-answer"
    assert qualys_sim.oca.get_status(created[0]["uuid"]) in ("Provision Requested", "Provision Confirmed")


def test_a_503_on_an_import_is_an_unknown_outcome(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("status", "/rest/2.0/", status=503)
    with pytest.raises(OutcomeUnknownError):
        qualys_sim.csam.import_asset_metadata([{"qualysAssetId": "6420613", "metadata": {"environment": "Production"}}])
    assert qualys_sim.stats.retries == 0


def test_a_dropped_read_is_retried(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_simulator.inject("drop", "/command/PolicyCompliance$")
    assert qualys_sim.oca.list_technology_commands("ArubaOS 6") == ["show running-config"]
    assert qualys_sim.stats.retries == 1


def test_an_expired_token_is_replaced_transparently(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_sim.oca.list_technologies()
    qualys_simulator.expire_tokens(SIM_USERNAME)
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert len(qualys_simulator.subscription(SIM_USERNAME).issued_tokens) == 2, "one re-authentication"
    assert qualys_sim.csam.import_business_apps(
        [{"businessAppId": "a1", "name": "App", "created": 0, "lastUpdated": 0}]
    ).ok


def test_a_token_expired_fault_is_replaced_transparently(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_sim.oca.list_technologies()
    qualys_simulator.inject("token_expired", "/technology/")
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert len(qualys_simulator.subscription(SIM_USERNAME).issued_tokens) == 2
