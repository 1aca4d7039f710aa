"""The password and every JWT the server issued appear nowhere: not in logs (DEBUG, every logger, httpx and
httpcore included), exception texts, reprs and tracebacks, journals and spools, console output, or cassettes.

The flows: the ``qualys demo`` tour, then a bulk run, a token refused with 401 and fetched again, wrong
credentials on both APIs and CSAM imports against the simulator served on loopback (so that httpcore and
uvicorn log too). The tokens are recorded as the simulator issues them.
"""

from __future__ import annotations

import base64
import logging
import re
import traceback
from pathlib import Path

import pytest

from qualys_sdk import APIError, AuthenticationError, OutcomeUnknownError, Qualys
from qualys_sdk.bulk import import_asset_metadata, import_business_apps, provision_assets
from qualys_sdk.bulk import provision as provision_module
from qualys_sdk.cli import demo
from qualys_sdk.testing.auth import Tokens

from .support import PASSWORD, USERNAME, new_simulator, served

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
LOGGERS = ("", "qualys_sdk", "httpx", "httpcore", "uvicorn", "uvicorn.error", "uvicorn.access")
WRONG_PASSWORD = "not-the-Pa55word-at-all"
#: The value recorded under an ``Authorization:`` header of a cassette.
AUTH_VALUE = re.compile(r"Authorization:\s*\n\s*-\s*(?:Bearer|Basic)\s+(\S+)")


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every JWT any simulator issues during the test."""
    tokens: list[str] = []
    original = Tokens.issue

    def issue(self: Tokens, username: str) -> str:
        token = original(self, username)
        tokens.append(token)
        return token

    monkeypatch.setattr(Tokens, "issue", issue)
    return tokens


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    return caplog


def _needles(passwords: list[str], tokens: list[str], username: str) -> list[str]:
    """What must not show: the passwords, their Basic-auth form, each token and its signature and claims."""
    needles = list(passwords)
    needles += [base64.b64encode(f"{username}:{p}".encode()).decode() for p in passwords]
    for token in tokens:
        needles += [token, *token.split(".")[1:]]
    return needles


def _error_texts(errors: list[BaseException]) -> list[str]:
    texts = []
    for error in errors:
        texts += [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
        if isinstance(error, APIError) and error.request is not None:
            texts += [repr(error.request), repr(error.request.headers), str(error.request.url)]
    return texts


def _files(root: Path) -> list[tuple[Path, str]]:
    return [(p, p.read_bytes().decode("utf-8", "replace")) for p in sorted(root.rglob("*")) if p.is_file()]


def _assert_absent(needles: list[str], texts: list[tuple[str, str]]) -> None:
    assert all(needles), "an empty needle would match anything"
    for where, text in texts:
        for needle in needles:
            assert needle not in text, f"a secret ({needle[:6]}...) shows in {where}"


def test_the_demo_leaks_no_secret(
    tmp_path: Path,
    issued: list[str],
    logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The demo waits for every asset to be confirmed, polling every 5 s; a quicker poll keeps this test short.
    wait = provision_module._wait_confirmed
    monkeypatch.setattr(
        provision_module,
        "_wait_confirmed",
        lambda statuses, uuids, *, timeout, interval: wait(statuses, uuids, timeout=timeout, interval=0.1),
    )
    summary = demo.run_demo(12, tmp_path)
    assert summary["revoked"] == 12
    assert issued, "the demo logged in"
    assert logs.records, "the logs were captured"
    out = capsys.readouterr()
    texts = [("logs", logs.text), ("stdout", out.out), ("stderr", out.err), ("summary", repr(summary))]
    texts += [(f"record {r.name}", repr(r.__dict__)) for r in logs.records]
    texts += [(str(path), text) for path, text in _files(tmp_path)]
    _assert_absent(_needles([demo.PASSWORD], issued, demo.USERNAME), texts)


def test_bulk_reauth_wrong_credentials_and_csam_leak_no_secret(
    tmp_path: Path, issued: list[str], logs: pytest.LogCaptureFixture
) -> None:
    sim = new_simulator()
    errors: list[BaseException] = []
    with served(sim, log_level="debug") as url:
        with Qualys(username=USERNAME, password=PASSWORD, gateway_url=url, api_url=url) as client:
            client._core.random = lambda: 0.0
            # A dropped answer after the server applied a chunk, a 401 for an expired token, then every token
            # expired between calls: the run re-authenticates and re-sends, and finishes.
            sim.inject("drop_after", r"/asset/bulk$")
            sim.inject("token_expired", r"/asset/bulk$")
            records = [{"hostIP": f"10.7.0.{i}", "technology": "Fabric 7"} for i in range(1, 26)]
            result = provision_assets(client, records, journal=tmp_path / "run.journal", chunk_size=10, concurrency=1)
            assert result.complete
            sim.expire_tokens(USERNAME)
            by_uuid = {a["uuid"]: a["qualysAssetId"] for a in sim.assets(USERNAME)}
            apps = import_business_apps(client, [{"businessAppId": "app-1", "name": "Payroll", "created": 0,
                                                  "lastUpdated": 0}])  # fmt: skip
            metadata = import_asset_metadata(
                client,
                [{"qualysAssetId": str(by_uuid[r.uuid]), "metadata": {"environment": "Production"}}
                 for r in result.rows if r.uuid] + [{"qualysAssetId": "999999999", "metadata": {}}],
            )  # fmt: skip
            assert (apps.imported, metadata.imported, list(metadata.failed)) == (1, 25, ["999999999"])
            sim.inject("drop_after", r"/ocaapi/v2\.0/asset$")
            with pytest.raises(OutcomeUnknownError) as unknown:
                client.oca.provision("10.7.1.1", "Fabric 7")
            errors.append(unknown.value)
            errors.append(unknown.value.cause if isinstance(unknown.value.cause, BaseException) else unknown.value)
            assert len(issued) >= 3  # the first login, after the 401, after expire_tokens
        with Qualys(username=USERNAME, password=WRONG_PASSWORD, gateway_url=url, api_url=url) as wrong:
            for call in (wrong.oca.list_technologies, lambda: wrong.activation_keys.get(3473802)):
                with pytest.raises(AuthenticationError) as refused:
                    call()
                errors.append(refused.value)
            texts = [("client repr", repr(wrong)), ("settings", repr(wrong._settings)), ("auth", repr(wrong._tokens))]
    texts += [("logs", logs.text)] + [(f"record {r.name}", repr(r.__dict__)) for r in logs.records]
    texts += [("error", text) for text in _error_texts(errors)]
    texts += [(str(path), text) for path, text in _files(tmp_path)]
    assert any(path.name == "run.journal" for path, _ in _files(tmp_path))
    assert any(path.name == "run.journal.rows" for path, _ in _files(tmp_path))
    _assert_absent(_needles([PASSWORD, WRONG_PASSWORD], issued, USERNAME), texts)
    assert any(r.name.startswith("httpcore") for r in logs.records), "httpcore logged at DEBUG"


def test_no_cassette_holds_a_credential_or_a_token(issued: list[str]) -> None:
    sim = new_simulator()
    with served(sim) as url, Qualys(username=USERNAME, password=PASSWORD, gateway_url=url, api_url=url) as client:
        client.oca.list_technologies()
    files = _files(CASSETTES)
    assert len(files) > 20
    _assert_absent(_needles([PASSWORD, demo.PASSWORD], issued, USERNAME), [(str(p), t) for p, t in files])
    headers = [(path, m.group(1)) for path, text in files for m in AUTH_VALUE.finditer(text)]
    assert headers, "the cassettes record Authorization headers"
    for path, value in headers:
        assert value in ("<JWT>", "<CREDENTIALS>"), f"{path}: an Authorization header that is not scrubbed"
