"""A loopback HTTP/1.1 server that answers like a broken or malicious Qualys, for the reliability tests.

The SDK's defences (total deadline, size cap, safe parsing) sit in its transport and parsers, below anything a
mock transport exercises: a drip only shows over a real socket, and a gzip bomb only once httpx inflates it. So
this is a real server: plain sockets, one thread per connection (one slow answer never holds up another), every
answer ``Connection: close`` (each answer is its own connection, so "the next answers" are simply the next
connections).

    with HostileServer() as server:
        server.behave("drip_headers")                  # every answer but /auth from now on
        server.behave("ok", auth="auth_drip")          # or: /auth drips, the rest would have been fine
        Qualys(..., gateway_url=server.url, api_url=server.url)

Paths under ``/qps/`` get XML (the activation-key API server), the others JSON (the gateway). A hostile answer
keeps what it can of the successful one (status, Content-Type, body), so that only the one fault is under test.
Leaving the ``with`` block shuts every connection down at once, which also frees a client stuck reading one.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import re
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Final, Literal, Self

Answer = Literal[
    "ok",
    "drip_headers",
    "drip_body",
    "gzip_bomb",
    "huge_body",
    "deep_json",
    "deep_xml",
    "html_200",
    "truncated",
    "bad_utf8",
]
AuthAnswer = Literal["token", "auth_drip", "auth_huge"]
Format = Literal["json", "xml"]

#: The gzip bomb inflates to this much (1 GiB and a few bytes of envelope), from about 1 MiB on the wire.
BOMB_INFLATED_BYTES: Final = 1 << 30
#: ``huge_body``: a 200 of about this many bytes, sent chunked (no Content-Length: a size cap must count, not
#: trust a header).
HUGE_BODY_BYTES: Final = 200_000_000
#: ``auth_huge``: a /auth answer of this many bytes, with its Content-Length.
AUTH_HUGE_BYTES: Final = 100_000_000
#: Depth of ``deep_json`` and ``deep_xml`` unless :meth:`HostileServer.behave` says otherwise.
DEFAULT_DEPTH: Final = 10_000

JSON_TYPE: Final = "application/json"
XML_TYPE: Final = "application/xml"
TOKEN_TYPE: Final = "text/plain;charset=UTF-8"

#: A JWT-shaped token without whitespace; its ``exp`` (2100-01-01) keeps a client from refreshing it mid-test.
TOKEN: Final = (
    ".".join(
        base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")
        for part in ({"alg": "none", "typ": "JWT"}, {"sub": "u", "exp": 4102444800})
    )
    + ".c2ln"
)
ASSET_UUID: Final = "663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5"

QPS_SUCCESS: Final = (
    b'<?xml version="1.0" encoding="UTF-8"?><ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count>'
    b"<data><AgentActKey><id>1</id></AgentActKey></data></ServiceResponse>"
)
HTML_PAGE: Final = (
    b"<!DOCTYPE html><html><head><title>Sign in</title></head>"
    b"<body><p>Your session has expired.<br><a href=/login>Sign in</a></body></html>"
)

_REASONS: Final = {200: "OK", 201: "Created", 404: "Not Found", 431: "Request Header Fields Too Large"}
_MAX_REQUEST_HEAD = 64 * 1024
#: How long a connection may sit idle on a read or a write before its thread gives up on it.
_IO_TIMEOUT = 10.0
_BLOCK = 64 * 1024


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


_TECHNOLOGY = {
    "technology": "Fabric",
    "technologyVersion": "Fabric 7",
    "createdAt": "2019-01-21T07:06:07.000+0000",
    "updatedAt": "2019-01-21T07:06:07.000+0000",
}
_COMMANDS = _json({"code": 200, "data": {"items": ["show running-config"]}})
_ASSET = _json({"code": 200, "data": {"assetUUID": ASSET_UUID}, "message": "Request sent Successfully."})
_UPLOADED = _json({"code": 200, "message": "Command Output Uploaded Successfully."})
_BULK_PROVISIONED = _json(
    {
        "code": 200,
        "data": {
            "items": {
                "count": {"successfulProvisions": 1, "failedProvisions": 0, "skippedProvisions": 0},
                "successfulProvisions": [{"uuid": ASSET_UUID, "ip": "10.0.0.2", "technology": "Fabric 7"}],
                "failedProvisions": [],
                "skippedProvisions": [],
            }
        },
    }
)
_REVOKED = _json({"code": 200, "data": {"items": {"successfulRevoke": [ASSET_UUID], "failedRevoke": []}}})
_IMPORTED = _json({"requestId": "r-1", "responseMessage": "imported", "responseCode": "SUCCESS", "failedIds": None})

_SEGMENT = r"[^/]+"
# (method, path pattern, body) of every operation the SDK calls on the gateway; the first match wins.
_GATEWAY_ROUTES: Final[tuple[tuple[str, re.Pattern[str], bytes], ...]] = tuple(
    (method, re.compile(pattern), body)
    for method, pattern, body in (
        ("GET", r"/ocaapi/v2\.0/technology/PolicyCompliance", _json({"code": 200, "data": {"items": [_TECHNOLOGY]}})),
        ("GET", rf"/ocaapi/v2\.0/technology/{_SEGMENT}/command/PolicyCompliance", _COMMANDS),
        ("GET", rf"/ocaapi/v2\.0/asset/{_SEGMENT}/command/PolicyCompliance", _COMMANDS),
        ("GET", rf"/ocaapi/v2\.0/asset/{_SEGMENT}/status", _json({"code": 200, "data": {"status": "Provisioned"}})),
        ("POST", r"/ocaapi/v2\.0/asset", _ASSET),
        ("POST", r"/ocaapi/v2\.0/asset/bulk", _BULK_PROVISIONED),
        ("POST", rf"/ocaapi/v2\.0/asset/{_SEGMENT}/command/(bulk/)?output/PolicyCompliance", _UPLOADED),
        ("DELETE", r"/ocaapi/v2\.0/asset/revoke/bulk", _REVOKED),
        ("DELETE", rf"/ocaapi/v2\.0/asset/{_SEGMENT}", _ASSET),
        ("GET", r"/ocaapi/v2\.0/assets/status/subscription/\d+", _json({"code": 200, "data": {"items": []}})),
        ("POST", r"/rest/2\.0/(upsert|update)/am/.+", _IMPORTED),
    )
)


def format_of(path: str) -> Format:
    """XML for the QPS API server, JSON for the gateway."""
    return "xml" if path.startswith("/qps/") else "json"


def ok_answer(method: str, path: str) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of the successful answer to ``method path`` (404 for an unknown one)."""
    if format_of(path) == "xml":
        return 200, XML_TYPE, QPS_SUCCESS
    for route_method, pattern, body in _GATEWAY_ROUTES:
        if method == route_method and pattern.fullmatch(path):
            return 200, JSON_TYPE, body
    return 404, JSON_TYPE, _json({"code": 404, "message": f"no route for {method} {path}"})


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_xml(depth: int) -> bytes:
    # A plausible envelope with the nesting inside <data>, where a real answer has its records.
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><ServiceResponse><responseCode>SUCCESS</responseCode><data>'
        + b"<list>" * depth
        + b"</list>" * depth
        + b"</data></ServiceResponse>"
    )


def bad_utf8(fmt: Format, body: bytes) -> bytes:
    """The successful body with invalid UTF-8 (a Latin-1 byte, then bytes no UTF-8 sequence starts with) in a
    field the SDK does not read: a lenient decoder would return a result, a strict one must refuse."""
    bad = b"caf\xe9 \xff\xfe"
    if fmt == "xml":
        return body.replace(b"<id>1</id>", b"<id>1</id><title>" + bad + b"</title>", 1)
    return b'{"note":"' + bad + b'",' + body[1:]


def _envelope(fmt: Format) -> tuple[bytes, bytes]:
    """The start and end of a large answer, around its filler."""
    if fmt == "xml":
        return (
            b'<?xml version="1.0" encoding="UTF-8"?><ServiceResponse><responseCode>SUCCESS</responseCode>'
            b"<count>1</count><data>",
            b"</data></ServiceResponse>",
        )
    return b'{"code":200,"data":{"items":[', b"]}}"


@functools.cache
def gzip_bomb(fmt: Format) -> bytes:
    """About 1 MiB of gzip that inflates to 1 GiB of spaces inside a valid JSON or XML envelope.

    Built without compressing 1 GiB: after a full flush a deflate stream holds no back-references, so the block
    one 1 MiB chunk of spaces compresses to can simply be repeated; the trailer's CRC-32 and size are computed
    over the whole. A quarter of a second, once per format.
    """
    start, end = _envelope(fmt)
    chunk = b" " * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = deflate.compress(start) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.compress(end) + deflate.flush()
    repeats = BOMB_INFLATED_BYTES // len(chunk)
    crc = zlib.crc32(start)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(end, crc)
    size = len(start) + repeats * len(chunk) + len(end)
    gzip_header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, no mtime, best compression, unix
    return gzip_header + head + block * repeats + tail + struct.pack("<II", crc, size & 0xFFFFFFFF)


def _filler(fmt: Format, total: int) -> Iterator[bytes]:
    """``total`` bytes (give or take one record) of a valid answer listing the same record over and over, in
    blocks of about 64 KiB: a generator, so the 200 MB never exist at once."""
    start, end = _envelope(fmt)
    record = (
        b"<AgentActKey><id>1</id><title>filler</title></AgentActKey>"
        if fmt == "xml"
        else b'{"technology":"Filler","technologyVersion":"Filler 1"},'
    )
    block = record * (_BLOCK // len(record))
    yield start
    sent = len(start)
    while sent + len(block) < total:
        yield block
        sent += len(block)
    yield (record * ((total - sent) // len(record))).rstrip(b",") + end


def _head(status: int, headers: Iterable[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}", *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join([*lines, "Connection: close", "", ""])).encode("latin-1")


def _headers(content_type: str, length: int) -> list[tuple[str, str]]:
    return [("Content-Type", content_type), ("Content-Length", str(length))]


def _chunked(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """``blocks`` in HTTP/1.1 chunked transfer encoding."""
    for block in blocks:
        if block:
            yield b"%x\r\n%b\r\n" % (len(block), block)
    yield b"0\r\n\r\n"


class _Stopped(Exception):
    """The server is shutting down (or a drip ran out of time): drop the connection."""


@dataclass(frozen=True)
class Plan:
    """How the server answers: ``answer`` for every path but /auth, ``auth`` for /auth."""

    answer: Answer = "ok"
    auth: AuthAnswer = "token"
    depth: int = DEFAULT_DEPTH


@dataclass(frozen=True)
class _Reply:
    """What one answer starts from: the successful answer to the request, the plan, the path's format."""

    status: int
    content_type: str
    body: bytes
    plan: Plan
    fmt: Format


class HostileServer:
    """The server; a context manager. ``url`` is ``http://127.0.0.1:<ephemeral port>``.

    ``drip_interval``: seconds between two bytes of a drip; ``drip_limit``: a drip gives up (closes) after this
    long, so a forgotten one cannot outlive the test run.
    """

    def __init__(self, *, drip_interval: float = 1.0, drip_limit: float = 120.0) -> None:
        self._drip_interval = drip_interval
        self._drip_limit = drip_limit
        self._plan = Plan()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._requests: list[tuple[str, str]] = []
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def behave(self, answer: Answer = "ok", *, auth: AuthAnswer = "token", depth: int = DEFAULT_DEPTH) -> None:
        """How to answer from the next request on (a request already being answered keeps its plan)."""
        self._plan = Plan(answer, auth, depth)  # one reference swap: atomic for the connection threads

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request read so far, in order."""
        with self._lock:
            return list(self._requests)

    # -- life cycle ------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        # accept() wakes up this often to notice the shutdown: closing a socket does not wake a blocked accept.
        listener.settimeout(0.05)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"hostile-accept-{self.port}", daemon=True)
        self._acceptor.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting, cut every open connection (a client blocked on one sees it close), wait for the threads."""
        self._stopping.set()
        if self._acceptor is not None:
            self._acceptor.join(2)
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            # shutdown, not close: it wakes a thread blocked in recv/send on the socket, which then closes it.
            for connection in self._connections:
                with contextlib.suppress(OSError):  # already reset by the client
                    connection.shutdown(socket.SHUT_RDWR)
            threads = list(self._threads)
        deadline = time.monotonic() + 2
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0))

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(_IO_TIMEOUT)
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            with self._lock:
                if self._stopping.is_set():
                    connection.close()
                    return
                self._connections.add(connection)
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            request = self._read_request(connection)
            if request is None:
                connection.sendall(_head(431, [("Content-Length", "0")]))
                return
            with self._lock:
                self._requests.append(request)
            self._answer(connection, *request)
            connection.shutdown(socket.SHUT_WR)
        except (OSError, _Stopped):
            pass  # the client went away, a read or write timed out, or the server is stopping
        finally:
            with self._lock:
                self._connections.discard(connection)
                connection.close()

    # -- reading the request -----------------------------------------------------------------------
    # The whole request is read before answering: closing a socket with unread data sends a reset, which can
    # reach the client before the answer does.

    def _recv(self, connection: socket.socket) -> bytes:
        data = connection.recv(_BLOCK)
        if not data:
            raise _Stopped("the client closed the connection mid-request")
        return data

    def _read_request(self, connection: socket.socket) -> tuple[str, str] | None:
        """(method, path) of the request, its body read and dropped; None when its head is too large."""
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            if len(buffer) > _MAX_REQUEST_HEAD:
                return None  # a client that takes a 100 MB token at its word sends it back in a header
            buffer += self._recv(connection)
        head, _, rest = buffer.partition(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in header_lines)}
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._drain_chunked(connection, rest)
        else:
            left = int(headers.get("content-length", "0")) - len(rest)
            while left > 0:
                left -= len(self._recv(connection))
        return method, target.split("?", 1)[0]

    def _drain_chunked(self, connection: socket.socket, buffer: bytes) -> None:
        while True:
            while b"\r\n" not in buffer:
                buffer += self._recv(connection)
            size_line, _, buffer = buffer.partition(b"\r\n")
            size = int(size_line.split(b";", 1)[0], 16)
            if size == 0:
                while not buffer.startswith(b"\r\n") and b"\r\n\r\n" not in buffer:  # trailers, if any
                    buffer += self._recv(connection)
                return
            while len(buffer) < size + 2:
                buffer += self._recv(connection)
            buffer = buffer[size + 2 :]

    # -- answers -------------------------------------------------------------------------------------

    def _answer(self, connection: socket.socket, method: str, path: str) -> None:
        plan = self._plan
        if path.rstrip("/") == "/auth":
            self._answer_auth(connection, plan.auth)
            return
        status, content_type, body = ok_answer(method, path)
        reply = _Reply(status, content_type, body, plan, format_of(path))
        answers: dict[Answer, Callable[[socket.socket, _Reply], None]] = {
            "ok": self._plain,
            "drip_headers": self._drip_headers,
            "drip_body": self._drip_body,
            "gzip_bomb": self._gzip_bomb,
            "huge_body": self._huge_body,
            "deep_json": self._deep_json,
            "deep_xml": self._deep_xml,
            "html_200": self._html,
            "truncated": self._truncated,
            "bad_utf8": self._bad_utf8,
        }
        answers[plan.answer](connection, reply)

    def _answer_auth(self, connection: socket.socket, auth: AuthAnswer) -> None:
        token = TOKEN.encode()
        whole = _head(201, _headers(TOKEN_TYPE, len(token))) + token
        if auth == "token":
            connection.sendall(whole)
        elif auth == "auth_drip":
            self._drip(connection, whole)
        else:
            # A token-looking answer (no whitespace, starts like a JWT) that a client trusting it would send back.
            connection.sendall(_head(201, _headers(TOKEN_TYPE, AUTH_HUGE_BYTES)))
            block = b"A" * _BLOCK
            full, rest = divmod(AUTH_HUGE_BYTES - 3, _BLOCK)
            self._send_all(connection, [b"eyJ", *(block for _ in range(full)), block[:rest]])

    def _plain(self, connection: socket.socket, reply: _Reply) -> None:
        connection.sendall(_head(reply.status, _headers(reply.content_type, len(reply.body))) + reply.body)

    def _drip_headers(self, connection: socket.socket, reply: _Reply) -> None:
        self._drip(connection, _head(reply.status, _headers(reply.content_type, len(reply.body))) + reply.body)

    def _drip_body(self, connection: socket.socket, reply: _Reply) -> None:
        connection.sendall(_head(reply.status, _headers(reply.content_type, len(reply.body))))
        self._drip(connection, reply.body)

    def _gzip_bomb(self, connection: socket.socket, reply: _Reply) -> None:
        # Content-Length is honest (about 1 MiB, well under any cap): only the inflated size gives it away.
        bomb = gzip_bomb(reply.fmt)
        connection.sendall(
            _head(reply.status, [*_headers(reply.content_type, len(bomb)), ("Content-Encoding", "gzip")])
        )
        self._send_all(connection, (bomb[i : i + _BLOCK] for i in range(0, len(bomb), _BLOCK)))

    def _huge_body(self, connection: socket.socket, reply: _Reply) -> None:
        connection.sendall(
            _head(reply.status, [("Content-Type", reply.content_type), ("Transfer-Encoding", "chunked")])
        )
        self._send_all(connection, _chunked(_filler(reply.fmt, HUGE_BODY_BYTES)))

    def _deep_json(self, connection: socket.socket, reply: _Reply) -> None:
        self._plain(connection, _Reply(200, JSON_TYPE, deep_json(reply.plan.depth), reply.plan, reply.fmt))

    def _deep_xml(self, connection: socket.socket, reply: _Reply) -> None:
        self._plain(connection, _Reply(200, XML_TYPE, deep_xml(reply.plan.depth), reply.plan, reply.fmt))

    def _html(self, connection: socket.socket, reply: _Reply) -> None:
        # What a proxy or a login portal in front of the API sends, with a 200.
        self._plain(connection, _Reply(200, "text/html; charset=utf-8", HTML_PAGE, reply.plan, reply.fmt))

    def _truncated(self, connection: socket.socket, reply: _Reply) -> None:
        # The whole successful body is sent, but 64 bytes more were announced: a client that reads to the close and
        # parses what it got would return a result from an answer that was cut.
        connection.sendall(_head(reply.status, _headers(reply.content_type, len(reply.body) + 64)) + reply.body)

    def _bad_utf8(self, connection: socket.socket, reply: _Reply) -> None:
        self._plain(connection, _Reply(reply.status, reply.content_type, bad_utf8(reply.fmt, reply.body),
                                       reply.plan, reply.fmt))  # fmt: skip

    # -- sending -------------------------------------------------------------------------------------

    def _send_all(self, connection: socket.socket, blocks: Iterable[bytes]) -> None:
        for block in blocks:
            if self._stopping.is_set():
                raise _Stopped
            connection.sendall(block)

    def _drip(self, connection: socket.socket, data: bytes) -> None:
        """``data`` one byte every ``drip_interval`` seconds, until it is all sent, the server stops or
        ``drip_limit`` passes."""
        give_up = time.monotonic() + self._drip_limit
        for index in range(len(data)):
            connection.sendall(data[index : index + 1])
            if self._stopping.wait(self._drip_interval) or time.monotonic() > give_up:
                raise _Stopped
