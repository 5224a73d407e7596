"""The candidate page: every detail, the forms to act, the timeline and likely duplicates."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory, RegionFactory
from contactpunt.models import Branch, Function, NextStep, TargetGroup
from kandidaten import services
from kandidaten.factories import CandidateFactory, ContactMomentFactory
from kandidaten.models import Channel, Consent, ConsentPurpose, ContactMoment, Status, StopReason, TimelineEvent

pytestmark = pytest.mark.django_db


def url(candidate) -> str:
    return reverse("kandidaten:candidate", args=[candidate.pk])


def text(response) -> str:
    """The page as a person reads it: tags dropped, white space collapsed."""
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def anna(region_a):
    candidate = CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="de Vries",
        email="anna@example.org",
        phone="+31612345678",
        postcode="9711 AB",
        place="Groningen",
        diplomas="mbo Helpende Zorg en Welzijn",
        diploma_abroad=True,
        hours_per_week=24,
        max_travel_km=25,
        support_needs="Hulp met Nederlands",
        message="Ik wil graag met ouderen werken.",
        consents=[ConsentPurpose.CONTACT, ConsentPurpose.CAMPAIGN_NEWS],
    )
    candidate.branches.add(Branch.objects.get(slug="vvt"))
    candidate.functions.add(Function.objects.get(slug="vig"))
    candidate.next_steps.add(NextStep.objects.get(slug="meeloopdag"), NextStep.objects.get(slug="bbl"))
    candidate.target_groups.add(TargetGroup.objects.get(slug="statushouder"))
    return candidate


def test_the_page_shows_every_detail(client_a, anna):
    response = client_a.get(url(anna))

    assert response.status_code == 200
    page = text(response)
    assert "<h1" in response.content.decode()
    for expected in [
        "Anna de Vries",
        "anna@example.org",
        "06 12345678",
        "9711 AB Groningen",
        "Noord-Nederland",
        "Ik werk buiten zorg en welzijn",
        "mbo niveau 2",
        "mbo Helpende Zorg en Welzijn",
        "Diploma in het buitenland gehaald",
        "VVT / ouderenzorg",
        "Verzorgende IG (VIG)",
        "Meeloopdag, BBL / werken en leren",
        "Statushouder",
        "24",
        "tot 25 km",
        "Hulp met Nederlands",
        "Ik wil graag met ouderen werken.",
        "Campagne Ik Zorg",
        "Nieuw",
    ]:
        assert expected in page, expected
    assert 'href="tel:+31612345678"' in response.content.decode()


def test_the_current_consent_per_purpose_with_version_and_date(client_a, anna):
    Consent.objects.filter(candidate=anna).update(recorded_at=timezone.now() - timedelta(days=30))
    Consent.objects.create(
        candidate=anna, purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS, granted=True, text_version="2027-01"
    )

    page = text(client_a.get(url(anna)))

    assert "Contact door het contactpunt Ja versie 2026-11" in page
    assert "Mijn profiel delen met werkgevers aan wie ik word voorgesteld Ja versie 2027-01" in page
    assert "Nieuws van de campagne Ja versie 2026-11" in page
    assert f"{timezone.localtime().year}" in page


def test_a_purpose_never_asked_says_so(client_a, region_a):
    candidate = CandidateFactory(region=region_a)
    Consent.objects.filter(candidate=candidate, purpose=ConsentPurpose.CAMPAIGN_NEWS).delete()

    assert "Nieuws van de campagne Niet gevraagd" in text(client_a.get(url(candidate)))


def test_the_status_form_offers_the_allowed_next_statuses_only(client_a, anna):
    form = client_a.get(url(anna)).context["status_form"]

    assert [value for value, _label in form.fields["status"].choices if value] == [
        Status.IN_CONVERSATION,
        Status.REFERRED,
        Status.STOPPED,
    ]


def test_the_assignment_form_offers_coordinators_of_the_region_and_administrators(
    client_a, anna, coordinator_a, coordinator_b, administrator
):
    colleague = CoordinatorFactory(first_name="Carla", last_name="Collega", regions=[anna.region])
    retired = CoordinatorFactory(regions=[anna.region], is_active=False)

    offered = set(client_a.get(url(anna)).context["assign_form"].fields["assignee"].queryset)

    assert offered == {coordinator_a, colleague, administrator}
    assert coordinator_b not in offered
    assert retired not in offered


def test_the_contact_form_defaults_to_now(client_a, anna):
    page = client_a.get(url(anna)).content.decode()

    now = timezone.localtime()
    assert f'value="{now:%Y-%m-%d}T' in page
    assert 'type="datetime-local"' in page


def test_the_timeline_tells_who_did_what_and_when_newest_first(client_a, coordinator_a, region_a, administrator):
    registration = services.candidate_register(
        details={
            "first_name": "Bram",
            "last_name": "Bakker",
            "email": "bram@example.org",
            "phone": "+31687654321",
            "postcode": "9711 AB",
            "situation": "job_seeker",
            "education_level": 30,
            "source": "school",
        },
        consents={ConsentPurpose.CONTACT: True},
        channel=services.SignupChannel.INTAKE,
    )
    bram = registration.candidate
    services.candidate_register(
        details={
            "first_name": "Bram",
            "last_name": "Bakker",
            "email": "bram@example.org",
            "phone": "+31687654321",
            "postcode": "9711 AB",
            "place": "Haren",
            "situation": "job_seeker",
            "education_level": 30,
            "source": "campaign",
        },
        consents={ConsentPurpose.CONTACT: True},
        channel=services.SignupChannel.PHONE,
        actor=coordinator_a,
    )
    services.candidate_assign(candidate=bram, assignee=coordinator_a, actor=coordinator_a)
    services.contact_moment_log(
        candidate=bram,
        actor=coordinator_a,
        details={
            "channel": Channel.PHONE,
            "happened_at": timezone.now(),
            "summary": "Kennismaking: wil graag in de thuiszorg werken.",
            "abilities": "Rijbewijs, ervaring als mantelzorger.",
            "wishes": "Overdag werken.",
            "agreed_next_step": "Meeloopdag bij Zorggroep Noord.",
        },
    )
    services.candidate_change_status(candidate=bram, status=Status.REFERRED, actor=coordinator_a)
    bram.refresh_from_db()
    services.candidate_update(candidate=bram, details={"hours_per_week": 32}, actor=coordinator_a)
    services.candidate_change_status(
        candidate=bram, status=Status.STOPPED, actor=coordinator_a, reason=StopReason.MOVED, note="Naar Utrecht."
    )
    other = CandidateFactory(
        region=region_a,
        first_name="Bram",
        last_name="Bakker-Dubbel",
        source="employer",
        signed_up_at=timezone.now() - timedelta(days=3),
    )
    services.candidate_merge(keep=bram, remove=other, actor=administrator)

    response = client_a.get(url(bram))

    page = text(response)
    lines = [
        "Samengevoegd met Bram Bakker-Dubbel",
        "Status: Doorverwezen → Gestopt",
        "Reden Verhuisd buiten de regio",
        "Toelichting Naar Utrecht.",
        "Gegevens gewijzigd",
        "Status: In gesprek → Doorverwezen",
        "Status: Nieuw → In gesprek",
        "Contactmoment: Telefoon",
        "Kennismaking: wil graag in de thuiszorg werken.",
        "Rijbewijs, ervaring als mantelzorger.",
        "Overdag werken.",
        "Meeloopdag bij Zorggroep Noord.",
        f"Toegewezen aan {coordinator_a}",
        "Opnieuw aangemeld via de telefoon",
        "Aangemeld via het aanmeldformulier",
        "Kent ons via School",
        "Kent ons via Een werkgever",  # the sign-up of the merged record, three days earlier
    ]
    timeline = page.split("Tijdlijn", 1)[1]
    positions = [timeline.find(line) for line in lines]
    assert -1 not in positions, [line for line, position in zip(lines, positions, strict=True) if position == -1]
    assert positions == sorted(positions)
    assert "Uren per week" in timeline
    assert "de kandidaat" in timeline  # who signed up through the form
    assert str(coordinator_a) in timeline
    assert str(administrator) in timeline


def test_the_timeline_shows_routing_and_hand_over(administrator_client, administrator, region_b):
    candidate = CandidateFactory(region=None, postcode="1011 AB")
    services.candidate_hand_to_region(candidate=candidate, region=region_b, actor=administrator)

    page = text(administrator_client.get(url(candidate)))

    assert "Regio gewijzigd: landelijke wachtrij → Utrecht" in page


def test_an_empty_timeline_says_so(client_a, region_a):
    candidate = CandidateFactory(region=region_a, signup_event=False)

    assert "Er is nog niets gebeurd." in text(client_a.get(url(candidate)))


def test_likely_duplicates_are_shown_with_a_merge_button(client_a, anna, region_a):
    twin = CandidateFactory(region=region_a, first_name="Anna", last_name="de Vries", postcode="9711 AB")
    same_phone = CandidateFactory(region=region_a, first_name="A.", last_name="Vries", phone="+31612345678")
    CandidateFactory(region=region_a, first_name="Piet", last_name="Peters")

    response = client_a.get(url(anna))

    assert set(response.context["duplicates"]) == {twin, same_phone}
    page = response.content.decode()
    assert reverse("kandidaten:candidate_merge", args=[anna.pk, twin.pk]) in page
    assert "Samenvoegen" in page
    assert "Piet Peters" not in page


def test_likely_duplicates_from_another_region_stay_hidden(client_a, anna, region_b):
    CandidateFactory(region=region_b, first_name="Anna", last_name="de Vries", phone="+31612345678", email="x@y.nl")

    response = client_a.get(url(anna))

    assert list(response.context["duplicates"]) == []
    assert "Geen mogelijke dubbele aanmeldingen gevonden." in text(response)
    assert "x@y.nl" not in response.content.decode()


def test_only_administrators_see_the_hand_over_form(client_a, administrator_client, anna):
    assert "Overdragen aan een regio" not in text(client_a.get(url(anna)))
    assert "Overdragen aan een regio" in text(administrator_client.get(url(anna)))


def _timeline_of(candidate, count: int, actor) -> None:
    """`count` timeline events of every kind, half of them contact moments."""
    now = timezone.now()
    moments = ContactMoment.objects.bulk_create(
        ContactMoment(candidate=candidate, author=actor, channel=Channel.PHONE, summary=f"Gesprek {n}", happened_at=now)
        for n in range(count // 2)
    )
    kinds = [
        (TimelineEvent.Kind.STATUS, {"from": "new", "to": "in_conversation"}),
        (TimelineEvent.Kind.ASSIGNMENT, {"to": str(actor), "to_id": actor.pk}),
        (TimelineEvent.Kind.EDIT, {"changed": ["place"]}),
        (TimelineEvent.Kind.ROUTING, {"from": None, "to": "Noord-Nederland"}),
        (TimelineEvent.Kind.SIGNUP, {"channel": "intake", "source": "school", "repeat": True, "changed": ["place"]}),
    ]
    events = [
        TimelineEvent(
            candidate=candidate, kind=TimelineEvent.Kind.CONTACT, actor=actor, contact_moment=moment, created_at=now
        )
        for moment in moments
    ]
    events += [
        TimelineEvent(candidate=candidate, kind=kind, data=data, actor=actor if n % 2 else None, created_at=now)
        for n, (kind, data) in zip(range(count - len(events) - 1), kinds * count, strict=False)
    ]
    TimelineEvent.objects.bulk_create(events)


# The candidate page:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS; BEGIN on a real request)
#  4. the candidate with region and coordinator (select_related)
#  5. branches, 6. functions, 7. next steps, 8. target groups (prefetch_related)
#  9. consents (prefetch_related, newest first)
# 10. the timeline with actor, contact moment and its author (one prefetch with select_related)
# 11. introductions to employers with offer, organisation, location and coordinators (employers panel)
# 12. activity registrations with their offer and organisation (employers panel)
# 13. BBL placements with their class and employer (employers panel)
# 14. the published offers of the user's regions for the introduce form, with this week's introductions
# 15. the best open match suggestions with offer, organisation and location, and whether the user may
#     open the offer (a subquery), at most ten
# 16. the decided match suggestions with offer, organisation and who decided, at most ten
# 17. the people the candidate can be assigned to
# 18. likely duplicates among the candidates the user may see (one query)
# 19. the candidate's open erasure request, if any
# 20. the audit row of this view (after rendering, so a 404 writes none)
# 21. RELEASE SAVEPOINT
# An administrator's page also lists the regions for the hand-over form: one more.
CANDIDATE_PAGE_QUERIES = 21


@pytest.mark.parametrize("events", [10, 500])
def test_the_page_runs_a_fixed_number_of_queries(client_a, coordinator_a, anna, events, django_assert_num_queries):
    _timeline_of(anna, events, coordinator_a)
    ContactMomentFactory(candidate=CandidateFactory(region=anna.region, phone=anna.phone))  # a likely duplicate
    assert anna.timeline.count() == events

    with django_assert_num_queries(CANDIDATE_PAGE_QUERIES):
        response = client_a.get(url(anna))

    assert response.status_code == 200
    assert response.content.decode().count('<li class="timeline-') == events


@pytest.mark.parametrize("events", [10, 500])
def test_the_administrators_page_runs_a_fixed_number_of_queries(
    administrator_client, administrator, anna, events, django_assert_num_queries
):
    _timeline_of(anna, events, administrator)

    with django_assert_num_queries(CANDIDATE_PAGE_QUERIES + 1):
        administrator_client.get(url(anna))


def test_a_candidate_of_a_region_without_coordinators_can_be_opened(administrator_client):
    candidate = CandidateFactory(region=RegionFactory(name="Flevoland", slug="flevoland"))

    assert administrator_client.get(url(candidate)).status_code == 200
