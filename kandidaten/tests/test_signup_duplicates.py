"""A second sign-up with the same e-mail address or phone number updates the candidate already known."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactpunt.models import Branch, OutboxMail
from kandidaten.factories import CandidateFactory, intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import Candidate, Consent, ConsentPurpose, Status, StopReason, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def register(channel=SignupChannel.INTAKE, actor=None, **typed):
    form = IntakeForm(intake_form_data(**typed))
    assert form.is_valid(), form.errors
    return candidate_register(details=form.details(), consents=form.consents(), channel=channel, actor=actor)


def signups(candidate):
    return list(candidate.timeline.filter(kind=TimelineEvent.Kind.SIGNUP).order_by("created_at", "id"))


@pytest.mark.parametrize(
    "second_email",
    ["anna.devries@example.org", "Anna.DeVries@EXAMPLE.org", "anna.devries+zorg@example.org"],
)
def test_the_same_email_address_updates_the_known_candidate(region_a, second_email):
    first = register().candidate

    second = register(email=second_email, phone="0687654321")

    assert second.created is False
    assert second.candidate.pk == first.pk
    assert Candidate.objects.count() == 1
    assert second.candidate.phone == "+31687654321"
    events = signups(first)
    assert [event.data["repeat"] for event in events] == [False, True]
    assert "phone" in events[1].data["changed"]


def test_gmail_dots_point_to_the_same_mailbox(region_a):
    first = register(email="anna.devries@gmail.com").candidate

    second = register(email="annadevries@gmail.com", phone="0687654321")

    assert second.candidate.pk == first.pk


def test_the_same_phone_number_updates_the_known_candidate_and_takes_the_new_email(region_a):
    first = register(phone="06 12345678").candidate

    second = register(email="anna.nieuw@example.org", phone="+31 6 1234 5678")

    assert second.created is False
    candidate = Candidate.objects.get()
    assert candidate.pk == first.pk
    assert candidate.email == "anna.nieuw@example.org"
    assert candidate.email_key == "anna.nieuw@example.org"
    assert signups(candidate)[1].data["changed"] == ["email"]


def test_when_email_and_phone_point_to_two_candidates_the_email_wins(region_a):
    by_phone = CandidateFactory(region=region_a, email="ander@example.org", phone="+31612345678")
    by_email = CandidateFactory(region=region_a, email="anna.devries@example.org", phone="+31699999999")

    registration = register(email="anna.devries@example.org", phone="06 12345678")

    assert registration.candidate.pk == by_email.pk
    assert Candidate.objects.count() == 2
    assert by_phone.timeline.filter(kind=TimelineEvent.Kind.SIGNUP).count() == 1


def test_a_different_person_gets_a_new_candidate(region_a):
    register()

    second = register(first_name="Bram", email="bram@example.org", phone="0687654321")

    assert second.created is True
    assert Candidate.objects.count() == 2


def test_newer_details_replace_older_ones_but_empty_answers_keep_what_was_known(region_a):
    first = register(hours_per_week="24", diplomas="mbo Helpende", message="Eerste bericht").candidate

    register(hours_per_week="32", diplomas="", message="", branches=[], situation="job_seeker")

    candidate = Candidate.objects.get(pk=first.pk)
    assert candidate.hours_per_week == 32
    assert candidate.situation == "job_seeker"
    assert candidate.diplomas == "mbo Helpende"
    assert candidate.message == "Eerste bericht"
    assert list(candidate.branches.values_list("slug", flat=True)) == ["vvt"]
    changed = signups(candidate)[1].data["changed"]
    assert set(changed) == {"hours_per_week", "situation"}


def test_new_interests_replace_the_old_ones_and_are_listed_as_changed(region_a):
    first = register().candidate
    ggz = Branch.objects.get(slug="ggz")

    register(branches=[str(ggz.pk)])

    assert list(first.branches.values_list("slug", flat=True)) == ["ggz"]
    assert "branches" in signups(first)[1].data["changed"]


def test_a_repeat_sign_up_with_nothing_new_changes_nothing(region_a):
    first = register().candidate

    register()

    assert signups(first)[1].data["changed"] == []
    assert not first.timeline.filter(kind=TimelineEvent.Kind.ROUTING).exists()


def test_a_new_postcode_routes_the_candidate_to_the_new_region(region_a, region_b, coordinator_a):
    first = register(postcode="9711 AB", place="Groningen").candidate
    Candidate.objects.filter(pk=first.pk).update(assigned_to=coordinator_a)

    register(postcode="3511 AB", place="")

    candidate = Candidate.objects.get(pk=first.pk)
    assert candidate.region == region_b
    assert candidate.postcode == "3511 AB"
    # The old place belonged to the old postcode, and the coordinator of the old region lets go.
    assert candidate.place == ""
    assert candidate.assigned_to is None
    routing = candidate.timeline.get(kind=TimelineEvent.Kind.ROUTING)
    assert routing.data["from"] == "Noord-Nederland"
    assert routing.data["to"] == "Utrecht"
    assert routing.data["unassigned"] == str(coordinator_a)
    assert not Candidate.objects.visible_to(coordinator_a).filter(pk=first.pk).exists()


def test_a_coordinator_who_serves_both_regions_keeps_the_candidate(region_a, region_b, coordinator_a):
    coordinator_a.regions.add(region_b)
    first = register(postcode="9711 AB").candidate
    Candidate.objects.filter(pk=first.pk).update(assigned_to=coordinator_a)

    register(postcode="3511 AB")

    assert Candidate.objects.get(pk=first.pk).assigned_to == coordinator_a


def test_a_new_postcode_nobody_serves_sends_the_candidate_to_the_national_queue(region_a):
    first = register(postcode="9711 AB").candidate

    register(postcode="1011 AB")

    candidate = Candidate.objects.get(pk=first.pk)
    assert candidate.region is None
    assert candidate.timeline.get(kind=TimelineEvent.Kind.ROUTING).data["to"] is None


def test_a_stopped_candidate_is_reopened_as_a_fresh_sign_up(region_a, coordinator_a):
    long_ago = timezone.now() - timedelta(days=200)
    stopped = CandidateFactory(
        region=region_a,
        email="anna.devries@example.org",
        status=Status.STOPPED,
        stop_reason=StopReason.NOT_REACHABLE,
        signed_up_at=long_ago,
        first_contact_at=long_ago,
    )

    registration = register()

    candidate = Candidate.objects.get(pk=stopped.pk)
    assert registration.candidate.pk == stopped.pk
    assert candidate.status == Status.NEW
    assert candidate.stop_reason == ""
    assert candidate.first_contact_at is None
    assert candidate.signed_up_at > long_ago
    status = candidate.timeline.get(kind=TimelineEvent.Kind.STATUS)
    assert status.data["from"] == Status.STOPPED
    assert status.data["to"] == Status.NEW
    assert status.data["note"] == "repeat_signup"
    # The first sign-up stays in the timeline.
    assert signups(candidate)[0].created_at == long_ago


@pytest.mark.parametrize("status", [Status.IN_CONVERSATION, Status.REFERRED, Status.STARTED])
def test_a_candidate_being_helped_keeps_their_status(region_a, status):
    known = CandidateFactory(region=region_a, email="anna.devries@example.org", status=status)

    register()

    candidate = Candidate.objects.get(pk=known.pk)
    assert candidate.status == status
    assert not candidate.timeline.filter(kind=TimelineEvent.Kind.STATUS).exists()


def test_every_sign_up_records_each_consent_again_so_the_latest_answer_counts(region_a):
    first = register(consent_campaign_news="on").candidate

    register(consent_campaign_news=None)

    news = Consent.objects.filter(candidate=first, purpose=ConsentPurpose.CAMPAIGN_NEWS)
    assert news.count() == 2
    assert news.first().granted is False  # newest first
    assert Consent.objects.filter(candidate=first).count() == 2 * len(ConsentPurpose.values)


def test_a_repeat_sign_up_is_confirmed_by_mail_too(region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the follow-up task writes the mails
        register()
        register()

    assert OutboxMail.objects.count() == 2


def test_through_the_form_twice_gives_one_candidate_with_two_sign_ups(client, region_a):
    assert client.post(URL, intake_form_data()).status_code == 302
    response = client.post(URL, intake_form_data(email="ANNA.DEVRIES@example.org", hours_per_week="16"))

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.hours_per_week == 16
    assert len(signups(candidate)) == 2
    assert Consent.objects.filter(candidate=candidate).count() == 6


def test_through_the_form_a_moved_person_is_routed_again(client, region_a, region_b):
    client.post(URL, intake_form_data(postcode="9711 AB"))

    client.post(URL, intake_form_data(postcode="3511ab", place="Utrecht", phone="06-12345678"))

    candidate = Candidate.objects.get()
    assert candidate.region == region_b
    assert candidate.place == "Utrecht"
    assert candidate.timeline.filter(kind=TimelineEvent.Kind.ROUTING).count() == 1
