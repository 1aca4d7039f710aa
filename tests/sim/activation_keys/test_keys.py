"""Activation-key errors as QPS sends them: in an HTTP 200 answer, but for wrong credentials (401)."""

from __future__ import annotations

import base64

import httpx
import pytest

from qualys_sdk import BadRequestError, NotFoundError, Qualys
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.pytest_plugin import SIM_PASSWORD, SIM_USERNAME

SEARCH_KEYS = "/qps/rest/1.0/search/ca/agentactkey/"


def test_qps_errors_arrive_with_http_200(qualys_sim: Qualys) -> None:
    with pytest.raises(NotFoundError) as missing:
        qualys_sim.activation_keys.get(99999999)
    assert (missing.value.status_code, missing.value.code) == (200, "OBJECT_NOT_FOUND")

    key = qualys_sim.activation_keys.create(type="UNLIMITED", title="errors")
    assert key.id is not None
    with pytest.raises(BadRequestError) as invalid:
        qualys_sim.activation_keys.update(key.id, type="COUNT_LIMITED")  # no countPurchased
    assert (invalid.value.status_code, invalid.value.code) == (200, "INVALID_REQUEST")
    assert qualys_sim.activation_keys.get(key.id).type_value == "UNLIMITED", "the refused update changed nothing"

    with pytest.raises(NotFoundError):
        qualys_sim.activation_keys.delete(99999999)


def test_qps_bad_credentials_are_http_401(qualys_simulator: Simulator, raw: httpx.Client) -> None:
    qualys_simulator.create_subscription(SIM_USERNAME, SIM_PASSWORD)
    wrong = {"Authorization": "Basic " + base64.b64encode(f"{SIM_USERNAME}:nope".encode()).decode()}
    answer = raw.post(SEARCH_KEYS, content=b"<ServiceRequest/>", headers=wrong)
    assert answer.status_code == 401
    assert b"<responseCode>UNAUTHORIZED</responseCode>" in answer.content
