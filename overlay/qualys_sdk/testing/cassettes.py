"""Recorded Qualys exchanges ("cassettes") and their offline replay.

Cassettes are VCR-style YAML (the format vcrpy reads: ``interactions`` of
``request``/``response`` with list-valued headers, ``version: 1``) plus a
``meta`` block naming the spec operation and where the exchange comes from.
Every cassette is scrubbed: :func:`find_secrets` lists anything that looks
like a credential, and :func:`scrub` replaces it.

Needs PyYAML: ``pip install 'qualys-sdk[sim]'``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import yaml

__all__ = [
    "Cassette",
    "CassetteReplay",
    "Interaction",
    "find_secrets",
    "load_cassette",
    "load_cassettes",
    "scrub",
]

#: What a scrubbed cassette carries instead of a credential.
JWT_PLACEHOLDER = "<JWT>"
BASIC_PLACEHOLDER = "<CREDENTIALS>"
USERNAME_PLACEHOLDER = "SCRUBBED_USERNAME"
PASSWORD_PLACEHOLDER = "SCRUBBED_PASSWORD"  # noqa: S105 - a placeholder, not a password

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"^Bearer\s+(?!<JWT>$)\S+", re.IGNORECASE)
_BASIC = re.compile(r"^Basic\s+(?!<CREDENTIALS>$)\S+", re.IGNORECASE)
_SECRET_FORM_FIELDS = {"username": USERNAME_PLACEHOLDER, "password": PASSWORD_PLACEHOLDER}


@dataclass(frozen=True)
class Interaction:
    """One request and the response it got."""

    method: str
    uri: str
    request_headers: Mapping[str, list[str]]
    request_body: bytes
    status: int
    reason: str
    response_headers: Mapping[str, list[str]]
    response_body: bytes

    @property
    def path(self) -> str:
        """The request path, percent-encoding kept, without the query."""
        return urlsplit(self.uri).path

    @property
    def query(self) -> list[tuple[str, str]]:
        """The request's query parameters, in order."""
        return parse_qsl(urlsplit(self.uri).query, keep_blank_values=True)

    def request_header(self, name: str) -> str | None:
        """The first value of a request header, matched case-insensitively."""
        for key, values in self.request_headers.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    def to_httpx_response(self, request: httpx.Request | None = None) -> httpx.Response:
        """The recorded response, as httpx's, answering ``request``."""
        headers = [(name, value) for name, values in self.response_headers.items() for value in values]
        return httpx.Response(
            self.status,
            headers=headers,
            content=self.response_body,
            request=request,
            extensions={"reason_phrase": self.reason.encode("ascii")},
        )


@dataclass(frozen=True)
class Cassette:
    """A cassette file: what it records and where the recording comes from."""

    path: Path
    operation_id: str
    source: str
    interactions: tuple[Interaction, ...]

    @property
    def name(self) -> str:
        """The file's name without ``.yaml``: ``<operationId>[__case]``."""
        return self.path.stem


def _body(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, Mapping):
        value = value.get("string")
    if isinstance(value, bytes):
        return value
    return str(value or "").encode("utf-8")


def _headers(raw: Any, where: str) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: headers must be a mapping of name to list of values")
    return {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in raw.items()}


def load_cassette(path: str | Path) -> Cassette:
    """Read one cassette; a malformed file raises ``ValueError`` naming the file and the field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("interactions"), list):
        raise ValueError(f"{path}: a cassette needs a list under 'interactions'")
    meta = data.get("meta") or {}
    operation_id = meta.get("operationId")
    if not operation_id:
        raise ValueError(f"{path}: meta.operationId is missing")
    interactions = []
    for index, item in enumerate(data["interactions"]):
        where = f"{path}: interactions[{index}]"
        try:
            request, response = item["request"], item["response"]
            interactions.append(
                Interaction(
                    method=str(request["method"]).upper(),
                    uri=str(request["uri"]),
                    request_headers=_headers(request.get("headers"), f"{where}.request"),
                    request_body=_body(request.get("body")),
                    status=int(response["status"]["code"]),
                    reason=str(response["status"].get("message", "")),
                    response_headers=_headers(response.get("headers"), f"{where}.response"),
                    response_body=_body(response.get("body")),
                )
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: missing or malformed field {exc}") from exc
    return Cassette(path, str(operation_id), str(meta.get("source", "")), tuple(interactions))


def load_cassettes(directory: str | Path) -> list[Cassette]:
    """Every ``*.yaml`` cassette in a directory, sorted by file name.

    FileNotFoundError when there is no such directory (a mistyped path would otherwise replay nothing, silently).
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise FileNotFoundError(f"no cassette directory {str(folder)!r}")
    return [load_cassette(p) for p in sorted(folder.glob("*.yaml"))]


def _json_or_none(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


class CassetteReplay:
    """Answers requests with recorded responses: an offline stand-in for Qualys.

    A request matches an interaction with the same method, path and query.
    When several match (a sample and its re-provision variant, say), the one
    whose JSON request body equals the request's wins, then the first
    recorded. Unmatched requests raise ``LookupError`` naming the request.

    Use it as an httpx transport: ``httpx.Client(transport=replay.transport())``.
    """

    def __init__(self, cassettes: Iterable[Cassette]) -> None:
        self.interactions = [i for c in cassettes for i in c.interactions]
        self.served: list[Interaction] = []

    def match(self, request: httpx.Request) -> Interaction:
        """The recorded exchange that answers ``request``; ``LookupError`` when none does."""
        query = sorted(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True))
        candidates = [
            i
            for i in self.interactions
            if i.method == request.method
            and i.path == request.url.raw_path.split(b"?")[0].decode("ascii")
            and sorted(i.query) == query
        ]
        if not candidates:
            raise LookupError(f"no recorded exchange for {request.method} {request.url.path}?{urlencode(query)}")
        body = _json_or_none(request.read())
        if body is not None:
            for candidate in candidates:
                if _json_or_none(candidate.request_body) == body:
                    return candidate
        return candidates[0]

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` with its recorded response, and remember it in ``served``."""
        interaction = self.match(request)
        self.served.append(interaction)
        return interaction.to_httpx_response(request)

    def transport(self) -> httpx.MockTransport:
        """An httpx transport that answers from the recordings."""
        return httpx.MockTransport(self.handle)


def find_secrets(interaction: Interaction) -> list[str]:
    """What in an interaction looks like an unscrubbed credential, one line each."""
    found = []
    for side, headers in (("request", interaction.request_headers), ("response", interaction.response_headers)):
        for name, values in headers.items():
            for value in values:
                if name.lower() == "authorization" and (_BEARER.match(value) or _BASIC.match(value)):
                    found.append(f"{side} header {name} carries a credential")
                elif _JWT.search(value):
                    found.append(f"{side} header {name} carries a JWT")
    for side, body in (("request", interaction.request_body), ("response", interaction.response_body)):
        text = body.decode("utf-8", errors="replace")
        if _JWT.search(text):
            found.append(f"{side} body carries a JWT")
    if interaction.path.endswith("/auth"):
        for key, value in parse_qsl(interaction.request_body.decode("utf-8", errors="replace")):
            placeholder = _SECRET_FORM_FIELDS.get(key)
            if placeholder is not None and value != placeholder:
                found.append(f"request form field {key} is not scrubbed")
    return found


def scrub(data: dict[str, Any]) -> dict[str, Any]:
    """Replace credentials in a loaded cassette document (the YAML mapping) in place, and return it."""
    for item in data.get("interactions", []):
        for side in ("request", "response"):
            part = item.get(side, {})
            headers = part.get("headers")
            if not isinstance(headers, dict):
                continue
            for name, values in headers.items():
                if name.lower() == "authorization":
                    headers[name] = [
                        f"Basic {BASIC_PLACEHOLDER}" if v.lower().startswith("basic") else f"Bearer {JWT_PLACEHOLDER}"
                        for v in values
                    ]
                else:
                    headers[name] = [_JWT.sub(JWT_PLACEHOLDER, v) for v in values]
        request, response = item.get("request", {}), item.get("response", {})
        body = request.get("body")
        if isinstance(body, str):
            if urlsplit(str(request.get("uri", ""))).path.endswith("/auth"):
                pairs = parse_qsl(body, keep_blank_values=True)
                body = urlencode([(k, _SECRET_FORM_FIELDS.get(k, v)) for k, v in pairs])
            request["body"] = _JWT.sub(JWT_PLACEHOLDER, body)
        rbody = response.get("body")
        if isinstance(rbody, dict) and isinstance(rbody.get("string"), str):
            rbody["string"] = _JWT.sub(JWT_PLACEHOLDER, rbody["string"])
    return data
