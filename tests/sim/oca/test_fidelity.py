"""OCA as the real service answers it (see the fidelity table in qualys_sdk/testing/README.md): the guide's double
Content-Type, blank hostIPs, ASCII digits, the ERR-2070 text, both spellings of the skipped count.
"""

from __future__ import annotations

import json

import httpx
import pytest

from qualys_sdk import AssetSpec, Qualys
from qualys_sdk.testing.cassettes import Interaction
from tests.support import openapi_check

from ..conftest import login

SAMPLE = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"
BODY = {"hostIP": "10.7.0.1", "technology": "Fabric 7", "type": "PolicyCompliance"}


@pytest.mark.parametrize(
    "content_types",
    [["application/json", "text/plain"], ["application/json, text/plain"], ["application/json; charset=utf-8"]],
)
def test_the_guides_double_content_type_is_accepted(http: httpx.Client, content_types: list[str]) -> None:
    auth = login(http)
    headers = [("Authorization", auth["Authorization"])] + [("Content-Type", c) for c in content_types]
    provisioned = http.post("/ocaapi/v2.0/asset", content=json.dumps(BODY).encode(), headers=headers)
    assert provisioned.status_code == 200, provisioned.text
    uuid = provisioned.json()["data"]["assetUUID"]
    revoked = http.request("DELETE", "/ocaapi/v2.0/asset/revoke/bulk", headers=headers,
                           content=json.dumps({"assetList": [uuid]}).encode())  # fmt: skip
    assert revoked.json()["data"]["items"]["successfulRevoke"] == [uuid]


def test_text_plain_alone_is_not_json(http: httpx.Client) -> None:
    auth = login(http)
    answer = http.post("/ocaapi/v2.0/asset", content=json.dumps(BODY).encode(),
                       headers={**auth, "Content-Type": "text/plain"})  # fmt: skip
    assert answer.status_code == 400


@pytest.mark.parametrize("host_ip", ["", " ", "\t\n", "\u2003"])
def test_a_blank_host_ip_is_refused_as_the_spec_says(http: httpx.Client, host_ip: str) -> None:
    auth = login(http)
    answer = http.post("/ocaapi/v2.0/asset", json={**BODY, "hostIP": host_ip}, headers=auth)
    assert answer.status_code == 400
    assert "hostIP" in answer.json()["_error"]["message"]
    interaction = Interaction("POST", "https://gateway.qg1.apps.qualys.com/ocaapi/v2.0/asset",
                              {"Content-Type": ["application/json"], "Authorization": ["Bearer x"]},
                              json.dumps({**BODY, "hostIP": host_ip}).encode(), 400, "", {}, b"")  # fmt: skip
    assert openapi_check.request_errors("oca.yaml", "provisionAsset", interaction), "the spec refuses it too"


def test_a_blank_host_ip_row_fails_in_a_bulk_file(http: httpx.Client) -> None:
    header = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"
    rows = ",  ,,,,,Fabric 7,PolicyCompliance,\n,10.7.0.2,,,,,Fabric 7,PolicyCompliance,\n"
    files = {"data": ("a.csv", (header + rows).encode(), "text/csv")}
    answer = http.post(
        "/ocaapi/v2.0/asset/bulk", params={"manifest_types": "PolicyCompliance"}, files=files, headers=login(http)
    )
    count = answer.json()["data"]["items"]["count"]
    assert (count["successfulProvisions"], count["failedProvisions"]) == (1, 1)


@pytest.mark.parametrize("days", ["\u00b9", "\u0663", "\u0661\u0660", "1_0", " 3", "+3", "3.0"])
def test_a_day_count_in_other_than_ascii_digits_is_a_400(http: httpx.Client, days: str) -> None:
    answer = http.get(f"/ocaapi/v2.0/assets/status/subscription/{days}", headers=login(http))
    assert answer.status_code == 400, answer.text


def test_err_2070_says_what_the_docs_say(http: httpx.Client) -> None:
    path = f"/ocaapi/v2.0/asset/{SAMPLE}/command/bulk/output/PolicyCompliance"
    answer = http.post(path, files={"data": ("out.csv", b"x", "text/csv")}, headers=login(http))
    message = "ERR-2070 - Invalid file format. Only txt file type is supported. Please upload a file appropriately"
    assert answer.json() == {"_error": {"code": 400, "message": message}}


@pytest.mark.parametrize("spelling", ["skippedProvisions", "skipppedProvisions"])
def test_both_spellings_of_the_skipped_count_are_read(spelling: str) -> None:
    """The guide spells the count ``skippedProvisions``, the online pages ``skipppedProvisions``."""
    items = {
        "count": {"successfulProvisions": 1, "failedProvisions": 0, spelling: 1},
        "successfulProvisions": [{"uuid": "u-1", "ip": "10.0.0.1", "technology": "Fabric 7"}],
        "failedProvisions": [],
        "skippedProvisions": [{"uuid": "u-0", "ip": "10.0.0.2", "technology": "Fabric 7"}],
    }
    body = json.dumps({"code": 200, "data": {"items": items}}).encode()
    interaction = Interaction("POST", "https://gateway.qg1.apps.qualys.com/ocaapi/v2.0/asset/bulk", {}, b"", 200, "OK",
                              {"Content-Type": ["application/json"]}, body)  # fmt: skip
    assert openapi_check.response_errors("oca.yaml", interaction) == []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth":
            return httpx.Response(201, text="a.b.c")
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as http, Qualys(
        username="u", password="p", gateway_url="https://gateway.example", api_url="https://api.example",
        http_client=http,
    ) as client:  # fmt: skip
        result = client.oca.provision_bulk([AssetSpec("10.0.0.1", "Fabric 7"), AssetSpec("10.0.0.2", "Fabric 7")])
    assert [a.uuid for a in result.skipped] == ["u-0"]
    assert [a.uuid for a in result.successful] == ["u-1"]
