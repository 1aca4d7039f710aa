"""QPS answers against the XSDs: each mutation with its grade and the XML path it names."""

from __future__ import annotations

from qualys_sdk.contract.findings import Finding, Grade
from qualys_sdk.contract.xml_checks import check_xml
from tests.contract_check.tenant import ACTIVATION_KEY, key_xml

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="x.xsd"'


def answer(inner: str, *, root: str = "ServiceResponse", attributes: str = XSI) -> bytes:
    return f"{HEAD}<{root} {attributes}>{inner}</{root}>".encode()


def ok(data: str) -> bytes:
    return answer(f"<responseCode>SUCCESS</responseCode><count>1</count><data>{data}</data>")


def graded(findings: list[Finding]) -> set[tuple[Grade, str, str]]:
    return {(f.grade, f.kind, f.where) for f in findings}


def check(body: bytes) -> list[Finding]:
    return check_xml("getActivationKey", body)


def test_the_documented_answer_has_no_finding() -> None:
    extra = "<modules><list><ActivationKeyModule><license>PC_LICENSE</license></ActivationKeyModule></list></modules>"
    assert check(ok(key_xml(extra=extra))) == []


def test_a_removed_required_element_is_breaking() -> None:
    findings = check(answer(f"<count>1</count><data>{key_xml()}</data>"))
    assert graded(findings) == {(Grade.BREAKING, "missing-element", "/ServiceResponse/responseCode")}


def test_a_renamed_element_is_missing_and_unknown() -> None:
    findings = check(answer(f"<responseStatus>SUCCESS</responseStatus><data>{key_xml()}</data>"))
    assert graded(findings) == {
        (Grade.BREAKING, "missing-element", "/ServiceResponse/responseCode"),
        (Grade.ADDITIVE, "unknown-element", "/ServiceResponse/responseStatus"),
    }


def test_a_renamed_optional_element_is_additive() -> None:
    findings = check(ok(key_xml().replace("<title>Owner</title>", "<name>Owner</name>")))
    assert graded(findings) == {(Grade.ADDITIVE, "unknown-element", "/ServiceResponse/data/AgentActKey/name")}


def test_an_unknown_element_deep_down_names_its_path_and_index() -> None:
    findings = check(ok(key_xml(key_id=1) + key_xml(key_id=2, extra="<region>EU</region>")))
    assert graded(findings) == {(Grade.ADDITIVE, "unknown-element", "/ServiceResponse/data/AgentActKey[2]/region")}
    assert findings[0].got == "an element"  # its content is never quoted


def test_a_new_value_of_an_open_type_is_additive() -> None:
    findings = check(ok(key_xml(status="RETIRED")))
    assert graded(findings) == {(Grade.ADDITIVE, "new-value", "/ServiceResponse/data/AgentActKey/status")}
    assert findings[0].got == 'text "RETIRED"'
    assert findings[0].expected == "one of ACTIVE, INACTIVE"


def test_a_wrong_type_is_breaking() -> None:
    findings = check(ok(key_xml().replace("<isDisabled>false</isDisabled>", "<isDisabled>maybe</isDisabled>")))
    assert graded(findings) == {(Grade.BREAKING, "wrong-type", "/ServiceResponse/data/AgentActKey/isDisabled")}
    assert (findings[0].expected, findings[0].got) == ("a value of type xs:boolean", 'text "maybe"')


def test_an_id_that_is_not_a_number_is_breaking() -> None:
    findings = check(ok(key_xml().replace("<id>3714801</id>", "<id>k-3714801</id>")))
    assert graded(findings) == {(Grade.BREAKING, "wrong-type", "/ServiceResponse/data/AgentActKey/id")}
    assert findings[0].expected == "a value of type xs:long"


def test_a_finding_about_an_activation_key_never_shows_it() -> None:
    nested = key_xml().replace(f"<activationKey>{ACTIVATION_KEY}", f"<activationKey><v>{ACTIVATION_KEY}</v>")
    findings = check(ok(nested))
    assert findings
    for finding in findings:
        assert ACTIVATION_KEY not in finding.line()
    assert any(f.where.startswith("/ServiceResponse/data/AgentActKey/activationKey") for f in findings)


def test_elements_out_of_order_in_a_sequence_are_breaking() -> None:
    modules = ("<modules><list><ActivationKeyModule><license>PC_LICENSE</license></ActivationKeyModule></list>"
               "<count>1</count></modules>")  # fmt: skip
    findings = check(ok(key_xml(extra=modules)))
    assert graded(findings) == {(Grade.BREAKING, "wrong-structure", "/ServiceResponse/data/AgentActKey/modules")}


def test_an_unknown_attribute_is_additive() -> None:
    findings = check(answer("<responseCode>SUCCESS</responseCode>", attributes=f'{XSI} region="eu"'))
    assert graded(findings) == {(Grade.ADDITIVE, "unknown-attribute", "/ServiceResponse/@region")}


def test_an_error_answer_is_noted() -> None:
    findings = check(answer("<responseCode>OBJECT_NOT_FOUND</responseCode>"))
    assert graded(findings) == {(Grade.NOTE, "error-answer", "/ServiceResponse/responseCode")}


def test_a_new_response_code_is_additive_and_noted() -> None:
    findings = check(answer("<responseCode>TOO_MANY_KEYS</responseCode>"))
    assert graded(findings) == {
        (Grade.ADDITIVE, "new-value", "/ServiceResponse/responseCode"),
        (Grade.NOTE, "error-answer", "/ServiceResponse/responseCode"),
    }


def test_another_root_or_a_namespace_is_breaking() -> None:
    assert graded(check(answer("", root="Response"))) == {(Grade.BREAKING, "wrong-root", "/Response")}
    namespaced = answer(
        "<responseCode>SUCCESS</responseCode>", attributes='xmlns="http://ca.oxm.api.portal.qualys.com/v1"'
    )
    assert [f.kind for f in check(namespaced)] == ["wrong-root"]


def test_what_is_not_a_document_the_sdk_reads_is_breaking() -> None:
    for body, got in [
        (b"", "an empty body"),
        (b"<ServiceResponse><responseCode>SUCC", "malformed XML"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><ServiceResponse/>', "a document with a DOCTYPE (the SDK refuses those)"),
    ]:
        findings = check(body)
        assert graded(findings) == {(Grade.BREAKING, "not-xml", "body")}
        assert findings[0].got.startswith(got)
