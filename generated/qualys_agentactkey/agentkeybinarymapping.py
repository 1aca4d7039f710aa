from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class AgentKeyBinaryMapping:
    """
    UNCONFIRMED: agent binary assigned to a platform for this key.
    """

    id: None | int = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    platform: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    architecture: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    version: None | str = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class AgentKeyBinaryMappingList:
    """
    Wrapper used by the list/set/add/remove/update elements of
    AgentKeyBinaryMappingQList.

    May be empty.
    """

    agent_key_binary_mapping: list[AgentKeyBinaryMapping] = field(
        default_factory=list,
        metadata={
            "name": "AgentKeyBinaryMapping",
            "type": "Element",
            "namespace": "",
        },
    )
