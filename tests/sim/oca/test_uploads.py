"""The bulk provision file, read as a stream (``testing/oca/uploads.py``): refused at its 1001st row or at a wrong
extension without the rest being read, a broken upload a 400, RFC 4180 records counted across chunks.
"""

from __future__ import annotations

import httpx
import pytest

from qualys_sdk.testing.errors import SimError
from qualys_sdk.testing.oca.uploads import RowCounter

from ..conftest import login

TECHNOLOGIES = "/ocaapi/v2.0/technology/PolicyCompliance"
BULK = "/ocaapi/v2.0/asset/bulk?manifest_types=PolicyCompliance"
HEADER = "dnsName,hostIP,mac,modelName,netbios,serialNumber,technology,type,uuid\n"


def _healthy(http: httpx.Client) -> None:
    auth = login(http)
    assert http.get(TECHNOLOGIES, headers=auth).status_code == 200


def _rows(count: int) -> str:
    return "".join(
        f",10.{i // 65536}.{i // 256 % 256}.{i % 256},,,,,Fabric 7,PolicyCompliance,\n" for i in range(count)
    )


def test_a_bulk_file_is_refused_at_its_1001st_row(http: httpx.Client) -> None:
    auth = login(http)
    refused = http.post(BULK, files={"data": ("a.csv", (HEADER + _rows(1001)).encode(), "text/csv")}, headers=auth)
    assert refused.status_code == 400
    assert refused.json()["_error"]["message"] == "More than 1000 assets in one file; at most 1000 are allowed"
    accepted = http.post(BULK, files={"data": ("a.csv", (HEADER + _rows(1000)).encode(), "text/csv")}, headers=auth)
    assert accepted.json()["data"]["items"]["count"]["successfulProvisions"] == 1000


def test_a_wrong_extension_is_refused_before_the_content(http: httpx.Client) -> None:
    auth = login(http)
    junk = b"\x00\xff" * 1000 + b"\n" * 5000  # content that would fail as CSV, and rows past the limit
    refused = http.post(BULK, files={"data": ("a.xlsx", junk, "application/octet-stream")}, headers=auth)
    assert refused.json()["_error"]["message"].startswith("ERR-2052")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--b\r\n"),
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="data"; filename="a.csv"\r\n\r\nx',
        ),
        ("multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--\r\n"),
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="\xff"\r\n\r\nx\r\n--b--\r\n',
        ),
        ("multipart/form-data; boundary=b", b"garbage without a boundary line"),
        (
            "multipart/form-data; boundary=b",
            b"".join(b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nx\r\n' % i for i in range(20))
            + b"--b--\r\n",
        ),
        ("text/csv", HEADER.encode()),
    ],
)
def test_a_broken_bulk_upload_is_a_400(http: httpx.Client, content_type: str, body: bytes) -> None:
    auth = login(http)
    answer = http.post(BULK, content=body, headers={**auth, "Content-Type": content_type})
    assert answer.status_code == 400, answer.text
    _healthy(http)


def test_the_row_counter_reads_rfc4180_quoting_and_skips_blank_lines() -> None:
    counter = RowCounter(max_rows=2)
    text = b'hostIP,technology,type,dnsName\r\n\r\n1.1.1.1,Fabric 7,PolicyCompliance,"two\nlines"\n\n'
    for i in range(len(text)):  # a byte at a time: records spanning chunks
        counter.feed(text[i : i + 1])
    counter.feed(b'2.2.2.2,Fabric 7,PolicyCompliance,"a ""quoted\n"" word"\n')
    assert counter.records == 3
    counter.feed(b"3.3.3.3,Fabric 7,PolicyCompliance,x")  # no newline yet: not a record until the stream ends
    with pytest.raises(SimError, match="More than 2 assets"):
        counter.finish()


def test_the_row_counter_bounds_one_endless_row() -> None:
    counter = RowCounter(max_rows=1000, max_bytes=1024)
    with pytest.raises(SimError) as caught:
        counter.feed(b'"' * 2048)
    assert caught.value.status == 413
