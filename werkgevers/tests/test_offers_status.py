"""concept → gepubliceerd → vol / verlopen → gesloten: the employer's status buttons and what they refuse."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from werkgevers import offers as services
from werkgevers.factories import OfferFactory, PlaceOfferFactory, RegistrationFactory
from werkgevers.models import Offer, OfferKind, Registration

from .offers_helpers import form_data

pytestmark = pytest.mark.django_db

Status = Offer.Status


def status_url(offer: Offer) -> str:
    return reverse("werkgevers:offer_status", args=[offer.pk])


def act(client, offer: Offer, action: str):
    response = client.post(status_url(offer), {"action": action}, follow=True)
    offer.refresh_from_db()
    return response


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("kind", OfferKind.values)
def test_every_kind_can_be_created_published_copied_and_closed(employer_a_client, organisation_a, kind):
    employer_a_client.post(f"{reverse('werkgevers:offer_create')}?soort={kind}", form_data(kind, organisation_a))
    offer = Offer.objects.get()

    published = act(employer_a_client, offer, "publish")
    assert offer.status == Status.PUBLISHED
    assert offer.published_at is not None
    assert any("Het aanbod is gepubliceerd" in text for text in messages_of(published))

    copied = employer_a_client.post(reverse("werkgevers:offer_copy", args=[offer.pk]), {"weeks": "1"})
    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert copied.url == reverse("werkgevers:offer_edit", args=[copy.pk])
    assert copy.kind == kind and copy.status == Status.DRAFT

    closed = act(employer_a_client, offer, "close")
    assert offer.status == Status.CLOSED
    assert "Het aanbod is gesloten." in messages_of(closed)


def test_a_public_activity_says_it_is_in_the_agenda(employer_a_client, organisation_a):
    offer = OfferFactory(organisation=organisation_a, status=Status.DRAFT, published_at=None)

    response = act(employer_a_client, offer, "publish")

    assert messages_of(response) == [
        "Het aanbod is gepubliceerd: het staat in de openbare agenda en regiocoördinatoren zien het."
    ]


def test_publishing_twice_says_it_is_done_already(employer_a_client, organisation_a):
    offer = OfferFactory(organisation=organisation_a)

    response = act(employer_a_client, offer, "publish")

    assert offer.status == Status.PUBLISHED
    assert messages_of(response) == ["Al gedaan: het aanbod is Gepubliceerd."]


def test_an_activity_in_the_past_cannot_be_published(employer_a_client, organisation_a):
    start = timezone.now() - timedelta(hours=1)
    offer = OfferFactory(organisation=organisation_a, status=Status.DRAFT, starts_at=start)

    response = act(employer_a_client, offer, "publish")

    assert offer.status == Status.DRAFT
    assert "De activiteit is al begonnen. Kies eerst een nieuwe datum." in messages_of(response)[0]


def test_an_incomplete_copy_cannot_be_published(employer_a_client, employer_a, organisation_a):
    original = OfferFactory(organisation=organisation_a)
    copy = services.offer_copy(offer=original, actor=employer_a)

    response = act(employer_a_client, copy, "publish")

    assert copy.status == Status.DRAFT
    text = messages_of(response)[0]
    assert text.startswith("Het aanbod kan nog niet gepubliceerd worden.")
    assert "Vul in:" in text
    page = employer_a_client.get(reverse("werkgevers:offer_detail", args=[copy.pk])).content.decode()
    assert "Voordat je kunt publiceren:" in page


def test_a_vacancy_past_its_open_until_date_cannot_be_published(employer_a_client, organisation_a):
    offer = PlaceOfferFactory(
        organisation=organisation_a,
        kind=OfferKind.VACATURE,
        status=Status.DRAFT,
        places=None,
        contract_type="permanent",
        valid_until=timezone.localdate() - timedelta(days=1),
    )

    response = act(employer_a_client, offer, "publish")

    assert offer.status == Status.DRAFT
    assert "De datum 'open tot en met' is voorbij." in messages_of(response)[0]


def test_an_expired_offer_with_a_new_date_can_be_published_again(employer_a_client, organisation_a):
    offer = PlaceOfferFactory(
        organisation=organisation_a, status=Status.EXPIRED, valid_until=timezone.localdate() + timedelta(days=30)
    )

    act(employer_a_client, offer, "publish")

    assert offer.status == Status.PUBLISHED


def test_back_to_draft_while_nobody_signed_up(employer_a_client, organisation_a):
    offer = OfferFactory(organisation=organisation_a)

    response = act(employer_a_client, offer, "unpublish")

    assert offer.status == Status.DRAFT
    assert messages_of(response) == ["Het aanbod is weer een concept: alleen je eigen organisatie ziet het."]


def test_not_back_to_draft_once_people_signed_up(employer_a_client, organisation_a):
    offer = OfferFactory(organisation=organisation_a)
    Offer.objects.filter(pk=offer.pk).update(registered_count=2)

    response = act(employer_a_client, offer, "unpublish")

    assert offer.status == Status.PUBLISHED
    assert messages_of(response)[0].startswith("Er hebben zich al mensen aangemeld")


def test_not_back_to_draft_with_someone_on_the_waiting_list(employer_a_client, organisation_a):
    offer = OfferFactory(organisation=organisation_a)
    RegistrationFactory(offer=offer, status=Registration.Status.WAITING)

    act(employer_a_client, offer, "unpublish")

    assert offer.status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.FULL, Status.EXPIRED])
def test_close(employer_a_client, organisation_a, status):
    offer = OfferFactory(organisation=organisation_a, status=status)

    act(employer_a_client, offer, "close")

    assert offer.status == Status.CLOSED


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (Status.CLOSED, "close", "Al gedaan: het aanbod is Gesloten."),
        (Status.DRAFT, "unpublish", "Al gedaan: het aanbod is Concept."),
        (Status.DRAFT, "close", "Dat kan niet: het aanbod is Concept."),
        (Status.FULL, "unpublish", "Dat kan niet: het aanbod is Vol."),
        (Status.FULL, "publish", "Al gedaan: het aanbod is Vol."),
        (Status.CLOSED, "publish", "Dat kan niet: het aanbod is Gesloten."),
        (Status.CLOSED, "unpublish", "Dat kan niet: het aanbod is Gesloten."),
    ],
)
def test_impossible_steps_say_why(employer_a_client, organisation_a, status, action, message):
    offer = OfferFactory(organisation=organisation_a, status=status)

    response = act(employer_a_client, offer, action)

    assert offer.status == status
    assert messages_of(response) == [message]


@pytest.mark.parametrize("data", [{}, {"action": "delete"}, {"action": "<script>"}])
def test_an_unknown_action(employer_a_client, organisation_a, data):
    offer = OfferFactory(organisation=organisation_a)

    response = employer_a_client.post(status_url(offer), data, follow=True)

    assert response.status_code == 200
    assert messages_of(response) == ["Kies een van de knoppen op de pagina."]


def test_the_status_changes_by_post_only(employer_a_client, organisation_a):
    offer = OfferFactory(organisation=organisation_a)

    assert employer_a_client.get(status_url(offer), {"action": "close"}).status_code == 405
    offer.refresh_from_db()
    assert offer.status == Status.PUBLISHED


def test_the_page_offers_only_the_steps_that_are_possible(employer_a_client, organisation_a):
    draft = OfferFactory(organisation=organisation_a, status=Status.DRAFT)
    full = OfferFactory(organisation=organisation_a, status=Status.FULL)

    draft_page = employer_a_client.get(reverse("werkgevers:offer_detail", args=[draft.pk])).content.decode()
    full_page = employer_a_client.get(reverse("werkgevers:offer_detail", args=[full.pk])).content.decode()

    assert 'value="publish"' in draft_page and 'value="close"' not in draft_page
    assert 'value="publish"' not in full_page and 'value="unpublish"' not in full_page
    assert 'value="close"' in full_page
