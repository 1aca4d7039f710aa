"""``qualys_sdk._xml`` refuses hostile or broken XML with a ResponseFormatError, and still reads what Qualys may send.

Hostile: external entities (XXE), XInclude, entity expansion ("billion laughs"), absurd nesting. Broken: truncated
or malformed XML, an HTML page, the wrong document. Still read: unknown elements and unknown values (Qualys adds
them over time), and a large page of keys.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed
from xsdata.models.datatype import XmlDateTime

from qualys_agentactkey import (
    ActivationKeyModule,
    ActivationKeyModuleList,
    AgentActivationModulesQList,
    AgentActKey,
    AgentActKeyList,
    ServiceRequest,
    ServiceResponse,
    Tag,
    TagList,
    TagQList,
)
from qualys_sdk import _xml
from qualys_sdk._errors import InputValidationError, QualysError, ResponseFormatError
from qualys_sdk.activation_key_constants import KeyStatus, KeyType, License, ResponseCode

SECRET = "s3cr3t-file-content-7f1d"
MB = 1024 * 1024


def _refused(data: bytes, cls: type[object] = ServiceResponse) -> ResponseFormatError:
    with pytest.raises(ResponseFormatError) as info:
        _xml.parse(data, cls)
    error = info.value
    assert isinstance(error, QualysError)
    assert len(error.body_excerpt) <= 200
    return error


def _peak_rss_bytes() -> int:
    import resource  # Unix only: imported here, callers skip this on Windows

    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


# ------------------------------------------------------------------------------------------------- XXE


@pytest.fixture
def secret_files(tmp_path: Path) -> dict[str, str]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    return {"secret": secret.as_uri(), "dtd": dtd.as_uri()}


XXE_PAYLOADS = {
    "external general entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE ServiceResponse [<!ENTITY xxe SYSTEM "{secret}">]>\n'
        "<ServiceResponse><responseCode>&xxe;</responseCode></ServiceResponse>",
        True,
    ),
    "external DTD": (
        '<?xml version="1.0"?>\n<!DOCTYPE ServiceResponse SYSTEM "{dtd}">\n'
        "<ServiceResponse><responseCode>&leak;</responseCode></ServiceResponse>",
        True,
    ),
    "external parameter entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE ServiceResponse [<!ENTITY % xxe SYSTEM "{dtd}"> %xxe;]>\n'
        "<ServiceResponse><responseCode>&leak;</responseCode></ServiceResponse>",
        True,
    ),
}


@pytest.mark.parametrize("payload", XXE_PAYLOADS, ids=str)
def test_external_entities_never_read_a_local_file(payload: str, secret_files: dict[str, str]) -> None:
    template, leaks_when_unsafe = XXE_PAYLOADS[payload]
    data = template.format(**secret_files).encode()
    if leaks_when_unsafe:
        # The payload works: a parser that resolves entities and loads DTDs does read the file.
        unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
        assert SECRET in etree.tostring(etree.fromstring(data, unsafe)).decode()
    error = _refused(data)
    assert "DOCTYPE" in str(error)
    for text in (str(error), repr(error.args), error.body_excerpt):
        assert SECRET not in text


@pytest.mark.parametrize(
    "prolog",
    [
        "<!DOCTYPE ServiceResponse>",
        '<!DOCTYPE ServiceResponse PUBLIC "-//Qualys//x//EN" "https://qualysapi.qualys.com/x.dtd">',
        # Past the first chunk the DOCTYPE check reads: a long prolog must not hide it.
        f"<!-- {'x' * 200_000} -->\n<?pi data?>\n<!DOCTYPE ServiceResponse []>",
    ],
    ids=["bare", "public", "after a long prolog"],
)
def test_any_doctype_is_refused(prolog: str) -> None:
    data = f'<?xml version="1.0"?>\n{prolog}\n<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse>'
    error = _refused(data.encode())
    assert "refused an XML document with a DOCTYPE (<!DOCTYPE ServiceResponse" in str(error)


ANY_DOCTYPE = (
    '<!DOCTYPE ServiceResponse [<!ENTITY a "b">]>\n<ServiceResponse><responseCode>&a;</responseCode></ServiceResponse>'
)


@pytest.mark.parametrize(
    "data",
    [
        ('<?xml version="1.0" encoding="UTF-16"?>\n' + ANY_DOCTYPE).encode("utf-16"),
        ('<?xml version="1.0" encoding="UTF-16BE"?>\n' + ANY_DOCTYPE).encode("utf-16-be"),
        ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + ANY_DOCTYPE).encode("latin-1"),
        b"\xef\xbb\xbf" + ('<?xml version="1.0"?>\n' + ANY_DOCTYPE).encode(),
    ],
    ids=["utf-16", "utf-16-be", "latin-1", "utf-8 with BOM"],
)
def test_a_doctype_is_refused_in_every_encoding(data: bytes) -> None:
    assert "refused an XML document with a DOCTYPE (<!DOCTYPE ServiceResponse" in str(_refused(data))


def test_doctype_text_inside_the_document_is_not_a_doctype() -> None:
    data = (
        b"<ServiceResponse><responseCode>INVALID_REQUEST</responseCode><responseErrorDetails>"
        b"<errorMessage><![CDATA[<!DOCTYPE html> is not XML]]></errorMessage></responseErrorDetails></ServiceResponse>"
    )
    for encoded in (data, data.decode().encode("utf-16")):
        parsed = _xml.parse(encoded, ServiceResponse)
        assert parsed.response_error_details is not None
        assert parsed.response_error_details.error_message == "<!DOCTYPE html> is not XML"


def test_xinclude_is_not_processed(secret_files: dict[str, str]) -> None:
    data = (
        '<ServiceResponse xmlns:xi="http://www.w3.org/2001/XInclude"><responseCode>'
        f'<xi:include href="{secret_files["secret"]}" parse="text"/></responseCode></ServiceResponse>'
    ).encode()
    error = _refused(data)
    assert SECRET not in str(error)
    assert SECRET not in error.body_excerpt


# ------------------------------------------------------------------------------------------ entity bombs


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE ServiceResponse [{"".join(entities)}]>\n'
        "<ServiceResponse><responseCode>&lol9;</responseCode></ServiceResponse>"
    ).encode()


def _quadratic_blowup() -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE ServiceResponse [<!ENTITY a "{"a" * 100_000}">]>\n'
        f"<ServiceResponse><responseCode>{'&a;' * 20_000}</responseCode></ServiceResponse>"
    ).encode()


@pytest.mark.parametrize("payload", [_billion_laughs, _quadratic_blowup], ids=lambda f: f.__name__.strip("_"))
def test_entity_expansion_bombs_fail_fast_in_bounded_memory(payload: object) -> None:
    assert callable(payload)
    data: bytes = payload()  # 3 GB (billion laughs) or 2 GB (quadratic) once expanded
    rss_before = _peak_rss_bytes() if sys.platform != "win32" else 0
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = _refused(data)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # libxml2 stops the expansion itself (its amplification limit) before the DOCTYPE check is reached.
    assert "DOCTYPE" in str(error) or "entity amplification" in str(error)
    assert peak < 50 * MB
    # Generous: refusing takes well under a millisecond; expanding would take minutes.
    assert elapsed < 2.0
    if sys.platform != "win32":
        # tracemalloc does not see libxml2's own allocations; the process high-water mark does.
        assert _peak_rss_bytes() - rss_before < 50 * MB


# --------------------------------------------------------------------------------------- broken documents


def test_deep_nesting_is_refused_with_a_clear_error() -> None:
    data = b"<ServiceResponse>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</ServiceResponse>"
    error = _refused(data)
    assert "nested deeper than" in str(error)
    assert "line 1, column" in str(error)


def _search_page(keys: int) -> bytes:
    body = [b'<?xml version="1.0" encoding="UTF-8"?>', b"<ServiceResponse>", b"  <responseCode>SUCCESS</responseCode>"]
    body.append(b"  <data>")
    for i in range(1, keys + 1):
        body.append(b"    <AgentActKey>\n      <id>%d</id>\n      <title>key %d</title>\n    </AgentActKey>" % (i, i))
    body += [b"  </data>", b"</ServiceResponse>", b""]
    return b"\n".join(body)


def _truncated() -> tuple[bytes, int]:
    page = _search_page(3)
    cut = page[: page.index(b"<title>key 2") + 9]
    return cut, cut.count(b"\n") + 1


def _mismatched() -> tuple[bytes, int]:
    return b"<ServiceResponse>\n  <responseCode>SUCCESS</responseCode>\n  <count>1</cuont>\n</ServiceResponse>", 3


def _not_xml() -> tuple[bytes, int]:
    return b'{"responseCode": "SUCCESS"}', 1


def _trailing_garbage() -> tuple[bytes, int]:
    return b"<ServiceResponse>\n<responseCode>SUCCESS</responseCode>\n</ServiceResponse>\n<x/>", 4


@pytest.mark.parametrize("case", [_truncated, _mismatched, _not_xml, _trailing_garbage], ids=lambda f: f.__name__[1:])
def test_malformed_xml_is_an_error_naming_the_line(case: object) -> None:
    assert callable(case)
    data, line = case()
    error = _refused(data)
    assert f"malformed XML at line {line}, column " in str(error)


def test_a_truncated_page_is_never_read_as_a_shorter_one() -> None:
    """xsdata's own lxml handler parses with recover=True and would return the keys before the cut."""
    page = _search_page(3)
    whole = _xml.parse(page, ServiceResponse).data
    assert whole is not None
    assert len(whole.agent_act_key) == 3
    for cut in range(page.index(b"<data>"), len(page) - 2, 7):
        _refused(page[:cut])


HTML_PAGES = {
    "with doctype": b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body><p>Soon</p></body></html>",
    "well-formed, no doctype": b"<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>",
    "not well-formed": b"<html><head><meta charset=utf-8><title>Login</title></head><body>Sign in<br></body></html>",
}


@pytest.mark.parametrize("page", HTML_PAGES, ids=str)
def test_an_html_page_is_an_error_with_an_excerpt(page: str) -> None:
    data = HTML_PAGES[page] + b"<!-- " + b"x" * 1000 + b" -->"
    error = _refused(data)
    # The excerpt is the start of the body on one line.
    assert error.body_excerpt.startswith(" ".join(data[:40].decode().split()))
    assert len(error.body_excerpt) <= 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty body"),
        (b"<ServiceRequest/>", "root element <ServiceResponse> (no namespace), got <ServiceRequest>"),
        (b'<ServiceResponse xmlns="urn:x"><responseCode>SUCCESS</responseCode></ServiceResponse>', "got <{urn:x}"),
        (b"<ServiceResponse><count>1</count></ServiceResponse>", "response_code"),
        (b"<ServiceResponse><responseCode>SUCCESS</responseCode><count>many</count></ServiceResponse>", "count"),
        (b"<ServiceResponse><responseCode><b>SUCCESS</b></responseCode></ServiceResponse>", "children"),
    ],
    ids=["empty", "wrong root", "namespaced root", "missing responseCode", "not an int", "children in a value"],
)
def test_a_document_of_the_wrong_shape_is_an_error(data: bytes, message: str) -> None:
    assert message in str(_refused(data))


def test_a_malformed_document_leaves_the_next_one_unharmed() -> None:
    # Each thread reuses one lxml parser: a failed parse must not leak its errors or state into the next.
    with pytest.raises(ResponseFormatError, match="malformed XML at line 1"):
        _xml.parse(b"<ServiceResponse><responseCode>SUCCESS</responseCode>", ServiceResponse)
    parsed = _xml.parse(b"<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse>", ServiceResponse)
    assert parsed.response_code == "SUCCESS"


def test_threads_parse_at_once() -> None:
    documents = [
        b"<ServiceResponse><responseCode>SUCCESS</responseCode><count>%d</count></ServiceResponse>" % n
        if n % 7
        else b"<ServiceResponse><responseCode>SUCCESS</responseCode><count>%d" % n  # truncated
        for n in range(400)
    ]

    def count(data: bytes) -> int | str | None:
        try:
            return _xml.parse(data, ServiceResponse).count
        except ResponseFormatError:
            return "refused"

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(count, documents))
    assert counts == [n if n % 7 else "refused" for n in range(400)]


def test_the_excerpt_is_never_the_whole_body() -> None:
    data = b"<html>" + b"<p>line</p>" * 2000 + b"</html"
    error = _refused(data)
    assert 0 < len(error.body_excerpt) <= 200
    assert error.body_excerpt != data.decode()


# ------------------------------------------------------------------------------------- what Qualys may add


def test_unknown_elements_are_ignored_and_known_fields_kept() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse>
  <responseCode>SUCCESS</responseCode>
  <someNewTopLevel>1</someNewTopLevel>
  <data>
    <AgentActKey>
      <id>42</id>
      <someNewField><nested kind="new"><deeper>t</deeper></nested></someNewField>
      <title>kept</title>
      <x:extension xmlns:x="urn:qualys:new">v</x:extension>
      <modules><list><ActivationKeyModule><license>PM</license><newModuleField>1</newModuleField>
      </ActivationKeyModule></list></modules>
      <datePurchased>2021-05-13T15:19:31Z</datePurchased>
    </AgentActKey>
  </data>
</ServiceResponse>
"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parsed = _xml.parse(data, ServiceResponse)
    assert caught == []
    modules = AgentActivationModulesQList(
        list_value=ActivationKeyModuleList(activation_key_module=[ActivationKeyModule(license="PM")])
    )
    key = AgentActKey(
        id=42, title="kept", modules=modules, date_purchased=XmlDateTime(2021, 5, 13, 15, 19, 31, offset=0)
    )
    assert parsed == ServiceResponse(response_code="SUCCESS", data=AgentActKeyList(agent_act_key=[key]))


@pytest.mark.parametrize(
    ("element", "value", "known"),
    [
        ("responseCode", "SOME_NEW_CODE", ResponseCode.ALL),
        ("status", "SUSPENDED", KeyStatus.ALL),
        ("type", "SEAT_LIMITED", KeyType.ALL),
        ("license", "NEW_MODULE", License.ALL),
    ],
)
def test_unknown_values_parse_as_plain_strings_without_warning(
    element: str, value: str, known: tuple[str, ...]
) -> None:
    assert value not in known
    key = {"status": f"<status>{value}</status>", "type": f"<type>{value}</type>"}.get(element, "")
    license_ = value if element == "license" else License.PC_LICENSE
    code = value if element == "responseCode" else ResponseCode.SUCCESS
    data = (
        f"<ServiceResponse><responseCode>{code}</responseCode><data><AgentActKey><id>1</id>{key}"
        f"<modules><list><ActivationKeyModule><license>{license_}</license></ActivationKeyModule></list></modules>"
        "</AgentActKey></data></ServiceResponse>"
    ).encode()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parsed = _xml.parse(data, ServiceResponse)
    assert caught == []
    assert parsed.data is not None
    (parsed_key,) = parsed.data.agent_act_key
    assert parsed_key.modules is not None
    assert parsed_key.modules.list_value is not None
    read = {
        "responseCode": parsed.response_code,
        "status": parsed_key.status,
        "type": parsed_key.type_value,
        "license": parsed_key.modules.list_value.activation_key_module[0].license,
    }
    assert read[element] == value
    assert isinstance(read[element], str)


def test_a_large_page_of_ten_thousand_keys_is_read_whole() -> None:
    template = (
        "<AgentActKey><id>{i}</id><activationKey>c89d05c2-d30e-4a59-aec3-{i:012d}</activationKey>"
        "<status>ACTIVE</status><countPurchased>0</countPurchased><countUsed>{i}</countUsed>"
        "<datePurchased>2021-05-13T15:19:31Z</datePurchased><type>UNLIMITED</type><title>key {i}</title>"
        "<isDisabled>false</isDisabled><modules><list><ActivationKeyModule><license>PC_LICENSE</license>"
        "</ActivationKeyModule></list></modules><tags><list><Tag><id>{i}</id><name>tag {i}</name></Tag></list></tags>"
        "</AgentActKey>"
    )
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceResponse><responseCode>SUCCESS</responseCode>'
        "<count>10000</count><hasMoreRecords>true</hasMoreRecords><lastId>10000</lastId><data>"
        + "".join(template.format(i=i) for i in range(1, 10_001))
        + "</data></ServiceResponse>"
    ).encode()
    parsed = _xml.parse(data, ServiceResponse)
    assert (parsed.count, parsed.has_more_records, parsed.last_id) == (10_000, True, 10_000)
    assert parsed.data is not None
    keys = parsed.data.agent_act_key
    assert len(keys) == 10_000
    assert [k.id for k in keys] == list(range(1, 10_001))
    assert [k.count_used for k in keys] == list(range(1, 10_001))
    last = keys[-1]
    assert last.activation_key == "c89d05c2-d30e-4a59-aec3-000000010000"
    assert last.tags == TagQList(list_value=TagList(tag=[Tag(id=10_000, name="tag 10000")]))


# -------------------------------------------------------------------------------------------------- render


def test_render_writes_utf8_with_a_declaration_and_no_namespace() -> None:
    assert _xml.render(ServiceRequest()) == b'<?xml version="1.0" encoding="UTF-8"?>\n<ServiceRequest/>'
    rendered = _xml.render(ServiceRequest(data=AgentActKeyList(agent_act_key=[AgentActKey(title="Zürich €")])))
    assert "<title>Zürich €</title>".encode() in rendered
    assert b"xmlns" not in rendered


def test_render_refuses_text_xml_cannot_carry() -> None:
    key = AgentActKey(title="bell\x07", tags=TagQList(add=TagList(tag=[Tag(name="ok"), Tag(name="nul\x00")])))
    with pytest.raises(InputValidationError) as info:
        _xml.render(ServiceRequest(data=AgentActKeyList(agent_act_key=[key])))
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("ServiceRequest.data.agent_act_key[0].title", "character U+0007 cannot be sent in XML"),
        ("ServiceRequest.data.agent_act_key[0].tags.add.tag[1].name", "character U+0000 cannot be sent in XML"),
    ]
    assert isinstance(info.value, ValueError)
