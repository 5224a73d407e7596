"""The reads and writes behind the dashboard: search, counts, duplicate pairs, who can be assigned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactpunt.factories import AdministratorFactory, CoordinatorFactory, EmployerUserFactory
from contactpunt.models import Branch
from kandidaten import services
from kandidaten.factories import CandidateFactory, TimelineEventFactory
from kandidaten.filters import CandidateFilter, colleagues_of
from kandidaten.forms import AssignForm, ContactMomentForm, MergeForm, StatusForm, assignable_users
from kandidaten.models import Candidate, Channel, Status, StopReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(region_a):
    return CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="van der Berg",
        email="anna.berg@example.org",
        phone="+31612345678",
        postcode="9711 AB",
    )


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("", True),
        ("   ", True),
        ("anna", True),
        ("BERG", True),
        ("anna van der berg", True),
        ("Anna  Berg", True),
        ("Anna Jansen", False),
        ("berg@example", True),
        ("anna.berg+nieuws@example.org", True),
        ("+31612345678", True),
        ("+316123", True),
        ("0031 6 1234", True),
        ("06-1234", True),
        ("(06) 12 34 56 78", True),
        ("345678", True),
        ("123", False),  # too few digits to mean anything
        ("0687654321", False),
        ("9711AB", True),
        ("9711 ab", True),
        ("9711-AB", True),
        ("9711", True),
        ("9711 A", True),
        ("9712", False),
        ("9711 AC", False),
    ],
)
def test_search(anna, typed, found):
    assert (anna in Candidate.objects.search(typed)) is found


def test_search_does_not_treat_a_postcode_as_a_phone_number(region_a):
    CandidateFactory(region=region_a, phone="+31597110000", postcode="1234 AB")

    assert not Candidate.objects.search("9711 AB").exists()


def test_dashboard_counts_in_one_query(region_a, coordinator_a, django_assert_num_queries):
    now = timezone.now()
    CandidateFactory(region=region_a, signed_up_at=now - timedelta(days=10))
    CandidateFactory(region=region_a, signed_up_at=now - timedelta(days=10), first_contact_at=now)
    CandidateFactory(region=region_a, assigned_to=coordinator_a)
    CandidateFactory(region=region_a, status=Status.STOPPED, stop_reason=StopReason.MOVED)

    with django_assert_num_queries(1):
        counts = Candidate.objects.all().dashboard_counts(now)

    assert counts == {"open": 3, "overdue": 1, "unassigned": 2}


def test_with_details_fetches_everything_up_front(anna, coordinator_a, django_assert_num_queries):
    anna.branches.add(Branch.objects.get(slug="ggz"))
    services.contact_moment_log(
        candidate=anna,
        actor=coordinator_a,
        details={"channel": Channel.PHONE, "happened_at": timezone.now(), "summary": "Gebeld."},
    )
    TimelineEventFactory.create_batch(3, candidate=anna, actor=coordinator_a)
    candidate = Candidate.objects.with_details().get(pk=anna.pk)

    with django_assert_num_queries(0):
        assert [branch.slug for branch in candidate.branches.all()] == ["ggz"]
        assert len(candidate.consents.all()) == 3
        for event in candidate.timeline.all():
            str(event.actor)
            if event.contact_moment:
                str(event.contact_moment.author)
        assert str(candidate.region) == "Noord-Nederland"


def test_duplicate_pairs_by_every_rule(region_a):
    same_name = CandidateFactory.create_batch(2, region=region_a, first_name="Piet", last_name="Pieters")
    same_key = [
        CandidateFactory(region=region_a, email="kees.klaassen@gmail.com"),
        CandidateFactory(region=region_a, email="KeesKlaassen@googlemail.com"),
    ]
    same_local = [
        CandidateFactory(region=region_a, email="marieke@kpn.example"),
        CandidateFactory(region=region_a, email="marieke@ziggo.example"),
    ]
    same_phone = CandidateFactory.create_batch(2, region=region_a, phone="+31699999999")
    CandidateFactory(region=region_a)

    pairs = {frozenset({first.pk, second.pk}): rules for first, second, rules in Candidate.objects.duplicate_pairs()}

    assert pairs == {
        frozenset(c.pk for c in same_name): ["name_postcode"],
        frozenset(c.pk for c in same_key): ["email"],
        frozenset(c.pk for c in same_local): ["email_local"],
        frozenset(c.pk for c in same_phone): ["phone"],
    }


def test_duplicate_pairs_of_a_group_and_the_limit(region_a):
    CandidateFactory.create_batch(4, region=region_a, phone="+31699999999")

    assert len(Candidate.objects.duplicate_pairs()) == 6  # every two of four
    assert len(Candidate.objects.duplicate_pairs(limit=4)) == 4


def test_duplicate_pairs_within_a_scope(region_a, region_b, coordinator_a):
    CandidateFactory(region=region_a, phone="+31699999999")
    CandidateFactory(region=region_b, phone="+31699999999")

    assert Candidate.objects.visible_to(coordinator_a).duplicate_pairs() == []
    assert len(Candidate.objects.duplicate_pairs()) == 1


def test_colleagues_and_assignable_people(region_a, region_b, coordinator_a, coordinator_b, administrator, anna):
    colleague = CoordinatorFactory(regions=[region_a, region_b])
    CoordinatorFactory(regions=[region_a], is_active=False)
    EmployerUserFactory()

    assert set(colleagues_of(coordinator_a)) == {coordinator_a, colleague}
    assert set(colleagues_of(administrator)) == {coordinator_a, coordinator_b, colleague, administrator}
    assert set(assignable_users(anna)) == {coordinator_a, colleague, administrator}
    queued = CandidateFactory(region=None)
    assert set(assignable_users(queued)) == {administrator}


def test_assign_form_checks_the_region(anna, coordinator_a, coordinator_b):
    assert AssignForm({"assignee": coordinator_a.pk}, candidate=anna).is_valid()
    assert not AssignForm({"assignee": coordinator_b.pk}, candidate=anna).is_valid()
    assert AssignForm({"assignee": ""}, candidate=anna).is_valid()


def test_assign_form_notices_a_change_since_the_page_was_shown(anna, coordinator_a):
    assert AssignForm({"assignee": coordinator_a.pk, "seen": ""}, candidate=anna).is_valid()
    anna.assigned_to = coordinator_a
    form = AssignForm({"assignee": coordinator_a.pk, "seen": ""}, candidate=anna)
    assert not form.is_valid()
    assert form.has_error("__all__", "stale")


def test_status_form_offers_what_the_pipeline_allows(anna):
    for status, allowed in services.ALLOWED_TRANSITIONS.items():
        anna.status = status
        offered = {value for value, _label in StatusForm(candidate=anna).fields["status"].choices if value}
        assert offered == set(allowed)


def test_contact_moment_form_refuses_the_future():
    future = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = ContactMomentForm({"channel": Channel.EMAIL, "happened_at": future, "summary": "Mail gestuurd."})

    assert not form.is_valid()
    assert "happened_at" in form.errors


def test_merge_form_names_the_two_records(region_a):
    first, second = CandidateFactory.create_batch(2, region=region_a)

    form = MergeForm({"keep": str(second.pk)}, candidates=(first, second))

    assert form.is_valid()
    assert form.keep_and_remove() == (second, first)


def test_an_earlier_contact_moment_moves_first_contact_back(anna, coordinator_a):
    now = timezone.now()
    services.contact_moment_log(
        candidate=anna, actor=coordinator_a, details={"channel": Channel.PHONE, "happened_at": now, "summary": "a"}
    )
    earlier = now - timedelta(days=1)
    services.contact_moment_log(
        candidate=anna, actor=coordinator_a, details={"channel": Channel.PHONE, "happened_at": earlier, "summary": "b"}
    )

    anna.refresh_from_db()
    assert anna.first_contact_at == earlier


def test_change_status_refuses_what_the_pipeline_does_not_allow(anna, coordinator_a):
    with pytest.raises(services.InvalidTransition):
        services.candidate_change_status(candidate=anna, status=Status.STARTED, actor=coordinator_a)
    with pytest.raises(services.InvalidTransition):
        services.candidate_change_status(candidate=anna, status=Status.STOPPED, actor=coordinator_a)
    anna.refresh_from_db()
    assert anna.status == Status.NEW


def test_the_filter_for_an_administrator_offers_the_national_queue(rf, administrator, region_a):
    request = rf.get("/dashboard/")
    request.user = AdministratorFactory()

    filterset = CandidateFilter(None, queryset=Candidate.objects.all(), request=request)

    assert ("none", "Geen regio (landelijke wachtrij)") in list(filterset.form.fields["region"].choices)


def test_the_filter_for_a_coordinator_of_one_region_has_no_region_choice(rf, coordinator_a):
    request = rf.get("/dashboard/")
    request.user = coordinator_a

    filterset = CandidateFilter({"region": "1"}, queryset=Candidate.objects.all(), request=request)

    assert "region" not in filterset.form.fields
    assert filterset.is_filtered is False
