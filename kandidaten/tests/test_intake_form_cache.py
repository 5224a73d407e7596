"""The empty intake form is rendered once per language and then taken from the cache (the load on
/aanmelden/: bench/load.py); a change of the lists it offers shows on the next visit."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactpunt.models import Branch, NextStep

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens (64 letters and digits, masked anew for every response)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", html)


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_the_second_visitor_gets_the_same_form_without_the_lists_being_read_again(client):
    first, first_queries = _get(client)
    second, second_queries = _get(client)

    assert any("contactpunt_branch" in sql for sql in first_queries)
    assert not any("contactpunt_branch" in sql or "contactpunt_function" in sql for sql in second_queries)
    body = second.content.decode()
    assert _without_tokens(body) == _without_tokens(first.content.decode())
    assert 'name="branches"' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_a_new_branch_and_a_renamed_next_step_show_on_the_next_visit(client):
    _get(client)  # the form is now cached

    Branch.objects.create(name="Jeugdzorg Plus", slug="jeugdzorg-plus", position=99)
    step = NextStep.objects.get(slug="bbl")
    step.name = "Leren en werken (BBL, nieuw)"
    step.save()

    body = _get(client)[0].content.decode()
    assert "Jeugdzorg Plus" in body
    assert "Leren en werken (BBL, nieuw)" in body


def test_a_removed_branch_is_gone_from_the_next_visit(client):
    branch = Branch.objects.create(name="Tijdelijke branche", slug="tijdelijk", position=99)
    assert "Tijdelijke branche" in _get(client)[0].content.decode()

    branch.delete()

    assert "Tijdelijke branche" not in _get(client)[0].content.decode()


def test_each_language_has_its_own_cached_form(client):
    dutch = _get(client)[0].content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _get(client)[0].content.decode()

    assert "Voornaam" in dutch
    assert "First name" in english
    assert "Voornaam" not in english


def test_a_form_with_errors_is_rendered_with_them_not_from_the_cache(client):
    _get(client)

    response = client.post(URL, {"first_name": "Anna"})

    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
