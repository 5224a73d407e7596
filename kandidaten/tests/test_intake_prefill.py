"""/aanmelden/ opened from a story or a poster: branch and function ticked, the campaign tag carried in a
hidden field and stored on the candidate, the source "Ik Zorg campaign" chosen; bad values ignored."""

import re

import pytest

from contactpunt.models import Branch, Function
from kandidaten.factories import CandidateFactory, intake_form_data
from kandidaten.models import Candidate, Source
from kandidaten.services import SignupChannel, candidate_register, clean_source_tag

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"
DONE_URL = "/aanmelden/bedankt/"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def _input(html: str, name: str, value: str | None = None) -> str:
    for match in re.finditer(r"<input\b[^>]*>", html):
        tag = match.group(0)
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return tag
    raise AssertionError(f"no input {name}={value}")


def _selected_source(html: str) -> str | None:
    select = re.search(r'<select name="source".*?</select>', html, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else None


def test_a_story_link_ticks_branch_and_function_and_carries_the_tag(client):
    vvt, vig = Branch.objects.get(slug="vvt"), Function.objects.get(slug="vig")

    response = client.get(URL, {"branche": "vvt", "functie": "vig", "bron": "verhaal-12"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "checked" in _input(html, "branches", str(vvt.pk))
    assert "checked" in _input(html, "functions", str(vig.pk))
    other_branch = Branch.objects.exclude(pk=vvt.pk).first()
    assert "checked" not in _input(html, "branches", str(other_branch.pk))
    hidden = _input(html, "source_tag")
    assert 'type="hidden"' in hidden and 'value="verhaal-12"' in hidden
    assert _selected_source(html) == Source.CAMPAIGN


def test_a_poster_tag_chooses_the_campaign_as_source(client):
    html = client.get(URL, {"bron": "poster-ab12cd"}).content.decode()

    assert _selected_source(html) == Source.CAMPAIGN
    assert 'value="poster-ab12cd"' in _input(html, "source_tag")


def test_another_tag_is_carried_but_chooses_no_source(client):
    html = client.get(URL, {"bron": "open-dag-2026"}).content.decode()

    assert 'value="open-dag-2026"' in _input(html, "source_tag")
    assert _selected_source(html) in (None, "")


def test_without_parameters_nothing_is_ticked(client):
    html = client.get(URL).content.decode()

    assert 'value=""' in _input(html, "source_tag") or "value=" not in _input(html, "source_tag")
    assert not any("checked" in tag for tag in re.findall(r'<input[^>]*name="branches"[^>]*>', html))
    assert _selected_source(html) in (None, "")


@pytest.mark.parametrize(
    "query",
    [
        {"branche": "bestaat-niet", "functie": "ook-niet"},
        {"branche": "<script>", "functie": "' OR 1=1 --"},
        {"branche": "x" * 5000, "functie": "vig" * 2000, "bron": "y" * 5000},
        {"bron": "Verhaal-12"},
        {"bron": "verhaal 12"},
        {"bron": "verhaal_12"},
        {"bron": "<b>poster</b>"},
        {"bron": "-verhaal-"},
        {"bron": "a" * 41},
        {"page": "2", "branche": "", "bron": ""},
    ],
)
def test_unknown_or_malformed_values_are_ignored_silently(client, query):
    response = client.get(URL, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" not in html and "error-summary" not in html
    assert not any("checked" in tag for tag in re.findall(r'<input[^>]*name="(?:branches|functions)"[^>]*>', html))
    tag = _input(html, "source_tag")
    assert "value=" not in tag or 'value=""' in tag
    assert _selected_source(html) in (None, "")


def test_an_inactive_branch_is_not_ticked(client):
    Branch.objects.filter(slug="ggz").update(active=False)

    html = client.get(URL, {"branche": "ggz"}).content.decode()

    assert 'name="branches" value="{}"'.format(Branch.objects.get(slug="ggz").pk) not in html


def test_the_tag_is_stored_with_a_new_sign_up(client):
    response = client.post(URL, intake_form_data(source_tag="verhaal-7"))

    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    assert Candidate.objects.get().source_tag == "verhaal-7"


def test_a_campaign_tag_fills_in_the_source_when_the_visitor_chose_none(client):
    response = client.post(URL, intake_form_data(source_tag="poster-x1y2", source=""))

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.source == Source.CAMPAIGN
    assert candidate.source_tag == "poster-x1y2"


def test_the_visitors_own_choice_of_source_stands(client):
    client.post(URL, intake_form_data(source_tag="verhaal-7", source=Source.SOCIAL_MEDIA.value))

    candidate = Candidate.objects.get()
    assert candidate.source == Source.SOCIAL_MEDIA
    assert candidate.source_tag == "verhaal-7"


def test_without_a_campaign_tag_the_source_is_still_asked(client):
    response = client.post(URL, intake_form_data(source_tag="open-dag", source=""))

    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("bad", ["Verhaal-7", "verhaal 7", "<script>alert(1)</script>", "a" * 41, "verhaal--7", "é"])
def test_a_bad_tag_is_not_stored_and_the_sign_up_goes_through(client, bad):
    response = client.post(URL, intake_form_data(source_tag=bad))

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.source_tag == ""
    assert candidate.source == Source.CAMPAIGN  # what the visitor chose


def test_a_bad_tag_never_fills_in_the_source(client):
    response = client.post(URL, intake_form_data(source_tag="Poster-X", source=""))

    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_a_form_with_errors_keeps_the_tag(client):
    response = client.post(URL, intake_form_data(source_tag="verhaal-7", email="geen-adres"))

    assert response.status_code == 200
    assert 'value="verhaal-7"' in _input(response.content.decode(), "source_tag")


def test_a_repeat_sign_up_keeps_the_tag_it_had(client):
    CandidateFactory(email="anna.devries@example.org", phone="+31612345678", source_tag="poster-eerste")

    client.post(URL, intake_form_data(source_tag="verhaal-9"))

    assert Candidate.objects.get().source_tag == "poster-eerste"


def test_a_repeat_sign_up_without_a_tag_takes_the_new_one(client):
    CandidateFactory(email="anna.devries@example.org", phone="+31612345678", source_tag="")

    client.post(URL, intake_form_data(source_tag="verhaal-9"))

    assert Candidate.objects.get().source_tag == "verhaal-9"


def test_a_repeat_sign_up_without_a_tag_keeps_the_old_tag(client):
    CandidateFactory(email="anna.devries@example.org", phone="+31612345678", source_tag="poster-eerste")

    client.post(URL, intake_form_data())

    assert Candidate.objects.get().source_tag == "poster-eerste"


def test_the_service_ignores_a_bad_tag():
    details = {
        "first_name": "Bram",
        "last_name": "Jansen",
        "email": "bram@example.org",
        "phone": "+31612340000",
        "postcode": "9711 AB",
        "source": Source.CAMPAIGN,
    }
    registration = candidate_register(
        details=details, consents={}, channel=SignupChannel.INTAKE, source_tag="DROP TABLE", confirm=False
    )

    registration.candidate.refresh_from_db()
    assert registration.candidate.source_tag == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("verhaal-12", "verhaal-12"),
        ("poster-ab12", "poster-ab12"),
        ("a" * 40, "a" * 40),
        ("a" * 41, ""),
        ("", ""),
        (None, ""),
        (["verhaal-1"], ""),
        ("verhaal-", ""),
        ("UPPER", ""),
        ("met spatie", ""),
    ],
)
def test_clean_source_tag(value, expected):
    assert clean_source_tag(value) == expected
