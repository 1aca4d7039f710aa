"""A client library for accessing Qualys CyberSecurity Asset Management (CSAM) v2 business metadata import"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
