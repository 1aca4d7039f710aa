from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class BaseQList:
    """
    Common part of every Qualys QList collection: the optional item count.

    Each concrete QList extends it with the wrapper elements list, set,
    add, remove and update, in that order (the order of the published QList
    types). Requests use list (and, by the shape, set/add/remove/update,
    UNCONFIRMED for agentactkey); responses use list.
    """

    count: None | int = field(
        default=None,
        metadata={
            "type": "Element",
            "namespace": "",
        },
    )
