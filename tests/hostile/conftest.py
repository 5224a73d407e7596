"""Hypothesis profiles for the hostile-input tests.

`dev` (the default): 30 examples a form, random each run. `ci` (chosen when CI is set, or with
HYPOTHESIS_PROFILE=ci): 40 examples a form, derandomized, so a CI run is reproducible and a failure
shows up again on the next run with the same code. No deadline in either: a request's time depends
on the machine's load, and slowness is measured by the benchmarks, not here. No example database:
the failing example is printed in the report and `derandomize` finds it again.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("dev", max_examples=30, **_COMMON)
settings.register_profile("ci", max_examples=40, derandomize=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
