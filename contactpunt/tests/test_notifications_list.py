"""The in-app list at /meldingen/: own notifications only, newest first, opening marks read, the menu count."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from contactpunt.factories import NotificationFactory
from contactpunt.models import Notification
from contactpunt.testing import log_in

pytestmark = pytest.mark.django_db

LIST = "/meldingen/"
READ_ALL = "/meldingen/alles-gelezen/"


def opening(notification) -> str:
    return f"/meldingen/{notification.pk}/openen/"


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def menu(response) -> str:
    nav = response.content.decode().split("<main", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", nav).split())


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (client.get(LIST), client.post(READ_ALL), client.get("/account/meldingen/")):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["client_a", "employer_a_client", "administrator_client"])
def test_every_logged_in_user_has_a_list(request, who):
    response = request.getfixturevalue(who).get(LIST)

    assert response.status_code == 200
    assert "Je hebt nog geen meldingen." in text(response)
    assert "Meldingen" in menu(response)


def test_the_list_shows_own_notifications_newest_first_and_marks_unread_ones(client_a, coordinator_a, coordinator_b):
    now = timezone.now()
    NotificationFactory(user=coordinator_a, title="Oudste melding", created_at=now - timedelta(days=2), read_at=now)
    NotificationFactory(user=coordinator_a, title="Nieuwste melding", created_at=now)
    NotificationFactory(user=coordinator_b, title="Melding van iemand anders", created_at=now)

    page = text(client_a.get(LIST))

    assert page.index("Nieuwste melding") < page.index("Oudste melding")
    assert "Melding van iemand anders" not in page
    assert page.count("Nieuw ") == 1  # the badge on the unread one only
    assert "Alles op gelezen zetten" in page


def test_the_menu_shows_the_unread_count_on_every_page(client_a, coordinator_a, coordinator_b):
    NotificationFactory.create_batch(3, user=coordinator_a)
    NotificationFactory(user=coordinator_a, read_at=timezone.now())
    NotificationFactory.create_batch(5, user=coordinator_b)

    assert "Meldingen 3 ongelezen" in menu(client_a.get("/dashboard/"))
    assert "Meldingen 3 ongelezen" in menu(client_a.get(LIST))


def test_no_count_in_the_menu_without_unread_notifications(client_a, coordinator_a):
    NotificationFactory(user=coordinator_a, read_at=timezone.now())

    assert "ongelezen" not in menu(client_a.get(LIST))


def test_the_menu_of_anonymous_visitors_has_no_notifications(client):
    assert "Meldingen" not in menu(client.get("/"))


def test_opening_marks_read_and_follows_the_link(client_a, coordinator_a):
    notification = NotificationFactory(user=coordinator_a, url="/dashboard/voorstellen/")

    response = client_a.post(opening(notification))

    assert response.status_code == 302
    assert response.url == "/dashboard/voorstellen/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_again_keeps_the_first_read_time(client_a, coordinator_a):
    read_at = timezone.now() - timedelta(days=3)
    notification = NotificationFactory(user=coordinator_a, read_at=read_at)

    client_a.post(opening(notification))

    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_a_link_to_another_site_is_never_followed(client_a, coordinator_a):
    notification = NotificationFactory(user=coordinator_a, url="https://evil.example/")

    response = client_a.post(opening(notification))

    assert response.url == LIST


@pytest.mark.parametrize("who", ["client_b", "employer_a_client", "administrator_client"])
def test_someone_elses_notification_is_not_found_and_stays_unread(request, coordinator_a, who):
    notification = NotificationFactory(user=coordinator_a)

    response = request.getfixturevalue(who).post(opening(notification))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_by_get_changes_nothing(client_a, coordinator_a):
    notification = NotificationFactory(user=coordinator_a)

    assert client_a.get(opening(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_post_without_csrf_token_is_refused(coordinator_a):
    notification = NotificationFactory(user=coordinator_a)
    client = Client(enforce_csrf_checks=True)
    log_in(client, coordinator_a)

    assert client.post(opening(notification)).status_code == 403
    assert client.post(READ_ALL).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_own_notifications(client_a, coordinator_a, coordinator_b):
    NotificationFactory.create_batch(2, user=coordinator_a)
    other = NotificationFactory(user=coordinator_b)

    response = client_a.post(READ_ALL, follow=True)

    assert "Alle meldingen staan op gelezen." in text(response)
    assert not Notification.objects.filter(user=coordinator_a, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert "ongelezen" not in menu(response)


def test_the_list_is_paged(client_a, coordinator_a):
    NotificationFactory.create_batch(30, user=coordinator_a)

    first = client_a.get(LIST)
    second = client_a.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Pagina 1 van 2" in text(first)


# 1. the session, 2. the user with their unread count (one query, see contactpunt.backends),
# 3. SAVEPOINT (ATOMIC_REQUESTS), 4. the number of notifications (paging), 5. the page of
# notifications, 6. RELEASE SAVEPOINT.
LIST_QUERIES = 6


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_runs_a_fixed_number_of_queries(client_a, coordinator_a, count, django_assert_num_queries):
    NotificationFactory.create_batch(count, user=coordinator_a)

    with django_assert_num_queries(LIST_QUERIES):
        response = client_a.get(LIST)

    assert response.status_code == 200
    assert f"Meldingen {count} ongelezen" in menu(response)
