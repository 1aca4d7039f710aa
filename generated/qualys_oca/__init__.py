"""A client library for accessing Qualys Out-of-Band Configuration Assessment (OCA) API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
