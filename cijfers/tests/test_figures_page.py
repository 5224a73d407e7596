"""The figures page as a coordinator and an administrator see it: their regions, the period form,
the charts' tables and a fixed number of queries."""

import re

import pytest
import time_machine
from django.urls import reverse

from cijfers import figures, summaries
from cijfers.periods import Period

from .conftest import COUNTED_ON

URL = reverse("cijfers:figures")
Q2 = {"period": "custom", "start": "2026-04-01", "end": "2026-06-30"}


@pytest.fixture(autouse=True)
def _counted_on():
    with time_machine.travel(COUNTED_ON, tick=False):
        yield


def _cell(html: str, table: str, row: str) -> list[str]:
    """The cells of a row of one of the page's tables, as the page shows them."""
    body = re.search(rf'id="{table}-table".*?</table>', html, re.S).group(0)
    line = re.search(rf"<th scope=\"row\">{re.escape(row)}</th>(.*?)</tr>", body, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>.*?</td>", line, re.S)]


def test_the_coordinator_sees_the_funnel_of_their_region(data_set, client_a):
    response = client_a.get(URL, Q2)

    assert response.status_code == 200
    html = response.content.decode()
    assert _cell(html, "funnel", "Aangemeld")[0] == "7"
    assert _cell(html, "funnel", "Eerste contact")[0] == "5"
    assert _cell(html, "funnel", "Doorverwezen")[0] == "2"
    assert _cell(html, "funnel", "Gestart")[0] == "1"
    assert _cell(html, "first_contact", "Mediaan (werkdagen)")[0] == "2,0"
    assert _cell(html, "first_contact", "90e percentiel (werkdagen)")[0] == "3,6"
    # Every chart is drawn from the table it stands above.
    assert 'data-table="funnel-table"' in html and 'id="funnel-table"' in html
    assert "Utrecht" not in html  # region B's name, and its employer's
    assert "Zorg Utrecht" not in html


def test_a_coordinator_of_another_region_gets_their_own_figures(data_set, client_b):
    html = client_b.get(URL, Q2).content.decode()

    assert _cell(html, "funnel", "Aangemeld")[0] == "1"
    assert "Zorggroep Noord" not in html


def test_a_coordinator_cannot_ask_for_another_region(data_set, client_b):
    html = client_b.get(URL, {**Q2, "region": data_set.region_a.pk}).content.decode()

    # Refused as a choice; the page shows their own region's figures.
    assert _cell(html, "funnel", "Aangemeld")[0] == "1"
    assert "Zorggroep Noord" not in html


def test_the_administrator_sees_every_region_side_by_side(data_set, administrator_client):
    html = administrator_client.get(URL, Q2).content.decode()

    assert _cell(html, "regions", "Noord-Nederland")[0] == "7"
    assert _cell(html, "regions", "Utrecht")[0] == "1"
    assert _cell(html, "regions", "Al deze regio’s")[0] == "8"


def test_the_administrator_can_choose_one_region(data_set, administrator_client):
    html = administrator_client.get(URL, {**Q2, "region": data_set.region_b.pk}).content.decode()

    assert _cell(html, "funnel", "Aangemeld")[0] == "1"
    assert 'id="regions-table"' not in html


def test_without_a_choice_the_page_shows_this_quarter(data_set, client_a):
    html = client_a.get(URL).content.decode()

    assert "K3 2026" in html  # 10 July 2026
    assert _cell(html, "funnel", "Aangemeld")[0] == "1"  # c8, 1 July


def test_bad_dates_are_explained(data_set, client_a):
    response = client_a.get(URL, {"period": "custom", "start": "2026-06-30", "end": "2026-04-01"})

    assert response.status_code == 200
    assert "De laatste dag valt op of na de eerste dag." in response.content.decode()
    response = client_a.get(URL, {"period": "custom", "start": "gisteren"})
    html = response.content.decode()
    assert "Voer een geldige datum in." in html
    assert "Kies de laatste dag van de periode." in html


@pytest.mark.parametrize(
    "period", ["this_quarter", "last_quarter", "this_month", "last_month", "this_year", "last_year"]
)
def test_every_preset_answers(data_set, client_a, period):
    assert client_a.get(URL, {"period": period}).status_code == 200


def test_a_fixed_number_of_queries(data_set, django_assert_num_queries):
    from datetime import date

    summaries.refresh()  # what the Celery job does every minute; counting a stale day takes more
    with django_assert_num_queries(figures.QUERY_COUNT):
        figures.compute([data_set.region_a, data_set.region_b], Period(date(2026, 4, 1), date(2026, 6, 30)))


def test_the_page_stays_within_its_queries(data_set, client_a, django_assert_max_num_queries):
    # The session, the user and their regions, the navigation's counts, and the figures.
    summaries.refresh()
    with django_assert_max_num_queries(figures.QUERY_COUNT + 12):
        client_a.get(URL, Q2)
