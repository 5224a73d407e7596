"""An employer answers an introduction or records the outcome: the introducing coordinator hears of it."""

import pytest

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification
from contactpunt.notifications import Choice, preferences_save
from kandidaten.factories import CandidateFactory
from kandidaten.models import Status
from werkgevers.factories import IntroductionFactory, PlaceOfferFactory
from werkgevers.models import Introduction

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", status=Status.REFERRED)


@pytest.fixture
def introduction(anna, organisation_a, coordinator_a):
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="BBL VIG")
    return IntroductionFactory(candidate=anna, offer=offer, introduced_by=coordinator_a)


def answer(client, introduction, capture, **data):
    with capture(execute=True):
        response = client.post(f"/werkgever/voorstellen/{introduction.pk}/antwoord/", data)
    assert response.status_code == 302
    return response


def test_the_introducing_coordinator_gets_an_in_app_row_and_an_email(
    employer_a_client, introduction, anna, coordinator_a, coordinator_b, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = CoordinatorFactory(regions=[anna.region])

    answer(employer_a_client, introduction, django_capture_on_commit_callbacks, decision="invite")

    [row] = Notification.objects.all()
    assert row.user == coordinator_a
    assert row.kind == "introduction_update"
    assert row.title == 'Zorggroep Noord nodigt Anna uit voor "BBL VIG".'
    assert row.url == f"/dashboard/kandidaten/{anna.pk}/"
    [mail] = mailoutbox
    assert mail.to == [coordinator_a.email]
    assert mail.subject == "Voorstel voor BBL VIG: Uitgenodigd"
    assert not Notification.objects.filter(user__in=[colleague, coordinator_b]).exists()


def test_the_outcome_is_told_too(employer_a_client, introduction, coordinator_a, django_capture_on_commit_callbacks):
    answer(employer_a_client, introduction, django_capture_on_commit_callbacks, decision="invite")
    with django_capture_on_commit_callbacks(execute=True):
        employer_a_client.post(
            f"/werkgever/voorstellen/{introduction.pk}/uitkomst/", {"outcome": "not_started", "reason": "Verhuisd."}
        )

    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.NOT_STARTED
    titles = list(Notification.objects.filter(user=coordinator_a).order_by("pk").values_list("title", flat=True))
    assert titles == [
        'Zorggroep Noord nodigt Anna uit voor "BBL VIG".',
        'Anna is niet gestart bij Zorggroep Noord ("BBL VIG").',
    ]


def test_a_coordinator_who_switched_email_off_reads_it_in_the_portal_only(
    employer_a_client, introduction, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_save(user=coordinator_a, choices={"introduction_update": Choice(email=False, in_app=True)})

    answer(employer_a_client, introduction, django_capture_on_commit_callbacks, decision="not_suitable", reason="Vol.")

    assert mailoutbox == []
    assert Notification.objects.get().title == 'Zorggroep Noord vindt Anna niet geschikt voor "BBL VIG".'


def test_when_the_coordinator_left_the_contact_point_gets_the_email(
    employer_a_client, introduction, coordinator_a, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator_a.is_active = False
    coordinator_a.save()

    answer(employer_a_client, introduction, django_capture_on_commit_callbacks, decision="invite")

    assert not Notification.objects.exists()
    [mail] = mailoutbox
    assert mail.to == [region_a.email]
    assert mail.body.startswith("Hallo,")
