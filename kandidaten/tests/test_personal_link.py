"""The personal link: asked for at /mijn-gegevens/, e-mailed, single use, time limited, rate-limited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import OutboxMail
from kandidaten import privacy
from kandidaten.factories import CandidateFactory
from kandidaten.models import PersonalLink, RetentionSettings, TimelineEvent

pytestmark = pytest.mark.django_db

REQUEST = reverse("kandidaten:privacy_request")
OPEN = reverse("kandidaten:privacy_open")
OVERVIEW = reverse("kandidaten:privacy_overview")


@pytest.fixture
def candidate(region_a):
    return CandidateFactory(first_name="Noor", last_name="Bakker", email="noor.bakker@example.org", region=region_a)


def _ask(client: Client, email: str, capture) -> object:
    with capture(execute=True):
        return client.post(REQUEST, {"email": email})


def _token_from_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"/mijn-gegevens/link/([A-Za-z0-9_\-]+)/", body).group(1)


def _open(client: Client, token: str):
    arrived = client.get(reverse("kandidaten:privacy_link", args=[token]))
    assert arrived.status_code == 302 and arrived["Location"] == OPEN
    return client.post(OPEN)


def test_a_known_address_gets_a_link_by_e_mail_and_the_page_says_check_your_mail(
    client, candidate, django_capture_on_commit_callbacks
):
    response = _ask(client, "Noor.Bakker@example.org", django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse("kandidaten:privacy_sent")
    page = client.get(response["Location"])
    assert "Als dit e-mailadres bij ons bekend is" in page.content.decode()
    assert [message.to for message in mail.outbox] == [["noor.bakker@example.org"]]
    assert mail.outbox[0].subject == "Je persoonlijke link naar je gegevens"
    assert "Hallo Noor" in mail.outbox[0].body
    assert "24 uur" in mail.outbox[0].body


def test_an_unknown_address_gets_exactly_the_same_answer_and_no_mail(
    client, candidate, django_capture_on_commit_callbacks
):
    known = _ask(client, "noor.bakker@example.org", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    unknown = _ask(Client(), "niemand@example.org", django_capture_on_commit_callbacks)

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []
    assert not OutboxMail.objects.filter(to="niemand@example.org").exists()
    assert _without_tokens(client.get(known["Location"])) == _without_tokens(Client().get(unknown["Location"]))


def _without_tokens(response) -> str:
    """The page without its CSRF token, which differs per visitor."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


def test_only_the_hash_of_the_token_is_stored(client, candidate, django_capture_on_commit_callbacks):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()

    link = PersonalLink.objects.get(candidate=candidate)
    assert link.token_hash == privacy.hash_token(token)
    assert token not in link.token_hash


def test_opening_the_link_gives_a_session_and_the_url_no_longer_holds_the_token(
    client, candidate, django_capture_on_commit_callbacks
):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()

    arrived = client.get(reverse("kandidaten:privacy_link", args=[token]))
    assert arrived["Location"] == OPEN  # the token leaves the address bar at once
    button = client.get(OPEN)
    assert button.status_code == 200 and token not in button.content.decode()
    assert PersonalLink.objects.get(candidate=candidate).used_at is None  # a GET uses nothing up

    opened = client.post(OPEN)
    assert opened.status_code == 302 and opened["Location"] == OVERVIEW
    overview = client.get(OVERVIEW)
    assert overview.status_code == 200
    assert "noor.bakker@example.org" in overview.content.decode()
    assert overview["Cache-Control"] == "no-store"
    assert TimelineEvent.objects.filter(candidate=candidate, kind=TimelineEvent.Kind.SELF_SERVICE).exists()


def test_the_link_works_once(client, candidate, django_capture_on_commit_callbacks):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()
    assert _open(client, token).status_code == 302

    other = Client()
    second = _open(other, token)

    assert second.status_code == 410
    assert "Deze link werkt niet meer" in second.content.decode()
    assert other.get(OVERVIEW).status_code == 403


def test_the_link_expires_after_the_hours_the_administrator_set(client, candidate):
    RetentionSettings.objects.create(pk=1, link_hours=2)
    now = timezone.now()
    link = privacy.request_link(email=candidate.email, site_url="http://testserver", now=now)
    token = re.search(r"/link/([^/]+)/", OutboxMail.objects.get(to=candidate.email).body_text).group(1)

    assert link.expires_at == now + timedelta(hours=2)
    assert privacy.redeem_link(token=token, now=now + timedelta(hours=2, seconds=1)) is None
    assert privacy.redeem_link(token=token, now=now + timedelta(hours=1, minutes=59)) == candidate


def test_an_expired_link_opened_in_the_browser_says_so(client, candidate, django_capture_on_commit_callbacks):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()
    PersonalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _open(client, token)

    assert response.status_code == 410
    assert client.get(OVERVIEW).status_code == 403


@pytest.mark.parametrize("spoil", ["used", "expired", "made_up"])
def test_a_link_that_cannot_open_says_so_before_the_button_and_a_good_one_is_not_used_up_by_looking(
    client, candidate, spoil, django_capture_on_commit_callbacks
):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()
    if spoil == "used":
        _open(Client(), token)
    elif spoil == "expired":
        PersonalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        token = "nietbestaandetoken123"
    client.get(reverse("kandidaten:privacy_link", args=[token]))

    page = client.get(OPEN)

    assert page.status_code == 410
    assert "Deze link werkt niet meer" in page.content.decode()


def test_looking_at_the_open_page_does_not_use_the_link_up(client, candidate, django_capture_on_commit_callbacks):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    client.get(reverse("kandidaten:privacy_link", args=[_token_from_mail()]))

    assert client.get(OPEN).status_code == 200  # a mail scanner's visit
    assert client.get(OPEN).status_code == 200
    assert client.post(OPEN).status_code == 302


@pytest.mark.parametrize("token", ["x", "a" * 101, "../../etc", "%00", "abc def"])
def test_a_made_up_or_malformed_token_opens_nothing(client, candidate, token):
    response = client.get(f"/mijn-gegevens/link/{token}/")
    assert response.status_code in (302, 404)
    assert client.post(OPEN).status_code == 410
    assert client.get(OVERVIEW).status_code == 403


def test_the_session_ends_after_half_an_hour(candidate):
    session: dict = {}

    class Session(dict):
        def cycle_key(self):
            pass

        def flush(self):
            self.clear()

    session = Session()
    now = timezone.now()
    privacy.open_session(session, candidate, now=now)

    assert privacy.session_candidate(session, now=now + timedelta(minutes=29)) == candidate
    assert privacy.session_candidate(session, now=now + timedelta(minutes=31)) is None


def test_opening_the_link_gives_a_new_session_key(client, candidate, django_capture_on_commit_callbacks):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()
    client.get(reverse("kandidaten:privacy_link", args=[token]))
    before = client.session.session_key

    client.post(OPEN)

    assert client.session.session_key != before


def test_asking_is_rate_limited_per_address(settings, candidate, django_capture_on_commit_callbacks):
    settings.PERSONAL_LINK_RATE_LIMIT_EMAIL = "2/h"
    for number in range(2):
        response = _ask(
            Client(REMOTE_ADDR=f"192.0.2.{number + 1}"), candidate.email, django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
    refused = _ask(Client(REMOTE_ADDR="192.0.2.50"), candidate.email.upper(), django_capture_on_commit_callbacks)

    assert refused.status_code == 429
    assert len(mail.outbox) == 2


def test_asking_is_rate_limited_per_ip_whatever_the_address(settings, candidate, django_capture_on_commit_callbacks):
    settings.PERSONAL_LINK_RATE_LIMIT_IP = "3/h"
    client = Client(REMOTE_ADDR="198.51.100.7")
    answers = [
        _ask(client, f"iemand{number}@example.org", django_capture_on_commit_callbacks).status_code
        for number in range(4)
    ]

    assert answers == [302, 302, 302, 429]
    assert (
        _ask(Client(REMOTE_ADDR="198.51.100.8"), candidate.email, django_capture_on_commit_callbacks).status_code == 302
    )


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _opens_at(text: str) -> str:
    # Close to midnight the hour is tomorrow's: "Vanaf morgen 00:46 …".
    return re.search(r"Vanaf (?:morgen )?(\d\d:\d\d) kun je weer een nieuwe link vragen\.", text).group(1)


def test_the_address_limit_page_says_what_happened_and_from_when(
    settings, candidate, django_capture_on_commit_callbacks
):
    settings.PERSONAL_LINK_RATE_LIMIT_EMAIL = "2/h"
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:  # 11:00 in Amsterdam
        for number in range(2):
            _ask(Client(REMOTE_ADDR=f"192.0.2.{number + 1}"), candidate.email, django_capture_on_commit_callbacks)
        refused = _ask(Client(REMOTE_ADDR="192.0.2.50"), candidate.email, django_capture_on_commit_callbacks)

        assert refused.status_code == 429
        text = _text(refused)
        assert "Er is al meerdere keren een link gevraagd" in text
        assert "Voor dit e-mailadres is in korte tijd meerdere keren een link gevraagd." in text
        assert "Die link werkt één keer, tot 24 uur na het versturen." in text
        # A limit is no fault: no error code, and no contact point to call that the page cannot name.
        assert "Foutcode" not in text and "Bel of mail" not in text and "formulieren" not in text
        opens = _opens_at(text)
        hour, minute = map(int, opens.split(":"))
        seconds = int(refused["Retry-After"])
        assert 0 < seconds <= 3601  # the limit's own window: at most an hour
        assert (hour - 11) * 60 + minute == seconds // 60 + 1  # the first whole minute after it

        traveller.move_to(f"2026-12-03 {hour - 1:02d}:{minute:02d}:00 +0000")  # from that minute on: a link again
        assert (
            _ask(Client(REMOTE_ADDR="192.0.2.51"), candidate.email, django_capture_on_commit_callbacks).status_code
            == 302
        )


def test_the_connection_limit_page_speaks_of_the_connection(settings, candidate, django_capture_on_commit_callbacks):
    settings.PERSONAL_LINK_RATE_LIMIT_IP = "2/h"
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(2):
        _ask(client, f"iemand{number}@example.org", django_capture_on_commit_callbacks)

    refused = _ask(client, candidate.email, django_capture_on_commit_callbacks)

    assert refused.status_code == 429
    text = _text(refused)
    assert "Vanaf deze verbinding is in korte tijd meerdere keren een link gevraagd." in text
    assert "Voor dit e-mailadres" not in text and "Foutcode" not in text
    _opens_at(text)
    assert mail.outbox == []


def test_the_page_gives_the_validity_the_administrator_set(settings, candidate, django_capture_on_commit_callbacks):
    settings.PERSONAL_LINK_RATE_LIMIT_EMAIL = "1/h"
    RetentionSettings.objects.update_or_create(pk=1, defaults={"link_hours": 1})
    _ask(Client(), candidate.email, django_capture_on_commit_callbacks)

    refused = _ask(Client(), candidate.email, django_capture_on_commit_callbacks)

    assert "Die link werkt één keer, tot 1 uur na het versturen." in _text(refused)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul je e-mailadres in."),
        ("geen-adres", "Vul een e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        ("a" * 250 + "@example.org", "Zorg dat deze waarde niet meer dan 254 tekens bevat"),
    ],
)
def test_bad_input_gets_a_dutch_error_at_the_field_and_keeps_what_was_typed(client, db, email, message):
    response = client.post(REQUEST, {"email": email})

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert PersonalLink.objects.count() == 0
    if email and len(email) < 100:
        assert f'value="{email}"' in content


def test_nothing_personal_in_the_urls(client, candidate, django_capture_on_commit_callbacks):
    _ask(client, candidate.email, django_capture_on_commit_callbacks)
    token = _token_from_mail()
    urls = [REQUEST, reverse("kandidaten:privacy_link", args=[token]), OPEN, OVERVIEW]

    for url in urls:
        assert "noor" not in url.lower() and "bakker" not in url.lower()
