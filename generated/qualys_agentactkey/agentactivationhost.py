from __future__ import annotations

from dataclasses import dataclass, field

from .qualys_common import BaseQList


@dataclass(kw_only=True)
class AgentAsset:
    """
    An agent (host asset) activated with the key.
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
    name: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class AgentAssetList:
    """
    Wrapper used by the list/set/add/remove/update elements of
    AgentActivationHostQList.

    May be empty: the update request in the Cloud Agent API release notes
    "CA API: Ability to Assign Owner to the Activation Key" sends agents
    with an empty list wrapper.
    """

    agent_asset: list[AgentAsset] = field(
        default_factory=list,
        metadata={
            "name": "AgentAsset",
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class AgentActivationHostQList(BaseQList):
    list_value: None | AgentAssetList = field(
        default=None,
        metadata={
            "name": "list",
            "type": "Element",
            "namespace": "",
        },
    )
    set: None | AgentAssetList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    add: None | AgentAssetList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    remove: None | AgentAssetList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    update: None | AgentAssetList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
