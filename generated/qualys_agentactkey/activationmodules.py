from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class ActivationKeyModule:
    """
    One module of an activation key. license is the only field seen on the
    wire; it is required because a module without it means nothing.
    """

    license: str = field(
        metadata={
            "type": "Element",
            "namespace": "",
        }
    )


@dataclass(kw_only=True)
class ActivationKeyModuleList:
    """
    Wrapper used by the list/set/add/remove/update elements of
    AgentActivationModulesQList.

    May be empty.
    """

    activation_key_module: list[ActivationKeyModule] = field(
        default_factory=list,
        metadata={
            "name": "ActivationKeyModule",
            "type": "Element",
            "namespace": "",
        },
    )
