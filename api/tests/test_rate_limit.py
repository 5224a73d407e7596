"""Each key has its own rate limit; over it the answer is 429 with Retry-After."""

import pytest

from api.factories import partner_key

from .conftest import PartnerClient

pytestmark = pytest.mark.django_db
ACTIVITIES = "/api/v1/activiteiten/"


def test_over_the_limit_the_answer_is_429_with_retry_after(settings, panel):
    settings.API_RATE_LIMIT = "3/min"

    answers = [panel.get(ACTIVITIES).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = panel.get(ACTIVITIES)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert set(refused.json()) == {"detail"}


def test_the_limit_counts_per_key(settings, panel, other):
    settings.API_RATE_LIMIT = "2/min"
    for _ in range(2):
        panel.get(ACTIVITIES)

    assert panel.get(ACTIVITIES).status_code == 429
    assert other.get(ACTIVITIES).status_code == 200


def test_a_partner_can_have_a_limit_of_its_own(settings):
    settings.API_RATE_LIMIT = "1/min"
    _partner, key = partner_key(name="Druk", slug="druk", rate_limit="5/min")
    client = PartnerClient(key)

    assert [client.get(ACTIVITIES).status_code for _ in range(6)] == [200] * 5 + [429]
