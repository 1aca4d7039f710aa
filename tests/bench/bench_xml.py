"""Typed XML: a 10,000-key QPS search page to ``ServiceResponse`` and back, against lxml alone.

``qualys_sdk._xml.parse`` does everything the SDK does with a body (DOCTYPE refusal, safe lxml parse, root check,
typed objects); ``render`` is xsdata's serializer. The references are ``lxml.etree.fromstring`` alone, and
``fromstring`` plus a walk to dicts (what an untyped client does).
"""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]  # typed by types-lxml when installed

from qualys_agentactkey import ServiceResponse
from qualys_sdk import _xml
from tests.bench.bench_calls import to_dicts
from tests.bench.common import Figure, interleaved_medians

KEYS = 10_000
TARGET_PARSE_RATIO = 10.0
TEMPLATE = (
    "<AgentActKey><id>{i}</id><activationKey>c89d05c2-d30e-4a59-aec3-{i:012d}</activationKey>"
    "<status>ACTIVE</status><countPurchased>0</countPurchased><countUsed>{i}</countUsed>"
    "<datePurchased>2021-05-{day:02d}T15:19:{second:02d}Z</datePurchased><type>UNLIMITED</type>"
    "<title>key {i}</title><isDisabled>false</isDisabled><modules><list><ActivationKeyModule>"
    "<license>PC_LICENSE</license></ActivationKeyModule></list></modules><tags><list><Tag><id>{i}</id>"
    "<name>tag {i}</name></Tag></list></tags></AgentActKey>"
)


def search_page(keys: int = KEYS) -> bytes:
    body = "".join(TEMPLATE.format(i=i, day=i % 28 + 1, second=i % 60) for i in range(1, keys + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:noNamespaceSchemaLocation="http://qualysapi.qualys.com/portal-api/xsd/1.0/ca/agentactkey.xsd">'
        f"<responseCode>SUCCESS</responseCode><count>{keys}</count><hasMoreRecords>true</hasMoreRecords>"
        f"<lastId>{keys}</lastId><data>{body}</data></ServiceResponse>"
    ).encode()


def run(repeats: int) -> list[Figure]:
    data = search_page()
    parsed = _xml.parse(data, ServiceResponse)
    assert parsed.data is not None
    assert len(parsed.data.agent_act_key) == KEYS

    def walk() -> Any:
        return to_dicts(etree.fromstring(data))

    times = interleaved_medians(
        {
            "fromstring": lambda: etree.fromstring(data),
            "walk": walk,
            "parse": lambda: _xml.parse(data, ServiceResponse),
            "render": lambda: _xml.render(parsed),
        },
        repeats=repeats,
    )
    ms = {name: round(seconds * 1e3, 1) for name, seconds in times.items()}
    detail = {"keys": KEYS, "bytes": len(data), **{f"{name}_ms": value for name, value in ms.items()}}
    return [
        Figure(
            name=f"XML: parse {KEYS:,} keys to typed objects / lxml fromstring",
            value=round(times["parse"] / times["fromstring"], 2),
            unit="x",
            target=TARGET_PARSE_RATIO,
            detail=detail,
        ),
        Figure(
            name=f"XML: parse {KEYS:,} keys to typed objects / fromstring + walk to dicts",
            value=round(times["parse"] / times["walk"], 2),
            unit="x",
        ),
        Figure(
            name=f"XML: render {KEYS:,} typed keys (xsdata serializer) / lxml fromstring",
            value=round(times["render"] / times["fromstring"], 2),
            unit="x",
            note="not a target: the serializer is xsdata's own",
        ),
    ]
