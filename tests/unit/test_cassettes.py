"""The cassette loader, the replay transport and the secret scrubber."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from qualys_sdk.testing.cassettes import CassetteReplay, find_secrets, load_cassette, load_cassettes, scrub
from tests.support import CASSETTES

REAL_LOOKING_JWT = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJhY21lX3VzZXIiLCJleHAiOjE1ODk4OTYyMjR9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


def _dirty() -> dict[str, Any]:
    return {
        "meta": {"operationId": "fetchToken"},
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "https://gateway.qg1.apps.qualys.com/auth",
                    "headers": {"Content-Type": ["application/x-www-form-urlencoded"]},
                    "body": "username=acme_user&password=s3cr%C3%AB%26t&token=true",
                },
                "response": {
                    "status": {"code": 201, "message": "Created"},
                    "headers": {},
                    "body": {"string": REAL_LOOKING_JWT},
                },
            },
            {
                "request": {
                    "method": "GET",
                    "uri": "https://gateway.qg1.apps.qualys.com/ocaapi/v2.0/technology/PolicyCompliance",
                    "headers": {"Authorization": [f"Bearer {REAL_LOOKING_JWT}"]},
                    "body": None,
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"X-Echo": [REAL_LOOKING_JWT]},
                    "body": {"string": "{}"},
                },
            },
            {
                "request": {
                    "method": "POST",
                    "uri": "https://qualysapi.qualys.com/qps/rest/1.0/search/ca/agentactkey/",
                    "headers": {"authorization": ["Basic YWNtZV91c2VyOnMzY3JldA=="]},
                    "body": "<ServiceRequest/>",
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {},
                    "body": {"string": "<ServiceResponse/>"},
                },
            },
        ],
        "version": 1,
    }


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_find_secrets_flags_every_credential(tmp_path: Path) -> None:
    cassette = load_cassette(_write(tmp_path, _dirty()))
    found = [line for i in cassette.interactions for line in find_secrets(i)]
    assert found == [
        "response body carries a JWT",
        "request form field username is not scrubbed",
        "request form field password is not scrubbed",
        "request header Authorization carries a credential",
        "response header X-Echo carries a JWT",
        "request header authorization carries a credential",
    ]


def test_scrub_leaves_no_secret_and_keeps_the_rest(tmp_path: Path) -> None:
    data = scrub(copy.deepcopy(_dirty()))
    text = yaml.safe_dump(data)
    for secret in ("acme_user", "s3cr", "YWNtZV91c2VyOnMzY3JldA", REAL_LOOKING_JWT):
        assert secret not in text
    cassette = load_cassette(_write(tmp_path, data))
    assert [line for i in cassette.interactions for line in find_secrets(i)] == []
    auth, listing, search = cassette.interactions
    assert auth.request_body == b"username=SCRUBBED_USERNAME&password=SCRUBBED_PASSWORD&token=true"
    assert listing.request_header("authorization") == "Bearer <JWT>"
    assert search.request_header("Authorization") == "Basic <CREDENTIALS>"
    assert search.request_body == b"<ServiceRequest/>"


@pytest.mark.parametrize("path", sorted(CASSETTES.rglob("*.yaml")), ids=lambda p: p.name)
def test_committed_cassettes_are_scrubbed(path: Path) -> None:
    for interaction in load_cassette(path).interactions:
        assert find_secrets(interaction) == []


def test_committed_cassettes_are_read_by_vcrpy() -> None:
    """The format is plain VCR: vcrpy, the standard tool, deserializes every cassette."""
    from vcr.serialize import deserialize
    from vcr.serializers import yamlserializer

    for path in sorted(CASSETTES.rglob("*.yaml")):
        requests, responses = deserialize(path.read_text(), yamlserializer)
        assert len(requests) == len(responses) == len(load_cassette(path).interactions)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("interactions: [", "not valid YAML"),
        ("meta: {operationId: x}\n", "a list under 'interactions'"),
        ("interactions: []\n", "meta.operationId is missing"),
        (
            "meta: {operationId: x}\ninteractions:\n- request: {method: GET}\n  response: {status: {code: 200}}\n",
            "interactions[0]: missing or malformed field 'uri'",
        ),
    ],
)
def test_malformed_cassette_names_file_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content)
    with pytest.raises(ValueError, match=r"broken\.yaml") as info:
        load_cassette(path)
    assert message in str(info.value)


def test_replay_serves_the_matching_exchange() -> None:
    replay = CassetteReplay(load_cassettes(CASSETTES / "oca"))
    with httpx.Client(base_url="https://gateway.qg1.apps.qualys.com", transport=replay.transport()) as client:
        again = client.post(
            "/ocaapi/v2.0/asset",
            json={
                "technology": "Fabric 7",
                "dnsName": "Fabric 7 ASSET",
                "hostIP": "23.42.52.55",
                "netbios": "Web-test.com",
                "mac": "23-42-55-54-22-11",
                "type": "PolicyCompliance",
                "uuid": "4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14",
            },
        )
        assert again.json()["message"] == "Request for Asset Reprovisioning sent Successfully."
        days = client.get("/ocaapi/v2.0/assets/status/subscription/30")
        assert days.status_code == 200
        assert len(days.json()["data"]["items"]) == 4
        with pytest.raises(LookupError, match=r"GET /ocaapi/v2.0/assets/status/subscription/7"):
            client.get("/ocaapi/v2.0/assets/status/subscription/7")
    assert len(replay.served) == 2


def test_a_missing_cassette_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no cassette directory"):
        load_cassettes(tmp_path / "no-such-folder")
