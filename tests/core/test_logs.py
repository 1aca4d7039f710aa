"""QUALYS_LOG=info|debug shows the SDK's log on stderr, with no logging set-up in the program."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROGRAM = """
import httpx
from qualys_sdk import Qualys

ok = httpx.Response(200, json={"code": 200, "data": {"status": "ok"}})
answers = iter([httpx.Response(429, headers={"Retry-After": "0"}), ok])

def serve(request):
    return httpx.Response(201, text="token") if request.url.path == "/auth" else next(answers)

http = httpx.Client(transport=httpx.MockTransport(serve))
with Qualys(username="u", password="secret-pw", platform="US2", http_client=http) as qualys:
    print(qualys.oca.get_status("a-1"))
"""


def _run(level: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUALYS_")}
    if level is not None:
        env["QUALYS_LOG"] = level
    return subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, check=True)


def test_without_the_variable_nothing_is_logged() -> None:
    done = _run(None)
    assert (done.stdout, done.stderr) == ("ok\n", "")


@pytest.mark.parametrize("level", ["info", "INFO"])
def test_info_shows_retries_on_stderr(level: str) -> None:
    done = _run(level)
    assert done.stdout == "ok\n"
    assert "INFO qualys_sdk] retrying GET /ocaapi/v2.0/asset/a-1/status" in done.stderr
    assert "httpx" not in done.stderr


def test_debug_adds_the_http_log_and_never_a_secret() -> None:
    done = _run("debug")
    assert "INFO qualys_sdk] retrying" in done.stderr
    assert "httpx] HTTP Request: POST https://gateway.qg2.apps.qualys.com/auth" in done.stderr
    assert "secret-pw" not in done.stderr
    assert "Bearer" not in done.stderr
