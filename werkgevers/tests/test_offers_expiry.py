"""Published and full offers expire by themselves when their time is over; a Celery beat entry runs it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contactpunt.celery import app
from werkgevers import tasks
from werkgevers.factories import OfferFactory, PlaceOfferFactory
from werkgevers.models import Offer, OfferKind
from werkgevers.offers import expire_offers

pytestmark = pytest.mark.django_db

Status = Offer.Status


@pytest.fixture
def offers(organisation_a):
    now = timezone.now()
    today = timezone.localdate(now)
    return {
        "started": OfferFactory(organisation=organisation_a, starts_at=now - timedelta(minutes=1)),
        "full_started": OfferFactory(
            organisation=organisation_a, status=Status.FULL, starts_at=now - timedelta(days=1)
        ),
        "to_come": OfferFactory(organisation=organisation_a, starts_at=now + timedelta(hours=1)),
        "past_place": PlaceOfferFactory(organisation=organisation_a, valid_until=today - timedelta(days=1)),
        "place_today": PlaceOfferFactory(organisation=organisation_a, valid_until=today),
        "place_open": PlaceOfferFactory(organisation=organisation_a, valid_until=None),
        "past_vacancy": PlaceOfferFactory(
            organisation=organisation_a, kind=OfferKind.VACATURE, valid_until=today - timedelta(days=40)
        ),
        "past_draft": OfferFactory(organisation=organisation_a, status=Status.DRAFT, starts_at=now - timedelta(days=1)),
        "past_closed": OfferFactory(
            organisation=organisation_a, status=Status.CLOSED, starts_at=now - timedelta(days=1)
        ),
    }


def statuses(offers: dict) -> dict:
    return {name: Offer.objects.get(pk=offer.pk).status for name, offer in offers.items()}


def test_past_offers_expire_and_others_do_not(offers):
    changed = expire_offers()

    assert changed == 4
    assert statuses(offers) == {
        "started": Status.EXPIRED,
        "full_started": Status.EXPIRED,
        "to_come": Status.PUBLISHED,
        "past_place": Status.EXPIRED,
        "place_today": Status.PUBLISHED,
        "place_open": Status.PUBLISHED,
        "past_vacancy": Status.EXPIRED,
        "past_draft": Status.DRAFT,
        "past_closed": Status.CLOSED,
    }


def test_running_twice_changes_nothing_more(offers):
    expire_offers()
    before = statuses(offers)

    assert expire_offers() == 0
    assert statuses(offers) == before


def test_an_activity_expires_at_its_start(offers):
    expire_offers(now=timezone.now() + timedelta(hours=2))

    assert Offer.objects.get(pk=offers["to_come"].pk).status == Status.EXPIRED


def test_the_task_takes_no_arguments_and_calls_the_expiry(offers):
    assert tasks.expire_offers.delay().get() == 4
    assert tasks.expire_offers.delay().get() == 0
    assert Offer.objects.get(pk=offers["started"].pk).status == Status.EXPIRED


def test_the_beat_entry_runs_a_registered_task_every_15_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-offers"]

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert app.tasks[entry["task"]].name == tasks.expire_offers.name
    assert entry["schedule"] == 15 * 60
    assert not entry.get("args")


def test_lists_show_a_past_activity_as_expired_before_the_job_runs(employer_a_client, client_a, organisation_a):
    started = OfferFactory(
        organisation=organisation_a, starts_at=timezone.now() - timedelta(minutes=5), title="Gisteren"
    )

    employer = employer_a_client.get(reverse("werkgevers:employer_offers"), {"status": "expired"})
    coordinator = client_a.get(reverse("werkgevers:coordinator_offers"), {"status": "expired"})
    still_open = client_a.get(reverse("werkgevers:coordinator_offers"), {"status": "open"})

    assert Offer.objects.get(pk=started.pk).status == Status.PUBLISHED
    assert [offer.shown_label for offer in employer.context["page"]] == ["Verlopen"]
    assert [offer.pk for offer in coordinator.context["page"]] == [started.pk]
    assert "Verlopen" in coordinator.content.decode()
    assert list(still_open.context["page"]) == []
