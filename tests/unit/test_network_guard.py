"""The suite may talk to loopback only: anything else fails the test that tries."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_connecting_to_a_real_host_is_blocked() -> None:
    with (
        pytest.warns(UserWarning, match="192.0.2.10"),
        pytest.raises(SocketConnectBlockedError),
        socket.create_connection(("192.0.2.10", 443), timeout=0.5),
    ):
        pass


def test_qualys_gateway_is_blocked() -> None:
    with (
        pytest.warns(UserWarning, match="64.39.104.113"),
        pytest.raises(SocketConnectBlockedError),
        socket.socket() as sock,
    ):
        sock.connect(("64.39.104.113", 443))


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
