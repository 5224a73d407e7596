"""The poster pages: every persona on every URL, making a poster from a story or an upload (with bad
input at the field), the progress partial, the downloads, deleting, and query counts on the lists."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campagne import posters
from campagne.factories import PosterFactory, PublishedStoryFactory
from campagne.models import Poster
from kandidaten.factories import CandidateFactory

from .poster_helpers import image_of, pdf_text, photo_bytes, photo_upload, poster_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_a(organisation_a):
    return PublishedStoryFactory(organisation=organisation_a, first_name="Anouk", quote="Ik zorg met hart en ziel.")


@pytest.fixture
def poster_a(story_a):
    """A drawn poster of a story of organisation A (region A)."""
    poster = PosterFactory(story=story_a, photo="", person_name="Anouk", quote=story_a.quote)
    posters.render_poster(poster.pk)
    poster.refresh_from_db()
    return poster


def _url(name: str, poster: Poster | None = None) -> str:
    if name == "poster_download":
        return reverse("campagne:poster_download", args=[poster.pk, "pdf"])
    if poster is not None:
        return reverse(f"campagne:{name}", args=[poster.pk])
    return reverse(f"campagne:{name}")


# Personas ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "allowed", "forbidden"),
    [
        ("employer_posters", ["employer_a_client"], ["client_a", "administrator_client"]),
        ("poster_create", ["employer_a_client"], ["client_a", "administrator_client"]),
        ("coordinator_posters", ["client_a", "administrator_client"], ["employer_a_client"]),
        ("coordinator_poster_create", ["client_a", "administrator_client"], ["employer_a_client"]),
    ],
)
def test_the_lists_and_forms_are_for_their_role(request, name, allowed, forbidden):
    for fixture in allowed:
        assert request.getfixturevalue(fixture).get(_url(name)).status_code == 200, fixture
    for fixture in forbidden:
        assert request.getfixturevalue(fixture).get(_url(name)).status_code == 403, fixture
    response = Client().get(_url(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["poster_detail", "poster_progress", "poster_download"])
def test_a_poster_is_seen_by_its_organisation_its_regions_coordinator_and_administrators(request, poster_a, name):
    for fixture in ("employer_a_client", "client_a", "administrator_client"):
        assert request.getfixturevalue(fixture).get(_url(name, poster_a)).status_code == 200, fixture
    for fixture in ("employer_b_client", "client_b"):
        assert request.getfixturevalue(fixture).get(_url(name, poster_a)).status_code == 404, fixture
    response = Client().get(_url(name, poster_a))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_outsiders_cannot_delete_a_poster(employer_b_client, client_b, poster_a):
    for client in (employer_b_client, client_b):
        assert client.post(_url("poster_delete", poster_a)).status_code == 404
    assert Client().post(_url("poster_delete", poster_a)).status_code == 302
    assert Poster.objects.filter(pk=poster_a.pk).exists()


def test_a_coordinator_sees_the_posters_they_made_for_another_region(client_b, coordinator_b, organisation_a):
    poster = PosterFactory(organisation=organisation_a, created_by=coordinator_b)
    assert client_b.get(_url("poster_detail", poster)).status_code == 200


# Lists ---------------------------------------------------------------------------------------------


def test_the_employers_list_shows_their_posters_with_status_and_sign_ups(employer_a_client, poster_a, organisation_b):
    PosterFactory(organisation=poster_a.organisation, quote="Een poster die nog wacht.", person_name="Sem")
    other = PosterFactory(organisation=organisation_b, person_name="Buitenstaander")
    CandidateFactory.create_batch(2, source_tag=poster_a.source_tag)
    CandidateFactory(source_tag=other.source_tag)

    response = employer_a_client.get(_url("employer_posters"))
    html = response.content.decode()
    assert "Anouk" in html and "Sem" in html
    assert "Buitenstaander" not in html
    assert "Klaar" in html and "In de wachtrij" in html
    assert ">2</td>" in html
    assert reverse("campagne:poster_create") in html


def test_the_coordinators_list_shows_the_posters_of_their_regions(client_a, poster_a, organisation_b):
    PosterFactory(organisation=organisation_b, person_name="Buitenstaander")
    html = client_a.get(_url("coordinator_posters")).content.decode()
    assert "Anouk" in html and "Zorggroep Noord" in html
    assert "Buitenstaander" not in html


@pytest.mark.parametrize("count", [1, 30])
def test_the_lists_run_a_fixed_number_of_queries(
    employer_a_client, client_a, organisation_a, story_a, count, django_assert_max_num_queries
):
    for number in range(count):
        poster = PosterFactory(story=story_a, photo="", person_name=f"Anouk{number}")
        CandidateFactory(source_tag=poster.source_tag)
    # Session, user, count, the page (with the sign-ups as a subquery), messages.
    with django_assert_max_num_queries(6):
        assert employer_a_client.get(_url("employer_posters")).status_code == 200
    # ... and the coordinator's regions.
    with django_assert_max_num_queries(7):
        assert client_a.get(_url("coordinator_posters")).status_code == 200


# Making a poster ----------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "story": "",
        "person_name": "",
        "function_name": "",
        "quote": "",
        "organisation_name": "",
        "colour_scheme": "portaal",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_verhaal_in_the_address_chooses_the_story_and_fills_in_its_quote(employer_a_client, story_a):
    response = employer_a_client.get(_url("poster_create") + f"?verhaal={story_a.pk}")
    form = response.context["form"]
    assert form["story"].value() == story_a.pk
    assert form["quote"].value() == "Ik zorg met hart en ziel."
    html = response.content.decode()
    assert "Ik zorg met hart en ziel." in html
    assert "Van een gepubliceerd verhaal" in html and "Kleuren" in html
    assert 'value="zon"' in html


def test_verhaal_of_another_organisation_or_rubbish_is_ignored(employer_a_client, organisation_b):
    other = PublishedStoryFactory(organisation=organisation_b)
    for value in (str(other.pk), "abc", "9999999", ""):
        response = employer_a_client.get(_url("poster_create") + f"?verhaal={value}")
        assert response.status_code == 200
        assert response.context["form"]["story"].value() in (None, "")


def test_an_employer_makes_a_poster_from_a_story_and_downloads_it(
    employer_a_client, story_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_a_client.post(
            _url("poster_create"), _form(story=story_a.pk, quote="Ik zorg met hart.", colour_scheme="nacht")
        )
    poster = Poster.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campagne:poster_detail", args=[poster.pk])
    assert (poster.status, poster.quote, poster.person_name, poster.colour_scheme) == (
        Poster.Status.DONE,
        "Ik zorg met hart.",
        "Anouk",
        "nacht",
    )

    page = employer_a_client.get(response["Location"])
    html = page.content.decode()
    assert "Je poster wordt gemaakt" in html  # the message
    assert "hx-trigger" not in html  # finished: nothing polls
    for output in posters.OUTPUTS:
        assert reverse("campagne:poster_download", args=[poster.pk, output]) in html
    assert "0 mensen hebben zich aangemeld" in html
    assert f"?bron={poster.source_tag}" in html

    download = employer_a_client.get(reverse("campagne:poster_download", args=[poster.pk, "pdf"]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="poster-a4-anouk.pdf"'
    pdf = b"".join(download.streaming_content)
    assert "Ik zorg met hart." in pdf_text(pdf) and "Anouk" in pdf_text(pdf)
    names = {
        "png": ("poster-a4-anouk.png", (1240, 1754)),
        "facebook": ("facebook-omslag-anouk.png", (820, 312)),
        "square": ("vierkant-anouk.png", (1080, 1080)),
    }
    for output, (file_name, size) in names.items():
        download = employer_a_client.get(reverse("campagne:poster_download", args=[poster.pk, output]))
        assert download["Content-Type"] == "image/png"
        assert download["Content-Disposition"] == f'attachment; filename="{file_name}"'
        assert image_of(b"".join(download.streaming_content)).size == size


def test_an_employer_makes_a_poster_from_an_upload(
    employer_a_client, organisation_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_a_client.post(
            _url("poster_create"),
            {
                **_form(quote="Zorg is teamwerk.", person_name="Sem", function_name="Helpende"),
                "photo": photo_upload(),
            },
        )
    assert response.status_code == 302
    poster = Poster.objects.get()
    assert (poster.organisation, poster.organisation_name, poster.person_name) == (
        organisation_a,
        "Zorggroep Noord",
        "Sem",
    )
    assert poster.status == Poster.Status.DONE


def test_a_coordinator_makes_a_poster_for_an_organisation_of_their_region(
    client_a, organisation_a, organisation_b, django_capture_on_commit_callbacks
):
    data = {**_form(quote="Zorg is teamwerk.", person_name="Sem"), "organisation": organisation_b.pk}
    response = client_a.post(_url("coordinator_poster_create"), {**data, "photo": photo_upload()})
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden uit de lijst." in response.content.decode()

    data["organisation"] = organisation_a.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(_url("coordinator_poster_create"), {**data, "photo": photo_upload()})
    assert response.status_code == 302
    poster = Poster.objects.get()
    assert poster.organisation == organisation_a
    html = client_a.get(response["Location"]).content.decode()
    assert reverse("campagne:coordinator_posters") in html


def test_a_coordinator_makes_a_poster_from_a_story_of_their_region(
    client_a, story_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(_url("coordinator_poster_create"), _form(story=story_a.pk))
    assert response.status_code == 302
    assert Poster.objects.get().quote == "Ik zorg met hart en ziel."


@pytest.mark.parametrize(
    ("data", "with_photo", "field", "message"),
    [
        ({}, False, "story", "Kies een gepubliceerd verhaal of upload een foto."),
        (
            {"quote": "x" * 201, "person_name": "Sem"},
            True,
            "quote",
            "De quote mag maximaal 200 tekens lang zijn; nu zijn het er 201.",
        ),
        ({"quote": "", "person_name": "Sem"}, True, "quote", "Vul de quote voor de poster in."),
        ({"quote": "Ik zorg.", "person_name": ""}, True, "person_name", "Vul de naam in van de persoon op de foto."),
        (
            {"quote": "Ik zorg.", "person_name": "Sem", "colour_scheme": "regenboog"},
            True,
            "colour_scheme",
            "Kies een van de mogelijkheden uit de lijst.",
        ),
        (
            {"quote": "Ik zorg.", "person_name": "Sem", "colour_scheme": ""},
            True,
            "colour_scheme",
            "Kies de kleuren van de poster.",
        ),
        ({"quote": "<script>alert(1)</script>", "person_name": "Sem"}, True, "quote", "HTML"),
    ],
)
def test_bad_input_gets_a_dutch_error_at_the_field(employer_a_client, data, with_photo, field, message):
    post = _form(**data)
    if with_photo:
        post["photo"] = photo_upload()
    response = employer_a_client.post(_url("poster_create"), post)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message.split(":")[0] in response.content.decode()
    assert not Poster.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(employer_a_client):
    fake = SimpleUploadedFile("foto.jpg", b"<html>geen foto</html>", content_type="image/jpeg")
    response = employer_a_client.post(
        _url("poster_create"), {**_form(quote="Ik zorg.", person_name="Sem"), "photo": fake}
    )
    assert response.status_code == 400
    assert "Dit bestand is geen JPEG-, PNG- of WebP-foto" in " ".join(response.context["form"].errors["photo"])
    assert response.context["photo_lost"] is True  # the page says to choose the photo again
    assert not Poster.objects.exists()


def test_a_story_of_another_organisation_is_a_field_error(employer_a_client, organisation_b):
    other = PublishedStoryFactory(organisation=organisation_b)
    response = employer_a_client.post(_url("poster_create"), _form(story=other.pk))
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden uit de lijst." in response.context["form"].errors["story"]
    assert not Poster.objects.exists()


def test_a_story_and_a_photo_together_is_a_field_error(employer_a_client, story_a):
    response = employer_a_client.post(_url("poster_create"), {**_form(story=story_a.pk), "photo": photo_upload()})
    assert response.status_code == 400
    assert "niet allebei" in " ".join(response.context["form"].errors["photo"])


def test_what_was_typed_is_kept_after_an_error(employer_a_client):
    response = employer_a_client.post(_url("poster_create"), {**_form(quote="Mijn eigen quote", person_name="")})
    assert response.status_code == 400
    assert "Mijn eigen quote" in response.content.decode()


# Progress, downloads and deleting -----------------------------------------------------------------


def test_the_progress_partial_polls_until_the_poster_is_finished(employer_a_client, organisation_a):
    poster = PosterFactory(organisation=organisation_a, photo=ContentFile(photo_bytes(), name="foto.jpg"))
    detail = employer_a_client.get(_url("poster_detail", poster)).content.decode()
    assert f'hx-get="{reverse("campagne:poster_progress", args=[poster.pk])}"' in detail
    assert "hx-trigger" in detail
    assert "In de wachtrij" in detail and "De poster wacht op zijn beurt" in detail
    assert "Vernieuwen" in detail  # without JavaScript

    Poster.objects.filter(pk=poster.pk).update(status=Poster.Status.WORKING, progress=54)
    partial = employer_a_client.get(_url("poster_progress", poster)).content.decode()
    assert "<html" not in partial
    assert 'value="54"' in partial and "De poster wordt gemaakt" in partial
    assert "hx-trigger" in partial

    Poster.objects.filter(pk=poster.pk).update(status=Poster.Status.QUEUED, progress=0)
    posters.render_poster(poster.pk)
    final = employer_a_client.get(_url("poster_progress", poster)).content.decode()
    assert "hx-trigger" not in final and "hx-get" not in final  # polling stops
    assert reverse("campagne:poster_download", args=[poster.pk, "square"]) in final


def test_a_failed_poster_says_so(employer_a_client, organisation_a):
    poster = PosterFactory(organisation=organisation_a, status=Poster.Status.FAILED, error="photo could not be read")
    html = employer_a_client.get(_url("poster_progress", poster)).content.decode()
    assert "De poster kon niet worden gemaakt" in html
    assert "hx-trigger" not in html
    assert "photo could not be read" not in html


def test_downloads_are_404_until_the_poster_is_ready_and_for_unknown_outputs(
    employer_a_client, organisation_a, poster_a
):
    waiting = PosterFactory(organisation=organisation_a)
    assert employer_a_client.get(reverse("campagne:poster_download", args=[waiting.pk, "pdf"])).status_code == 404
    assert employer_a_client.get(reverse("campagne:poster_download", args=[poster_a.pk, "gif"])).status_code == 404
    poster_a.pdf.storage.delete(poster_a.pdf.name)
    assert employer_a_client.get(reverse("campagne:poster_download", args=[poster_a.pk, "pdf"])).status_code == 404


def test_the_sign_ups_through_the_poster_are_on_its_page(employer_a_client, poster_a):
    CandidateFactory(source_tag=poster_a.source_tag)
    html = employer_a_client.get(_url("poster_detail", poster_a)).content.decode()
    assert "1 persoon heeft zich aangemeld via de QR-code of de link van deze poster." in html
    CandidateFactory.create_batch(2, source_tag=poster_a.source_tag)
    html = employer_a_client.get(_url("poster_detail", poster_a)).content.decode()
    assert "3 mensen hebben zich aangemeld" in html


def test_deleting_a_poster_removes_it_and_its_files(
    employer_a_client, client_a, poster_a, story_a, django_capture_on_commit_callbacks
):
    assert employer_a_client.get(_url("poster_delete", poster_a)).status_code == 405
    assert len(poster_files()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_a_client.post(_url("poster_delete", poster_a))
    assert response.status_code == 302 and response["Location"] == reverse("campagne:employer_posters")
    assert not Poster.objects.exists()
    assert poster_files() == []
    assert "De poster is verwijderd." in employer_a_client.get(response["Location"]).content.decode()

    other = PosterFactory(story=story_a, photo="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(_url("poster_delete", other))
    assert response["Location"] == reverse("campagne:coordinator_posters")
