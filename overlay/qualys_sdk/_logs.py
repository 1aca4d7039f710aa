"""``QUALYS_LOG=info|debug``: the SDK's log on stderr without writing any logging set-up (the openai SDK's way).

The SDK logs to the ``qualys_sdk`` logger (retries and waits at INFO); ``debug`` adds httpx's and
httpcore's own DEBUG lines (connections, each request). Nothing is logged that holds a secret. Programs
that configure logging themselves need not set the variable.
"""

from __future__ import annotations

import logging
import os

_LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
_FORMAT = logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler QUALYS_LOG adds: a class of its own, so that it is added once however often this runs."""


def setup_logging() -> None:
    """Send the SDK's log to stderr at the level ``QUALYS_LOG`` names; nothing when it is unset or unknown."""
    level = _LEVELS.get(os.environ.get("QUALYS_LOG", "").strip().lower())
    if level is None:
        return
    names = ("qualys_sdk", "httpx", "httpcore") if level == logging.DEBUG else ("qualys_sdk",)
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
            handler = _StderrHandler()
            handler.setFormatter(_FORMAT)
            logger.addHandler(handler)
