"""The ``mutate`` fault: the API's answer changed on its way out (JSON patch, XML edits, status, headers), and a
bad mutation refused when it is added."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from qualys_sdk.testing import Simulator

from .conftest import USER, basic, login

TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
SEARCH = "/qps/rest/1.0/search/ca/agentactkey"
SEARCH_BODY = b"<ServiceRequest><preferences><limitResults>1</limitResults></preferences></ServiceRequest>"


def _add(http: httpx.Client, fault: dict[str, object]) -> httpx.Response:
    return http.post("/_sim/faults", json={"kind": "mutate", **fault})


def test_a_json_patch_changes_the_answer_once(sim: Simulator, http: httpx.Client) -> None:
    auth = login(http)
    patch = [
        {"op": "remove", "path": "/data/items/0/technologyVersion"},
        {"op": "add", "path": "/data/items/0/vendorCode", "value": 7},
    ]
    assert _add(http, {"path": TECHNOLOGIES + "$", "json_patch": patch}).status_code == 200
    mutated = http.get(TECHNOLOGIES, headers=auth)
    first = mutated.json()["data"]["items"][0]
    assert "technologyVersion" not in first
    assert first["vendorCode"] == 7
    assert int(mutated.headers["content-length"]) == len(mutated.content)
    assert "technologyVersion" in http.get(TECHNOLOGIES, headers=auth).json()["data"]["items"][0], "once by default"


def test_status_and_dropped_headers(sim: Simulator, http: httpx.Client) -> None:
    auth = login(http)
    sim.set_rate_limit(USER, calls=300)
    plain = http.get(TECHNOLOGIES, headers=auth)
    assert "x-ratelimit-limit" in plain.headers
    _add(http, {"path": TECHNOLOGIES, "status": 202, "drop_headers": ["X-RateLimit-Limit", "X-RateLimit-Remaining"]})
    mutated = http.get(TECHNOLOGIES, headers=auth)
    assert mutated.status_code == 202
    assert "x-ratelimit-limit" not in mutated.headers
    assert "x-ratelimit-remaining" not in mutated.headers
    assert mutated.json() == plain.json()


def test_xml_elements_removed_renamed_and_set(sim: Simulator, http: httpx.Client) -> None:
    edits = [
        {"op": "remove", "path": "data/AgentActKey/title"},
        {"op": "rename", "path": "data/AgentActKey/type", "to": "kind"},
        {"op": "set", "path": "responseCode", "value": "SOMETHING_NEW"},
    ]
    assert _add(http, {"path": "/search/ca/agentactkey$", "xml": edits}).status_code == 200
    root = etree.fromstring(http.post(SEARCH, content=SEARCH_BODY, headers=basic()).content)
    key = root.find("data/AgentActKey")
    assert key is not None
    assert key.find("title") is None
    assert key.find("type") is None
    assert key.find("kind") is not None
    assert root.findtext("responseCode") == "SOMETHING_NEW"


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ({"json_patch": [{"op": "explode", "path": "/a"}]}, "json_patch"),
        ({"json_patch": [{"path": "/a"}]}, "json_patch"),
        ({"json_patch": {"op": "remove"}}, "json_patch must be a list"),
        ({"xml": [{"op": "remove", "path": "/abs"}]}, "xml[0]"),
        ({"xml": [{"op": "rename", "path": "data", "to": "1bad"}]}, "xml[0]: rename needs 'to'"),
        ({"xml": [{"op": "set", "path": "data", "value": 3}]}, "xml[0]: set needs 'value'"),
        ({"xml": [{"op": "swap", "path": "data"}]}, "xml[0]"),
        ({"drop_headers": "X-RateLimit-Limit"}, "drop_headers"),
        ({"status": 99}, "status"),
        ({"kind": "status", "json_patch": []}, "belong to a mutate fault"),
    ],
)
def test_a_bad_mutation_is_refused_when_added(http: httpx.Client, fault: dict[str, object], says: str) -> None:
    refused = _add(http, fault)
    assert refused.status_code == 400
    assert says in refused.json()["error"]
    assert http.get("/_sim/faults").status_code in (200, 405)  # the control plane still answers
    auth = login(http)
    assert http.get(TECHNOLOGIES, headers=auth).status_code == 200, "nothing was added"


def test_an_edit_that_does_not_apply_leaves_the_body(sim: Simulator, http: httpx.Client) -> None:
    auth = login(http)
    plain = http.get(TECHNOLOGIES, headers=auth).content
    _add(http, {"path": TECHNOLOGIES, "json_patch": [{"op": "remove", "path": "/nothing/here"}], "status": 500})
    mutated = http.get(TECHNOLOGIES, headers=auth)
    assert (mutated.status_code, mutated.content) == (500, plain)
