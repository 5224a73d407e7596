"""Logging a contact moment: what was said, and the first one ends the wait."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kandidaten.factories import CandidateFactory
from kandidaten.models import Channel, ContactMoment, Status, TimelineEvent

pytestmark = pytest.mark.django_db


def url(candidate) -> str:
    return reverse("kandidaten:contact_moment_create", args=[candidate.pk])


def moment(**changes) -> dict:
    data = {
        "channel": Channel.PHONE,
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Kennismaking. Wil graag in de ouderenzorg werken.",
        "abilities": "Goed met mensen, rijbewijs.",
        "wishes": "24 uur per week, overdag.",
        "agreed_next_step": "Meeloopdag bij Zorggroep Noord.",
    }
    data.update(changes)
    return data


@pytest.fixture
def waiting(region_a):
    return CandidateFactory(
        region=region_a, first_name="Anna", last_name="Jansen", signed_up_at=timezone.now() - timedelta(days=10)
    )


def test_the_first_contact_moment_ends_the_wait(client_a, coordinator_a, waiting):
    assert waiting.is_overdue()

    response = client_a.post(url(waiting), moment(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("kandidaten:candidate", args=[waiting.pk]) + "#timeline"
    page = response.content.decode()
    assert "Het contactmoment is opgeslagen." in page
    saved = ContactMoment.objects.get(candidate=waiting)
    assert saved.author == coordinator_a
    assert saved.summary == "Kennismaking. Wil graag in de ouderenzorg werken."
    assert saved.agreed_next_step == "Meeloopdag bij Zorggroep Noord."
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_CONVERSATION
    assert waiting.first_contact_at == saved.happened_at
    assert not waiting.is_overdue()
    assert "badge-overdue" not in page
    for shown in ["Contactmoment: Telefoon", "Goed met mensen, rijbewijs.", "24 uur per week, overdag.", "Meeloopdag"]:
        assert shown in page
    assert waiting.timeline.filter(kind=TimelineEvent.Kind.STATUS, data__to=Status.IN_CONVERSATION).exists()
    inbox = client_a.get(reverse("kandidaten:inbox"), {"overdue": "on"})
    assert waiting not in inbox.context["page"].object_list


def test_a_later_contact_moment_keeps_the_status_and_first_contact(client_a, waiting):
    client_a.post(
        url(waiting), moment(happened_at=(timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    )
    waiting.refresh_from_db()
    first_contact = waiting.first_contact_at
    client_a.post(reverse("kandidaten:candidate_status", args=[waiting.pk]), {"status": Status.REFERRED})

    client_a.post(url(waiting), moment(channel=Channel.EMAIL, summary="Mail over de meeloopdag."))

    waiting.refresh_from_db()
    assert waiting.status == Status.REFERRED
    assert waiting.first_contact_at == first_contact
    assert waiting.contact_moments.count() == 2


def test_the_time_is_optional_to_change_and_may_be_earlier(client_a, waiting):
    yesterday = timezone.localtime() - timedelta(days=1)

    client_a.post(url(waiting), moment(happened_at=yesterday.strftime("%Y-%m-%dT%H:%M")))

    saved = ContactMoment.objects.get(candidate=waiting)
    assert saved.happened_at == yesterday.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"summary": ""}, "summary", "Dit veld is verplicht."),
        ({"channel": ""}, "channel", "Dit veld is verplicht."),
        ({"channel": "pigeon"}, "channel", "Kies een van de mogelijkheden uit de lijst."),
        ({"happened_at": ""}, "happened_at", "Dit veld is verplicht."),
        ({"happened_at": "gisteren"}, "happened_at", "Vul een datum en tijd in"),
        ({"happened_at": "2999-01-01T10:00"}, "happened_at", "Een contactmoment kan niet in de toekomst liggen."),
        ({"summary": "x" * 4001}, "summary", "4000"),
    ],
)
def test_bad_input_is_refused_at_the_field(client_a, waiting, changes, field, message):
    response = client_a.post(url(waiting), moment(**changes))

    assert response.status_code == 200
    assert response.context["contact_form"].errors[field]
    assert message in response.content.decode()
    assert "Goed met mensen, rijbewijs." in response.content.decode()  # what was typed stays
    assert not ContactMoment.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.NEW


def test_a_moment_a_minute_from_now_is_in_the_future(client_a, waiting):
    later = timezone.localtime() + timedelta(minutes=2)

    response = client_a.post(url(waiting), moment(happened_at=later.strftime("%Y-%m-%dT%H:%M")))

    assert "Een contactmoment kan niet in de toekomst liggen." in response.content.decode()


def test_get_is_not_allowed(client_a, waiting):
    assert client_a.get(url(waiting)).status_code == 405
