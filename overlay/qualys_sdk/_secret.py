"""A value that never shows itself: passwords and tokens."""

from __future__ import annotations

import hmac
from typing import NoReturn

_MASK = "**********"


class Secret:
    """Holds a password or token; ``repr``, ``str`` and f-strings show ``**********``.

    Call :meth:`reveal` where the value must go on the wire, and nowhere else.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        self._value = value

    def reveal(self) -> str:
        """The value itself."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> NoReturn:
        # Pickling would write the value to disk or a socket in clear.
        raise TypeError("a Secret cannot be pickled")
