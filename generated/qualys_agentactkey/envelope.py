from __future__ import annotations

from dataclasses import dataclass, field

from .agentactkey import AgentActKey


@dataclass(kw_only=True)
class Criteria:
    """
    One search filter, e.g. field="id", operator="GREATER", text 123.

    Criteria are ANDed. The text is the value; IN takes a comma-separated
    list. Documented agentactkey filter fields (search_keys.htm):
    countPurchased, activationKey, id, isDisabled; others UNCONFIRMED.
    """

    value: str = field(default="")
    field_value: str = field(
        metadata={
            "name": "field",
            "type": "Attribute",
        }
    )
    operator: str = field(
        metadata={
            "type": "Attribute",
        }
    )


@dataclass(kw_only=True)
class Preferences:
    """
    Pagination.

    Prefer the id cursor: pass the previous response's lastId as
    startFromId (or as a Criteria id GREATER). startFromOffset is seen in
    third-party code only (UNCONFIRMED officially).
    """

    start_from_offset: None | int = field(
        default=None,
        metadata={
            "name": "startFromOffset",
            "type": "Element",
            "namespace": "",
        },
    )
    start_from_id: None | int = field(
        default=None,
        metadata={
            "name": "startFromId",
            "type": "Element",
            "namespace": "",
        },
    )
    limit_results: None | int = field(
        default=None,
        metadata={
            "name": "limitResults",
            "type": "Element",
            "namespace": "",
            "min_inclusive": 1,
            "max_inclusive": 1000,
        },
    )


@dataclass(kw_only=True)
class ResponseErrorDetails:
    error_message: None | str = field(
        default=None,
        metadata={
            "name": "errorMessage",
            "type": "Element",
            "namespace": "",
        },
    )
    error_resolution: None | str = field(
        default=None,
        metadata={
            "name": "errorResolution",
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class AgentActKeyList:
    """
    The data element of ServiceRequest and ServiceResponse: repeated
    AgentActKey (one for create/update, none to many for search, one with
    only id for delete).

    May be empty.
    """

    agent_act_key: list[AgentActKey] = field(
        default_factory=list,
        metadata={
            "name": "AgentActKey",
            "type": "Element",
        },
    )


@dataclass(kw_only=True)
class Filters:
    criteria: list[Criteria] = field(
        default_factory=list,
        metadata={
            "name": "Criteria",
            "type": "Element",
            "namespace": "",
            "min_occurs": 1,
        },
    )


@dataclass(kw_only=True)
class ServiceRequest:
    """
    Body of POST
    /qps/rest/1.0/{create,update,search,delete}/ca/agentactkey/.

    Every child is optional: search-all and delete send an empty
    ServiceRequest. Children may come in any order (Qualys documents show
    both filters-first and preferences-first).
    """

    filters: None | Filters = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    preferences: None | Preferences = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    data: None | AgentActKeyList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class ServiceResponse:
    """
    Every agentactkey response.

    Check responseCode: errors usually come with HTTP 200. hasMoreRecords
    (search only) and lastId (when more records exist) drive pagination.
    Error responses carry responseErrorDetails and no data. Children may
    come in any order (xs:all; the relative order of lastId and
    responseErrorDetails is UNCONFIRMED); the declaration order is the
    order the SDK writes.
    """

    response_code: str = field(
        metadata={
            "name": "responseCode",
            "type": "Element",
            "namespace": "",
        }
    )
    count: None | int = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    has_more_records: None | bool = field(
        default=None,
        metadata={
            "name": "hasMoreRecords",
            "type": "Element",
            "namespace": "",
        },
    )
    last_id: None | int = field(
        default=None,
        metadata={
            "name": "lastId",
            "type": "Element",
            "namespace": "",
        },
    )
    response_error_details: None | ResponseErrorDetails = field(
        default=None,
        metadata={
            "name": "responseErrorDetails",
            "type": "Element",
            "namespace": "",
        },
    )
    data: None | AgentActKeyList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
