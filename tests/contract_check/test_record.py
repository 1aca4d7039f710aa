"""--record: the exchanges as scrubbed cassettes that the project's own scrub check passes and its replay reads."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from qualys_sdk import Qualys
from qualys_sdk.contract import record
from qualys_sdk.contract.record import Scrubber, UnscrubbedCassette, write_cassettes
from qualys_sdk.contract.report import Report
from qualys_sdk.testing.cassettes import CassetteReplay, load_cassette, load_cassettes
from tests.contract_check.tenant import (
    ACTIVATION_KEY,
    ASSET_UUID,
    PASSWORD,
    RATE_LIMITS,
    TECHNOLOGIES,
    TOKEN,
    USERNAME,
    FakeTenant,
    key_xml,
    ok_json,
    qps,
)
from tests.support import REPO

DAY = dt.date(2026, 1, 2)
CUSTOMER_ID = 48151623
SUBSCRIPTION_ID = "sub-4242-7777"
HOST_IP = "10.20.30.40"
DNS_NAME = "core-1.acme-corp.example"


def tenant_with_identifiers() -> FakeTenant:
    tenant = FakeTenant()
    items = [{"technology": "Comware", "technologyVersion": v} for v in TECHNOLOGIES]
    tenant.answers["listTechnologies"] = lambda r: ok_json(
        {"code": 200, "data": {"items": items, "customerId": CUSTOMER_ID, "subscriptionId": SUBSCRIPTION_ID}},
        RATE_LIMITS,
    )
    status = [{"assetUUID": ASSET_UUID, "status": "Provision Confirmed", "hostIP": HOST_IP, "dnsName": DNS_NAME}]
    tenant.answers["getSubscriptionAssetStatus"] = lambda r: ok_json({"code": 200, "data": {"items": status}})
    agents = (f"<agents><list><AgentAsset><id>1</id><uuid>{ASSET_UUID}</uuid><name>{DNS_NAME}</name></AgentAsset>"
              "</list></agents>")  # fmt: skip
    tenant.answers["searchActivationKeys"] = lambda r: qps(key_xml(extra=agents) + f"<customerId>{CUSTOMER_ID}"
                                                           "</customerId>", head="<count>1</count>")  # fmt: skip
    return tenant


def recorded(tmp_path: Path, *, identifiers: bool) -> tuple[Report, list[Path], str]:
    """The report, the cassettes written, and everything in them (URIs, headers and bodies, as loaded)."""
    report = tenant_with_identifiers().check()
    written = write_cassettes(tmp_path, report.results, identifiers=identifiers, when=DAY)
    return report, written, "\n".join(_contents(p) for p in written)


def _contents(path: Path) -> str:
    parts = [path.read_text("utf-8")]
    for i in load_cassette(path).interactions:
        parts += [i.uri, i.request_body.decode(), i.response_body.decode(), str(i.request_headers),
                  str(i.response_headers)]  # fmt: skip
    return "\n".join(parts)


def test_every_call_is_a_cassette_named_by_its_operation(tmp_path: Path) -> None:
    _, written, _ = recorded(tmp_path, identifiers=False)
    assert sorted(str(p.relative_to(tmp_path)) for p in written) == sorted([
        "oca/fetchToken.yaml", "oca/listTechnologies.yaml", "oca/listTechnologyCommands__tech1.yaml",
        "oca/listTechnologyCommands__tech2.yaml", "oca/listTechnologyCommands__tech3.yaml",
        "oca/getSubscriptionAssetStatus__1day.yaml", "oca/getSubscriptionAssetStatus__30days.yaml",
        "oca/getAssetStatus.yaml", "oca/listAssetCommands.yaml",
        "agentactkey/searchActivationKeys.yaml", "agentactkey/getActivationKey.yaml",
    ])  # fmt: skip
    document = yaml.safe_load((tmp_path / "oca" / "getAssetStatus.yaml").read_text("utf-8"))
    assert document["meta"]["operationId"] == "getAssetStatus"
    assert document["meta"]["source"].startswith("recorded from a live tenant by qualys contract check on 2026-01-02")
    assert document["version"] == 1
    assert document["interactions"][0]["request"]["headers"]["Authorization"] == ["Bearer <JWT>"]


def test_no_credential_or_secret_survives(tmp_path: Path) -> None:
    _, _, text = recorded(tmp_path, identifiers=False)
    basic = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    for secret in (USERNAME, PASSWORD, TOKEN, basic, ACTIVATION_KEY, str(CUSTOMER_ID), SUBSCRIPTION_ID):
        assert secret not in text
    assert "username=SCRUBBED_USERNAME&password=SCRUBBED_PASSWORD&token=true" in text
    assert '"customerId":90000001' in text  # a number stays a number
    assert "<activationKey>SCRUBBED_ACTIVATION_KEY_1</activationKey>" in text
    assert ASSET_UUID in text  # identifiers are kept unless asked


def test_the_projects_scrub_check_passes_on_the_recording(tmp_path: Path) -> None:
    _, written, _ = recorded(tmp_path, identifiers=True)
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "scrub_cassettes.py"), "--check", *map(str, written)],
                          capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "11 cassette(s) checked, 0 secret(s) found"


def test_identifiers_are_replaced_the_same_way_everywhere(tmp_path: Path) -> None:
    _, _, text = recorded(tmp_path, identifiers=True)
    for identifier in (ASSET_UUID, HOST_IP, DNS_NAME):
        assert identifier not in text
    uuid = "00000000-0000-4000-8000-000000000001"
    status = _contents(tmp_path / "oca" / "getSubscriptionAssetStatus__30days.yaml")
    assert f'"assetUUID":"{uuid}"' in status
    assert '"hostIP":"198.18.0.1"' in status
    assert '"dnsName":"host-1.example.invalid"' in status
    assert f"/ocaapi/v2.0/asset/{uuid}/status" in _contents(tmp_path / "oca" / "getAssetStatus.yaml")
    search = _contents(tmp_path / "agentactkey" / "searchActivationKeys.yaml")
    assert f"<uuid>{uuid}</uuid><name>host-1.example.invalid</name>" in search
    assert "gateway.qg2.apps.qualys.com" in text  # a public platform's host is no identifier


def test_the_recording_replays_through_the_sdk(tmp_path: Path) -> None:
    recorded(tmp_path, identifiers=True)
    replay = CassetteReplay([*load_cassettes(tmp_path / "oca"), *load_cassettes(tmp_path / "agentactkey")])

    def answer(request: httpx.Request) -> httpx.Response:
        # The recorded token is the placeholder <JWT>, which no client takes for a token: issue one here.
        if request.url.path == "/auth":
            return httpx.Response(201, text=TOKEN)
        return replay.handle(request)

    with httpx.Client(transport=httpx.MockTransport(answer)) as http, Qualys(
        username="someone", password="anything", gateway_url="https://gateway.qg2.apps.qualys.com",
        api_url="https://qualysapi.qg2.apps.qualys.com", http_client=http,
    ) as qualys:  # fmt: skip
        assert [t.technology_version for t in qualys.oca.list_technologies()] == TECHNOLOGIES
        assert qualys.oca.get_status("00000000-0000-4000-8000-000000000001") == "Provision Confirmed"
        assert qualys.activation_keys.get(3714801).activation_key == "SCRUBBED_ACTIVATION_KEY_1"


def test_the_scrubber_is_consistent_and_leaves_short_values_to_their_fields() -> None:
    scrubber = Scrubber(identifiers=True)
    scrubber._add(record._USERNAME, "ab")  # too short to search for in free text
    scrubber._add(record._IP_KIND, "10.0.0.1")
    scrubber._add(record._IP_KIND, "2001:db8:1::5")
    text = scrubber.text("ab 10.0.0.1 10.0.0.10 2001:db8:1::5 10.0.0.1")
    assert text == "ab 198.18.0.1 10.0.0.10 2001:db8::2 198.18.0.1"
    assert scrubber.host("qualysapi.qg2.apps.qualys.com") == "qualysapi.qg2.apps.qualys.com"
    assert scrubber.host("gateway.acme-private.example:443") == "qualys.example.invalid"
    assert scrubber.host("127.0.0.1:8080") == "127.0.0.1:8080"
    assert Scrubber(identifiers=False).host("gateway.acme-private.example") == "gateway.acme-private.example"


def test_what_the_last_net_catches_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualys_sdk.testing import cassettes

    monkeypatch.setattr(cassettes, "scrub", lambda document: document)
    monkeypatch.setattr(record, "_headers", lambda headers, scrubber: {k: [v] for k, v in headers})
    report = tenant_with_identifiers().check()
    with pytest.raises(UnscrubbedCassette, match=r"listTechnologies\.yaml: request header Authorization"):
        write_cassettes(tmp_path, report.results[1:2], identifiers=False)
    assert list(tmp_path.rglob("*.yaml")) == []
