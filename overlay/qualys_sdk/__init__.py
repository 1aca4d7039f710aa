"""qualys-sdk: typed clients for Qualys OCA v2, CSAM business metadata and Cloud Agent activation keys.

The low-level clients are generated from the specs shipped in this package:
``qualys_oca`` (OCA v2, from ``specs/oca.yaml``).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
