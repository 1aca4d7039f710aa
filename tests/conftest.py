"""Test-suite wide settings: Hypothesis profiles.

HYPOTHESIS_PROFILE selects one: ``ci`` (the default: derandomized, bounded,
no deadline, so the README test command stays within its time budget on a
2-core machine) or ``dev`` (random, more examples). Longer runs belong in
their own tox envs, not here.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# pytester runs pytest on generated test folders (the live contract check's plugin, tests/contract_check/).
pytest_plugins = ["pytester"]

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
