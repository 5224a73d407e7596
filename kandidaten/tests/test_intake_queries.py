"""A sign-up through the public intake takes a bounded number of database round trips: it is the
page that takes the load of a campaign (bench/load.py measures it under gunicorn)."""

import pytest

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, PendingSignup

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"
# With a worker (production): the request stores the sign-up as it came in, one INSERT in autocommit
# (no BEGIN or COMMIT), and that is all bench/load.py sees under gunicorn on PostgreSQL: the thank-you
# page's region name and the reference lists are cached per process. This test starts with them empty
# (three lists, the route).
MAX_QUERIES_WITH_WORKER = 5
# Without one (the embedded mode) the registration happens in the request too: the advisory locks (one
# statement, PostgreSQL only), the duplicate lookup, the route, the candidate with one INSERT per list it
# has (none for an empty one), consents, the sign-up event, the audit event, the pending row deleted,
# in a transaction of its own (and the three reference lists, not cached yet in this test). No session,
# no mails or notifications: those follow in one Celery task after commit.
MAX_QUERIES_IN_REQUEST = 17


def test_with_a_worker_a_sign_up_takes_a_few_queries(client, region_a, settings, django_assert_max_num_queries):
    settings.INTAKE_REGISTERS_IN_WORKER = True
    client.get(URL)  # the visitor opens the form first (the CSRF cookie; the form is then cached)
    data = intake_form_data()

    with django_assert_max_num_queries(MAX_QUERIES_WITH_WORKER):
        response = client.post(URL, data)

    assert response.status_code == 302
    assert response.headers["Location"] == "/aanmelden/bedankt/"
    assert PendingSignup.objects.count() == 1


def test_without_a_worker_a_sign_up_takes_a_bounded_number_of_queries(client, region_a, django_assert_max_num_queries):
    CoordinatorFactory(regions=[region_a])
    client.get(URL)
    data = intake_form_data()

    with django_assert_max_num_queries(MAX_QUERIES_IN_REQUEST):
        response = client.post(URL, data)

    assert response.status_code == 302
    assert Candidate.objects.count() == 1
    assert not PendingSignup.objects.exists()


def test_opening_the_empty_form_again_takes_a_few_queries(client, django_assert_max_num_queries):
    client.get(URL)

    with django_assert_max_num_queries(3):
        response = client.get(URL)

    assert response.status_code == 200
