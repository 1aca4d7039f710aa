"""Activation keys through ``Qualys`` and ``AsyncQualys``: recorded exchanges, paging, QPS errors sent with HTTP 200."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
import respx
from lxml import etree

from qualys_sdk import AuthenticationError, BadRequestError, InputValidationError, NotFoundError, Qualys, criterion
from qualys_sdk._errors import APIStatusError, ResponseFormatError
from qualys_sdk.activation_key_constants import License
from qualys_sdk.testing.cassettes import load_cassettes
from tests.support import CASSETTES

from .fakes import PASSWORD, USERNAME, no_wait_async_client

API = "https://qualysapi.qualys.com/qps/rest/1.0"
KEYS = {c.name: c.interactions[0] for c in load_cassettes(CASSETTES / "agentactkey")}


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def client() -> Qualys:
    return Qualys(username=USERNAME, password=PASSWORD, platform="US1", max_retries=0)


def serve(mock: respx.MockRouter, name: str) -> respx.Route:
    recorded = KEYS[name]
    return mock.route(method=recorded.method, url=recorded.uri).mock(return_value=recorded.to_httpx_response())


def _xml(request: httpx.Request) -> etree._Element:
    return etree.fromstring(request.content)


def test_create_sends_a_valid_request_and_returns_the_key(mock: respx.MockRouter) -> None:
    route = serve(mock, "createActivationKey")
    key = client().activation_keys.create(type="UNLIMITED", title="Owner", modules=[License.PC_LICENSE], owner_id=1)
    assert key.id is not None
    assert key.activation_key
    sent = route.calls.last.request
    assert sent.headers["authorization"].startswith("Basic ")
    assert sent.headers["x-requested-with"].startswith("qualys-sdk/")
    assert sent.headers["content-type"] == "text/xml"
    body = _xml(sent)
    assert body.tag == "ServiceRequest"
    assert body.findtext("data/AgentActKey/type") == "UNLIMITED"
    assert body.findtext("data/AgentActKey/modules/list/ActivationKeyModule/license") == "PC_LICENSE"
    assert not any(str(el.tag).startswith("{") for el in body.iter())  # namespace-free, as the wire


def test_qps_calls_carry_the_http_clients_own_headers(mock: respx.MockRouter) -> None:
    # Users configure proxies' headers and the like on their httpx client: QPS calls must send them too.
    route = serve(mock, "getActivationKey")
    http = httpx.Client(headers={"X-Proxy-Team": "netops"}, cookies={"LB": "node-2"})
    qualys = Qualys(username=USERNAME, password=PASSWORD, platform="US1", max_retries=0, http_client=http)
    qualys.activation_keys.get(3714801)
    sent = route.calls.last.request
    assert sent.headers["x-proxy-team"] == "netops"
    assert sent.headers["user-agent"].startswith("qualys-sdk/")
    assert sent.headers["cookie"] == "LB=node-2"
    assert sent.headers["authorization"].startswith("Basic ")


def test_create_checks_its_input_before_sending(mock: respx.MockRouter) -> None:
    with pytest.raises(InputValidationError, match="countPurchased"):
        client().activation_keys.create(type="COUNT_LIMITED")
    with pytest.raises(InputValidationError, match="expire_date"):
        client().activation_keys.create(type="TIME_LIMITED")
    with pytest.raises(InputValidationError, match="timezone"):
        client().activation_keys.create(type="TIME_LIMITED", expire_date=dt.datetime(2030, 1, 1))


def test_update_puts_the_id_in_the_path_and_sends_add_remove(mock: respx.MockRouter) -> None:
    route = mock.post(f"{API}/update/ca/agentactkey/3617002").mock(
        return_value=KEYS["updateActivationKey"].to_httpx_response()
    )
    key = client().activation_keys.update(3617002, title="New", add_modules=["VM_LICENSE"], remove_tags=[8390993])
    assert key.id == 3617002
    body = _xml(route.calls.last.request)
    assert body.findtext("data/AgentActKey/modules/add/ActivationKeyModule/license") == "VM_LICENSE"
    assert body.findtext("data/AgentActKey/tags/remove/Tag/id") == "8390993"


def test_get_search_and_delete(mock: respx.MockRouter) -> None:
    serve(mock, "getActivationKey")
    serve(mock, "searchActivationKeys")
    serve(mock, "deleteActivationKey")
    qualys = client()
    assert qualys.activation_keys.get(3714801).id == 3714801
    page = qualys.activation_keys.search()
    assert [k.id for k in page.keys] == [3473802, 3617002, 3714801]
    assert page.has_more is False
    assert qualys.activation_keys.delete(59001) == 59001


def _page(ids: list[int], more: bool) -> httpx.Response:
    keys = "".join(f"<AgentActKey><id>{i}</id><status>ACTIVE</status></AgentActKey>" for i in ids)
    last = f"<lastId>{ids[-1]}</lastId>" if more else ""
    more_records = f"<hasMoreRecords>{str(more).lower()}</hasMoreRecords>{last}"
    body = (
        f"<ServiceResponse><responseCode>SUCCESS</responseCode><count>{len(ids)}</count>"
        f"{more_records}<data>{keys}</data></ServiceResponse>"
    )
    return httpx.Response(200, text=body, headers={"Content-Type": "application/xml"})


def test_iter_all_follows_the_id_cursor(mock: respx.MockRouter) -> None:
    route = mock.post(f"{API}/search/ca/agentactkey/").mock(side_effect=[_page([1, 2], True), _page([3], False)])
    ids = [k.id for k in client().activation_keys.iter_all([criterion("title", "CONTAINS", "linux")], page_size=2)]
    assert ids == [1, 2, 3]
    first, second = (_xml(c.request) for c in route.calls)
    assert first.findtext("preferences/limitResults") == "2"
    assert [(c.get("field"), c.get("operator"), c.text) for c in second.iter("Criteria")] == [
        ("title", "CONTAINS", "linux"),
        ("id", "GREATER", "2"),
    ]


def test_errors_reported_with_http_200_raise(mock: respx.MockRouter) -> None:
    serve(mock, "getActivationKey__object_not_found")
    mock.post(f"{API}/update/ca/agentactkey/3617002").mock(
        return_value=KEYS["updateActivationKey__invalid_request"].to_httpx_response()
    )
    qualys = client()
    with pytest.raises(NotFoundError) as missing:
        qualys.activation_keys.get(99999999)
    assert (missing.value.status_code, missing.value.code) == (200, "OBJECT_NOT_FOUND")
    with pytest.raises(BadRequestError) as invalid:
        qualys.activation_keys.update(3617002, title="x")
    assert invalid.value.code == "INVALID_REQUEST"


def test_bad_credentials_and_unknown_codes(mock: respx.MockRouter) -> None:
    serve(mock, "searchActivationKeys__401")
    with pytest.raises(AuthenticationError):
        client().activation_keys.search()
    mock.get(f"{API}/get/ca/agentactkey/5").mock(
        return_value=httpx.Response(
            200, text="<ServiceResponse><responseCode>SOMETHING_NEW</responseCode></ServiceResponse>"
        )
    )
    with pytest.raises(APIStatusError) as info:
        client().activation_keys.get(5)
    assert info.value.code == "SOMETHING_NEW"


def test_html_instead_of_xml_is_a_clear_error(mock: respx.MockRouter) -> None:
    mock.get(f"{API}/get/ca/agentactkey/5").mock(
        return_value=httpx.Response(200, text="<html><body>maintenance</body></html>")
    )
    with pytest.raises(ResponseFormatError):
        client().activation_keys.get(5)


def test_async_activation_keys(mock: respx.MockRouter) -> None:
    serve(mock, "getActivationKey")
    mock.post(f"{API}/search/ca/agentactkey/").mock(side_effect=[_page([1], True), _page([2], False)])

    async def main() -> tuple[int | None, list[int | None]]:
        async with no_wait_async_client(platform="US1") as qualys:
            key = await qualys.activation_keys.get(3714801)
            ids = [k.id async for k in qualys.activation_keys.iter_all(page_size=1)]
        return key.id, ids

    assert asyncio.run(main()) == (3714801, [1, 2])
