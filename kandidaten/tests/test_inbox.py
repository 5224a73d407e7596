"""The inbox: the candidates of the coordinator's regions, filtered, searched, sorted and paged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contactpunt.factories import CoordinatorFactory, RegionFactory
from contactpunt.models import Branch, NextStep, TargetGroup
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory, ContactMomentFactory, bulk_candidates
from kandidaten.models import Candidate, Source, Status, StopReason, TimelineEvent

pytestmark = pytest.mark.django_db

INBOX = reverse("kandidaten:inbox")


def search(client, text: str, **filters):
    """What the search box does: post the text (kept out of the URL), land on the filtered list."""
    return client.post(INBOX, {"q": text, **filters}, follow=True)


def rows(response) -> list[str]:
    """The names in the result table, in order."""
    return [candidate.full_name for candidate in response.context["page"].object_list]


def test_a_coordinator_sees_the_candidates_of_their_region_only(client_a, region_a, region_b):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    CandidateFactory(region=region_b, first_name="Bram", last_name="Bakker", postcode="3511 AB")
    CandidateFactory(region=None, first_name="Cor", last_name="Visser", postcode="1011 AB")

    response = client_a.get(INBOX)

    assert response.status_code == 200
    assert rows(response) == ["Anna Jansen"]
    assert "Bram" not in response.content.decode()
    assert "Cor Visser" not in response.content.decode()
    assert "<h1" in response.content.decode()
    assert "Inbox" in response.content.decode()


def test_a_coordinator_of_two_regions_sees_both_and_can_narrow_to_one(region_a, region_b, client):
    coordinator = CoordinatorFactory(regions=[region_a, region_b])
    log_in(client, coordinator)
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    CandidateFactory(region=region_b, first_name="Bram", last_name="Bakker")

    assert sorted(rows(client.get(INBOX))) == ["Anna Jansen", "Bram Bakker"]
    response = client.get(INBOX, {"region": region_b.pk})
    assert rows(response) == ["Bram Bakker"]
    assert "Al mijn regio&#x27;s" in response.content.decode()


def test_administrators_see_every_region_and_filter_by_region(administrator_client, region_a, region_b):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    CandidateFactory(region=region_b, first_name="Bram", last_name="Bakker")
    CandidateFactory(region=None, first_name="Cor", last_name="Visser")

    assert sorted(rows(administrator_client.get(INBOX))) == ["Anna Jansen", "Bram Bakker", "Cor Visser"]
    assert rows(administrator_client.get(INBOX, {"region": region_a.pk})) == ["Anna Jansen"]
    assert rows(administrator_client.get(INBOX, {"region": "none"})) == ["Cor Visser"]


def test_a_region_of_someone_else_is_not_a_choice_for_a_coordinator(region_a, region_b, client):
    coordinator = CoordinatorFactory(regions=[region_a, region_b])
    log_in(client, coordinator)
    other = CandidateFactory(region=RegionFactory(name="Flevoland", slug="flevoland"))

    response = client.get(INBOX, {"region": other.region_id})

    assert response.status_code == 200
    assert escape(other.full_name) not in response.content.decode()
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_counts_on_top(client_a, region_a, coordinator_a):
    now = timezone.now()
    CandidateFactory(region=region_a, signed_up_at=now)  # open, unassigned
    CandidateFactory(region=region_a, signed_up_at=now - timedelta(days=20))  # open, overdue, unassigned
    CandidateFactory(region=region_a, assigned_to=coordinator_a, signed_up_at=now - timedelta(days=20))  # overdue
    CandidateFactory(region=region_a, status=Status.STARTED)  # closed
    CandidateFactory(region=region_a, status=Status.STOPPED, stop_reason=StopReason.MOVED)  # closed

    response = client_a.get(INBOX)

    assert response.context["counts"] == {"open": 3, "overdue": 2, "unassigned": 2}
    page = response.content.decode()
    assert "te laat: geen contact na 2 werkdagen" in page
    assert "open en aan niemand toegewezen" in page


def test_filter_on_status(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Nieuw", last_name="Een")
    CandidateFactory(region=region_a, first_name="Gesprek", last_name="Twee", status=Status.IN_CONVERSATION)
    CandidateFactory(
        region=region_a, first_name="Gestopt", last_name="Drie", status=Status.STOPPED, stop_reason="moved"
    )

    assert rows(client_a.get(INBOX, {"status": Status.IN_CONVERSATION})) == ["Gesprek Twee"]
    assert sorted(rows(client_a.get(INBOX, {"status": "open"}))) == ["Gesprek Twee", "Nieuw Een"]
    assert rows(client_a.get(INBOX, {"status": Status.STOPPED})) == ["Gestopt Drie"]


def test_filter_on_branch_next_step_target_group_and_source(client_a, region_a):
    ggz = Branch.objects.get(slug="ggz")
    meeloopdag = NextStep.objects.get(slug="meeloopdag")
    herintreder = TargetGroup.objects.get(slug="herintreder")
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", source=Source.SCHOOL)
    anna.branches.add(ggz)
    anna.next_steps.add(meeloopdag)
    bram = CandidateFactory(region=region_a, first_name="Bram", last_name="Bakker", source=Source.CAMPAIGN)
    bram.target_groups.add(herintreder)
    bram.branches.add(Branch.objects.get(slug="vvt"))

    assert rows(client_a.get(INBOX, {"branch": ggz.pk})) == ["Anna Jansen"]
    assert rows(client_a.get(INBOX, {"next_step": meeloopdag.pk})) == ["Anna Jansen"]
    assert rows(client_a.get(INBOX, {"target_group": herintreder.pk})) == ["Bram Bakker"]
    assert rows(client_a.get(INBOX, {"source": Source.SCHOOL})) == ["Anna Jansen"]
    assert rows(client_a.get(INBOX, {"source": Source.SCHOOL, "branch": ggz.pk, "status": "open"})) == ["Anna Jansen"]


def test_filter_on_coordinator(client_a, region_a, coordinator_a):
    colleague = CoordinatorFactory(first_name="Carla", last_name="Collega", regions=[region_a])
    CandidateFactory(region=region_a, first_name="Mijn", last_name="Kandidaat", assigned_to=coordinator_a)
    CandidateFactory(region=region_a, first_name="Haar", last_name="Kandidaat", assigned_to=colleague)
    CandidateFactory(region=region_a, first_name="Niemands", last_name="Kandidaat")

    assert rows(client_a.get(INBOX, {"assigned": "me"})) == ["Mijn Kandidaat"]
    assert rows(client_a.get(INBOX, {"assigned": "none"})) == ["Niemands Kandidaat"]
    response = client_a.get(INBOX, {"assigned": colleague.pk})
    assert rows(response) == ["Haar Kandidaat"]
    assert "Carla Collega" in response.content.decode()


def test_the_coordinator_filter_offers_colleagues_of_the_region_only(client_a, region_a, region_b):
    CoordinatorFactory(first_name="Carla", last_name="Collega", regions=[region_a])
    outsider = CoordinatorFactory(first_name="Otto", last_name="Elders", regions=[region_b])

    response = client_a.get(INBOX)
    assert "Carla Collega" in response.content.decode()
    assert "Otto Elders" not in response.content.decode()
    # Asking for them anyway is an invalid choice, not a peek into the other region.
    assert client_a.get(INBOX, {"assigned": outsider.pk}).status_code == 200


def test_filter_on_sign_up_age(client_a, region_a):
    now = timezone.now()
    CandidateFactory(region=region_a, first_name="Vandaag", last_name="Aangemeld", signed_up_at=now)
    CandidateFactory(region=region_a, first_name="Week", last_name="Oud", signed_up_at=now - timedelta(days=7))
    CandidateFactory(
        region=region_a,
        first_name="Week",
        last_name="Gesproken",
        signed_up_at=now - timedelta(days=7),
        first_contact_at=now - timedelta(days=6),
    )
    CandidateFactory(region=region_a, first_name="Maand", last_name="Oud", signed_up_at=now - timedelta(days=30))

    assert rows(client_a.get(INBOX, {"age": "today"})) == ["Vandaag Aangemeld"]
    assert rows(client_a.get(INBOX, {"age": "recent"})) == ["Vandaag Aangemeld"]
    assert sorted(rows(client_a.get(INBOX, {"age": "overdue"}))) == ["Maand Oud", "Week Oud"]
    assert rows(client_a.get(INBOX, {"age": "old"})) == ["Maand Oud"]
    assert sorted(rows(client_a.get(INBOX, {"overdue": "on"}))) == ["Maand Oud", "Week Oud"]


def test_overdue_candidates_are_marked(client_a, region_a):
    CandidateFactory(region=region_a, signed_up_at=timezone.now() - timedelta(days=10))

    response = client_a.get(INBOX)

    assert '<span class="badge badge-overdue">Te laat</span>' in response.content.decode()
    assert "werkdagen" in response.content.decode()


def test_a_fresh_sign_up_is_not_marked_overdue(client_a, region_a):
    CandidateFactory(region=region_a, signed_up_at=timezone.now())

    response = client_a.get(INBOX)

    assert "badge-overdue" not in response.content.decode()
    assert "0 werkdagen" in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "Anna",
        "jansen",
        "Anna Jansen",
        "anna jan",
        "anna.jansen@example.org",
        "ANNA.JANSEN@example",
        "0612345678",
        "06-12 34 56 78",
        "+31 6 1234 5678",
        "0031612345678",
        "0612",
        "5678",
        "9711ab",
        "9711 AB",
        "9711",
        "9711 a",
    ],
)
def test_search_finds_by_name_email_phone_or_postcode(client_a, region_a, typed):
    CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Jansen",
        email="anna.jansen@example.org",
        phone="+31612345678",
        postcode="9711 AB",
    )
    CandidateFactory(
        region=region_a,
        first_name="Bram",
        last_name="Bakker",
        email="b@example.net",
        phone="+31687654321",
        postcode="9401 CD",
    )

    assert rows(search(client_a, typed)) == ["Anna Jansen"]


def test_search_by_e_mail_finds_the_same_mailbox(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", email="anna.jansen@gmail.com")

    assert rows(search(client_a, "AnnaJansen+zorg@googlemail.com")) == ["Anna Jansen"]


def test_search_with_nothing_found_says_so(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = search(client_a, "Zwaantje")

    assert rows(response) == []
    page = response.content.decode()
    assert "Geen kandidaten gevonden." in page
    assert "Probeer andere filters of zoekwoorden." in page


def test_an_empty_inbox_says_so(client_a):
    response = client_a.get(INBOX)

    assert "Geen kandidaten gevonden." in response.content.decode()
    assert "Nieuwe aanmeldingen uit je regio verschijnen hier." in response.content.decode()


@pytest.mark.parametrize("hostile", ["%", "_", "'; DROP TABLE kandidaten_candidate; --", "<script>", "a" * 500, "\x00"])
def test_search_survives_odd_input(client_a, region_a, hostile):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = search(client_a, hostile)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_sorting(client_a, region_a):
    now = timezone.now()
    CandidateFactory(region=region_a, first_name="Anna", last_name="Zwart", signed_up_at=now - timedelta(days=1))
    CandidateFactory(
        region=region_a,
        first_name="Bram",
        last_name="Akker",
        signed_up_at=now,
        status=Status.REFERRED,
        first_contact_at=now,
    )
    CandidateFactory(region=region_a, first_name="Cor", last_name="Mulder", signed_up_at=now - timedelta(days=9))

    assert rows(client_a.get(INBOX)) == ["Bram Akker", "Anna Zwart", "Cor Mulder"]
    assert rows(client_a.get(INBOX, {"sort": "newest"})) == ["Bram Akker", "Anna Zwart", "Cor Mulder"]
    assert rows(client_a.get(INBOX, {"sort": "oldest"})) == ["Cor Mulder", "Anna Zwart", "Bram Akker"]
    assert rows(client_a.get(INBOX, {"sort": "name"})) == ["Bram Akker", "Cor Mulder", "Anna Zwart"]
    assert rows(client_a.get(INBOX, {"sort": "-name"})) == ["Anna Zwart", "Cor Mulder", "Bram Akker"]
    assert rows(client_a.get(INBOX, {"sort": "status"})) == ["Anna Zwart", "Cor Mulder", "Bram Akker"]
    assert rows(client_a.get(INBOX, {"sort": "waiting"})) == ["Cor Mulder", "Anna Zwart", "Bram Akker"]


@pytest.mark.parametrize("sort", ["email", "-phone", "region__name", "password", "?"])
def test_sorting_outside_the_whitelist_is_ignored(client_a, region_a, sort):
    now = timezone.now()
    CandidateFactory(region=region_a, first_name="Anna", last_name="Zwart", signed_up_at=now - timedelta(days=1))
    CandidateFactory(region=region_a, first_name="Bram", last_name="Akker", signed_up_at=now)

    response = client_a.get(INBOX, {"sort": sort})

    assert response.status_code == 200
    assert rows(response) == ["Bram Akker", "Anna Zwart"]


@pytest.mark.parametrize("params", [{"status": "deleted"}, {"branch": "abc"}, {"age": "ancient"}, {"overdue": "x"}])
def test_unknown_filter_values_give_a_page_not_an_error(client_a, region_a, params):
    CandidateFactory(region=region_a)

    assert client_a.get(INBOX, params).status_code == 200


def test_paging_25_a_page_keeps_the_filters(client_a, region_a):
    bulk_candidates(30, region=region_a, status=Status.IN_CONVERSATION)
    bulk_candidates(5, region=region_a, status=Status.NEW)

    first = client_a.get(INBOX, {"status": Status.IN_CONVERSATION})
    assert len(rows(first)) == 25
    assert first.context["page"].paginator.count == 30
    page = first.content.decode()
    assert "30 kandidaten" in page
    assert "Pagina 1 van 2" in page
    assert 'href="?status=in_conversation&amp;page=2"' in page

    second = client_a.get(INBOX, {"status": Status.IN_CONVERSATION, "page": 2})
    assert len(rows(second)) == 5
    assert 'href="?status=in_conversation&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "99", "abc"])
def test_a_page_out_of_range_shows_a_page(client_a, region_a, page):
    bulk_candidates(3, region=region_a)

    response = client_a.get(INBOX, {"page": page})

    assert response.status_code == 200
    assert len(rows(response)) == 3


def test_htmx_gets_the_results_only(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = client_a.post(INBOX, {"q": "anna", "status": "open"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response["HX-Push-Url"] == f"{INBOX}?status=open"  # the filters, never the search text
    assert "<html" not in page
    assert "<table" in page
    assert "Anna Jansen" in page
    assert 'id="inbox-summary"' in page and 'hx-swap-oob="true"' in page
    assert "HX-Request" in response["Vary"]


def test_going_back_in_history_gets_the_whole_page(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = client_a.get(INBOX, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in response.content.decode()


def test_the_filter_form_works_with_and_without_javascript(client_a):
    page = client_a.get(INBOX).content.decode()

    assert '<form method="post" action="/dashboard/"' in page
    assert 'hx-post="/dashboard/"' in page
    assert 'hx-target="#inbox-results"' in page
    assert 'for="id_q"' in page and 'id="id_q"' in page
    assert 'hx-history="false"' in page  # no copy of personal data in the browser's localStorage
    assert "Kandidaten tonen" in page


def test_take_it_assigns_to_me_and_returns_to_the_filtered_list(client_a, region_a, coordinator_a):
    candidate = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    back = f"{INBOX}?status=open"

    response = client_a.post(
        reverse("kandidaten:candidate_assign", args=[candidate.pk]),
        {"assignee": coordinator_a.pk, "seen": "", "next": back},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == back
    assert "Anna Jansen is nu aan jou toegewezen." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.assigned_to == coordinator_a
    assert candidate.timeline.filter(kind=TimelineEvent.Kind.ASSIGNMENT, actor=coordinator_a).exists()
    assert "Van jou" in response.content.decode()


def test_the_take_it_button_is_on_every_row_not_mine(client_a, region_a, coordinator_a):
    CandidateFactory(region=region_a, assigned_to=coordinator_a)
    other = CandidateFactory(region=region_a)

    page = client_a.get(INBOX).content.decode()

    # One button in the last column, one under the name for narrow screens.
    assert page.count("Neem ik") == 2
    assert page.count(f'action="/dashboard/kandidaten/{other.pk}/toewijzen/"') == 2


def test_take_it_after_a_colleague_took_it_changes_nothing(client_a, region_a):
    colleague = CoordinatorFactory(regions=[region_a])
    candidate = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    seen_by_me = ""
    Candidate.objects.filter(pk=candidate.pk).update(assigned_to=colleague)

    response = client_a.post(
        reverse("kandidaten:candidate_assign", args=[candidate.pk]),
        {"assignee": client_a.session["_auth_user_id"], "seen": seen_by_me, "next": INBOX},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == INBOX
    assert "Iemand heeft net gewijzigd wie deze kandidaat oppakt." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.assigned_to == colleague


def test_an_unsafe_next_address_is_ignored(client_a, region_a, coordinator_a):
    candidate = CandidateFactory(region=region_a)

    response = client_a.post(
        reverse("kandidaten:candidate_assign", args=[candidate.pk]),
        {"assignee": coordinator_a.pk, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("kandidaten:candidate", args=[candidate.pk])


def test_a_logged_contact_moment_ends_overdue_in_the_list(client_a, region_a):
    candidate = CandidateFactory(region=region_a, signed_up_at=timezone.now() - timedelta(days=10))
    assert "badge-overdue" in client_a.get(INBOX).content.decode()

    Candidate.objects.filter(pk=candidate.pk).update(first_contact_at=timezone.now())
    ContactMomentFactory(candidate=candidate)

    assert "badge-overdue" not in client_a.get(INBOX).content.decode()


def test_the_search_text_stays_out_of_the_address(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", email="anna.jansen@example.org")

    response = client_a.post(INBOX, {"q": "anna.jansen@example.org", "status": "open", "page": "3"})

    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?status=open"  # a new search starts on page one
    followed = client_a.get(response["Location"])
    assert rows(followed) == ["Anna Jansen"]
    assert 'value="anna.jansen@example.org"' in followed.content.decode()  # shown back in the box


def test_clearing_forgets_the_search_and_the_filters(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    CandidateFactory(region=region_a, first_name="Bram", last_name="Bakker")
    search(client_a, "Jansen")

    response = client_a.post(INBOX, {"q": "Jansen", "clear": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == INBOX
    assert sorted(rows(response)) == ["Anna Jansen", "Bram Bakker"]


def test_clearing_with_htmx_reloads_the_whole_page(client_a):
    response = client_a.post(INBOX, {"clear": "1"}, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == INBOX


def test_the_search_of_one_coordinator_is_not_the_search_of_another(client_a, client, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    CandidateFactory(region=region_a, first_name="Bram", last_name="Bakker")
    search(client_a, "Jansen")
    colleague = CoordinatorFactory(email="collega@contactpunt.example", regions=[region_a])
    log_in(client, colleague)

    assert sorted(rows(client.get(INBOX))) == ["Anna Jansen", "Bram Bakker"]
