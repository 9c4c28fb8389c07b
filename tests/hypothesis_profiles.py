"""The Hypothesis profiles the suite runs under, chosen with HYPOTHESIS_PROFILE.

- "ci" (the default): a fifth of the examples, derandomized (the same examples on every run
  and every machine, so a failure in CI fails again on a laptop), no deadline (two pytest
  workers on two busy cores make timings meaningless).
- "full": Hypothesis' own 100 examples and each test's own larger count, random as usual;
  `HYPOTHESIS_PROFILE=full pytest tests/domain` before changing a parser or a format.

A test that asks for more examples than the default says so with `examples(n)`: n under
"full", scaled down with the profile under "ci".
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FULL_EXAMPLES = 100
"""Hypothesis' default max_examples: what `examples(n)` scales from."""

settings.register_profile(
    "ci",
    max_examples=FULL_EXAMPLES // 5,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("full", max_examples=FULL_EXAMPLES, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(full: int) -> int:
    """`full` examples under the full profile; as many fewer under the current profile as
    its max_examples is below Hypothesis' default (at least 10)."""
    return max(10, full * settings.default.max_examples // FULL_EXAMPLES)
