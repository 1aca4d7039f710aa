"""CSAM as the real service answers it (see the fidelity table in qualys_sdk/testing/README.md): ASCII digits in
asset ids, the online docs' character limits, metadata that needs only the asset id, failed imports.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qualys_sdk import Qualys
from qualys_sdk.testing import Simulator

from ..conftest import USER, login

ASSETS = "/rest/2.0/update/am/asset/business/metadata"
APPS = "/rest/2.0/upsert/am/businessapp/metadata"
APP = {"businessAppId": "a1", "name": "App", "created": 0, "lastUpdated": 0}
LIMITS = [  # (import, field path, limit): the online docs' "Character Limit" columns
    (APPS, ("businessAppId",), 40), (APPS, ("name",), 255), (APPS, ("operationalStatus",), 255),
    (APPS, ("businessCriticality",), 255), (APPS, ("environment",), 255), (APPS, ("ownedBy",), 255),
    (APPS, ("managedBy",), 255), (APPS, ("supportedBy",), 255), (APPS, ("supportGroup",), 255),
    (ASSETS, ("operationalStatus",), 128), (ASSETS, ("environment",), 128), (ASSETS, ("company",), 128),
    (ASSETS, ("department",), 128), (ASSETS, ("ownedBy",), 255), (ASSETS, ("managedBy",), 255),
    (ASSETS, ("supportedBy",), 255), (ASSETS, ("supportGroup",), 255), (ASSETS, ("assignedLocation", "name"), 255),
    (ASSETS, ("assignedLocation", "city"), 128), (ASSETS, ("assignedLocation", "state"), 128),
    (ASSETS, ("assignedLocation", "country"), 128), (ASSETS, ("businessAppIds",), 40),
]  # fmt: skip


@pytest.mark.parametrize("asset_id", ["\u00b9", "\u0663\u0664", "\uff11", "6420613\u0663", "-1", "1e3", ""])
def test_a_qualys_asset_id_in_other_than_ascii_digits_is_a_400(http: httpx.Client, asset_id: str) -> None:
    answer = http.post(ASSETS, json={"data": [{"qualysAssetId": asset_id}]}, headers=login(http))
    assert answer.status_code == 400, answer.text
    assert answer.json()["responseCode"] == "FAILED"


def _record(path: str, field: tuple[str, ...], value: str) -> dict[str, Any]:
    if path == APPS:
        return {**APP, field[0]: value}
    metadata: dict[str, Any] = {}
    if field == ("businessAppIds",):
        metadata["businessAppIds"] = [value]
    elif len(field) == 2:
        metadata[field[0]] = {field[1]: value}
    else:
        metadata[field[0]] = value
    return {"qualysAssetId": "6420613", "metadata": metadata}


@pytest.mark.parametrize(
    ("path", "field", "limit"), LIMITS, ids=lambda v: "/".join(v) if isinstance(v, tuple) else str(v)
)
def test_character_limits_of_the_online_docs(http: httpx.Client, path: str, field: tuple[str, ...], limit: int) -> None:
    auth = login(http)
    at_limit = http.post(path, json={"data": [_record(path, field, "x" * limit)]}, headers=auth)
    assert at_limit.status_code == 200, at_limit.text
    over = http.post(path, json={"data": [_record(path, field, "x" * (limit + 1))]}, headers=auth)
    assert over.status_code == 400, over.text
    assert "too long" in over.json()["responseMessage"]


def test_asset_metadata_needs_only_the_asset_id(http: httpx.Client, sim: Simulator) -> None:
    answer = http.post(ASSETS, json={"data": [{"qualysAssetId": "6420613"}]}, headers=login(http))
    assert answer.json()["responseCode"] == "SUCCESS"
    assert sim.asset_metadata(USER) == {"6420613": {}}


def test_failed_ids_are_strings(http: httpx.Client) -> None:
    answer = http.post(ASSETS, json={"data": [{"qualysAssetId": "9999999"}]}, headers=login(http))
    assert answer.json()["failedIds"] == ["9999999"]


@pytest.mark.parametrize("path", [APPS, ASSETS])
def test_a_failed_import_as_seen_in_the_wild(http: httpx.Client, sim: Simulator, path: str) -> None:
    auth = login(http)
    assert http.post(f"/_sim/subscriptions/{USER}/csam/fail-next-import").json() == {"ok": True}
    record = APP if path == APPS else {"qualysAssetId": "6420613", "metadata": {"company": "ACME"}}
    failed = http.post(path, json={"data": [record]}, headers=auth)
    assert failed.status_code == 200
    body = failed.json()
    assert (body["responseCode"], body["responseMessage"], body["failedIds"]) == (
        "FAILED", "Failed to import asset metadata", ["null"],
    )  # fmt: skip
    assert "a1" not in sim.business_apps(USER)
    assert "6420613" not in sim.asset_metadata(USER)
    assert http.post(path, json={"data": [record]}, headers=auth).json()["responseCode"] == "SUCCESS", "once only"


def test_the_sdk_reports_a_failed_import(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    qualys_sim.oca.list_technologies()  # logs in
    qualys_simulator.fail_next_import("sim_user")
    result = qualys_sim.csam.import_business_apps([APP])
    assert not result.ok
    assert (result.response_code, result.failed_ids) == ("FAILED", ["null"])
