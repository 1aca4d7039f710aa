from .activationmodules import (
    ActivationKeyModule,
    ActivationKeyModuleList,
)
from .agentactivationhost import (
    AgentActivationHostQList,
    AgentAsset,
    AgentAssetList,
)
from .agentactkey import (
    AgentActivationModulesQList,
    AgentActKey,
    AgentKeyBinaryMappingQList,
)
from .agentags import (
    Tag,
    TagList,
    TagQList,
)
from .agentkeybinarymapping import (
    AgentKeyBinaryMapping,
    AgentKeyBinaryMappingList,
)
from .envelope import (
    AgentActKeyList,
    Criteria,
    Filters,
    Preferences,
    ResponseErrorDetails,
    ServiceRequest,
    ServiceResponse,
)
from .qualys_common import BaseQList

__all__ = [
    "ActivationKeyModule",
    "ActivationKeyModuleList",
    "AgentActivationHostQList",
    "AgentAsset",
    "AgentAssetList",
    "AgentActKey",
    "AgentActivationModulesQList",
    "AgentKeyBinaryMappingQList",
    "Tag",
    "TagList",
    "TagQList",
    "AgentKeyBinaryMapping",
    "AgentKeyBinaryMappingList",
    "AgentActKeyList",
    "Criteria",
    "Filters",
    "Preferences",
    "ResponseErrorDetails",
    "ServiceRequest",
    "ServiceResponse",
    "BaseQList",
]
