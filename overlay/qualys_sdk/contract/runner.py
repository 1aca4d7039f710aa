"""Runs the plan through a :class:`qualys_sdk.Qualys` client (so its rate limits, retries and deadline apply)
and checks every raw exchange its httpx client's event hooks saw.

What a later call asks for is read from the raw earlier answers, not from the SDK's results, so that an answer
the SDK cannot read still leaves the rest of the plan to run. The ``/auth`` exchange belongs to the
``fetchToken`` call whichever call made the SDK fetch the token.

The check stops early, with the error, when going on cannot tell more or could harm: no connection or no
answer in time, a rate limit the SDK's retries did not outlast, or refused credentials (trying again with
them could lock the account). Any other error answer is checked like any answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from .._base import DEFAULT_HTTP_TIMEOUT
from .._errors import (
    APIConnectionError,
    AuthenticationError,
    ConfigurationError,
    InputValidationError,
    QualysError,
    RateLimitError,
    ResponseFormatError,
)
from .capture import CallBudgetSpent, Capture, PlanViolation, RawExchange
from .findings import Finding, Grade
from .plan import (
    ASSET_COMMANDS,
    ASSET_STATUS,
    FETCH_TOKEN,
    GET_KEY,
    KEY_PAGE,
    LIST_TECHNOLOGIES,
    LIST_TECHNOLOGY_COMMANDS,
    SEARCH_KEYS,
    SUBSCRIPTION_STATUS,
    Plan,
    Step,
    choose_technologies,
)
from .report import CallResult, Report
from .validate import check_exchange
from .xml_checks import safe_root

if TYPE_CHECKING:
    from .._sync._client import Qualys

#: Errors after which the check stops: nothing more can be learnt, or going on could harm.
STOPPING = (APIConnectionError, RateLimitError, AuthenticationError, ConfigurationError)

Connect = Callable[[httpx.Client], "Qualys"]


class PlanTooLong(ValueError):
    """The plan needs more calls than ``max_calls`` allows."""


@dataclass
class _Facts:
    """What earlier answers told the plan: the technologies, one asset, one key."""

    technologies: list[str] | None = None
    assets: dict[int, str | None] = field(default_factory=dict)  # first asset UUID by number of days
    key_id: int | None = None
    key_searched: bool = False


def run_check(plan: Plan, connect: Connect, *, max_calls: int, strict: bool = False,
              transport: httpx.BaseTransport | None = None) -> Report:  # fmt: skip
    """Run ``plan`` with the client ``connect`` makes around the check's httpx client.

    ``connect`` is given the httpx client to pass as ``http_client=`` (its event hooks capture the exchanges
    and guard the requests); ``transport`` replaces the network (tests).
    """
    if plan.calls > max_calls:
        raise PlanTooLong(f"the plan needs {plan.calls} calls but --max-calls is {max_calls}: raise --max-calls "
                          "or ask for fewer --technologies")  # fmt: skip
    capture = Capture(max_calls)
    with httpx.Client(timeout=DEFAULT_HTTP_TIMEOUT, transport=transport, event_hooks=capture.hooks()) as http:
        qualys = connect(http)
        with qualys:
            capture.bind(gateway_url=qualys.gateway_url, api_url=qualys.api_url)
            report = Report(plan, [CallResult(step) for step in plan.steps], strict, qualys.gateway_url,
                            qualys.api_url)  # fmt: skip
            _Run(plan, qualys, capture, report).run()
    return report


class _Run:
    def __init__(self, plan: Plan, qualys: Qualys, capture: Capture, report: Report) -> None:
        self.plan = plan
        self.qualys = qualys
        self.capture = capture
        self.report = report
        self.facts = _Facts()
        self.token = report.results[0]  # the fetchToken call: the plan's first

    def run(self) -> None:
        for result in self.report.results:
            if result.step.operation == FETCH_TOKEN:
                continue  # its exchange comes with the first gateway call
            if self.report.budget_spent:
                result.not_run = f"not run: --max-calls {self.capture.max_calls} reached"
                continue
            if self.report.stopped_by is not None:
                result.not_run = f"not run: the check stopped at {self._stop_step()}"
                continue
            self._one(result)
        if not self.token.requests and self.token.stopped is None and self.token.not_run is None:
            self.token.not_run = "not run: no gateway call was made"

    def _stop_step(self) -> str:
        stopped = next(r for r in self.report.results if r.stopped is not None)
        return stopped.step.name

    def _one(self, result: CallResult) -> None:
        step = result.step
        call = self._call_for(step)
        if isinstance(call, str):
            result.not_run = call
            return
        start = len(self.capture.exchanges)
        error: Exception | None = None
        try:
            call()
        except InputValidationError as exc:  # the SDK refused a value an earlier answer gave: nothing was sent
            result.not_run = f"not sent: {exc}"
        except (QualysError, CallBudgetSpent, PlanViolation) as exc:
            error = exc
        exchanges = self.capture.exchanges[start:]
        for exchange in exchanges:
            self._check(self.token if exchange.operation == FETCH_TOKEN else result, exchange)
        self._learn(step, [e for e in exchanges if e.operation != FETCH_TOKEN])
        if error is not None:
            self._failed(result, error, exchanges)

    def _failed(self, result: CallResult, error: Exception, exchanges: list[RawExchange]) -> None:
        """Grade or stop on the error a call raised; a failed token fetch stops the check, whatever the error
        (every later gateway call would fetch again)."""
        request = _request_of(error)
        if request is not None:
            token_failed = self.capture.operation(request) == FETCH_TOKEN
        else:  # an unreadable answer names no request: it was the token's when the call itself never went out
            token_failed = bool(exchanges) and all(e.operation == FETCH_TOKEN for e in exchanges)
        failed = self.token if token_failed else result
        if isinstance(error, ResponseFormatError) and not any(f.grade is Grade.BREAKING for f in failed.findings):
            # The spec checks found nothing the SDK stumbled on: the SDK's own failure is the finding.
            op_id = failed.step.operation.operation_id
            failed.findings.append(Finding(Grade.BREAKING, op_id, "unreadable", "body", "an answer the SDK can read",
                                           f"{type(error).__name__} from the SDK"))  # fmt: skip
        if isinstance(error, CallBudgetSpent):
            self.report.budget_spent = True
            result.not_run = f"not run: {error}"
        elif isinstance(error, (*STOPPING, PlanViolation)) or failed is self.token:
            self.report.stopped_by = error
            failed.stopped = f"{type(error).__name__}: {error}"
            if failed is not result:
                result.not_run = "not run: no token"

    def _check(self, result: CallResult, exchange: RawExchange) -> None:
        result.exchanges.append(exchange)
        result.requests.append(f"{exchange.method} {exchange.path}")
        result.statuses.append(exchange.status)
        result.findings += check_exchange(exchange.operation, exchange)

    def _call_for(self, step: Step) -> Callable[[], Any] | str:
        """The SDK call of a step, or why it cannot be made."""
        oca, keys, facts = self.qualys.oca, self.qualys.activation_keys, self.facts
        op = step.operation
        if op == LIST_TECHNOLOGIES:
            return oca.list_technologies
        if op == LIST_TECHNOLOGY_COMMANDS:
            if facts.technologies is None:
                return "not run: no technology list to choose from"
            index = step.index or 0
            if index >= len(facts.technologies):
                return f"not run: the list has {len(facts.technologies)} technology(ies) to choose from"
            technology = facts.technologies[index]
            return lambda: oca.list_technology_commands(technology)
        if op == SUBSCRIPTION_STATUS:
            return lambda: oca.subscription_status(step.index or 30)
        if op in (ASSET_STATUS, ASSET_COMMANDS):
            uuid = facts.assets.get(30) or facts.assets.get(1)
            if uuid is None:
                return "not run: no asset provisioned in the last 30 days"
            return (lambda: oca.get_status(uuid)) if op == ASSET_STATUS else (lambda: oca.list_asset_commands(uuid))
        if op == SEARCH_KEYS:
            return lambda: keys.search(limit=KEY_PAGE)
        if op == GET_KEY:
            if facts.key_id is None:
                return "not run: the search found no key" if facts.key_searched else "not run: no key search answer"
            key_id = facts.key_id
            return lambda: keys.get(key_id)
        raise AssertionError(f"no call for {step.name}")  # the plan and this table are kept together

    def _learn(self, step: Step, exchanges: list[RawExchange]) -> None:
        """What later calls need, read loosely from the raw answers (the last 2xx of this call)."""
        answers = [e for e in exchanges if 200 <= e.status < 300]
        if not answers:
            return
        body = answers[-1].response_body
        op = step.operation
        if op == LIST_TECHNOLOGIES:
            items = _items(body)
            versions = [i["technologyVersion"] for i in items if isinstance(i.get("technologyVersion"), str)]
            self.facts.technologies = choose_technologies(versions, self.plan.technologies)
        elif op == SUBSCRIPTION_STATUS:
            uuids = [i["assetUUID"] for i in _items(body) if isinstance(i.get("assetUUID"), str) and i["assetUUID"]]
            self.facts.assets[step.index or 30] = uuids[0] if uuids else None
        elif op == SEARCH_KEYS:
            self.facts.key_searched = True
            self.facts.key_id = _first_key_id(body)


def _items(body: bytes) -> list[dict[str, Any]]:
    """``data.items`` of an OCA answer, the objects among them; [] when the body has no such list."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return []
    data = parsed.get("data") if isinstance(parsed, dict) else None
    items = data.get("items") if isinstance(data, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _first_key_id(body: bytes) -> int | None:
    """The id of the first key of a QPS search answer (the first positive whole number among the ids)."""
    root = safe_root(body)
    ids = [] if root is None else [(e.text or "").strip() for e in root.iterfind("data/AgentActKey/id")]
    return next((int(i) for i in ids if i.isascii() and i.isdigit() and int(i) > 0), None)


def _request_of(error: Exception) -> httpx.Request | None:
    """The request an SDK error is about, when it says."""
    request = getattr(error, "request", None)
    if isinstance(request, httpx.Request):
        return request
    response = getattr(error, "response", None)
    if isinstance(response, httpx.Response):
        try:
            return response.request
        except RuntimeError:  # a response built without a request
            return None
    return None
