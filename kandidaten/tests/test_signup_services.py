"""candidate_register for a first sign-up: what is saved, where it is routed, what is recorded."""

import pytest
from django.conf import settings
from django.utils import timezone

from contactpunt.factories import PostcodeAreaFactory
from contactpunt.models import OutboxMail
from kandidaten.factories import intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import Candidate, Consent, ConsentPurpose, Status, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register, email_key, find_existing_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def register(channel=SignupChannel.INTAKE, actor=None, **typed):
    form = IntakeForm(intake_form_data(**typed))
    assert form.is_valid(), form.errors
    return candidate_register(details=form.details(), consents=form.consents(), channel=channel, actor=actor)


def test_a_first_sign_up_creates_a_new_candidate_in_the_region_of_the_postcode(region_a, region_b):
    registration = register(postcode="3511 AB", place="Utrecht")

    assert registration.created is True
    candidate = Candidate.objects.get()
    assert registration.candidate == candidate
    assert candidate.region == region_b
    assert candidate.status == Status.NEW
    assert candidate.email_key == "anna.devries@example.org"
    assert candidate.first_contact_at is None
    assert set(candidate.next_steps.values_list("slug", flat=True)) == {"meeloopdag", "bbl"}


def test_an_unknown_postcode_lands_in_the_national_queue(region_a, region_b):
    candidate = register(postcode="1011 AB").candidate

    assert candidate.region is None
    assert list(Candidate.objects.national_queue()) == [candidate]


def test_the_place_is_filled_in_from_the_reference_data_when_left_empty(region_a):
    PostcodeAreaFactory(pc4="9711", place_names="Groningen, Helpman")

    candidate = register(place="").candidate

    assert candidate.place == "Groningen"


def test_a_typed_place_is_kept(region_a):
    PostcodeAreaFactory(pc4="9711", place_names="Groningen")

    assert register(place="Haren").candidate.place == "Haren"


def test_each_consent_purpose_is_recorded_with_the_statement_version_and_time(region_a):
    before = timezone.now()

    candidate = register(consent_share_with_employers=None, consent_campaign_news="on").candidate

    consents = Consent.objects.filter(candidate=candidate)
    assert sorted(consents.values_list("purpose", "granted")) == [
        (ConsentPurpose.CAMPAIGN_NEWS, True),
        (ConsentPurpose.CONTACT, True),
        (ConsentPurpose.SHARE_WITH_EMPLOYERS, False),
    ]
    for consent in consents:
        assert consent.text_version == settings.PRIVACY_STATEMENT_VERSION
        assert before <= consent.recorded_at <= timezone.now()


def test_the_statement_version_in_force_is_the_one_recorded(region_a, settings):
    settings.PRIVACY_STATEMENT_VERSION = "2027-01"

    candidate = register().candidate

    assert set(candidate.consents.values_list("text_version", flat=True)) == {"2027-01"}


def test_a_sign_up_event_records_channel_source_and_actor(region_a, coordinator_a):
    candidate = register(channel=SignupChannel.PHONE, actor=coordinator_a, source="welcome_panel").candidate

    event = TimelineEvent.objects.get(candidate=candidate)
    assert event.kind == TimelineEvent.Kind.SIGNUP
    assert event.actor == coordinator_a
    assert event.data == {
        "channel": "phone",
        "source": "welcome_panel",
        "repeat": False,
        "changed": [],
        # For the follow-up after commit: confirm by mail, tell the coordinators (a new person).
        "confirm": True,
        "tell": True,
        "reopened": False,
    }


def test_a_confirmation_mail_is_written_to_the_outbox(region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # by the follow-up task, after commit
        candidate = register().candidate

    mail = OutboxMail.objects.get()
    assert mail.to == candidate.email
    assert mail.subject == "We hebben je aanmelding ontvangen"
    assert "twee werkdagen" in mail.body_text


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Anna.DeVries@Example.org", "anna.devries@example.org"),
        (" anna@example.org ", "anna@example.org"),
        ("anna+zorg@example.org", "anna@example.org"),
        ("a.n.na@gmail.com", "anna@gmail.com"),
        ("Anna+werk@googlemail.com", "anna@gmail.com"),
        ("a.n.na@hotmail.com", "a.n.na@hotmail.com"),
    ],
)
def test_email_key_ignores_what_does_not_change_the_mailbox(typed, key):
    assert email_key(typed) == key


def test_find_existing_candidate_ignores_empty_values(region_a):
    register()

    assert find_existing_candidate(email="", phone="") is None
    assert find_existing_candidate(email="iemand@example.org", phone="") is None
    assert find_existing_candidate(email="", phone="+31612345678") is not None
