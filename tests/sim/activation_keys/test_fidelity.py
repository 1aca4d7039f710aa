"""Activation keys as the real service answers them (see the fidelity table in qualys_sdk/testing/README.md).

- a title already taken: ``CA_1001_DUPLICATE_KEY`` with the real answer's ``responseErrorDetails``;
- the release notes' update request gives the release notes' update response, and the later search theirs;
- what a key keeps (UNCONFIRMED inferences): countPurchased on COUNT_* keys only, expireDate on TIME_* keys only,
  licensed modules only, existing tags only;
- request values outside the published enums are ``INVALID_REQUEST``; a date-only ``expireDate`` is accepted;
- a key with agents is not deleted; every answer names its schema (``xsi:noNamespaceSchemaLocation``).
"""

from __future__ import annotations

import re
from dataclasses import replace

import httpx
import pytest

from qualys_agentactkey import AgentActKey, ServiceResponse
from qualys_sdk import BadRequestError, ConflictError, Qualys, _xml
from qualys_sdk.testing import Simulator
from qualys_sdk.testing.cassettes import load_cassette
from qualys_sdk.testing.pytest_plugin import SIM_USERNAME
from tests.support import CASSETTES

from ..conftest import USER, basic

KEYS = "/qps/rest/1.0"
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def _cassette(name: str) -> tuple[bytes, bytes]:
    interaction = load_cassette(CASSETTES / "agentactkey" / f"{name}.yaml").interactions[0]
    return interaction.request_body, interaction.response_body


def _keys(body: bytes) -> list[AgentActKey]:
    parsed = _xml.parse(body, ServiceResponse)
    return list(parsed.data.agent_act_key) if parsed.data is not None else []


def _post(http: httpx.Client, action: str, body: bytes | str) -> ServiceResponse:
    answer = http.post(f"{KEYS}/{action}", content=body.encode() if isinstance(body, str) else body, headers=basic())
    assert answer.status_code == 200, answer.text
    return _xml.parse(answer.content, ServiceResponse)


def _create(key_xml: str) -> str:
    return f"<ServiceRequest><data><AgentActKey>{key_xml}</AgentActKey></data></ServiceRequest>"


# ------------------------------------------------------------------------------------------------ the samples


def test_the_release_notes_update_gives_their_update_response_and_search(sim: Simulator, http: httpx.Client) -> None:
    """The update sample sends countPurchased 1, an expireDate, FIM and Tag2 to an UNLIMITED key and gets back none of
    them; the search sample then shows the key the same way."""
    create_request, create_response = _cassette("createActivationKey")
    update_request, update_response = _cassette("updateActivationKey")
    _, search_response = _cassette("searchActivationKeys")
    keys = sim.subscription(USER, "S3cret!pass").keys.keys
    later = {i: keys.pop(i) for i in (3617002, 3714801)}  # the create came before both (2021-05-13, -19)
    created = _post(http, "create/ca/agentactkey/", create_request)
    (key,) = created.data.agent_act_key if created.data is not None else []
    (sample,) = _keys(create_response)
    assert replace(key, id=None, activation_key=None, date_purchased=None) == replace(
        sample, id=None, activation_key=None, date_purchased=None
    ), "the create sample's request gives the create sample's key"
    # The release notes' key is 3617002: give the created key that id and activation key, and update it.
    keys[3617002] = replace(keys.pop(key.id or 0), id=3617002, activation_key=sample.activation_key,
                            date_purchased=sample.date_purchased)  # fmt: skip
    updated = _post(http, "update/ca/agentactkey/3617002", update_request)
    assert updated.response_code == "SUCCESS"
    assert list(updated.data.agent_act_key if updated.data else []) == _keys(update_response)
    keys[3714801] = later[3714801]
    found = _post(http, "search/ca/agentactkey/", "<ServiceRequest/>")
    ours = next(k for k in (found.data.agent_act_key if found.data else []) if k.id == 3617002)
    theirs = next(k for k in _keys(search_response) if k.id == 3617002)
    assert ours == theirs


def test_a_title_already_taken_is_a_duplicate_key(http: httpx.Client) -> None:
    answer = http.post(f"{KEYS}/create/ca/agentactkey/", content=_create("<title>Owner</title><type>UNLIMITED</type>"),
                       headers=basic())  # fmt: skip
    assert answer.status_code == 200
    parsed = _xml.parse(answer.content, ServiceResponse)
    assert parsed.response_code == "CA_1001_DUPLICATE_KEY"
    assert parsed.response_error_details is not None
    assert parsed.response_error_details.error_message == "Activation key already exists with title Owner"
    assert (
        parsed.response_error_details.error_resolution == "Activation key already exists. Try another activation key."
    )
    assert (parsed.count, parsed.data) == (None, None)


def test_the_sdk_raises_conflict_on_a_duplicate_title(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    with pytest.raises(ConflictError) as caught:
        qualys_sim.activation_keys.create(type="UNLIMITED", title="Owner")
    assert caught.value.code == "CA_1001_DUPLICATE_KEY"
    key = qualys_sim.activation_keys.create(type="UNLIMITED", title="Owner 2")
    assert key.id is not None
    with pytest.raises(ConflictError):
        qualys_sim.activation_keys.update(key.id, title="Owner")
    assert qualys_sim.activation_keys.update(key.id, title="Owner 2").title == "Owner 2", "its own title is no clash"


# ------------------------------------------------------------------------------------------------ what a key keeps


def test_count_and_expiry_are_kept_only_where_the_type_uses_them(qualys_sim: Qualys) -> None:
    keys = qualys_sim.activation_keys
    plain = keys.create(type="UNLIMITED", title="u", count_purchased=5, expire_date="2030-01-01T00:00:00Z")
    assert (plain.count_purchased, plain.expire_date) == (0, None)
    counted = keys.create(type="COUNT_LIMITED", title="c", count_purchased=5, expire_date="2030-01-01T00:00:00Z")
    assert (counted.count_purchased, counted.expire_date) == (5, None)
    timed = keys.create(type="TIME_LIMITED", title="t", count_purchased=5, expire_date="2030-01-01T00:00:00Z")
    assert (timed.count_purchased, str(timed.expire_date)) == (0, "2030-01-01T00:00:00Z")
    both = keys.create(type="COUNT_TIME_LIMITED", title="b", count_purchased=5, expire_date="2030-01-01T00:00:00Z")
    assert (both.count_purchased, str(both.expire_date)) == (5, "2030-01-01T00:00:00Z")


def test_a_date_only_expire_date_is_accepted(http: httpx.Client) -> None:
    request = _create("<title>d</title><type>TIME_LIMITED</type><expireDate>2030-01-02</expireDate>")
    created = _post(http, "create/ca/agentactkey/", request)
    assert created.response_code == "SUCCESS"
    (key,) = created.data.agent_act_key if created.data else []
    assert str(key.expire_date) == "2030-01-02T00:00:00Z"


def test_only_licensed_modules_stay(qualys_sim: Qualys, qualys_simulator: Simulator) -> None:
    # A real create of VM_LICENSE, FIM, EDR, SWCA and CAPS came back with VM_LICENSE alone.
    key = qualys_sim.activation_keys.create(type="UNLIMITED", title="five",
                                            modules=["VM_LICENSE", "FIM", "EDR", "SWCA", "CAPS"])  # fmt: skip
    assert key.modules is not None
    assert key.modules.list_value is not None
    assert [m.license for m in key.modules.list_value.activation_key_module] == ["VM_LICENSE"]
    qualys_simulator.set_licenses(SIM_USERNAME, ["VM_LICENSE", "FIM"])
    assert key.id is not None
    updated = qualys_sim.activation_keys.update(key.id, add_modules=["FIM", "EDR"])
    assert updated.modules is not None
    assert updated.modules.list_value is not None
    assert [m.license for m in updated.modules.list_value.activation_key_module] == ["VM_LICENSE", "FIM"]


def test_only_existing_tags_stay(qualys_sim: Qualys, qualys_simulator: Simulator, raw: httpx.Client) -> None:
    key = qualys_sim.activation_keys.create(type="UNLIMITED", title="tagged", tags=[103180087])
    assert key.tags is None, "Tag2 of the release notes' update does not exist in the subscription"
    assert raw.post(f"/_sim/subscriptions/{SIM_USERNAME}/tags", json={"id": 7, "name": "Linux"}).json() == {"ok": True}
    assert key.id is not None
    updated = qualys_sim.activation_keys.update(key.id, add_tags=[7, 8])
    assert updated.tags is not None
    assert updated.tags.list_value is not None
    assert [(t.id, t.name) for t in updated.tags.list_value.tag] == [(7, "Linux")]


# ------------------------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "key_xml",
    [
        "<type>FOREVER</type>",
        "<type>unlimited</type>",
        "<type>UNLIMITED</type><status>PAUSED</status>",
        "<type>UNLIMITED</type><modules><list><ActivationKeyModule><license>XDR</license></ActivationKeyModule>"
        "</list></modules>",
        "<type>UNLIMITED</type><modules><add><ActivationKeyModule><license>PC LICENSE</license></ActivationKeyModule>"
        "</add></modules>",
    ],
)
def test_values_outside_the_published_enums_are_invalid(http: httpx.Client, key_xml: str) -> None:
    refused = _post(http, "create/ca/agentactkey/", _create(f"<title>enum</title>{key_xml}"))
    assert refused.response_code == "INVALID_REQUEST"
    assert refused.response_error_details is not None
    assert "valid values" in (refused.response_error_details.error_message or "")
    updated = _post(http, "update/ca/agentactkey/3714801", _create(key_xml))
    assert updated.response_code == "INVALID_REQUEST"


def test_the_sdk_raises_bad_request_for_an_unknown_type(qualys_sim: Qualys) -> None:
    with pytest.raises(BadRequestError) as caught:
        qualys_sim.activation_keys.create(type="FOREVER", title="x")
    assert caught.value.code == "INVALID_REQUEST"


def test_a_key_with_agents_is_not_deleted(qualys_sim: Qualys) -> None:
    with pytest.raises(BadRequestError) as caught:
        qualys_sim.activation_keys.delete(3473802)  # the search sample's key with four agents
    assert "active agents" in str(caught.value)
    assert qualys_sim.activation_keys.get(3473802).id == 3473802
    assert qualys_sim.activation_keys.delete(3714801) == 3714801, "a key without agents is deleted"


def test_every_answer_names_its_schema(http: httpx.Client) -> None:
    answers = [
        http.get(f"{KEYS}/get/ca/agentactkey/3714801", headers=basic()),
        http.get(f"{KEYS}/get/ca/agentactkey/1", headers=basic()),
        http.post(f"{KEYS}/search/ca/agentactkey/", content=b"<ServiceRequest/>", headers=basic()),
        http.post(f"{KEYS}/search/ca/agentactkey/", content=b"<ServiceRequest/>", headers=basic(password="wrong")),
    ]
    for answer in answers:
        root = re.search(rb"<ServiceResponse [^>]*>", answer.content)
        assert root is not None, answer.text[:200]
        assert XSI.encode() in root.group(0)
        assert b'xsi:noNamespaceSchemaLocation="http://localhost/qps/xsd/1.0/ca/agentactkey.xsd"' in root.group(0)
