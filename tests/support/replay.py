"""Compare what a generated client sent with the recorded request it should match."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import httpx

from qualys_sdk.testing.cassettes import Interaction

from . import multipart

BASE_URL = "https://gateway.qg1.apps.qualys.com"


def recorded_parts(interaction: Interaction) -> list[multipart.Part]:
    return multipart.parse(interaction.request_body, interaction.request_header("content-type") or "")


def assert_same_request(sent: httpx.Request, recorded: Interaction, headers: tuple[str, ...]) -> None:
    """Same method, path, query, the named headers, and the same body once decoded by its content type."""
    assert sent.method == recorded.method
    assert sent.url.raw_path.split(b"?")[0].decode() == recorded.path
    assert sorted(parse_qsl(sent.url.query.decode())) == sorted(recorded.query)
    for name in headers:
        assert sent.headers.get(name) == recorded.request_header(name), name
    sent_type = sent.headers.get("content-type", "")
    recorded_type = recorded.request_header("content-type") or ""
    if recorded_type.startswith("multipart/"):
        assert sent_type.startswith("multipart/form-data; boundary=")
        got = [(p.name, p.filename, p.data) for p in multipart.parse(sent.content, sent_type)]
        assert got == [(p.name, p.filename, p.data) for p in recorded_parts(recorded)]
    elif recorded_type.startswith("application/x-www-form-urlencoded"):
        assert sent_type == recorded_type
        assert parse_qsl(sent.content.decode()) == parse_qsl(recorded.request_body.decode())
    elif recorded.request_body:
        assert sent_type == "application/json"
        assert json.loads(sent.content) == json.loads(recorded.request_body)
    else:
        assert sent.content == b""
