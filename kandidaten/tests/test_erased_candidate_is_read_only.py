"""An erased candidate is an anonymous stub for the figures: the dashboard offers no action on it, and
every view that changes a candidate refuses, in Dutch, without saving or mailing anything."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django_htmx.middleware import HtmxDetails

from kandidaten import privacy
from kandidaten.factories import CandidateFactory, MatchFactory
from kandidaten.models import Candidate, ContactMoment, ErasureRequest, Match, Status, StopReason
from kandidaten.views.dashboard import refuse_if_erased
from werkgevers.factories import OfferFactory, PlaceOfferFactory

from .erased_world import REFUSED, assert_refused, candidate_url, erased_candidate, state, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def erased(region_a, coordinator_a, mailoutbox, django_capture_on_commit_callbacks):
    candidate = erased_candidate(region=region_a, actor=coordinator_a, capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()  # the erasure's own confirmation
    return candidate


@pytest.fixture
def place(organisation_a):
    return PlaceOfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), title="BBL-plek VIG De Linde"
    )


@pytest.fixture
def open_day(organisation_a):
    return OfferFactory(
        organisation=organisation_a,
        location=organisation_a.locations.get(),
        kind="open_huis",
        title="Open huis De Linde",
        capacity=3,
    )


def post(client, url, data, capture, **headers):
    """Post with the on-commit callbacks run: a mail an action would send is really sent."""
    with capture(execute=True):
        return client.post(url, data, **headers)


def edit_data(**changes) -> dict:
    """A complete, valid edit form that would put a name, address and phone number back."""
    data = {
        "first_name": "Anna",
        "last_name": "Zwaagstra",
        "email": "anna.zwaagstra@example.org",
        "phone": "06 12345678",
        "postcode": "9711 AB",
        "place": "Groningen",
        "situation": "working_outside_care",
        "education_level": 3,
        "diplomas": "MBO 2 Helpende",
        "hours_per_week": 24,
        "max_travel_km": 15,
        "support_needs": "Wil graag begeleiding.",
        "source": "campaign",
        "message": "Nog een vraag.",
        "branches": [],
        "functions": [],
        "next_steps": [],
        "target_groups": [],
    }
    data.update(changes)
    return data


def contact_moment() -> dict:
    return {
        "channel": "phone",
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Anna belde terug.",
        "abilities": "Rijbewijs.",
        "wishes": "24 uur per week.",
        "agreed_next_step": "Meeloopdag.",
    }


# The stub after the erasure: what these tests start from.


def test_the_erasure_leaves_an_anonymous_stopped_stub(erased):
    assert erased.status == Status.STOPPED
    assert erased.stop_reason == StopReason.ERASED
    assert (erased.first_name, erased.email, erased.phone) == ("", "", "")


# The candidate page: it can still be read, without the actions.


def test_the_page_of_an_erased_candidate_shows_the_stub_without_actions(
    administrator_client, erased, place, open_day, region_b
):
    match = MatchFactory(candidate=erased, offer=open_day)  # even a suggestion that should not be there

    response = administrator_client.get(candidate_url(erased))

    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("nl"):
        date = dateformat.format(timezone.localtime(erased.erased_at), "j F Y")
    assert (
        f"De gegevens van deze kandidaat zijn verwijderd op {date}. Wat overblijft is een anonieme registratie"
        " voor de cijfers: er kan niets meer aan worden gewijzigd."
    ) in text(response)
    assert f"Verwijderde kandidaat #{erased.pk}" in page
    for action in [
        reverse("kandidaten:candidate_edit", args=[erased.pk]),
        reverse("kandidaten:contact_moment_create", args=[erased.pk]),
        reverse("kandidaten:candidate_status", args=[erased.pk]),
        reverse("kandidaten:candidate_assign", args=[erased.pk]),
        reverse("kandidaten:candidate_hand_over", args=[erased.pk]),
        reverse("kandidaten:erasure_carry_out", args=[erased.pk]),
        reverse("kandidaten:erasure_request_record", args=[erased.pk]),
        reverse("werkgevers:introduction_create", args=[erased.pk]),
        reverse("kandidaten:match_accept", args=[match.pk]),
        reverse("kandidaten:match_reject", args=[match.pk]),
        "/samenvoegen/",
    ]:
        assert action not in page, action
    assert "Open huis De Linde" in text(response)  # the suggestion is there, without its buttons
    for label in ["Gegevens wijzigen", "Contactmoment opslaan", "Status wijzigen", "Voorstellen aan een werkgever"]:
        assert label not in text(response), label


def test_the_page_of_a_candidate_who_is_not_erased_still_has_the_actions(administrator_client, region_a, place):
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = administrator_client.get(candidate_url(anna))

    page = response.content.decode()
    assert "anonieme registratie" not in page
    for action in ["candidate_edit", "contact_moment_create", "candidate_status", "candidate_assign"]:
        assert reverse(f"kandidaten:{action}", args=[anna.pk]) in page, action
    assert reverse("kandidaten:candidate_hand_over", args=[anna.pk]) in page
    assert reverse("werkgevers:introduction_create", args=[anna.pk]) in page


def test_the_inbox_and_the_national_queue_offer_no_action_on_an_erased_candidate(
    client_a, administrator_client, region_a, coordinator_a, django_capture_on_commit_callbacks
):
    in_region = erased_candidate(region=region_a, actor=coordinator_a, capture=django_capture_on_commit_callbacks)
    in_queue = erased_candidate(region=None, actor=None, capture=django_capture_on_commit_callbacks)

    inbox = client_a.get(reverse("kandidaten:inbox"), {"status": Status.STOPPED})
    assert in_region in inbox.context["page"].object_list
    assert reverse("kandidaten:candidate_assign", args=[in_region.pk]) not in inbox.content.decode()
    assert "Gegevens verwijderd" in text(inbox)

    queue = administrator_client.get(reverse("kandidaten:national_queue"))
    assert in_queue in queue.context["page"].object_list
    assert reverse("kandidaten:candidate_hand_over", args=[in_queue.pk]) not in queue.content.decode()


# Every view that changes a candidate refuses.


def test_the_edit_form_is_not_shown(client_a, erased):
    before = state(erased)

    response = client_a.get(reverse("kandidaten:candidate_edit", args=[erased.pk]))

    assert_refused(client_a, response, erased)
    assert state(erased) == before


def test_editing_puts_no_details_back(client_a, erased, mailoutbox, django_capture_on_commit_callbacks):
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:candidate_edit", args=[erased.pk]),
        edit_data(),
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    erased.refresh_from_db()
    assert (erased.first_name, erased.email, erased.phone, erased.place) == ("", "", "", "")
    assert mailoutbox == []


def test_the_status_cannot_change(client_a, erased, mailoutbox, django_capture_on_commit_callbacks):
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:candidate_status", args=[erased.pk]),
        {"status": Status.IN_CONVERSATION, "note": "Toch weer interesse."},
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    erased.refresh_from_db()
    assert (erased.status, erased.stop_reason) == (Status.STOPPED, StopReason.ERASED)
    assert mailoutbox == []


def test_nobody_can_be_assigned(client_a, coordinator_a, erased, mailoutbox, django_capture_on_commit_callbacks):
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:candidate_assign", args=[erased.pk]),
        {"assignee": coordinator_a.pk, "seen": ""},
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    erased.refresh_from_db()
    assert erased.assigned_to is None
    assert mailoutbox == []


def test_no_contact_moment_is_logged(client_a, erased, mailoutbox, django_capture_on_commit_callbacks):
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:contact_moment_create", args=[erased.pk]),
        contact_moment(),
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    assert not ContactMoment.objects.filter(summary="Anna belde terug.").exists()
    assert mailoutbox == []


@pytest.mark.parametrize("erased_first", [True, False])
def test_an_erased_candidate_is_not_merged(
    client_a, region_a, erased, erased_first, mailoutbox, django_capture_on_commit_callbacks
):
    other = CandidateFactory(region=region_a, first_name="Anna", last_name="Zwaagstra", postcode="9711 AB")
    first, second = (erased, other) if erased_first else (other, erased)
    before = state(erased)

    for keep in (erased, other):
        response = post(
            client_a,
            reverse("kandidaten:candidate_merge", args=[first.pk, second.pk]),
            {"keep": keep.pk},
            django_capture_on_commit_callbacks,
        )
        assert_refused(client_a, response, erased)

    assert state(erased) == before
    assert set(Candidate.objects.values_list("pk", flat=True)) == {erased.pk, other.pk}
    other.refresh_from_db()
    assert other.first_name == "Anna"
    assert mailoutbox == []


def test_an_erased_candidate_is_not_handed_to_a_region(
    administrator_client, region_b, mailoutbox, django_capture_on_commit_callbacks
):
    in_queue = erased_candidate(region=None, actor=None, capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()
    before = state(in_queue)

    response = post(
        administrator_client,
        reverse("kandidaten:candidate_hand_over", args=[in_queue.pk]),
        {"region": region_b.pk, "next": reverse("kandidaten:national_queue")},
        django_capture_on_commit_callbacks,
    )

    assert_refused(administrator_client, response, in_queue)  # the candidate page, not `next`
    assert state(in_queue) == before
    in_queue.refresh_from_db()
    assert in_queue.region is None
    assert mailoutbox == []


def test_a_coordinator_still_may_not_hand_over(client_a, region_b, erased):
    response = client_a.post(reverse("kandidaten:candidate_hand_over", args=[erased.pk]), {"region": region_b.pk})

    assert response.status_code == 403


# Match suggestions: none is left after an erasure; one made anyway cannot be decided.


def test_accepting_a_place_sends_nothing_to_the_employer(
    client_a, erased, place, mailoutbox, django_capture_on_commit_callbacks
):
    match = MatchFactory(candidate=erased, offer=place)
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:match_accept", args=[match.pk]),
        {f"accept-{match.pk}-note": "Past goed."},
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (Match.Status.NEW, None)
    assert mailoutbox == []


def test_accepting_an_activity_signs_nobody_up(
    client_a, erased, open_day, mailoutbox, django_capture_on_commit_callbacks
):
    match = MatchFactory(candidate=erased, offer=open_day)
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:match_accept", args=[match.pk]),
        {"next": reverse("kandidaten:new_matches")},
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    open_day.refresh_from_db()
    assert open_day.registered_count == 0
    assert mailoutbox == []


def test_a_suggestion_cannot_be_rejected(client_a, erased, open_day, mailoutbox, django_capture_on_commit_callbacks):
    match = MatchFactory(candidate=erased, offer=open_day)
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:match_reject", args=[match.pk]),
        {f"reject-{match.pk}-reason": "too_far", f"reject-{match.pk}-note": "Heeft geen auto."},
        django_capture_on_commit_callbacks,
    )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    match.refresh_from_db()
    assert (match.status, match.reject_reason, match.reject_note) == (Match.Status.NEW, "", "")


# htmx gets the candidate page to go to, not a page to swap in.


def test_an_htmx_request_is_sent_to_the_candidate_page(client_a, erased, django_capture_on_commit_callbacks):
    before = state(erased)

    response = post(
        client_a,
        reverse("kandidaten:contact_moment_create", args=[erased.pk]),
        contact_moment(),
        django_capture_on_commit_callbacks,
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == candidate_url(erased)
    assert state(erased) == before
    assert REFUSED in text(client_a.get(candidate_url(erased)))


# A candidate who is not erased: the same actions still work.


def test_a_candidate_who_is_not_erased_can_still_be_worked(
    client_a, coordinator_a, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    contact = post(
        client_a,
        reverse("kandidaten:contact_moment_create", args=[anna.pk]),
        contact_moment(),
        django_capture_on_commit_callbacks,
    )
    status = post(
        client_a,
        reverse("kandidaten:candidate_status", args=[anna.pk]),
        {"status": Status.REFERRED},
        django_capture_on_commit_callbacks,
    )
    edit = client_a.get(reverse("kandidaten:candidate_edit", args=[anna.pk]))

    assert contact.status_code == 302
    assert ContactMoment.objects.filter(candidate=anna, summary="Anna belde terug.").exists()
    assert status.status_code == 302
    anna.refresh_from_db()
    assert anna.status == Status.REFERRED
    assert edit.status_code == 200
    assert REFUSED not in text(client_a.get(candidate_url(anna)))


# The helper itself: a POST reads the erasure again, so a candidate loaded before it is refused too.


def _request(rf, method: str):
    request = getattr(rf, method)("/")
    request.htmx = HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_post_checks_the_database_not_the_object_it_was_given(rf, region_a):
    candidate = CandidateFactory(region=region_a)
    loaded_before = Candidate.objects.get(pk=candidate.pk)
    privacy.erase_candidate(candidate=candidate, via=ErasureRequest.Via.COORDINATOR, confirm=False)
    assert not loaded_before.is_erased

    request = _request(rf, "post")
    response = refuse_if_erased(request, loaded_before)

    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == candidate_url(candidate)
    assert [str(message) for message in get_messages(request)] == [REFUSED]


def test_a_candidate_who_is_not_erased_passes(rf, region_a):
    candidate = CandidateFactory(region=region_a)

    assert refuse_if_erased(_request(rf, "post"), candidate) is None
    assert refuse_if_erased(_request(rf, "get"), candidate) is None
