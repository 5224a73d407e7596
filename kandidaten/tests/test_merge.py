"""Merging two records of one person keeps every timeline entry, contact moment and consent."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import Branch
from kandidaten import services
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, Channel, Consent, ContactMoment, TimelineEvent

pytestmark = pytest.mark.django_db


def url(first, second) -> str:
    return reverse("kandidaten:candidate_merge", args=[first.pk, second.pk])


@pytest.fixture
def pair(region_a, coordinator_a):
    """Anna signed up twice: once with her work address, later by phone with her own."""
    now = timezone.now()
    old = CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Jansen",
        email="a.jansen@zorgwerk.example",
        postcode="9711 AB",
        signed_up_at=now - timedelta(days=20),
        diplomas="",
    )
    new = CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Jansen",
        email="anna.jansen@example.org",
        postcode="9711 AB",
        signed_up_at=now - timedelta(days=2),
        diplomas="mbo Helpende Zorg en Welzijn",
    )
    new.branches.add(Branch.objects.get(slug="ggz"))
    for candidate, summary in [(old, "Eerste gesprek."), (new, "Tweede gesprek.")]:
        services.contact_moment_log(
            candidate=candidate,
            actor=coordinator_a,
            details={"channel": Channel.PHONE, "happened_at": now - timedelta(days=1), "summary": summary},
        )
    return old, new


def test_merge_keeps_every_timeline_entry_contact_moment_and_consent(client_a, coordinator_a, pair):
    old, new = pair
    events = set(TimelineEvent.objects.filter(candidate__in=pair).values_list("pk", flat=True))
    moments = set(ContactMoment.objects.filter(candidate__in=pair).values_list("pk", flat=True))
    consents = set(Consent.objects.filter(candidate__in=pair).values_list("pk", flat=True))
    assert len(events) == 6 and len(moments) == 2 and len(consents) == 6

    response = client_a.post(url(new, old), {"keep": old.pk}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("kandidaten:candidate", args=[old.pk])
    page = response.content.decode()
    assert "Samengevoegd: de geschiedenis van Anna Jansen staat nu bij Anna Jansen." in page
    assert not Candidate.objects.filter(pk=new.pk).exists()
    old.refresh_from_db()
    assert events <= set(old.timeline.values_list("pk", flat=True))
    assert set(old.contact_moments.values_list("pk", flat=True)) == moments
    assert set(old.consents.values_list("pk", flat=True)) == consents
    merge = old.timeline.get(kind=TimelineEvent.Kind.MERGE)
    assert merge.actor == coordinator_a
    assert merge.data == {"merged_name": "Anna Jansen", "merged_id": new.pk}
    # Details the kept record lacked come from the other one; the lists are joined.
    assert old.diplomas == "mbo Helpende Zorg en Welzijn"
    assert old.email == "a.jansen@zorgwerk.example"
    assert list(old.branches.values_list("slug", flat=True)) == ["ggz"]
    assert "Eerste gesprek." in page and "Tweede gesprek." in page
    assert f"Samengevoegd met Anna Jansen (nummer {new.pk})" in page


def test_either_record_can_be_kept(client_a, pair):
    old, new = pair

    client_a.post(url(old, new), {"keep": new.pk})

    assert not Candidate.objects.filter(pk=old.pk).exists()
    new.refresh_from_db()
    assert new.signed_up_at == old.signed_up_at  # the earliest sign-up counts
    assert new.contact_moments.count() == 2


@pytest.mark.parametrize("keep", ["", "abc", "999999"])
def test_a_record_to_keep_must_be_chosen(client_a, pair, keep):
    old, new = pair

    response = client_a.post(url(old, new), {"keep": keep}, follow=True)

    assert "Kies welke kandidaat je bewaart." in response.content.decode()
    assert Candidate.objects.filter(pk__in=[old.pk, new.pk]).count() == 2


def test_a_third_record_cannot_be_slipped_in(client_a, pair, region_a):
    old, new = pair
    third = CandidateFactory(region=region_a)

    client_a.post(url(old, new), {"keep": third.pk})

    assert Candidate.objects.filter(pk__in=[old.pk, new.pk, third.pk]).count() == 3


def test_a_record_cannot_be_merged_with_itself(client_a, pair):
    old, _new = pair

    assert client_a.post(url(old, old), {"keep": old.pk}).status_code == 404


def test_both_records_must_be_visible(client_a, pair, region_b):
    old, _new = pair
    elsewhere = CandidateFactory(region=region_b, first_name="Anna", last_name="Jansen")

    assert client_a.post(url(old, elsewhere), {"keep": old.pk}).status_code == 404
    assert client_a.post(url(elsewhere, old), {"keep": old.pk}).status_code == 404
    assert Candidate.objects.filter(pk=elsewhere.pk).exists()


def test_an_administrator_can_merge_across_regions(administrator_client, pair, region_b):
    old, _new = pair
    elsewhere = CandidateFactory(region=region_b, first_name="Anna", last_name="Jansen")

    administrator_client.post(url(old, elsewhere), {"keep": old.pk})

    assert not Candidate.objects.filter(pk=elsewhere.pk).exists()


def test_merging_is_post_only(client_a, pair):
    old, new = pair

    assert client_a.get(url(old, new)).status_code == 405
    assert Candidate.objects.filter(pk__in=[old.pk, new.pk]).count() == 2


def test_the_merge_button_asks_first(client_a, pair):
    old, _new = pair

    page = client_a.get(reverse("kandidaten:candidate", args=[old.pk])).content.decode()

    assert 'data-confirm="Deze twee samenvoegen tot één kandidaat? Dit kun je niet ongedaan maken."' in page
