"""The bulk helpers' code: ``_async/`` is the one source, and ``scripts/unasync.py`` writes ``_sync/`` from it."""
