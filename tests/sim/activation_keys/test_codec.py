"""The simulator's own QPS XML (``testing/activation_keys/codec.py``): DTDs refused, malformed bodies named by line
and column, answers no client could read never sent, and the SDK's XML reader never used to read or write."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import httpx
import pytest

from qualys_agentactkey import AgentActKey
from qualys_sdk.testing import Simulator

from ..conftest import PASSWORD, USER, basic

CREATE = "/qps/rest/1.0/create/ca/agentactkey/"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ServiceRequest><data><AgentActKey><title>&lol2;</title><type>UNLIMITED</type></AgentActKey></data></ServiceRequest>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ServiceRequest><data><AgentActKey><title>&x;</title><type>UNLIMITED</type></AgentActKey></data></ServiceRequest>"""
PLAIN_DOCTYPE = b"<!DOCTYPE ServiceRequest><ServiceRequest/>"


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE, PLAIN_DOCTYPE], ids=["billion laughs", "xxe", "plain"])
def test_a_doctype_is_refused_and_nothing_is_created(http: httpx.Client, sim: Simulator, body: bytes) -> None:
    before = len(sim.subscription(USER, PASSWORD).keys.keys)
    answer = http.post(CREATE, content=body, headers=basic())
    assert answer.status_code == 200, "QPS refuses a bad body inside an HTTP 200 answer"
    assert b"<responseCode>INVALID_REQUEST</responseCode>" in answer.content
    assert b"Invalid XML: refused an XML document with a DOCTYPE" in answer.content
    assert b"lollol" not in answer.content
    assert b"root:" not in answer.content
    assert len(sim.subscription(USER).keys.keys) == before


def test_a_malformed_body_is_named_by_line_and_column(http: httpx.Client) -> None:
    answer = http.post(CREATE, content=b"<ServiceRequest>\n<data>", headers=basic())
    assert b"<responseCode>INVALID_REQUEST</responseCode>" in answer.content
    assert b"Invalid XML: malformed XML at line 2, column 7" in answer.content


def test_a_value_that_does_not_fit_its_field_is_refused(http: httpx.Client) -> None:
    key = b"<AgentActKey><countPurchased>abc</countPurchased></AgentActKey>"
    answer = http.post(CREATE, content=b"<ServiceRequest><data>" + key + b"</data></ServiceRequest>", headers=basic())
    assert b"<responseCode>INVALID_REQUEST</responseCode>" in answer.content
    assert b"does not have the documented shape" in answer.content


def test_an_answer_holding_a_character_xml_cannot_carry_is_not_sent(sim: Simulator, http: httpx.Client) -> None:
    sim.subscription(USER, PASSWORD)
    sim.add_activation_key(USER, AgentActKey(id=9_000_001, title="bell\x07", type_value="UNLIMITED"))
    with pytest.raises(ValueError, match="XML compatible"):
        http.get("/qps/rest/1.0/get/ca/agentactkey/9000001", headers=basic())


def test_the_sdk_xml_code_is_never_loaded() -> None:
    script = textwrap.dedent(
        """
        import sys
        from qualys_sdk.testing import Simulator
        from qualys_sdk.testing.transport import sim_client

        auth = {"Authorization": "Basic dTpw"}  # u:p
        with sim_client(Simulator().app) as http:
            body = b"<ServiceRequest><data><AgentActKey><title>t</title><type>UNLIMITED</type></AgentActKey></data>"
            assert b"SUCCESS" in http.post("/qps/rest/1.0/create/ca/agentactkey/", content=body + b"</ServiceRequest>",
                                            headers=auth).content
            assert b"INVALID_REQUEST" in http.post("/qps/rest/1.0/search/ca/agentactkey/", content=b"<x/>",
                                                   headers=auth).content
        print(sorted(m for m in sys.modules if m in ("qualys_sdk._xml", "qualys_sdk._xml_fast")))
        """
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"
