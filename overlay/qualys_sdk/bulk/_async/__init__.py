"""The bulk helpers for the asyncio client, the one source of ``bulk/_sync/`` (``scripts/unasync.py``)."""
