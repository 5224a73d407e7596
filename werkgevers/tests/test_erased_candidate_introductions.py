"""An erased candidate is not introduced to an employer (nothing is saved, no e-mail goes out), and an
introduction that is somehow still open is not withdrawn from the dashboard either."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kandidaten import privacy
from kandidaten.factories import CandidateFactory
from kandidaten.models import ConsentPurpose, ErasureRequest
from kandidaten.tests.erased_world import REFUSED, assert_refused, candidate_url, erased_candidate, state, text
from werkgevers.factories import IntroductionFactory, PlaceOfferFactory
from werkgevers.models import Introduction

pytestmark = pytest.mark.django_db


@pytest.fixture
def erased(region_a, coordinator_a, mailoutbox, django_capture_on_commit_callbacks):
    candidate = erased_candidate(region=region_a, actor=coordinator_a, capture=django_capture_on_commit_callbacks)
    mailoutbox.clear()  # the erasure's own confirmation
    return candidate


@pytest.fixture
def offer_a(organisation_a):
    return PlaceOfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), title="BBL-plek VIG De Linde"
    )


def introduce(client, candidate, offer, capture, **headers):
    with capture(execute=True):
        return client.post(
            reverse("werkgevers:introduction_create", args=[candidate.pk]),
            {"offer": offer.pk, "note": "Past goed bij de ouderenzorg."},
            **headers,
        )


def test_an_erased_candidate_is_not_introduced(
    client_a, erased, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    before = state(erased)

    response = introduce(client_a, erased, offer_a, django_capture_on_commit_callbacks)

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    assert not Introduction.objects.exists()
    assert mailoutbox == []


def test_an_administrator_cannot_introduce_an_erased_candidate_either(
    administrator_client, erased, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    response = introduce(administrator_client, erased, offer_a, django_capture_on_commit_callbacks)

    assert_refused(administrator_client, response, erased)
    assert not Introduction.objects.exists()
    assert mailoutbox == []


def test_htmx_is_sent_to_the_candidate_page(client_a, erased, offer_a, mailoutbox, django_capture_on_commit_callbacks):
    response = introduce(client_a, erased, offer_a, django_capture_on_commit_callbacks, HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == candidate_url(erased)
    assert not Introduction.objects.exists()
    assert mailoutbox == []
    assert REFUSED in text(client_a.get(candidate_url(erased)))


def test_an_open_introduction_of_an_erased_candidate_is_not_withdrawn(
    client_a, erased, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    # The erasure closed every introduction; one made afterwards (by a bug or a race) stays untouched.
    introduction = IntroductionFactory(candidate=erased, offer=offer_a)
    before = state(erased)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("werkgevers:introduction_withdraw", args=[introduction.pk]),
            {"reason": "Kandidaat heeft andere plannen.", "next": candidate_url(erased) + "#employers"},
        )

    assert_refused(client_a, response, erased)
    assert state(erased) == before
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED
    assert mailoutbox == []


def test_the_panel_of_an_erased_candidate_has_no_introduce_form(client_a, erased, offer_a):
    introduction = IntroductionFactory(candidate=erased, offer=offer_a)

    response = client_a.get(candidate_url(erased))

    page = response.content.decode()
    assert reverse("werkgevers:introduction_create", args=[erased.pk]) not in page
    assert reverse("werkgevers:introduction_withdraw", args=[introduction.pk]) not in page
    assert "BBL-plek VIG De Linde" in text(response)  # the introduction itself is still listed


def test_a_candidate_who_is_not_erased_is_still_introduced(
    client_a, region_a, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == candidate_url(anna) + "#employers"
    assert Introduction.objects.get().candidate == anna
    assert len(mailoutbox) == 1


def test_the_employer_sees_nothing_of_an_erased_candidate_on_the_introduction(
    employer_a_client, region_a, coordinator_a, offer_a, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(
        region=region_a,
        first_name="Wietske",
        last_name="Zwierstra",
        postcode="9712 CD",
        place="Groningen",
        consents=[ConsentPurpose.CONTACT, ConsentPurpose.SHARE_WITH_EMPLOYERS],
    )
    introduction = IntroductionFactory(offer=offer_a, candidate=candidate)
    detail = reverse("werkgevers:introduction_detail", args=[introduction.pk])
    assert "Wietske Zwierstra" in text(employer_a_client.get(detail))
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_candidate(candidate=candidate, via=ErasureRequest.Via.COORDINATOR, actor=coordinator_a)

    page = text(employer_a_client.get(detail))
    listing = text(employer_a_client.get(reverse("werkgevers:employer_introductions")))

    assert "De kandidaat heeft zijn of haar gegevens laten verwijderen." in page
    assert "Gegevens verwijderd" in page and "Gegevens verwijderd" in listing
    for trace in ("Wietske", "Zwierstra", "9712", "Woont in", "Hoogste opleiding", "mbo"):
        assert trace not in page, trace
    assert "Wietske" not in listing
