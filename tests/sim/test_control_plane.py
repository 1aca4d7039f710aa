"""The ``/_sim`` control plane over HTTP, driving the simulator behind the ``Qualys`` client."""

from __future__ import annotations

import httpx
import pytest

from qualys_sdk import InternalServerError, NotFoundError, Qualys
from qualys_sdk.testing.pytest_plugin import SIM_USERNAME


def test_the_control_plane_over_http_confirms_and_resets(qualys_sim: Qualys, raw: httpx.Client) -> None:
    asset = qualys_sim.oca.provision("10.50.0.1", "Fabric 7")
    assert qualys_sim.oca.get_status(asset.asset_uuid) == "Provision Requested"
    confirmed = raw.post(f"/_sim/subscriptions/{SIM_USERNAME}/confirm", json={"uuid": asset.asset_uuid})
    assert confirmed.json() == {"ok": True}
    assert qualys_sim.oca.get_status(asset.asset_uuid) == "Provision Confirmed"
    listed = raw.get(f"/_sim/subscriptions/{SIM_USERNAME}/assets").json()
    assert asset.asset_uuid in [a["uuid"] for a in listed]

    assert raw.post("/_sim/reset").json() == {"ok": True}
    gone = raw.get(f"/_sim/subscriptions/{SIM_USERNAME}/assets")
    assert gone.status_code == 400
    assert "KeyError" in gone.json()["error"]
    # The client's token names a subscription that no longer exists: it logs in again, into fresh sample data.
    with pytest.raises(NotFoundError):
        qualys_sim.oca.get_status(asset.asset_uuid)
    assert len(qualys_sim.oca.list_technologies()) == 25


def test_faults_over_http(qualys_sim: Qualys, raw: httpx.Client) -> None:
    added = raw.post("/_sim/faults", json={"kind": "status", "path": "/technology/", "status": 503, "times": 2})
    assert added.json() == {"kind": "status", "path": "/technology/", "times": 2}
    with pytest.raises(InternalServerError) as caught:
        qualys_sim.oca.list_technologies(max_retries=0)
    assert caught.value.status_code == 503
    assert raw.delete("/_sim/faults").json() == {"ok": True}
    assert len(qualys_sim.oca.list_technologies()) == 25
    assert raw.post("/_sim/faults", json={"kind": "nope"}).status_code == 400
