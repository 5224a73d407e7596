"""What a candidate does on their own pages after opening their personal link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from contactpunt.models import Branch, Function, NextStep
from kandidaten import privacy, services
from kandidaten.factories import CandidateFactory, ContactMomentFactory, MatchFactory
from kandidaten.models import (
    Candidate,
    Consent,
    ConsentPurpose,
    ErasureRequest,
    Match,
    Status,
    StopReason,
    TimelineEvent,
)
from werkgevers.factories import IntroductionFactory

from .privacy_world import signed_in_client

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("kandidaten:privacy_overview")
CORRECT = reverse("kandidaten:privacy_correct")
CONSENTS = reverse("kandidaten:privacy_consents")
ERASE = reverse("kandidaten:privacy_erase")
DOWNLOAD = reverse("kandidaten:privacy_download")
SIGN_OUT = reverse("kandidaten:privacy_sign_out")
PERSONAL_PAGES = [OVERVIEW, CORRECT, CONSENTS, ERASE, DOWNLOAD]

PHONE = "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678 of 050 1234567."
POSTCODE = "Vul een Nederlandse postcode in: vier cijfers en twee letters, bijvoorbeeld 9711 AB."
LETTERS = "Gebruik alleen letters, met zo nodig spaties, streepjes of apostroffen."
REQUIRED = "Dit veld is verplicht."
CHOICE = "Kies een van de mogelijkheden uit de lijst."


@pytest.fixture
def candidate(region_a):
    return CandidateFactory(
        first_name="Noor",
        last_name="Bakker",
        email="noor.bakker@example.org",
        phone="+31612345678",
        postcode="9711 AB",
        region=region_a,
        consents=[ConsentPurpose.CONTACT, ConsentPurpose.SHARE_WITH_EMPLOYERS],
    )


@pytest.fixture
def browser(candidate):
    return signed_in_client(candidate)


def _correction(candidate: Candidate, **overrides) -> dict:
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "phone": "06 12345678",
        "postcode": candidate.postcode,
        "place": candidate.place,
        "branches": [str(Branch.objects.get(slug="vvt").pk)],
        "functions": [str(Function.objects.get(slug="vig").pk)],
        "next_steps": [str(NextStep.objects.get(slug="meeloopdag").pk)],
        "hours_per_week": "24",
        "max_travel_km": "15",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_without_an_opened_link_every_personal_page_says_open_your_link_again(client, candidate, url):
    response = client.get(url)

    assert response.status_code == 403
    assert "Open je persoonlijke link opnieuw" in response.content.decode()
    assert "noor.bakker@example.org" not in response.content.decode()


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.NEW, "Ontvangen"),
        (Status.IN_CONVERSATION, "In contact"),
        (Status.REFERRED, "Doorverwezen"),
        (Status.STARTED, "Gestart"),
        (Status.STOPPED, "Gesloten"),
    ],
)
def test_the_status_is_shown_in_plain_language(region_a, status, label):
    candidate = CandidateFactory(
        region=region_a, status=status, stop_reason=StopReason.OTHER if status == Status.STOPPED else ""
    )
    response = signed_in_client(candidate).get(OVERVIEW)

    assert response.status_code == 200
    assert f'<strong id="plain-status">{label}</strong>' in response.content.decode()


def test_the_candidate_never_sees_what_coordinators_and_employers_wrote(
    browser, candidate, coordinator_a, organisation_a
):
    ContactMomentFactory(
        candidate=candidate,
        author=coordinator_a,
        summary="INTERN-GESPREK lastig persoon",
        abilities="INTERN-KAN",
        wishes="INTERN-WIL",
    )
    IntroductionFactory(
        candidate=candidate, offer__organisation=organisation_a, note="INTERN-VOORSTEL", reason="INTERN-REDEN"
    )
    MatchFactory(
        candidate=candidate,
        offer__organisation=organisation_a,
        reasons=[{"code": "x", "text": "INTERN-MATCH"}],
        status=Match.Status.REJECTED,
        reject_reason=Match.RejectReason.OTHER,
        reject_note="INTERN-AFWIJZING",
    )
    services.candidate_change_status(
        candidate=candidate, status=Status.IN_CONVERSATION, actor=coordinator_a, note="INTERN-STATUS"
    )

    pages = [browser.get(OVERVIEW).content.decode(), browser.get(DOWNLOAD).content.decode()]

    for page in pages:
        assert "INTERN" not in page
    assert "Zorggroep Noord" in pages[0]  # the introduction itself shows, without the note


def test_a_correction_goes_through_the_services_routing_and_timeline(browser, candidate, region_b):
    response = browser.post(CORRECT, _correction(candidate, first_name="Nora", postcode="3511 AA", place="Utrecht"))

    assert response.status_code == 302 and response["Location"] == OVERVIEW
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.postcode, candidate.region) == ("Nora", "3511 AA", region_b)
    event = TimelineEvent.objects.filter(candidate=candidate, kind=TimelineEvent.Kind.SELF_SERVICE).latest("pk")
    assert event.data["action"] == "corrected"
    assert {"first_name", "postcode"} <= set(event.data["changed"])
    assert TimelineEvent.objects.filter(candidate=candidate, kind=TimelineEvent.Kind.ROUTING).exists()
    assert "Dank je: je gegevens zijn gecorrigeerd." in browser.get(OVERVIEW).content.decode()


def test_the_e_mail_address_cannot_be_changed_here(browser, candidate):
    browser.post(CORRECT, {**_correction(candidate), "email": "ander@example.org"})

    candidate.refresh_from_db()
    assert candidate.email == "noor.bakker@example.org"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12", PHONE),
        ("phone", "", REQUIRED),
        ("postcode", "ABCD 12", POSTCODE),
        ("first_name", "N00r", LETTERS),
        ("last_name", "", REQUIRED),
        ("hours_per_week", "99", "Vul een aantal uren in van 1 tot en met 60."),
        ("max_travel_km", "7", CHOICE),
        ("branches", ["999999"], CHOICE),
    ],
)
def test_bad_input_in_a_correction_gets_a_dutch_error_and_nothing_changes(browser, candidate, field, value, message):
    response = browser.post(CORRECT, _correction(candidate, **{field: value}))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    if isinstance(value, str) and value and field != "max_travel_km":
        assert f'value="{value}"' in content
    candidate.refresh_from_db()
    assert candidate.phone == "+31612345678" and candidate.first_name == "Noor"


def test_changing_consent_records_one_new_row_per_changed_purpose(browser, candidate):
    rows = Consent.objects.filter(candidate=candidate).count()

    response = browser.post(CONSENTS, {"contact": "on", "campaign_news": "on"})

    assert response.status_code == 302
    new = Consent.objects.filter(candidate=candidate).order_by("-pk")[: Consent.objects.count() - rows]
    assert sorted((row.purpose, row.granted) for row in new) == [
        (ConsentPurpose.CAMPAIGN_NEWS, True),
        (ConsentPurpose.SHARE_WITH_EMPLOYERS, False),
    ]
    assert all(row.text_version for row in new)
    assert privacy.current_consents(candidate) == {
        ConsentPurpose.CONTACT: True,
        ConsentPurpose.SHARE_WITH_EMPLOYERS: False,
        ConsentPurpose.CAMPAIGN_NEWS: True,
    }


def test_the_coordinator_timeline_says_ja_and_nee_for_a_consent_change(browser, candidate, client_a):
    browser.post(CONSENTS, {"contact": "on", "campaign_news": "on"})

    response = client_a.get(reverse("kandidaten:candidate", args=[candidate.pk]))

    assert response.status_code == 200
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "De kandidaat wijzigde de toestemming" in page
    assert "Mijn profiel delen met werkgevers aan wie ik word voorgesteld: nee" in page
    assert "Nieuws van de campagne: ja" in page
    assert not re.search(r": (yes|no)\b", page)


def test_saving_the_same_choices_again_records_nothing(browser, candidate):
    rows = Consent.objects.filter(candidate=candidate).count()

    browser.post(CONSENTS, {"contact": "on", "share_with_employers": "on"})

    assert Consent.objects.filter(candidate=candidate).count() == rows
    assert "Er is niets veranderd." in browser.get(OVERVIEW).content.decode()


def test_withdrawing_every_consent_is_possible(browser, candidate):
    browser.post(CONSENTS, {})

    assert privacy.current_consents(candidate) == dict.fromkeys(ConsentPurpose.values, False)


def test_erasure_needs_the_confirmation_box(browser, candidate):
    page = browser.get(ERASE)
    assert page.status_code == 200

    response = browser.post(ERASE, {})

    assert response.status_code == 200
    assert "Vink het vakje aan om te bevestigen dat je gegevens verwijderd mogen worden." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.erased_at is None


def test_erasing_ends_the_session_sends_a_confirmation_and_erases(
    browser, candidate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(ERASE, {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("kandidaten:privacy_erased")
    assert "Je gegevens zijn verwijderd" in browser.get(response["Location"]).content.decode()
    candidate.refresh_from_db()
    assert candidate.erased_at is not None and candidate.email == ""
    assert ErasureRequest.objects.get(candidate=candidate).via == ErasureRequest.Via.PERSONAL_LINK
    assert [message.to for message in mail.outbox] == [["noor.bakker@example.org"]]
    assert browser.get(OVERVIEW).status_code == 403


def test_signing_out_ends_the_session(browser):
    response = browser.post(SIGN_OUT)

    assert response.status_code == 302
    assert browser.get(OVERVIEW).status_code == 403


def test_the_personal_pages_say_uitloggen_not_afmelden(browser):
    """Not "Afmelden": that reads as cancelling the sign-up; this only ends the visit to the pages."""
    page = browser.get(OVERVIEW).content.decode()
    assert re.search(r'<button type="submit"[^>]*>Uitloggen</button>', page)
    assert "Afmelden" not in page

    response = browser.post(SIGN_OUT, follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Je bent uitgelogd uit Mijn gegevens." in content
    assert "afgemeld" not in content.lower()
    ended = browser.get(OVERVIEW)
    assert ended.status_code == 403
    assert "word je na een half uur uitgelogd" in ended.content.decode()


def test_sign_out_takes_only_post(browser):
    assert browser.get(SIGN_OUT).status_code == 405
    assert browser.get(OVERVIEW).status_code == 200


def test_a_candidate_session_is_no_login_for_the_dashboard(browser, candidate):
    response = browser.get(reverse("kandidaten:candidate", args=[candidate.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_personal_pages_need_the_csrf_token(candidate, settings):
    signed_in = signed_in_client(candidate)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.SESSION_COOKIE_NAME] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.get(OVERVIEW).status_code == 200
    rows = Consent.objects.filter(candidate=candidate).count()

    response = browser.post(CONSENTS, {})

    assert response.status_code == 403
    assert Consent.objects.filter(candidate=candidate).count() == rows


def test_one_candidates_session_shows_only_their_own_details(candidate, region_a):
    other = CandidateFactory(first_name="Sem", last_name="Visser", email="sem.visser@example.org", region=region_a)

    page = signed_in_client(other).get(OVERVIEW).content.decode()

    assert "sem.visser@example.org" in page
    assert "noor.bakker@example.org" not in page
