from __future__ import annotations

from dataclasses import dataclass, field

from xsdata.models.datatype import XmlDateTime

from .activationmodules import ActivationKeyModuleList
from .agentactivationhost import AgentActivationHostQList
from .agentags import TagQList
from .agentkeybinarymapping import AgentKeyBinaryMappingList
from .qualys_common import BaseQList


@dataclass(kw_only=True)
class AgentActivationModulesQList(BaseQList):
    list_value: None | ActivationKeyModuleList = field(
        default=None,
        metadata={
            "name": "list",
            "type": "Element",
            "namespace": "",
        },
    )
    set: None | ActivationKeyModuleList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    add: None | ActivationKeyModuleList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    remove: None | ActivationKeyModuleList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    update: None | ActivationKeyModuleList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class AgentKeyBinaryMappingQList(BaseQList):
    list_value: None | AgentKeyBinaryMappingList = field(
        default=None,
        metadata={
            "name": "list",
            "type": "Element",
            "namespace": "",
        },
    )
    set: None | AgentKeyBinaryMappingList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    add: None | AgentKeyBinaryMappingList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    remove: None | AgentKeyBinaryMappingList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    update: None | AgentKeyBinaryMappingList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class AgentActKey:
    """
    A Cloud Agent activation key.

    Every field is optional: create omits id; delete responses carry only
    id; updates send only what changes. Children may come in any order
    (xs:all); the declaration order is the published order, which is the
    order the SDK writes.
    """

    id: None | int = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    uuid: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    activation_key: None | str = field(
        default=None,
        metadata={
            "name": "activationKey",
            "type": "Element",
            "namespace": "",
        },
    )
    status: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    count_purchased: None | int = field(
        default=None,
        metadata={
            "name": "countPurchased",
            "type": "Element",
            "namespace": "",
        },
    )
    count_used: None | int = field(
        default=None,
        metadata={
            "name": "countUsed",
            "type": "Element",
            "namespace": "",
        },
    )
    date_purchased: None | XmlDateTime = field(
        default=None,
        metadata={
            "name": "datePurchased",
            "type": "Element",
            "namespace": "",
        },
    )
    date_last_used: None | XmlDateTime = field(
        default=None,
        metadata={
            "name": "dateLastUsed",
            "type": "Element",
            "namespace": "",
        },
    )
    type_value: None | str = field(
        default=None,
        metadata={
            "name": "type",
            "type": "Element",
            "namespace": "",
        },
    )
    expire_date: None | XmlDateTime = field(
        default=None,
        metadata={
            "name": "expireDate",
            "type": "Element",
            "namespace": "",
        },
    )
    title: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    network_id: None | int = field(
        default=None,
        metadata={
            "name": "networkId",
            "type": "Element",
            "namespace": "",
        },
    )
    is_disabled: None | bool = field(
        default=None,
        metadata={
            "name": "isDisabled",
            "type": "Element",
            "namespace": "",
        },
    )
    apply_on_agents: None | bool = field(
        default=None,
        metadata={
            "name": "applyOnAgents",
            "type": "Element",
            "namespace": "",
        },
    )
    modules: None | AgentActivationModulesQList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    tags: None | TagQList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    agents: None | AgentActivationHostQList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    suspend_self_patch: None | bool = field(
        default=None,
        metadata={
            "name": "suspendSelfPatch",
            "type": "Element",
            "namespace": "",
        },
    )
    binary_mappings: None | AgentKeyBinaryMappingQList = field(
        default=None,
        metadata={
            "name": "binaryMappings",
            "type": "Element",
            "namespace": "",
        },
    )
    old_activation_key: None | str = field(
        default=None,
        metadata={
            "name": "oldActivationKey",
            "type": "Element",
            "namespace": "",
        },
    )
    new_activation_key: None | str = field(
        default=None,
        metadata={
            "name": "newActivationKey",
            "type": "Element",
            "namespace": "",
        },
    )
    owner_id: None | int = field(
        default=None,
        metadata={
            "name": "ownerId",
            "type": "Element",
            "namespace": "",
        },
    )
