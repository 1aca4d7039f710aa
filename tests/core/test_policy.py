"""The pure retry and rate-limit policies: header parsing, retry decisions, delays, idempotency."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator, Mapping

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualys_sdk._errors import ConfigurationError
from qualys_sdk._policy import (
    Decision,
    Failure,
    RateLimitInfo,
    RetryPolicy,
    backoff_ceiling,
    backoff_delay,
    decide,
    failure_for_status,
    is_idempotent,
    retry_delay,
)

# 1994-11-06 08:49:37 UTC, the example date of RFC 9110.
RFC_DATE_TS = 784111777.0

HEADER_NAMES = (
    "X-RateLimit-Limit",
    "X-RateLimit-Window-Sec",
    "X-RateLimit-Remaining",
    "X-RateLimit-ToWait-Sec",
    "X-Concurrency-Limit-Limit",
    "X-Concurrency-Limit-Running",
    "X-ConcurrencyLimit-Limit",
    "X-ConcurrencyLimit-Running",
    "Retry-After",
)


# ---------------------------------------------------------------------------------------------------------------
# RateLimitInfo.from_headers


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param(
            {
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Window-Sec": "3600",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-ToWait-Sec": "42",
                "X-Concurrency-Limit-Limit": "2",
                "X-Concurrency-Limit-Running": "1",
            },
            RateLimitInfo(
                limit=300, window_sec=3600, remaining=0, to_wait_sec=42, concurrency_limit=2, concurrency_running=1
            ),
            id="documented-names",
        ),
        pytest.param(
            {"x-ratelimit-limit": "5", "x-ratelimit-window-sec": "100", "x-ratelimit-remaining": "4"},
            RateLimitInfo(limit=5, window_sec=100, remaining=4),
            id="lower-case",
        ),
        pytest.param(
            {"X-RATELIMIT-TOWAIT-SEC": "7", "RETRY-AFTER": "3"},
            RateLimitInfo(to_wait_sec=7, retry_after=3.0),
            id="upper-case",
        ),
        pytest.param(
            {"X-ConcurrencyLimit-Limit": "3", "X-ConcurrencyLimit-Running": "2"},
            RateLimitInfo(concurrency_limit=3, concurrency_running=2),
            id="concurrency-without-hyphen",
        ),
        pytest.param(
            {"x-concurrencylimit-limit": "3", "x-concurrencylimit-running": "0"},
            RateLimitInfo(concurrency_limit=3, concurrency_running=0),
            id="concurrency-without-hyphen-lower-case",
        ),
        pytest.param(
            {"X-Concurrency-Limit-Limit": "2", "X-ConcurrencyLimit-Limit": "9"},
            RateLimitInfo(concurrency_limit=2),
            id="both-spellings-hyphenated-wins",
        ),
        pytest.param(
            {"X-ConcurrencyLimit-Limit": "9", "X-Concurrency-Limit-Limit": "2"},
            RateLimitInfo(concurrency_limit=2),
            id="both-spellings-hyphenated-wins-whatever-the-order",
        ),
        pytest.param(
            {"X-Concurrency-Limit-Limit": "two", "X-ConcurrencyLimit-Limit": "9"},
            RateLimitInfo(concurrency_limit=9),
            id="both-spellings-malformed-hyphenated-falls-back",
        ),
        pytest.param({"X-RateLimit-Limit": " 5 "}, RateLimitInfo(limit=5), id="surrounding-space"),
        pytest.param({"X-RateLimit-Limit": "5, 5"}, RateLimitInfo(limit=5), id="repeated-and-agreeing"),
        pytest.param({"X-RateLimit-Limit": "5, 6"}, RateLimitInfo(), id="repeated-and-disagreeing"),
        pytest.param(
            {"x-ratelimit-limit": "300", "X-RateLimit-Limit": "300"}, RateLimitInfo(limit=300), id="two-cases-agreeing"
        ),
        pytest.param({"x-ratelimit-limit": "5", "X-RateLimit-Limit": "6"}, RateLimitInfo(), id="two-cases-disagreeing"),
        pytest.param({"X-RateLimit-Remaining": "0"}, RateLimitInfo(remaining=0), id="zero-is-a-value"),
        pytest.param({"Content-Type": "application/json", "Server": "nginx"}, RateLimitInfo(), id="unrelated"),
        pytest.param({}, RateLimitInfo(), id="none"),
    ],
)
def test_headers_are_read_case_insensitively(headers: Mapping[str, str], expected: RateLimitInfo) -> None:
    assert RateLimitInfo.from_headers(headers, now=0.0) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "abc",
        "-1",
        "+5",
        "5.5",
        "1e3",
        "0x10",
        "1_000",
        "٣",  # an Arabic-Indic digit: int() would take it, no server sends it
        "5 5",
        "10000000000",  # beyond any real window (about 317 years)
        "5,",
    ],
)
@pytest.mark.parametrize("name", HEADER_NAMES[:-1])
def test_malformed_count_is_absent(name: str, value: str) -> None:
    assert RateLimitInfo.from_headers({name: value}, now=0.0) == RateLimitInfo()


@pytest.mark.parametrize(
    ("value", "now", "expected"),
    [
        pytest.param("120", 0.0, 120.0, id="delta-seconds"),
        pytest.param("0", 0.0, 0.0, id="zero"),
        pytest.param("1.5", 0.0, 1.5, id="fractional"),
        pytest.param(" 30 ", 0.0, 30.0, id="surrounding-space"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE_TS - 30, 30.0, id="imf-fixdate"),
        pytest.param("Sunday, 06-Nov-94 08:49:37 GMT", RFC_DATE_TS - 30, 30.0, id="rfc850-date"),
        pytest.param("Sun Nov  6 08:49:37 1994", RFC_DATE_TS - 30, 30.0, id="asctime-date-is-gmt"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 +0200", RFC_DATE_TS - 7200 - 30, 30.0, id="date-with-offset"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE_TS + 5, 0.0, id="date-in-the-past-means-now"),
        pytest.param("-5", 0.0, None, id="negative"),
        pytest.param("inf", 0.0, None, id="infinite"),
        pytest.param("nan", 0.0, None, id="nan"),
        pytest.param("1e3", 0.0, None, id="exponent"),
        pytest.param("", 0.0, None, id="empty"),
        pytest.param("soon", 0.0, None, id="word"),
        pytest.param("Wed, 99 Foo 2015 07:28:00 GMT", 0.0, None, id="bad-date"),
        pytest.param("Sun, 06 Nov 1994 25:49:37 GMT", 0.0, None, id="bad-hour"),
        pytest.param("Fri, 31 Dec 9999 23:59:59 GMT", 0.0, None, id="absurdly-far-date"),
        pytest.param("10000000000", 0.0, None, id="absurdly-many-seconds"),
    ],
)
def test_retry_after(value: str, now: float, expected: float | None) -> None:
    info = RateLimitInfo.from_headers({"Retry-After": value}, now=now)
    assert info.retry_after == (None if expected is None else pytest.approx(expected))


@pytest.fixture
def local_zone_west_of_utc() -> Iterator[None]:
    """Make local time UTC-5, so that a date read as local time instead of GMT is off by five hours."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix-only")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "QSDK+5"  # a POSIX TZ rule: needs no zone database
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


@pytest.mark.usefixtures("local_zone_west_of_utc")
def test_a_retry_after_date_without_zone_is_gmt_whatever_the_local_zone() -> None:
    info = RateLimitInfo.from_headers({"Retry-After": "Sun Nov  6 08:49:37 1994"}, now=RFC_DATE_TS - 30)
    assert info.retry_after == 30.0


def test_httpx_headers_and_their_joined_repeats() -> None:
    headers = httpx.Headers(
        [
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Limit", "5"),
            ("x-concurrency-limit-limit", "2"),
            ("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ]
    )
    info = RateLimitInfo.from_headers(headers, now=RFC_DATE_TS - 10)
    assert info == RateLimitInfo(limit=5, concurrency_limit=2, retry_after=10.0)


def test_httpx_headers_repeats_that_disagree_count_as_absent() -> None:
    headers = httpx.Headers([("Retry-After", "10"), ("retry-after", "20"), ("X-RateLimit-Remaining", "3")])
    assert RateLimitInfo.from_headers(headers, now=0.0) == RateLimitInfo(remaining=3)


def test_a_response_without_rate_limit_headers_is_the_empty_info() -> None:
    headers = httpx.Headers({"Content-Type": "application/json", "Content-Length": "71"})
    info = RateLimitInfo.from_headers(headers, now=0.0)
    assert info.is_empty
    assert info == RateLimitInfo()


@given(
    pairs=st.lists(st.tuples(st.sampled_from([*HEADER_NAMES, "Server", "X-Other"]), st.binary(max_size=30))),
    now=st.floats(allow_nan=False),
)
def test_raw_header_bytes_never_raise(pairs: list[tuple[str, bytes]], now: float) -> None:
    # httpx keeps header values as bytes; anything a server sends (Latin-1, broken UTF-8) must read as absent.
    info = RateLimitInfo.from_headers(httpx.Headers([(name.encode(), value) for name, value in pairs]), now=now)
    for field in (info.limit, info.window_sec, info.remaining, info.to_wait_sec, info.retry_after):
        assert field is None or field >= 0


@given(values=st.dictionaries(st.sampled_from(HEADER_NAMES), st.text(max_size=40)), now=st.floats(allow_nan=False))
def test_header_values_never_raise_and_never_give_negatives(values: dict[str, str], now: float) -> None:
    info = RateLimitInfo.from_headers(values, now=now)
    for field in (info.limit, info.window_sec, info.remaining, info.to_wait_sec, info.retry_after):
        assert field is None or field >= 0
    assert info.concurrency_limit is None or info.concurrency_limit >= 0


@pytest.mark.parametrize(
    ("headers", "empty"),
    [
        ({}, True),
        ({"Server": "nginx"}, True),
        ({"X-RateLimit-Limit": "garbage"}, True),
        ({"X-RateLimit-Remaining": "0"}, False),
        ({"Retry-After": "0"}, False),
    ],
)
def test_is_empty(headers: dict[str, str], empty: bool) -> None:
    assert RateLimitInfo.from_headers(headers, now=0.0).is_empty is empty


# ---------------------------------------------------------------------------------------------------------------
# RetryPolicy, backoff and delays


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"base_delay": -0.1},
        {"max_delay": -1.0},
        {"base_delay": float("nan")},
        {"max_delay": float("inf")},
        {"base_delay": 2.0, "max_delay": 1.0},
    ],
)
def test_retry_policy_refuses_bad_values(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_retry_policy_defaults_and_edges() -> None:
    assert RetryPolicy() == RetryPolicy(max_retries=2, base_delay=0.5, max_delay=60.0)
    RetryPolicy(max_retries=0, base_delay=0.0, max_delay=0.0)
    RetryPolicy(base_delay=3.0, max_delay=3.0)
    assert issubclass(ConfigurationError, ValueError)


def test_backoff_ceiling_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=5.0)
    assert [backoff_ceiling(attempt, policy) for attempt in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert backoff_ceiling(10**6, policy) == 5.0
    with pytest.raises(ValueError, match="from 0"):
        backoff_ceiling(-1, policy)


policies = st.builds(
    lambda cap, fraction, retries: RetryPolicy(max_retries=retries, base_delay=cap * fraction, max_delay=cap),
    st.floats(min_value=0.0, max_value=3600.0),
    st.floats(min_value=0.0, max_value=1.0),
    st.integers(min_value=0, max_value=10),
)
unit_interval = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
attempts = st.integers(min_value=0, max_value=2000)


@given(policy=policies, attempt=attempts)
def test_backoff_ceiling_grows_then_stays_at_the_cap(policy: RetryPolicy, attempt: int) -> None:
    ceiling = backoff_ceiling(attempt, policy)
    assert 0.0 <= ceiling <= policy.max_delay
    assert backoff_ceiling(attempt + 1, policy) == min(policy.max_delay, 2 * ceiling)
    if ceiling == policy.max_delay:
        assert backoff_ceiling(attempt + 50, policy) == policy.max_delay


@given(policy=policies, attempt=attempts, r=unit_interval)
def test_backoff_has_full_jitter(policy: RetryPolicy, attempt: int, r: float) -> None:
    delay = backoff_delay(attempt, policy, lambda: r)
    assert delay == r * backoff_ceiling(attempt, policy)
    assert 0.0 <= delay <= policy.max_delay


infos = st.builds(
    RateLimitInfo,
    to_wait_sec=st.none() | st.integers(min_value=0, max_value=10**9 - 1),
    retry_after=st.none() | st.floats(min_value=0.0, max_value=1e9, exclude_max=True),
)


@given(policy=policies, attempt=attempts, info=infos, r=unit_interval)
def test_retry_delay_stays_within_zero_and_the_cap(
    policy: RetryPolicy, attempt: int, info: RateLimitInfo, r: float
) -> None:
    assert 0.0 <= retry_delay(attempt, policy, info, lambda: r) <= policy.max_delay


@given(policy=policies, attempt=attempts, retry_after=st.floats(min_value=0.0, max_value=1.0), r=unit_interval)
def test_retry_delay_is_retry_after_within_the_cap(
    policy: RetryPolicy, attempt: int, retry_after: float, r: float
) -> None:
    info = RateLimitInfo(retry_after=retry_after * policy.max_delay, to_wait_sec=7)
    assert retry_delay(attempt, policy, info, lambda: r) == retry_after * policy.max_delay


@given(policy=policies, attempt=attempts, excess=st.floats(min_value=0.0, max_value=1e6, exclude_min=True))
def test_retry_delay_is_the_cap_when_retry_after_exceeds_it(policy: RetryPolicy, attempt: int, excess: float) -> None:
    info = RateLimitInfo(retry_after=policy.max_delay + excess)
    assert retry_delay(attempt, policy, info, lambda: 0.5) == policy.max_delay


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        pytest.param(RateLimitInfo(retry_after=3.0, to_wait_sec=20), 3.0, id="retry-after-first"),
        pytest.param(RateLimitInfo(to_wait_sec=20), 20.0, id="then-to-wait"),
        pytest.param(RateLimitInfo(to_wait_sec=3600), 60.0, id="to-wait-capped"),
        pytest.param(RateLimitInfo(retry_after=0.0, to_wait_sec=20), 0.0, id="retry-after-zero-wins"),
        pytest.param(RateLimitInfo(limit=5, remaining=0), 0.75 * 2.0, id="else-backoff"),
    ],
)
def test_retry_delay_sources(info: RateLimitInfo, expected: float) -> None:
    assert retry_delay(2, RetryPolicy(), info, lambda: 0.75) == expected


# ---------------------------------------------------------------------------------------------------------------
# What a status means, and what to do about a failure


@pytest.mark.parametrize(
    ("status", "api_server", "expected"),
    [
        (429, False, Failure.RATE_LIMITED),
        (429, True, Failure.RATE_LIMITED),
        (409, True, Failure.RATE_LIMITED),
        (409, False, None),
        (502, False, Failure.SERVER_UNAVAILABLE),
        (503, True, Failure.SERVER_UNAVAILABLE),
        (504, False, Failure.SERVER_UNAVAILABLE),
        (500, False, None),
        (501, True, None),
        (505, False, None),
        (200, True, None),
        (400, False, None),
        (401, True, None),
        (404, False, None),
    ],
)
def test_failure_for_status(status: int, api_server: bool, expected: Failure | None) -> None:
    assert failure_for_status(status, api_server=api_server) is expected


R, G, U = Decision.RETRY, Decision.GIVE_UP, Decision.OUTCOME_UNKNOWN

# failure, idempotent, decision with retries left, decision out of retries
DECISIONS = [
    (Failure.RATE_LIMITED, True, R, G),
    (Failure.RATE_LIMITED, False, R, G),
    (Failure.CONNECT, True, R, G),
    (Failure.CONNECT, False, R, G),
    (Failure.SERVER_UNAVAILABLE, True, R, G),
    (Failure.SERVER_UNAVAILABLE, False, U, U),
    (Failure.SENT_NO_ANSWER, True, R, G),
    (Failure.SENT_NO_ANSWER, False, U, U),
    (Failure.TRUNCATED, True, R, G),
    (Failure.TRUNCATED, False, G, G),
    (None, True, G, G),
    (None, False, G, G),
]


def test_decision_table_covers_every_failure() -> None:
    assert {(failure, idempotent) for failure, idempotent, *_ in DECISIONS} == set(
        itertools.product([*Failure, None], [True, False])
    )


@pytest.mark.parametrize(("failure", "idempotent", "with_retries_left", "out_of_retries"), DECISIONS)
@pytest.mark.parametrize("max_retries", [0, 1, 2, 5])
def test_decide(
    failure: Failure | None, idempotent: bool, with_retries_left: Decision, out_of_retries: Decision, max_retries: int
) -> None:
    policy = RetryPolicy(max_retries=max_retries)
    for attempt in sorted({0, max_retries - 1, max_retries, max_retries + 1, max_retries + 10} - {-1}):
        expected = with_retries_left if attempt < max_retries else out_of_retries
        assert decide(failure, idempotent=idempotent, attempt=attempt, policy=policy) is expected, attempt


@pytest.mark.parametrize("max_retries", [0, 1, 2, 5])
def test_a_truncated_answer_is_retried_when_idempotent_and_never_an_unknown_outcome(max_retries: int) -> None:
    # The status and headers came back, so the server answered: the outcome is known even though the body is
    # cut short. Repeating is for idempotent calls only; any other call gives up (an unreadable answer).
    policy = RetryPolicy(max_retries=max_retries)
    for attempt in range(max_retries + 3):
        idempotent = decide(Failure.TRUNCATED, idempotent=True, attempt=attempt, policy=policy)
        assert idempotent is (Decision.RETRY if attempt < max_retries else Decision.GIVE_UP), attempt
        assert decide(Failure.TRUNCATED, idempotent=False, attempt=attempt, policy=policy) is Decision.GIVE_UP, attempt


def test_decide_refuses_a_negative_attempt() -> None:
    with pytest.raises(ValueError, match="from 0"):
        decide(Failure.CONNECT, idempotent=True, attempt=-1, policy=RetryPolicy())


# ---------------------------------------------------------------------------------------------------------------
# Idempotency of the Qualys operations

UUID = "4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        # reads
        ("GET", "/ocaapi/v2.0/technology/PolicyCompliance", True),
        ("GET", f"/ocaapi/v2.0/asset/{UUID}/status", True),
        ("GET", "/ocaapi/v2.0/assets/status/subscription/30", True),
        ("GET", f"/ocaapi/v2.0/asset/{UUID}/command/PolicyCompliance", True),
        ("get", "/anything/at/all", True),
        ("HEAD", "/ocaapi/v2.0/asset", True),
        # OCA delete and revoke
        ("DELETE", f"/ocaapi/v2.0/asset/{UUID}", True),
        ("DELETE", f"/ocaapi/v2.0/asset/{UUID}/", True),
        ("delete", f"/ocaapi/v2.0/asset/{UUID}?force=true", True),
        ("DELETE", "/ocaapi/v2.0/asset/revoke/bulk", True),
        ("DELETE", "/ocaapi/v2.0/asset/revoke/bulk/", True),
        ("DELETE", "/ocaapi/v2.0/asset", False),
        ("DELETE", f"/ocaapi/v2.0/asset/{UUID}/status", False),
        # token
        ("POST", "/auth", True),
        ("POST", "/auth/", True),
        ("POST", "/auth?token=true", True),
        ("POST", "/auth/extra", False),
        ("PUT", "/auth", False),
        # QPS activation keys: reads and delete by id
        ("POST", "/qps/rest/1.0/search/ca/agentactkey/", True),
        ("POST", "/qps/rest/1.0/search/ca/agentactkey", True),
        ("POST", "/qps/rest/1.0/search/ca/agentactkey/?fields=id", True),
        ("POST", "/qps/rest/1.0/get/ca/agentactkey/12345", True),
        ("POST", "/qps/rest/1.0/get/ca/agentactkey/12345/", True),
        ("POST", "/qps/rest/1.0/delete/ca/agentactkey/12345", True),
        ("POST", "/qps/rest/1.0/delete/ca/agentactkey/12345/", True),
        ("POST", "/qps/rest/1.0/get/ca/agentactkey/12345/extra", False),
        # QPS delete by criteria: a key created in between would match too
        ("POST", "/qps/rest/1.0/delete/ca/agentactkey/", False),
        # QPS create and update
        ("POST", "/qps/rest/1.0/create/ca/agentactkey/", False),
        ("POST", "/qps/rest/1.0/update/ca/agentactkey/12345", False),
        ("POST", "/qps/rest/1.0/update/ca/agentactkey/", False),
        # OCA provision, bulk provision and command output uploads
        ("POST", "/ocaapi/v2.0/asset", False),
        ("POST", "/ocaapi/v2.0/asset/", False),
        ("POST", f"/ocaapi/v2.0/asset?uuid={UUID}", False),
        ("POST", "/ocaapi/v2.0/asset/bulk", False),
        ("POST", f"/ocaapi/v2.0/asset/{UUID}/command/output/PolicyCompliance", False),
        ("POST", f"/ocaapi/v2.0/asset/{UUID}/command/bulk/output/PolicyCompliance", False),
        # CSAM business metadata imports
        ("POST", "/rest/2.0/upsert/am/businessapp/metadata", False),
        ("POST", "/rest/2.0/update/am/asset/business/metadata", False),
        # a method that is idempotent in HTTP but used by no Qualys operation here
        ("PUT", f"/ocaapi/v2.0/asset/{UUID}", False),
    ],
)
def test_is_idempotent(method: str, path: str, expected: bool) -> None:
    assert is_idempotent(method, path) is expected
