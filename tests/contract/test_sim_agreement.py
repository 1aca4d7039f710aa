"""Every cassette's request, replayed against a freshly seeded simulator, gets the cassette's answer.

"The same answer" means: the cassette's HTTP status; a body valid against the same schema (``oca.yaml`` /
``csam.yaml`` through openapi-core, ``envelope.xsd`` through xmlschema); the same envelope fields (for JSON
everything but ``data`` and ``requestId``, for QPS the ``responseCode``, the error message when the cassette
has one, and every key whole: each of its fields, but for the id, activation key and purchase date a create
makes up); and every rate-limit header the cassette carries.

The cassettes hold scrubbed placeholders: the replay logs in to the simulator for a real JWT or sends real
Basic credentials. The constructed error cassettes get their cause set up first through the control plane:
an injected 429/409/503, expired tokens, a wrong password, a failing import. The activation-key cassettes
replay against the keys as they stood when the release notes' samples were taken: the create before key
3617002 existed, the update against 3617002 as that create made it. The cassettes come from the Qualys
documentation, so when the two disagree the simulator is what gets fixed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import as_file
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
import xmlschema

from qualys_agentactkey import AgentActKey, ServiceResponse
from qualys_sdk import _xml
from qualys_sdk._specs import spec_file
from qualys_sdk.testing import FakeClock, Simulator
from qualys_sdk.testing.cassettes import (
    PASSWORD_PLACEHOLDER,
    USERNAME_PLACEHOLDER,
    Cassette,
    Interaction,
    load_cassettes,
)
from qualys_sdk.testing.transport import sim_client
from tests.support import CASSETTES, openapi_check

USER = "acme_ab1"
PASSWORD = "S3cret!pass"
WRONG_PASSWORD = "not-the-password"
RATE_HEADERS = ("x-ratelimit-", "x-concurrency-limit-")

#: Where the simulator is known to word an error differently from a cassette, and why it stays so.
MESSAGE_DIFFERS = {
    "listTechnologies__401": (
        "an expired token: the simulator says 'JWT expired' (tests/sim/oca/test_oca.py pins it), the cassette "
        "'Unauthorized user' (its text UNCONFIRMED)"
    ),
}
#: Cassettes whose request the simulator rightly accepts: their error body documents a form, not a state.
SYNTHETIC_ERRORS = {
    "updateActivationKey__invalid_request": (
        "the release notes' valid update request with a synthetic INVALID_REQUEST body (see the cassette's meta)"
    ),
}


@dataclass(frozen=True)
class Case:
    api: str  # "oca", "csam" or "agentactkey"
    cassette: Cassette
    interaction: Interaction

    @property
    def name(self) -> str:
        return self.cassette.name


def _cases() -> list[Case]:
    return [
        Case(api, cassette, interaction)
        for api in ("oca", "csam", "agentactkey")
        for cassette in load_cassettes(CASSETTES / api)
        for interaction in cassette.interactions
    ]


CASES = _cases()


def _case_id(case: Case) -> str:
    return f"{case.api}/{case.name}"


@cache
def _xsd() -> xmlschema.XMLSchema10:
    with as_file(spec_file("agentactkey/envelope.xsd")) as path:
        return xmlschema.XMLSchema10(str(path))


# ------------------------------------------------------------------------------------------------ the replay


def _header(headers: Mapping[str, list[str]], name: str) -> str | None:
    """The first value of a recorded header, matched case-insensitively."""
    return next((v[0] for k, v in headers.items() if k.lower() == name.lower() and v), None)


def _rate_headers(names: Iterable[str]) -> set[str]:
    return {k.lower() for k in names if k.lower().startswith(RATE_HEADERS)}


def _basic(password: str) -> str:
    return "Basic " + base64.b64encode(f"{USER}:{password}".encode()).decode("ascii")


def _token(http: httpx.Client) -> str:
    answer = http.post("/auth", data={"username": USER, "password": PASSWORD, "token": "true"})
    assert answer.status_code == 201, answer.text
    return answer.text


def _set_up(sim: Simulator, case: Case) -> None:
    """The state or fault the cassette's answer needs, through the control plane."""
    recorded = case.interaction
    sim.create_subscription(USER, PASSWORD)
    limit = _header(recorded.response_headers, "X-RateLimit-Limit")
    if limit is not None:
        window = _header(recorded.response_headers, "X-RateLimit-Window-Sec") or "3600"
        concurrency = _header(recorded.response_headers, "X-Concurrency-Limit-Limit")
        sim.set_rate_limit(USER, int(limit), int(window), int(concurrency) if concurrency else None)
    if recorded.status in (409, 429):
        wait = int(_header(recorded.response_headers, "X-RateLimit-ToWait-Sec") or "17")
        sim.inject("status", f"^{recorded.path}$", status=recorded.status, retry_after=wait)
    elif recorded.status >= 500:
        sim.inject("status", f"^{recorded.path}$", status=recorded.status)
    if case.name == "deleteActivationKey":
        # delete_key.htm deletes key 59001, from another subscription than the search sample's three keys.
        sim.add_activation_key(USER, AgentActKey(id=59001, title="delete_key.htm sample", type_value="UNLIMITED"))
    if case.name == "upsertBusinessAppMetadata__failed":
        sim.fail_next_import(USER)
    if case.cassette.operation_id == "createActivationKey":
        # Created 2021-05-13: of the search sample's keys only 3473802 (2021-04-20) existed yet.
        _keep_keys(sim, {3473802})
    elif case.cassette.operation_id == "updateActivationKey":
        # Updated after that create and before 3714801 took the title "Owner" (2021-05-19).
        _keep_keys(sim, {3473802})
        sim.add_activation_key(USER, _only_key(_xml.parse(_cassette_body("createActivationKey"), ServiceResponse)))


def _keep_keys(sim: Simulator, ids: set[int]) -> None:
    keys = sim.subscription(USER).keys.keys
    for key_id in set(keys) - ids:
        del keys[key_id]


@cache
def _cassette_body(name: str) -> bytes:
    (case,) = (c for c in CASES if c.name == name)
    return case.interaction.response_body


def _only_key(response: ServiceResponse) -> AgentActKey:
    assert response.data is not None
    (key,) = response.data.agent_act_key
    return key


def _wrong_credentials(case: Case) -> bool:
    return case.interaction.status == 401 and (case.api == "agentactkey" or case.interaction.path == "/auth")


def replay(sim: Simulator, case: Case) -> httpx.Response:
    recorded = case.interaction
    with sim_client(sim.app, "https://" + (urlsplit(recorded.uri).hostname or "localhost")) as http:
        headers = {k: v[0] for k, v in recorded.request_headers.items() if v and k.lower() != "authorization"}
        body = recorded.request_body
        password = WRONG_PASSWORD if _wrong_credentials(case) else PASSWORD
        auth = recorded.request_header("authorization") or ""
        if auth.startswith("Bearer"):
            headers["Authorization"] = f"Bearer {_token(http)}"
            if recorded.status == 401:
                sim.expire_tokens(USER)
        elif auth.startswith("Basic"):
            headers["Authorization"] = _basic(password)
        if recorded.path == "/auth":
            real = {USERNAME_PLACEHOLDER: USER, PASSWORD_PLACEHOLDER: password}
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            body = urlencode([(k, real.get(v, v)) for k, v in form]).encode()
        url = urlsplit(recorded.uri)
        target = url.path + (f"?{url.query}" if url.query else "")
        return http.request(recorded.method, target, headers=headers, content=body or None)


@pytest.fixture(params=CASES, ids=_case_id)
def replayed(request: pytest.FixtureRequest) -> tuple[Case, httpx.Response]:
    case: Case = request.param
    sim = Simulator(clock=FakeClock())
    _set_up(sim, case)
    return case, replay(sim, case)


# ------------------------------------------------------------------------------------------------ the checks


def _as_interaction(case: Case, response: httpx.Response) -> Interaction:
    headers: dict[str, list[str]] = {}
    for name, value in response.headers.multi_items():
        headers.setdefault(name, []).append(value)
    return replace(
        case.interaction, status=response.status_code, reason=response.reason_phrase,
        response_headers=headers, response_body=response.content,
    )  # fmt: skip


def _envelope(body: Any) -> Any:
    return {k: v for k, v in body.items() if k not in ("data", "requestId")} if isinstance(body, dict) else body


def _without_messages(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: _without_messages(v) for k, v in body.items() if k != "message"}
    return body


def _keys(response: ServiceResponse, *, made_up: bool = False) -> list[AgentActKey]:
    """The answer's keys; with ``made_up``, without the fields a create makes up (id, activation key, date)."""
    keys = list(response.data.agent_act_key) if response.data is not None else []
    if made_up:
        keys = [replace(k, id=None, activation_key=None, date_purchased=None) for k in keys]
    return keys


def test_status_agrees(replayed: tuple[Case, httpx.Response]) -> None:
    case, response = replayed
    assert response.status_code == case.interaction.status, response.text


def test_body_is_valid_against_the_same_schema(replayed: tuple[Case, httpx.Response]) -> None:
    case, response = replayed
    if case.api == "agentactkey":
        assert [str(e).split("\n", 1)[0] for e in _xsd().iter_errors(response.content)] == []
    else:
        assert openapi_check.response_errors(f"{case.api}.yaml", _as_interaction(case, response)) == []


def test_rate_limit_headers_agree(replayed: tuple[Case, httpx.Response]) -> None:
    case, response = replayed
    recorded = _rate_headers(case.interaction.response_headers)
    assert recorded <= _rate_headers(response.headers.keys())
    for name in ("X-RateLimit-Limit", "X-RateLimit-Window-Sec", "X-RateLimit-ToWait-Sec"):
        wanted = _header(case.interaction.response_headers, name)
        if wanted is not None:
            assert response.headers[name] == wanted


def test_envelope_agrees(replayed: tuple[Case, httpx.Response]) -> None:
    case, response = replayed
    recorded = case.interaction
    if case.api != "agentactkey":
        if recorded.path == "/auth" and recorded.status == 201:
            assert response.text.count(".") == 2  # a JWT, where the cassette has its placeholder
            return
        got, wanted = _envelope(response.json()), _envelope(json.loads(recorded.response_body))
        if case.name in MESSAGE_DIFFERS:
            got, wanted = _without_messages(got), _without_messages(wanted)
        assert got == wanted
        return
    got_xml = _xml.parse(response.content, ServiceResponse)
    wanted_xml = _xml.parse(recorded.response_body, ServiceResponse)
    if case.name in SYNTHETIC_ERRORS:
        assert got_xml.response_code == "SUCCESS"
        return
    assert got_xml.response_code == wanted_xml.response_code
    if wanted_xml.response_error_details is not None:
        assert got_xml.response_error_details is not None
        assert got_xml.response_error_details.error_message == wanted_xml.response_error_details.error_message
    created = case.cassette.operation_id == "createActivationKey"
    assert _keys(got_xml, made_up=created) == _keys(wanted_xml, made_up=created)
    assert (got_xml.count, got_xml.has_more_records, got_xml.last_id) == (
        wanted_xml.count, wanted_xml.has_more_records, wanted_xml.last_id,
    )  # fmt: skip


def test_every_cassette_is_replayed() -> None:
    assert {c.api for c in CASES} == {"oca", "csam", "agentactkey"}
    names = {c.name for c in CASES}
    assert set(MESSAGE_DIFFERS) <= names
    assert set(SYNTHETIC_ERRORS) <= names
    assert len(CASES) == sum(len(list((CASSETTES / api).glob("*.yaml"))) for api in ("oca", "csam", "agentactkey"))
