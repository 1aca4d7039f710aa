"""qualys-sdk: typed clients for Qualys OCA v2, CSAM business metadata and Cloud Agent activation keys.

Start with :class:`Qualys` (or :class:`AsyncQualys`)::

    from qualys_sdk import Qualys

    with Qualys() as qualys:  # credentials and platform from QUALYS_* or the config file
        for tech in qualys.oca.list_technologies():
            print(tech.technology_version)

Catch :class:`QualysError` (or a subclass) for every failure. The low-level
generated clients are ``qualys_oca``, ``qualys_csam`` and ``qualys_agentactkey``.
"""

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InputProblem,
    InputValidationError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QualysError,
    RateLimitError,
    ResponseFormatError,
    ResponseTooLargeError,
)
from ._logs import setup_logging
from ._secret import Secret
from ._sync._client import Qualys
from .platforms import PLATFORMS, Platform, get_platform, private_cloud
from .types import (
    AssetStatus,
    AssetStatusItem,
    BulkProvisionResult,
    BulkRevokeResult,
    ImportResult,
    ProvisionResult,
    Technology,
)

setup_logging()

if TYPE_CHECKING:
    from ._async._client import AsyncQualys
    from .activation_keys import KeyPage, criterion
    from .oca import AssetSpec

# Names whose modules pull in a generated client, xsdata and lxml, or asyncio: loaded when first asked for,
# so that `import qualys_sdk` stays close to `import httpx` (tests/bench/bench_import.py).
_LAZY = {
    "AsyncQualys": "._async._client",
    "AssetSpec": ".oca",
    "KeyPage": ".activation_keys",
    "criterion": ".activation_keys",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "PLATFORMS",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AssetSpec",
    "AssetStatus",
    "AssetStatusItem",
    "AsyncQualys",
    "AuthenticationError",
    "BadRequestError",
    "BulkProvisionResult",
    "BulkRevokeResult",
    "ConfigurationError",
    "ConflictError",
    "ImportResult",
    "InputProblem",
    "InputValidationError",
    "InternalServerError",
    "KeyPage",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "Platform",
    "ProvisionResult",
    "Qualys",
    "QualysError",
    "RateLimitError",
    "ResponseFormatError",
    "ResponseTooLargeError",
    "Secret",
    "Technology",
    "__version__",
    "criterion",
    "get_platform",
    "private_cloud",
]
