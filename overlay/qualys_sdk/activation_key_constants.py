"""Known values of the activation-key API's open string fields.

The fields stay plain ``str`` (a value Qualys adds later must still parse);
these constants are the values known today, so code can write
``License.PC_LICENSE`` instead of a bare string. Each class's ``ALL`` lists
its values in the order of the ``<sdk:knownValue>`` entries of the XSD simple
type named in the class docstring (``specs/agentactkey``); a test keeps the
two equal.

Example::

    from qualys_sdk import Qualys
    from qualys_sdk.activation_key_constants import KeyType, License

    with Qualys() as qualys:
        qualys.activation_keys.create(type=KeyType.UNLIMITED, modules=[License.VM_LICENSE, License.PC_LICENSE])
"""

from __future__ import annotations

from typing import Final

__all__ = ["CriteriaOperator", "KeyStatus", "KeyType", "License", "ResponseCode"]


class ResponseCode:
    """``ServiceResponse/responseCode`` (XSD type ``ResponseCode``). Errors usually come with HTTP 200."""

    SUCCESS: Final = "SUCCESS"
    INVALID_REQUEST: Final = "INVALID_REQUEST"
    UNAUTHORIZED: Final = "UNAUTHORIZED"
    #: The object does not exist, or is outside the user's scope: Qualys does not say which.
    OBJECT_NOT_FOUND: Final = "OBJECT_NOT_FOUND"
    AUTH_CREDENTIALS_NEEDED: Final = "AUTH_CREDENTIALS_NEEDED"
    INVALID_API_VERSION: Final = "INVALID_API_VERSION"
    OTHER_ERROR: Final = "OTHER_ERROR"
    #: Create: a key with this title already exists.
    CA_1001_DUPLICATE_KEY: Final = "CA_1001_DUPLICATE_KEY"

    ALL: Final = (
        SUCCESS,
        INVALID_REQUEST,
        UNAUTHORIZED,
        OBJECT_NOT_FOUND,
        AUTH_CREDENTIALS_NEEDED,
        INVALID_API_VERSION,
        OTHER_ERROR,
        CA_1001_DUPLICATE_KEY,
    )


class License:
    """``ActivationKeyModule/license``, a module an activation key provisions (XSD type ``ActivationKeyLicense``)."""

    VM_LICENSE: Final = "VM_LICENSE"
    PC_LICENSE: Final = "PC_LICENSE"
    SCA: Final = "SCA"
    PM: Final = "PM"
    SA: Final = "SA"
    FIM: Final = "FIM"
    EDR: Final = "EDR"
    SWCA: Final = "SWCA"
    CAPS: Final = "CAPS"
    #: Mitigation, added in API release 3.19.1.
    MTG: Final = "MTG"

    ALL: Final = (VM_LICENSE, PC_LICENSE, SCA, PM, SA, FIM, EDR, SWCA, CAPS, MTG)


class KeyType:
    """``AgentActKey/type``, the key's usage limit (XSD type ``ActivationKeyType``)."""

    #: Needs ``countPurchased`` of 1 or more.
    COUNT_LIMITED: Final = "COUNT_LIMITED"
    #: Needs ``expireDate``.
    TIME_LIMITED: Final = "TIME_LIMITED"
    #: Needs both.
    COUNT_TIME_LIMITED: Final = "COUNT_TIME_LIMITED"
    UNLIMITED: Final = "UNLIMITED"

    ALL: Final = (COUNT_LIMITED, TIME_LIMITED, COUNT_TIME_LIMITED, UNLIMITED)


class KeyStatus:
    """``AgentActKey/status`` (XSD type ``AgentStatus``)."""

    ACTIVE: Final = "ACTIVE"
    INACTIVE: Final = "INACTIVE"

    ALL: Final = (ACTIVE, INACTIVE)


class CriteriaOperator:
    """``Criteria/@operator`` of a search filter (XSD type ``CriteriaOperator``)."""

    EQUALS: Final = "EQUALS"
    #: With a space, as the Cloud Agent docs write it (CSAM v2 writes ``NOT_EQUALS``).
    NOT_EQUALS: Final = "NOT EQUALS"
    GREATER: Final = "GREATER"
    LESSER: Final = "LESSER"
    #: The value is a comma-separated list.
    IN: Final = "IN"
    CONTAINS: Final = "CONTAINS"

    ALL: Final = (EQUALS, NOT_EQUALS, GREATER, LESSER, IN, CONTAINS)
