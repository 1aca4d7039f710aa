"""httpx transports that call the simulator's ASGI app in process, with no socket.

starlette's ``TestClient`` would do, but current starlette and anyio releases make it emit deprecation
warnings (which test suites running with ``-W error`` cannot take), so the SDK ships its own thin ones on
top of ``httpx.ASGITransport``. A dropped connection injected by the simulator surfaces as
``httpx.RemoteProtocolError``, as it does from a real server.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from .faults import DroppedConnection


def _buffered(request: httpx.Request, content: bytes) -> httpx.Request:
    return httpx.Request(request.method, request.url, headers=request.headers, content=content,
                         extensions=request.extensions)  # fmt: skip


class AsyncSimTransport(httpx.AsyncBaseTransport):
    """For ``httpx.AsyncClient`` (``AsyncQualys``)."""

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=True)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run the app on ``request``; a dropped connection is ``httpx.RemoteProtocolError``."""
        content = await request.aread()
        try:
            response = await self._inner.handle_async_request(_buffered(request, content))
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        body = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)


class SimTransport(httpx.BaseTransport):
    """For ``httpx.Client`` (``Qualys``): each request runs the app on a private event loop."""

    def __init__(self, app: Any) -> None:
        self._async = AsyncSimTransport(app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the app on ``request``; a dropped connection is ``httpx.RemoteProtocolError``."""
        content = request.read()
        return asyncio.run(self._async.handle_async_request(_buffered(request, content)))


def sim_client(app: Any, base_url: str = "http://localhost") -> httpx.Client:
    """An ``httpx.Client`` that calls ``app`` (a ``Simulator``'s) in process: for ``Qualys(http_client=...)``."""
    return httpx.Client(transport=SimTransport(app), base_url=base_url)


def async_sim_client(app: Any, base_url: str = "http://localhost") -> httpx.AsyncClient:
    """:func:`sim_client` for ``AsyncQualys``."""
    return httpx.AsyncClient(transport=AsyncSimTransport(app), base_url=base_url)
