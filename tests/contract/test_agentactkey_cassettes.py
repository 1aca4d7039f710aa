"""The agentactkey cassettes against the XSDs and the generated ``qualys_agentactkey`` classes.

Every XML body validates against ``envelope.xsd`` (as the installed package ships it), parses through
``qualys_sdk._xml`` into ``ServiceRequest``/``ServiceResponse`` without losing or changing a value, and
renders back to namespace-free XML that validates and parses to an equal object. The operations list
(``agentactkey_operations.yaml``) and the cassettes name each other.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import as_file
from typing import Any

import pytest
import xmlschema
import yaml
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed
from xsdata.models.datatype import XmlDateTime

from qualys_agentactkey import (
    ActivationKeyModule,
    AgentActKey,
    AgentAsset,
    AgentAssetList,
    ResponseErrorDetails,
    ServiceRequest,
    ServiceResponse,
    Tag,
)
from qualys_sdk import _xml
from qualys_sdk._specs import spec_file
from qualys_sdk.testing.cassettes import Cassette, Interaction, load_cassette, load_cassettes
from tests.support import CASSETTES, TESTS

CASSETTE_DIR = CASSETTES / "agentactkey"
AGENTACTKEY = load_cassettes(CASSETTE_DIR)
BY_NAME = {c.name: c for c in AGENTACTKEY}
LISTED: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (TESTS / "contract" / "agentactkey_operations.yaml").read_text(encoding="utf-8")
)
OPERATIONS = LISTED["agentactkey"]
ERRORS = LISTED["agentactkey_errors"]
API_SERVER = "https://qualysapi.qualys.com"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"

Body = tuple[str, type[ServiceRequest] | type[ServiceResponse], bytes]


def _bodies() -> list[Body]:
    found: list[Body] = []
    for cassette in AGENTACTKEY:
        for index, interaction in enumerate(cassette.interactions):
            where = cassette.name if len(cassette.interactions) == 1 else f"{cassette.name}[{index}]"
            if interaction.request_body:
                found.append((f"{where}:request", ServiceRequest, interaction.request_body))
            found.append((f"{where}:response", ServiceResponse, interaction.response_body))
    return found


BODIES = _bodies()


def _body_id(body: Body) -> str:
    return body[0]


@cache
def _schema() -> xmlschema.XMLSchema10:
    # From the installed package, so the check covers the schema the wheel ships.
    with as_file(spec_file("agentactkey/envelope.xsd")) as path:
        return xmlschema.XMLSchema10(str(path))


def _schema_errors(xml: bytes) -> list[str]:
    return [str(error).split("\n", 1)[0] for error in _schema().iter_errors(xml)]


def _leaves(xml: bytes) -> list[tuple[str, str]]:
    """Every value of a document: (indexed path, text) for elements without element children, and attributes.

    Same-named siblings are numbered in document order, so the paths survive xs:all reordering but a value moved
    to another key does not. Whitespace-only text counts as empty; ``xsi:*`` attributes are not data.
    """
    found: list[tuple[str, str]] = []

    def walk(element: Any, path: str) -> None:
        for name, value in element.attrib.items():
            if not name.startswith(XSI):
                found.append((f"{path}/@{name}", value))
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            text = element.text or ""
            found.append((path, text if text.strip() else ""))
        seen: dict[str, int] = {}
        for child in children:
            seen[child.tag] = seen.get(child.tag, 0) + 1
            walk(child, f"{path}/{child.tag}[{seen[child.tag]}]")

    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    walk(root, str(root.tag))
    return sorted(found)


# ---------------------------------------------------------------------------------------------- every body


@pytest.mark.parametrize("body", BODIES, ids=_body_id)
def test_body_is_valid_against_the_xsd(body: Body) -> None:
    _, _, xml = body
    assert _schema_errors(xml) == []


@pytest.mark.parametrize("body", BODIES, ids=_body_id)
def test_body_parses_with_every_value_of_the_sample(body: Body) -> None:
    _, cls, xml = body
    parsed = _xml.parse(xml, cls)
    assert isinstance(parsed, cls)
    assert _leaves(_xml.render(parsed)) == _leaves(xml), "the typed object lost or changed a value of the sample"


@pytest.mark.parametrize("body", BODIES, ids=_body_id)
def test_rendering_is_namespace_free_valid_and_parses_back_equal(body: Body) -> None:
    _, cls, xml = body
    parsed = _xml.parse(xml, cls)
    rendered = _xml.render(parsed)
    assert rendered.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(rendered)
    assert [e.tag for e in root.iter() if not isinstance(e.tag, str) or "{" in e.tag or e.nsmap] == []
    assert b"xmlns" not in rendered
    assert _schema_errors(rendered) == []
    assert _xml.parse(rendered, cls) == parsed


def test_the_checks_can_fail() -> None:
    """The schema and the leaf comparison catch a wrong type, an unknown element and a lost or moved value."""
    search = BY_NAME["searchActivationKeys"].interactions[0].response_body
    assert _schema_errors(search.replace(b"<id>3473802</id>", b"<id>x</id>"))
    assert _schema_errors(search.replace(b"<status>", b"<someNewField/><status>", 1))
    parsed = _xml.parse(search, ServiceResponse)
    assert parsed.data is not None
    first, second, _ = parsed.data.agent_act_key
    first.title, second.title = second.title, first.title
    assert _leaves(_xml.render(parsed)) != _leaves(search)
    parsed.data.agent_act_key.pop()
    assert _leaves(_xml.render(parsed)) != _leaves(search)


# ---------------------------------------------------------------------------- requests as the release notes


@pytest.mark.parametrize("cassette", AGENTACTKEY, ids=lambda c: c.name)
def test_request_is_sent_as_the_release_notes_curl_sends_it(cassette: Cassette) -> None:
    for interaction in cassette.interactions:
        assert interaction.uri.startswith(f"{API_SERVER}/qps/rest/1.0/")
        assert interaction.request_header("Authorization") == "Basic <CREDENTIALS>"
        assert interaction.request_header("X-Requested-With") == "curl"
        if interaction.method == "POST":
            assert interaction.request_header("Content-Type") == "text/xml"
        else:
            assert interaction.request_body == b""
        path_id = re.search(r"/(\d+)$", interaction.path)
        if path_id and interaction.request_body:
            # The SDK may repeat the path id in the body; the two must then agree.
            request = _xml.parse(interaction.request_body, ServiceRequest)
            body_ids = [k.id for k in request.data.agent_act_key if k.id is not None] if request.data else []
            assert set(body_ids) <= {int(path_id.group(1))}


# ---------------------------------------------------------------------------------------- the operations list


def _template(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{id\\\}", r"[0-9]+", re.escape(path)) + "$")


@pytest.mark.parametrize("entry", OPERATIONS, ids=lambda e: e["operationId"])
def test_listed_operation_has_its_cassette(entry: dict[str, Any]) -> None:
    path = CASSETTE_DIR / f"{entry['cassette']}.yaml"
    assert path.is_file(), f"no cassette {path.name} for {entry['guide']}"
    cassette = load_cassette(path)
    assert cassette.operation_id == entry["operationId"]
    assert cassette.source
    for interaction in cassette.interactions:
        assert interaction.method == entry["method"]
        assert _template(entry["path"]).match(interaction.path), interaction.path
        assert interaction.status == 200
        assert _xml.parse(interaction.response_body, ServiceResponse).response_code == "SUCCESS"


@pytest.mark.parametrize("entry", ERRORS, ids=lambda e: e["cassette"])
def test_listed_error_case_has_its_cassette(entry: dict[str, Any]) -> None:
    path = CASSETTE_DIR / f"{entry['cassette']}.yaml"
    assert path.is_file(), f"no cassette {path.name} for {entry['case']}"
    cassette = load_cassette(path)
    assert cassette.operation_id == entry["operationId"]
    assert cassette.source
    (operation,) = [op for op in OPERATIONS if op["operationId"] == entry["operationId"]]
    for interaction in cassette.interactions:
        assert interaction.method == operation["method"]
        assert _template(operation["path"]).match(interaction.path), interaction.path
        assert interaction.status == entry["status"]
        assert _xml.parse(interaction.response_body, ServiceResponse).response_code == entry["responseCode"]


def test_every_cassette_is_listed_and_names_a_listed_operation() -> None:
    listed = {e["cassette"] for e in OPERATIONS + ERRORS}
    assert set(BY_NAME) == listed
    operation_ids = {e["operationId"] for e in OPERATIONS}
    assert len(operation_ids) == len(OPERATIONS)
    assert {c.operation_id for c in AGENTACTKEY} <= operation_ids


# ------------------------------------------------------------------------- typed values users read, spot-checked


def _exchange(name: str) -> Interaction:
    (interaction,) = BY_NAME[name].interactions
    return interaction


def _response(name: str) -> ServiceResponse:
    return _xml.parse(_exchange(name).response_body, ServiceResponse)


def _request(name: str) -> ServiceRequest:
    return _xml.parse(_exchange(name).request_body, ServiceRequest)


def _only_key(message: ServiceRequest | ServiceResponse) -> AgentActKey:
    assert message.data is not None
    (key,) = message.data.agent_act_key
    return key


def _licenses(key: AgentActKey) -> list[str] | None:
    """The licenses of the key's module list, None when there is no ``<modules><list>``."""
    if key.modules is None or key.modules.list_value is None:
        return None
    return [module.license for module in key.modules.list_value.activation_key_module]


def _tags(key: AgentActKey) -> list[Tag] | None:
    if key.tags is None or key.tags.list_value is None:
        return None
    return key.tags.list_value.tag


def _agents(key: AgentActKey) -> list[AgentAsset] | None:
    if key.agents is None or key.agents.list_value is None:
        return None
    return key.agents.list_value.agent_asset


def test_typed_values_of_create() -> None:
    sent = _only_key(_request("createActivationKey"))
    assert (sent.id, sent.title, sent.type_value, sent.count_purchased, sent.owner_id) == (
        None, "Owner", "UNLIMITED", 0, 364812443,
    )  # fmt: skip
    assert sent.modules is not None
    assert sent.modules.list_value is not None
    assert sent.modules.list_value.activation_key_module == [ActivationKeyModule(license="PC_LICENSE")]

    response = _response("createActivationKey")
    assert (response.response_code, response.count, response.has_more_records) == ("SUCCESS", 1, None)
    key = _only_key(response)
    assert key.id == 3617002
    assert key.activation_key == "c89d05c2-d30e-4a59-aec3-453605266dab"
    assert (key.status, key.count_used, key.network_id) == ("ACTIVE", 0, 0)
    assert (key.is_disabled, key.apply_on_agents, key.suspend_self_patch) == (False, False, False)
    assert key.date_purchased == XmlDateTime(2021, 5, 13, 15, 19, 31, offset=0)
    assert str(key.date_purchased) == "2021-05-13T15:19:31Z"
    assert _licenses(key) == ["PC_LICENSE"]
    assert (key.tags, key.agents, key.expire_date) == (None, None, None)


def test_typed_values_of_update() -> None:
    sent = _only_key(_request("updateActivationKey"))
    assert sent.id == 3617002
    assert sent.expire_date == XmlDateTime(2021, 12, 6, 23, 5, 42, offset=0)
    assert _licenses(sent) == ["FIM"]
    assert _tags(sent) == [Tag(id=103180087, name="Tag2")]
    # The release notes' update sample sends an empty agents list: it must stay empty, not become "no agents element".
    assert sent.agents is not None
    assert sent.agents.list_value == AgentAssetList(agent_asset=[])
    assert _agents(sent) == []

    key = _only_key(_response("updateActivationKey"))
    assert (key.id, key.title, key.owner_id) == (3617002, "Update from APIfim ownerl", 364812443)
    assert key.modules is None


def test_typed_values_of_search() -> None:
    assert _request("searchActivationKeys") == ServiceRequest()
    response = _response("searchActivationKeys")
    assert (response.response_code, response.count, response.has_more_records, response.last_id) == (
        "SUCCESS", 3, False, None,
    )  # fmt: skip
    assert response.data is not None
    keys = response.data.agent_act_key
    assert [k.id for k in keys] == [3473802, 3617002, 3714801]
    assert [k.title for k in keys] == [None, "Update from APIfim ownerl", "Owner"]
    assert [k.owner_id for k in keys] == [None, 364812443, 381715587]
    agents = _agents(keys[0])
    assert agents is not None
    assert len(agents) == 4
    assert agents[0] == AgentAsset(id=8409005, uuid="c67c64c9-0623-4d18-8de6-b2392f9464f3",
                                   name="test linux 1619075506543 49")  # fmt: skip
    assert [a.id for a in agents] == [8409005, 8390993, 8390994, 8390995]
    assert [_licenses(k) for k in keys] == [None, None, ["PC_LICENSE"]]
    assert [k.agents for k in keys[1:]] == [None, None]


def test_typed_values_of_get_and_delete() -> None:
    key = _only_key(_response("getActivationKey"))
    assert _exchange("getActivationKey").path.endswith(f"/{key.id}")
    assert (key.id, key.activation_key) == (3714801, "3fcd9610-7fa0-4242-b2b7-2d4b24484d3c")
    assert key.date_purchased == XmlDateTime(2021, 5, 19, 10, 57, 48, offset=0)

    assert _request("deleteActivationKey") == ServiceRequest()
    deleted = _response("deleteActivationKey")
    assert (deleted.response_code, deleted.count) == ("SUCCESS", 1)
    assert _only_key(deleted) == AgentActKey(id=59001)
    assert _exchange("deleteActivationKey").path.endswith("/59001")


def test_typed_values_of_errors() -> None:
    invalid = _response("updateActivationKey__invalid_request")
    assert invalid.response_code == "INVALID_REQUEST"
    assert invalid.data is None
    assert invalid.response_error_details is not None
    assert invalid.response_error_details.error_message == "Invalid Request"
    assert (invalid.response_error_details.error_resolution or "").startswith(
        "There were no results corresponding to your request."
    )

    not_found = _response("getActivationKey__object_not_found")
    assert (not_found.response_code, not_found.response_error_details, not_found.data) == (
        "OBJECT_NOT_FOUND", None, None,
    )  # fmt: skip

    unauthorized = _response("searchActivationKeys__401")
    assert unauthorized.response_code == "UNAUTHORIZED"
    assert unauthorized.response_error_details == ResponseErrorDetails(
        error_message="You are not authorized to access the application through the API."
    )

    blocked = _exchange("searchActivationKeys__409")
    assert blocked.status == 409
    to_wait = blocked.response_headers["X-RateLimit-ToWait-Sec"]
    assert blocked.response_headers["X-RateLimit-Remaining"] == ["0"]
    details = _response("searchActivationKeys__409").response_error_details
    assert details is not None
    assert f"for another {to_wait[0]} seconds" in (details.error_message or "")
