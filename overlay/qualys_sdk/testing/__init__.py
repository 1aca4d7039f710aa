"""Offline stand-ins for Qualys, for the SDK's own tests and for yours.

``qualys_sdk.testing.cassettes``: recorded exchanges and their replay as an
httpx transport (needs the ``[sim]`` extra).
"""
