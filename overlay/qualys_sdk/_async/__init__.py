"""The asyncio client, the one source of the client code (``scripts/unasync.py`` writes ``_sync/`` from it)."""
