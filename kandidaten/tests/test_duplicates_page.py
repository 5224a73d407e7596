"""The duplicates page: pairs of probable duplicates within the user's regions."""

import pytest
from django.urls import reverse

from kandidaten.factories import CandidateFactory, bulk_candidates

pytestmark = pytest.mark.django_db

DUPLICATES = reverse("kandidaten:duplicates")


def pairs(response) -> set[tuple[frozenset, tuple]]:
    return {
        (frozenset({first.full_name, second.full_name}), tuple(rules))
        for first, second, rules in response.context["page"].object_list
    }


def test_every_rule_finds_its_pair(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", postcode="9711 AB")
    CandidateFactory(region=region_a, first_name="anna", last_name="JANSEN", postcode="9711 AB")
    CandidateFactory(region=region_a, first_name="Bram", last_name="Bakker", email="bram.bakker@gmail.com")
    CandidateFactory(region=region_a, first_name="Bram", last_name="Bakker-Smit", email="BramBakker+zorg@gmail.com")
    CandidateFactory(region=region_a, first_name="Cor", last_name="Visser", email="cor.visser@hotmail.com")
    CandidateFactory(region=region_a, first_name="Cornelis", last_name="Visser", email="cor.visser@ziggo.nl")
    CandidateFactory(region=region_a, first_name="Dirk", last_name="Dijkstra", phone="+31611112222")
    CandidateFactory(region=region_a, first_name="Dirkje", last_name="Dijkstra", phone="+31611112222")
    CandidateFactory(region=region_a, first_name="Eva", last_name="Enkel")

    response = client_a.get(DUPLICATES)

    assert response.status_code == 200
    assert pairs(response) == {
        (frozenset({"Anna Jansen", "anna JANSEN"}), ("name_postcode",)),
        (frozenset({"Bram Bakker", "Bram Bakker-Smit"}), ("email",)),
        (frozenset({"Cor Visser", "Cornelis Visser"}), ("email_local",)),
        (frozenset({"Dirk Dijkstra", "Dirkje Dijkstra"}), ("phone",)),
    }
    page = response.content.decode()
    for reason in ["Zelfde naam en postcode", "Zelfde e-mailadres", "Zelfde e-mailnaam, ander domein"]:
        assert reason in page
    assert "Zelfde telefoonnummer" in page
    assert "Eva Enkel" not in page
    assert page.count(">Samenvoegen</button>") == 4


def test_a_pair_matching_several_rules_is_listed_once(client_a, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", phone="+31611112222")
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", phone="+31611112222")

    (pair,) = client_a.get(DUPLICATES).context["page"].object_list

    assert pair[2] == ["name_postcode", "phone"]


def test_e_mail_names_shorter_than_four_letters_do_not_count_as_similar(client_a, region_a):
    CandidateFactory(region=region_a, email="jan@zorg.example")
    CandidateFactory(region=region_a, email="jan@welzijn.example")

    assert client_a.get(DUPLICATES).context["page"].object_list == []


def test_pairs_stay_within_the_regions_the_user_may_see(client_a, client_b, region_a, region_b, administrator_client):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", phone="+31611112222")
    CandidateFactory(region=region_b, first_name="Anne", last_name="Janssen", phone="+31611112222")
    CandidateFactory(region=region_b, first_name="Bram", last_name="Bakker", phone="+31633334444")
    CandidateFactory(region=region_b, first_name="Bram", last_name="Bakker", phone="+31633334444")

    page_a = client_a.get(DUPLICATES)
    assert list(page_a.context["page"].object_list) == []
    assert "Anna" not in page_a.content.decode() and "Bram" not in page_a.content.decode()
    assert "Geen mogelijke dubbele aanmeldingen gevonden." in page_a.content.decode()
    assert pairs(client_b.get(DUPLICATES)) == {(frozenset({"Bram Bakker"}), ("name_postcode", "phone"))}
    assert len(pairs(administrator_client.get(DUPLICATES))) == 2


def test_the_merge_form_posts_to_the_merge_address(client_a, region_a):
    first = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    second = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    page = client_a.get(DUPLICATES).content.decode()

    newer, older = sorted([first, second], key=lambda c: c.signed_up_at, reverse=True)
    assert reverse("kandidaten:candidate_merge", args=[newer.pk, older.pk]) in page
    assert "Welke kandidaat bewaar je?" in page


def test_merging_from_the_page_leaves_no_pair(client_a, region_a):
    first = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    second = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    client_a.post(reverse("kandidaten:candidate_merge", args=[second.pk, first.pk]), {"keep": first.pk})

    assert client_a.get(DUPLICATES).context["page"].object_list == []


# The duplicates page: session, user, SAVEPOINT, the candidates holding a repeated key (one query
# with a grouped subquery per rule), RELEASE SAVEPOINT.
DUPLICATES_QUERIES = 5


@pytest.mark.parametrize("count", [10, 400])
def test_a_bounded_number_of_queries(client_a, region_a, count, django_assert_num_queries):
    bulk_candidates(count, region=region_a)
    bulk_candidates(max(2, count // 10), region=region_a, first_name="Anna", last_name="Jansen", postcode="9711 AB")

    with django_assert_num_queries(DUPLICATES_QUERIES):
        response = client_a.get(DUPLICATES)

    assert response.context["page"].paginator.count >= 1
