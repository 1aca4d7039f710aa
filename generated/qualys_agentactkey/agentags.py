from __future__ import annotations

from dataclasses import dataclass, field

from .qualys_common import BaseQList


@dataclass(kw_only=True)
class Tag:
    """
    An asset tag attached to an activation key.
    """

    id: None | int = field(
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
class TagList:
    """
    Wrapper used by the list/set/add/remove/update elements of TagQList.

    May be empty.
    """

    tag: list[Tag] = field(
        default_factory=list,
        metadata={
            "name": "Tag",
            "type": "Element",
            "namespace": "",
        },
    )


@dataclass(kw_only=True)
class TagQList(BaseQList):
    list_value: None | TagList = field(
        default=None,
        metadata={
            "name": "list",
            "type": "Element",
            "namespace": "",
        },
    )
    set: None | TagList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    add: None | TagList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    remove: None | TagList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
    update: None | TagList = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
