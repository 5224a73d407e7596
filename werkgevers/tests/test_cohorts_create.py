"""A coordinator creates a BBL class (BBL-carrousel) in one of their regions."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import EducationLevel, Function
from werkgevers.models import Cohort

pytestmark = pytest.mark.django_db

URL = reverse("werkgevers:cohort_create")


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def typed(in_region, **overrides) -> dict:
    data = {
        "name": "BBL-carrousel VIG Groningen 2027",
        "school": "Noorderpoort",
        "function": str(Function.objects.get(slug="vig").pk),
        "education_level": str(EducationLevel.MBO3.value),
        "region": str(in_region.pk),
        "start_date": (timezone.localdate() + timedelta(days=120)).isoformat(),
        "duration_weeks": "104",
        "min_size": "16",
        "max_size": "18",
    }
    data.update(overrides)
    return data


def test_the_form_starts_with_the_usual_sizes_and_the_coordinators_region(client_a, region_a, region_b):
    form = client_a.get(URL).context["form"]

    assert form["min_size"].value() == 16
    assert form["max_size"].value() == 18
    assert form["duration_weeks"].value() == 52
    assert form["region"].value() == region_a.pk
    assert list(form.fields["region"].queryset) == [region_a]


def test_a_coordinator_creates_a_class(client_a, coordinator_a, region_a):
    response = client_a.post(URL, typed(region_a))

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:cohort_detail", args=[cohort.pk])
    assert cohort.region == region_a
    assert cohort.created_by == coordinator_a
    assert (cohort.duration_weeks, cohort.min_size, cohort.max_size) == (104, 16, 18)
    page = text(client_a.get(response["Location"]))
    assert "De BBL-klas BBL-carrousel VIG Groningen 2027 is aangemaakt." in page
    assert "0 van minimaal 16 geplaatst; 0 plaatsen toegezegd" in page


def test_a_day_month_year_date_is_understood(client_a, region_a):
    start = timezone.localdate() + timedelta(days=100)

    client_a.post(URL, typed(region_a, start_date=start.strftime("%d-%m-%Y")))

    assert Cohort.objects.get().start_date == start


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("start_date", "today", "De startdatum moet in de toekomst liggen."),
        ("start_date", "yesterday", "De startdatum moet in de toekomst liggen."),
        ("start_date", "31-02-2027", "Vul een datum in, bijvoorbeeld 01-09-2027."),
        ("start_date", "2099-01-01", "De startdatum ligt meer dan drie jaar vooruit."),
        ("duration_weeks", "51", "Een BBL-klas duurt minstens 52 weken."),
        ("duration_weeks", "-52", "Een BBL-klas duurt minstens 52 weken."),
        ("duration_weeks", "vijftig", "Vul een heel aantal weken in, bijvoorbeeld 52."),
        ("duration_weeks", "9999", "Vul hoogstens 260 weken in."),
        ("min_size", "0", "Vul een heel getal van 1 tot en met 40 in."),
        ("min_size", "-3", "Vul een heel getal van 1 tot en met 40 in."),
        ("max_size", "10", "Het maximum moet minstens even groot zijn als het minimum (16)."),
        ("max_size", "1000", "Vul een heel getal van 1 tot en met 40 in."),
        ("name", "", "Dit veld is verplicht."),
        ("name", "x" * 201, "Zorg dat deze waarde niet meer dan 200 tekens bevat"),
        ("name", "<script>alert(1)</script>", "Laat HTML of code weg: schrijf gewone tekst."),
        ("school", "<img src=x onerror=alert(1)>", "Laat HTML of code weg: schrijf gewone tekst."),
        ("function", "999999", "Kies een van de mogelijkheden uit de lijst."),
        ("education_level", "77", "Kies een van de mogelijkheden uit de lijst."),
        ("region", "", "Dit veld is verplicht."),
    ],
)
def test_bad_input_gets_a_dutch_error_next_to_the_field(client_a, region_a, field, value, error):
    today = timezone.localdate()
    value = {"today": today.isoformat(), "yesterday": (today - timedelta(days=1)).isoformat()}.get(value, value)

    response = client_a.post(URL, typed(region_a, **{field: value}))

    assert response.status_code == 200
    assert error in text(response)
    assert not Cohort.objects.exists()
    if field == "name" and value:
        assert "Noorderpoort" in response.content.decode()  # what was typed stays


def test_a_region_of_someone_else_is_refused(client_a, region_a, region_b):
    response = client_a.post(URL, typed(region_b))

    assert "Kies een van je regio's." in text(response)
    assert not Cohort.objects.exists()


def test_an_administrator_may_create_a_class_in_any_region(administrator_client, region_b):
    assert administrator_client.post(URL, typed(region_b)).status_code == 302
    assert Cohort.objects.get().region == region_b


def test_employers_get_403(employer_a_client, region_a):
    assert employer_a_client.get(URL).status_code == 403
    assert employer_a_client.post(URL, typed(region_a)).status_code == 403
    assert not Cohort.objects.exists()


def test_anonymous_people_are_sent_to_the_login_page(client, region_a):
    response = client.post(URL, typed(region_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Cohort.objects.exists()
