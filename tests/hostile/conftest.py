"""Hypothesis profiles for the hostile-input tests, chosen with HYPOTHESIS_PROFILE.

- `dev` (the default): 12 examples a form, random each run, so that runs of `make test` on
  developers' machines keep trying new inputs.
- `ci` (the default when CI is set): 12 examples a form, derandomized, so a CI run of `make test` is
  reproducible and a failure shows up again on the next run with the same code.
- `thorough` (`make test-services`, in CI too): 40 examples a form, derandomized.

The valid post of every form (the plain tests beside these) and the fixed broken posts of the apps'
`*_bad_input` tests run whatever the profile. No deadline: a request's time depends on the
machine's load, and slowness is measured by the benchmarks, not here. No example database: the
failing example is printed in the report and `derandomize` finds it again.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("dev", max_examples=12, **_COMMON)
settings.register_profile("ci", max_examples=12, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=40, derandomize=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
