"""schemathesis against the live OpenAPI schema: no server errors and no answers that break the schema.

Every operation gets generated requests (the coverage and fuzzing phases) through a partner's key; the
number of generated cases is printed. Not checked: that every request valid by the schema is accepted
and every invalid one refused: the hand-off is validated by the intake form, whose rules (letters in a
name, a known branch, a postcode of a real region) are stricter than a schema can say.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.factories import partner_key

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ST = Path(sys.executable).with_name("st")
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "60"))
CHECKS = "all"
NOT_CHECKED = "positive_data_acceptance,negative_data_rejection"


def test_the_live_schema_holds_for_every_generated_request(live_server, region_a, capsys):
    _partner, key = partner_key(name="Schemathesis", slug="schemathesis", rate_limit="100000/min")

    result = subprocess.run(  # noqa: S603
        [
            str(ST),
            "run",
            f"{live_server.url}/api/v1/schema/",
            "--header",
            f"Authorization: Bearer {key}",
            "--checks",
            CHECKS,
            "--exclude-checks",
            NOT_CHECKED,
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "20261204",
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )

    output = result.stdout + result.stderr
    cases = re.search(r"(\d+) generated", output)
    with capsys.disabled():
        print(f"\nschemathesis: {cases.group(0) if cases else 'no case count'} over the API's operations")
    assert result.returncode == 0, output[-6000:]
    assert cases and int(cases.group(1)) > 0, output[-3000:]
    assert "Selected: 3/3" in output and "Tested: 3" in output, output[-3000:]
