"""The call's total deadline at the socket: no single read, write or connect may outlast it.

httpx's timeouts bound each socket operation, so a server sending its status line, headers or body one
byte at a time resets them with every byte and can hold a call for ever. The transport marks the attempt
with its deadline (:data:`.._deadline.DEADLINE`, set around the attempt and reset after it), and the network
backend installed here into httpx's connection pool cuts every socket operation at that deadline: the
same mechanism for sync and async. A context variable is the only way down: httpcore passes a stream
nothing but a byte count and a timeout.
"""

from __future__ import annotations

import ssl
import typing

import httpcore
import httpx

from .._deadline import bounded


class AsyncDeadlineStream(httpcore.AsyncNetworkStream):
    """A network stream whose every operation ends by the current attempt's deadline."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        tls = await self._stream.start_tls(ssl_context, server_hostname, bounded(timeout, httpcore.ConnectTimeout))
        return AsyncDeadlineStream(tls)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class AsyncDeadlineBackend(httpcore.AsyncNetworkBackend):
    """Wraps httpx's own network backend; every stream it opens is an :class:`AsyncDeadlineStream`."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_tcp(
            host, port, bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return AsyncDeadlineStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_unix_socket(
            path, bounded(timeout, httpcore.ConnectTimeout), socket_options
        )
        return AsyncDeadlineStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def install_deadline(transport: httpx.AsyncBaseTransport) -> None:
    """Put the deadline backend under an httpx network transport (not a mock or an ASGI one: they have no sockets).

    httpx offers no public way to choose the backend of the pool it builds; this sets httpcore's
    ``_network_backend`` (stable across httpcore 1.x). tests/reliability/test_hostile.py proves it still works.
    """
    pool = getattr(transport, "_pool", None)
    if isinstance(transport, httpx.AsyncHTTPTransport) and isinstance(pool, httpcore.AsyncConnectionPool):
        backend = pool._network_backend
        if not isinstance(backend, AsyncDeadlineBackend):
            pool._network_backend = AsyncDeadlineBackend(backend)
