"""The one exception backends raise; the web layer turns it into each API's error body."""

from __future__ import annotations


class SimError(Exception):
    """A refused request: HTTP ``status`` (for QPS, the HTTP status of a ``ServiceResponse``), an API code.

    ``code`` is the Qualys code: ``ERR-2052`` for OCA (the message then reads ``ERR-2052 - ...``), a QPS
    ``responseCode`` such as ``OBJECT_NOT_FOUND``, or ``None``.
    """

    def __init__(self, status: int, message: str, *, code: str | None = None, resolution: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.resolution = resolution
