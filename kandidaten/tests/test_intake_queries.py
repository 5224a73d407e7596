"""A sign-up through the public intake takes a bounded number of database round trips: it is the
page that takes the load of a campaign (bench/load.py measures it under gunicorn)."""

import pytest

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"
# 12 on PostgreSQL under gunicorn (bench/load.py): BEGIN, the advisory locks (one statement), the
# duplicate lookup, the route, the candidate with one INSERT per list it has (none for an empty one),
# consents, the sign-up event, the audit event, COMMIT; in a test up to 15 (the savepoints of the test's
# transaction). No session, no reference-list lookups (cached per process), no mails or notifications:
# those follow in one Celery task after commit.
MAX_QUERIES = 15


def test_a_sign_up_takes_a_bounded_number_of_queries(client, region_a, django_assert_max_num_queries):
    CoordinatorFactory(regions=[region_a])
    client.get(URL)  # the visitor opens the form first (the CSRF cookie; the form is then cached)
    data = intake_form_data()

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(URL, data)

    assert response.status_code == 302
    assert response.headers["Location"] == "/aanmelden/bedankt/"
    assert Candidate.objects.count() == 1


def test_opening_the_empty_form_again_takes_a_few_queries(client, django_assert_max_num_queries):
    client.get(URL)

    with django_assert_max_num_queries(3):
        response = client.get(URL)

    assert response.status_code == 200
