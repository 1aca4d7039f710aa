"""Schemathesis against the in-process simulator: every operation of oca.yaml and csam.yaml, stateless and
stateful (through the specs' OpenAPI links), with every check on unless schemathesis.toml says otherwise.

Bounded and derandomized (``derandomize=True``) so it repeats and stays within seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from qualys_sdk.testing import Simulator

SPECS = Path(__file__).resolve().parents[2] / "specs"
CONFIG = SchemathesisConfig.from_path(SPECS.parent / "schemathesis.toml")
SIM = Simulator(seed=1, provision_delay=0.0)
_TOKEN: dict[str, str] = {}


def _token(case: Any) -> str:
    if "token" not in _TOKEN:
        _TOKEN["token"] = SIM.tokens.issue(SIM.subscription("contract", "contract-password").username)
    return _TOKEN["token"]


@schemathesis.auth()
class BearerAuth:
    def get(self, case: Any, ctx: Any) -> str:
        return _token(case)

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _schema(name: str) -> Any:
    schema = schemathesis.openapi.from_path(SPECS / name, config=CONFIG)
    schema.app = SIM.app
    return schema


OCA = _schema("oca.yaml")
CSAM = _schema("csam.yaml")
BOUNDED = settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@OCA.parametrize()
@BOUNDED
def test_oca_stateless(case: Any) -> None:
    case.call_and_validate()


@CSAM.parametrize()
@BOUNDED
def test_csam_stateless(case: Any) -> None:
    case.call_and_validate()


TestOCAStateful = OCA.as_state_machine().TestCase
TestOCAStateful.settings = settings(
    max_examples=15, stateful_step_count=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
