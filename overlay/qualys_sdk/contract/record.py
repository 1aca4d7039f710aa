"""A check's exchanges as scrubbed cassettes, in the format of ``tests/cassettes/`` (VCR YAML and a ``meta``
block naming the spec operation): ``DIR/<api>/<operationId>[__<case>].yaml``, one per planned call that ran.

Scrubbed always: Authorization (Bearer and Basic), cookies, the ``/auth`` form's username and password, the
token ``/auth`` answers, and wherever they recur, the username, the password and the token; activation keys
(``activationKey``, ``oldActivationKey``, ``newActivationKey``), ``customerId`` and ``subscriptionId``, by the
field or element that holds them. With ``identifiers``: IP addresses (loopback aside), UUIDs, DNS and host
names (``dnsName``, ``hostName``, ``netbios``... fields, agent names) and a host that is not a public Qualys
platform's. Each value gets one replacement for the whole recording, so what matched before still matches
(an asset's UUID in a path and in a body). Numbers stay numbers, so a scrubbed body keeps its types.

Values are replaced where they stand as a whole token, not inside longer words; a credential shorter than 4
characters is replaced only where it is known to stand (its header or form field), not searched for
elsewhere. :func:`qualys_sdk.testing.cassettes.scrub` then runs over every cassette as a last net, and a
cassette in which :func:`~qualys_sdk.testing.cassettes.find_secrets` still finds anything is not written.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..platforms import PLATFORMS
from .capture import RawExchange
from .plan import FETCH_TOKEN
from .report import CallResult

SOURCE = "recorded from a live tenant by qualys contract check"
#: What a private cloud's host becomes with ``identifiers``.
PRIVATE_HOST = "qualys.example.invalid"
#: Request and response headers whose values are credentials.
_CREDENTIAL_HEADERS = {"cookie": "<COOKIE>", "set-cookie": "<COOKIE>"}
#: Headers that describe the bytes as they travelled, not the (decompressed, scrubbed) body kept.
_DROPPED_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"}
_SECRET_FIELDS = ("activationKey", "oldActivationKey", "newActivationKey", "customerId", "subscriptionId")
_HOST_FIELDS = ("dnsName", "hostName", "hostname", "fqdn", "netbios", "netbiosName", "dns")
_MIN_SEARCHED = 4
_WORD = r"A-Za-z0-9_.\-"
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_IPV4 = re.compile(r"(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9.])")
_IPV6 = re.compile(r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])")
_AGENT_NAME = re.compile(r"(<AgentAsset>.*?<name>)([^<]*)(</name>)", re.S)


def _field_value(name: str) -> re.Pattern[str]:
    """A JSON member or an XML element named ``name``, its value in group 2."""
    return re.compile(rf'("{name}"\s*:\s*)("(?:[^"\\]|\\.)*"|-?[0-9]+)|(<{name}>)([^<]*)(</{name}>)')


@dataclass(frozen=True)
class _Kind:
    """A kind of scrubbed value and how its n-th replacement looks."""

    name: str
    make: Callable[[int, str], str]


def _uuid(n: int, _: str) -> str:
    return f"00000000-0000-4000-8000-{n:012x}"


def _ip(n: int, original: str) -> str:
    if ":" in original:
        return str(ipaddress.IPv6Address("2001:db8::") + n)
    return str(ipaddress.IPv4Address("198.18.0.0") + n)  # 198.18.0.0/15: reserved for benchmarks, never a host


def _named(prefix: str) -> Callable[[int, str], str]:
    def make(n: int, original: str) -> str:
        if original.isdigit():
            return str(90_000_000 + n)  # a number stays a number
        return f"{prefix}_{n}"

    return make


def _fixed(placeholder: str) -> Callable[[int, str], str]:
    return lambda n, _: placeholder if n == 1 else f"{placeholder}_{n}"


_USERNAME = _Kind("username", _fixed("SCRUBBED_USERNAME"))
_PASSWORD = _Kind("password", _fixed("SCRUBBED_PASSWORD"))
_TOKEN = _Kind("token", _fixed("<JWT>"))
_BASIC = _Kind("basic", _fixed("<CREDENTIALS>"))
_ACTIVATION_KEY = _Kind("activation key", _named("SCRUBBED_ACTIVATION_KEY"))
_ID = _Kind("id", _named("SCRUBBED_ID"))
_UUID_KIND = _Kind("uuid", _uuid)
_IP_KIND = _Kind("ip", _ip)
_HOST = _Kind("host", lambda n, _: f"host-{n}.example.invalid")


class Scrubber:
    """Learns the secrets (and identifiers) of a recording, then replaces each the same way everywhere."""

    def __init__(self, *, identifiers: bool) -> None:
        self.identifiers = identifiers
        self._replacements: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._pattern: re.Pattern[str] | None = None

    def _add(self, kind: _Kind, value: str) -> str:
        value = value.strip()
        if not value or value in self._replacements.values():
            return value
        if value not in self._replacements:
            self._counts[kind.name] = self._counts.get(kind.name, 0) + 1
            self._replacements[value] = kind.make(self._counts[kind.name], value)
            self._pattern = None
        return self._replacements[value]

    # -- learning --------------------------------------------------------------------------------------------

    def learn(self, exchange: RawExchange) -> None:
        for name, value in exchange.request_headers:
            if name.lower() == "authorization":
                self._learn_authorization(value)
        if exchange.operation == FETCH_TOKEN:
            for key, value in parse_qsl(exchange.request_body.decode("utf-8", "replace"), keep_blank_values=True):
                if key in ("username", "password"):
                    self._add(_USERNAME if key == "username" else _PASSWORD, value)
            if 200 <= exchange.status < 300:
                self._add(_TOKEN, exchange.response_body.decode("utf-8", "replace"))
        for text in self._texts(exchange):
            self._learn_text(text)

    def _learn_authorization(self, value: str) -> None:
        scheme, _, credentials = value.partition(" ")
        if scheme.lower() != "basic":
            self._add(_TOKEN, credentials)
            return
        self._add(_BASIC, credentials)
        try:
            username, _, password = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return
        self._add(_USERNAME, username)
        self._add(_PASSWORD, password)

    def _learn_text(self, text: str) -> None:
        for name in _SECRET_FIELDS:
            kind = _ACTIVATION_KEY if "activation" in name.lower() else _ID
            for match in _field_value(name).finditer(text):
                self._add(kind, _unquoted(match.group(2) if match.group(2) is not None else match.group(4)))
        if not self.identifiers:
            return
        for name in _HOST_FIELDS:
            for match in _field_value(name).finditer(text):
                self._add(_HOST, _unquoted(match.group(2) if match.group(2) is not None else match.group(4)))
        for match in _AGENT_NAME.finditer(text):
            self._add(_HOST, match.group(2))
        for match in _UUID.finditer(text):
            self._add(_UUID_KIND, match.group(0))
        for pattern in (_IPV4, _IPV6):
            for match in pattern.finditer(text):
                if _is_scrubbed_ip(match.group(0)):
                    self._add(_IP_KIND, match.group(0))

    @staticmethod
    def _texts(exchange: RawExchange) -> Iterable[str]:
        yield exchange.url
        yield exchange.request_body.decode("utf-8", "replace")
        yield exchange.response_body.decode("utf-8", "replace")
        for _, value in (*exchange.request_headers, *exchange.response_headers):
            yield value

    # -- replacing -------------------------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """``text`` with every learnt value replaced where it stands as a whole token."""
        pattern = self._searched()
        if pattern is not None:
            text = pattern.sub(lambda m: self._replacements[m.group(0)], text)
        # Short values (and numbers, which a whole-token search would also find in other numbers) are replaced
        # where their field says they are.
        for name in (*_SECRET_FIELDS, *(_HOST_FIELDS if self.identifiers else ())):
            text = _field_value(name).sub(self._field, text)
        return _AGENT_NAME.sub(self._agent, text) if self.identifiers else text

    def _searched(self) -> re.Pattern[str] | None:
        """One pattern for every learnt value long enough to search for, longest first."""
        if self._pattern is None:
            searched = sorted((v for v in self._replacements if len(v) >= _MIN_SEARCHED), key=len, reverse=True)
            if searched:
                alternatives = "|".join(map(re.escape, searched))
                self._pattern = re.compile(rf"(?<![{_WORD}])(?:{alternatives})(?![{_WORD}])")
        return self._pattern

    def _field(self, match: re.Match[str]) -> str:
        if match.group(2) is not None:
            raw = match.group(2)
            value = _unquoted(raw)
            new = self._replacements.get(value, value)
            return match.group(1) + (f'"{new}"' if raw.startswith('"') else new)
        return match.group(3) + self._replacements.get(match.group(4).strip(), match.group(4)) + match.group(5)

    def _agent(self, match: re.Match[str]) -> str:
        return match.group(1) + self._replacements.get(match.group(2).strip(), match.group(2)) + match.group(3)

    def url(self, url: str) -> str:
        """The URL scrubbed; with ``identifiers``, a host that is neither loopback nor a public platform's too."""
        netloc = urlsplit(url).netloc
        return self.text(url.replace(netloc, self.host(netloc), 1))

    def host(self, netloc: str) -> str:
        """A ``host[:port]`` (a URL's, a Host header's): with ``identifiers``, a private host is replaced."""
        host = urlsplit(f"//{netloc}").hostname or ""
        if self.identifiers and host not in _public_hosts() and not _is_loopback(host):
            return PRIVATE_HOST
        return netloc


def _unquoted(raw: str) -> str:
    return raw[1:-1] if raw.startswith('"') and raw.endswith('"') else raw


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_scrubbed_ip(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_unspecified)


def _public_hosts() -> set[str]:
    return {
        urlsplit(url).hostname or ""
        for platform in PLATFORMS.values()
        for url in (platform.gateway_url, platform.api_url)
    }


# -- cassettes -----------------------------------------------------------------------------------------------


def cassette_name(result: CallResult) -> str:
    step = result.step
    return f"{step.operation.operation_id}__{step.case}.yaml" if step.case else f"{step.operation.operation_id}.yaml"


def cassette(result: CallResult, exchanges: list[RawExchange], scrubber: Scrubber, when: dt.date) -> dict[str, Any]:
    """The cassette document of one planned call (scrubbed, not yet through the last net)."""
    note = "credentials, tokens, activation keys, customer and subscription ids scrubbed"
    if scrubber.identifiers:
        note += "; IPs, UUIDs, host and DNS names replaced"
    return {
        "meta": {
            "operationId": result.step.operation.operation_id,
            "source": f"{SOURCE} on {when.isoformat()} ({result.step.name})",
            "note": note,
        },
        "interactions": [_interaction(e, scrubber) for e in exchanges],
        "version": 1,
    }


def _interaction(exchange: RawExchange, scrubber: Scrubber) -> dict[str, Any]:
    request_body = exchange.request_body.decode("utf-8", "replace")
    response_body = exchange.response_body.decode("utf-8", "replace")
    if exchange.operation == FETCH_TOKEN and 200 <= exchange.status < 300:
        response_body = "<JWT>"  # the token, whatever its shape
    return {
        "request": {
            "method": exchange.method,
            "uri": scrubber.url(exchange.url),
            "headers": _headers(exchange.request_headers, scrubber),
            "body": scrubber.text(request_body) if request_body else None,
        },
        "response": {
            "status": {"code": exchange.status, "message": exchange.reason},
            "headers": _headers(exchange.response_headers, scrubber),
            "body": {"string": scrubber.text(response_body)},
        },
    }


def _headers(headers: Iterable[tuple[str, str]], scrubber: Scrubber) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in headers:
        lower = name.lower()
        if lower in _DROPPED_HEADERS:
            continue
        if lower == "authorization":
            kept = "Basic <CREDENTIALS>" if value.lower().startswith("basic") else "Bearer <JWT>"
        elif lower == "host":
            kept = scrubber.host(value)
        else:
            kept = _CREDENTIAL_HEADERS.get(lower) or scrubber.text(value)
        out.setdefault(name, []).append(kept)
    return out


class UnscrubbedCassette(RuntimeError):
    """A cassette still held something shaped like a credential after scrubbing: it was not written."""


def write_cassettes(directory: Path, results: Iterable[CallResult], *, identifiers: bool,
                    when: dt.date | None = None) -> list[Path]:  # fmt: skip
    """Write one scrubbed cassette per call that has exchanges (in ``directory``/<api>/); the paths written."""
    import yaml  # noqa: PLC0415  # the [contract] extra

    from ..testing.cassettes import find_secrets, load_cassette, scrub  # noqa: PLC0415

    calls = [(result, result.exchanges) for result in results]
    scrubber = Scrubber(identifiers=identifiers)
    for _, exchanges in calls:
        for exchange in exchanges:
            scrubber.learn(exchange)
    day = when or dt.datetime.now(dt.UTC).date()
    written = []
    for result, exchanges in calls:
        if not exchanges:
            continue
        path = directory / exchanges[0].operation.api / cassette_name(result)
        path.parent.mkdir(parents=True, exist_ok=True)
        document = scrub(cassette(result, exchanges, scrubber, day))
        path.write_text(yaml.dump(document, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100), "utf-8")
        left = [problem for i in load_cassette(path).interactions for problem in find_secrets(i)]
        if left:
            path.unlink()
            raise UnscrubbedCassette(f"{path.name}: {left[0]}; the cassette was not written")
        written.append(path)
    return written


def _literal(dumper: Any, value: str) -> Any:
    """Bodies of several lines as YAML block literals, as in the project's own cassettes."""
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


@functools.cache
def _dumper() -> Any:
    """The YAML dumper of cassettes, made on first use (PyYAML is the [contract] extra)."""
    import yaml  # noqa: PLC0415

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # no &id001 anchors: every cassette reads on its own

    Dumper.add_representer(str, _literal)
    return Dumper
