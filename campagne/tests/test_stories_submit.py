"""Adding a story: an employer (or a coordinator) fills in the form with a real photo; bad input gets a
Dutch error at the field, keeps what was typed and never a server error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campagne.models import Story, StoryTag
from contactpunt.factories import RegionFactory
from werkgevers.factories import LocationFactory, OrganisationFactory

from .photo_helpers import exif_with_gps, has_no_metadata, jpeg, marked_image, png_header_only
from .story_helpers import media_files, story_data, text

pytestmark = pytest.mark.django_db

CREATE = reverse("campagne:employer_story_create")
COORDINATOR_CREATE = reverse("campagne:coordinator_story_create")


def post(client, address, data, capture):
    with capture(execute=True):
        return client.post(address, data)


def test_the_form_asks_for_everything_in_dutch(employer_a_client):
    response = employer_a_client.get(CREATE)
    page = text(response)

    for label in (
        "Foto",
        "Beschrijving van de foto",
        "Voornaam",
        "Functie",
        "Branche",
        "Opleidingsroute",
        "Zij-instromer",
        "Levensfase",
        "Citaat",
        "Verhaal",
        "Tags",
        "Naam van de persoon op de foto",
        "Datum van toestemming",
        "De persoon op de foto heeft toestemming gegeven",
    ):
        assert label in page, label
    assert 'name="organisation"' not in response.content.decode()
    assert 'name="region"' not in response.content.decode()


def test_an_employer_adds_a_story_with_a_real_photo(
    employer_a_client, employer_a, organisation_a, region_a, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("thuis.jpg", jpeg(marked_image((900, 600)), exif=exif_with_gps()), "image/jpeg")

    response = post(employer_a_client, CREATE, story_data(photo=upload), django_capture_on_commit_callbacks)

    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campagne:employer_story", args=[story.pk])
    assert story.status == Story.Status.DRAFT
    assert story.organisation == organisation_a
    assert story.region == region_a
    assert story.first_name == "Fatima"
    assert story.side_entrant is True
    assert story.consent_name == "Fatima El Amrani"
    assert story.consent_given_on == timezone.localdate()
    assert story.consent_recorded_by == employer_a
    assert story.submitted_by == employer_a
    assert (story.photo_width, story.photo_height) == (900, 600)
    # Tags: free words, without '#', each once.
    assert sorted(tag.slug for tag in story.tags.all()) == ["nachtdienst", "zij-instroom"]
    # The photo was cleaned in the request (no GPS) and its variants made after commit (eager Celery).
    assert story.photo.name.startswith("campagne/originelen/")
    assert "thuis" not in story.photo.name
    with story.photo.open("rb") as file:
        assert has_no_metadata(file.read())
    assert story.photo_status == Story.PhotoStatus.READY
    assert story.tile.name and story.medium.name and story.large.name
    page = text(employer_a_client.get(response["Location"]))
    assert "Je verhaal is opgeslagen als concept." in page
    assert "Concept" in page


def test_save_and_submit_hands_the_story_to_the_coordinators(
    employer_a_client, coordinator_a, coordinator_b, django_capture_on_commit_callbacks, mailoutbox
):
    response = post(employer_a_client, CREATE, story_data(submit="1"), django_capture_on_commit_callbacks)

    story = Story.objects.get()
    assert response.status_code == 302
    assert story.status == Story.Status.SUBMITTED
    assert story.submitted_at is not None
    assert [mail.to for mail in mailoutbox] == [[coordinator_a.email]]
    page = text(employer_a_client.get(response["Location"]))
    assert "Je verhaal is opgeslagen en ingediend." in page


def test_a_coordinator_adds_and_publishes_a_story_for_an_employer_of_the_region(
    client_a, coordinator_a, organisation_a, region_a, django_capture_on_commit_callbacks
):
    data = story_data(organisation=organisation_a.pk, region=region_a.pk, publish="1")

    response = post(client_a, COORDINATOR_CREATE, data, django_capture_on_commit_callbacks)

    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campagne:coordinator_story", args=[story.pk])
    assert story.status == Story.Status.PUBLISHED
    assert story.published_at is not None
    assert story.moderated_by == coordinator_a
    assert story.consent_recorded_by == coordinator_a
    assert Story.objects.published().get() == story


def test_a_coordinator_may_place_a_story_in_a_region_where_the_employer_has_a_location(
    client_a, coordinator_a, region_a, django_capture_on_commit_callbacks
):
    elsewhere = RegionFactory(name="Twente", slug="twente")
    organisation = OrganisationFactory(name="Zorg Oost", home_region=elsewhere)
    LocationFactory(organisation=organisation, region=region_a)

    response = post(
        client_a,
        COORDINATOR_CREATE,
        story_data(organisation=organisation.pk, region=region_a.pk),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert Story.objects.get().region == region_a


def test_a_coordinator_cannot_choose_an_employer_or_region_of_another_region(
    client_a, organisation_b, region_b, region_a, organisation_a
):
    response = client_a.post(COORDINATOR_CREATE, story_data(organisation=organisation_b.pk, region=region_b.pk))

    assert response.status_code == 200
    page = text(response)
    assert page.count("Kies een van de mogelijkheden uit de lijst.") >= 2
    assert not Story.objects.exists()


def test_the_region_must_fit_the_employer(client_a, coordinator_a, region_a, region_b, organisation_b):
    coordinator_a.regions.add(region_b)
    lonely = OrganisationFactory(name="Alleen Noord", home_region=region_a)

    response = client_a.post(COORDINATOR_CREATE, story_data(organisation=lonely.pk, region=region_b.pk))

    assert response.status_code == 200
    assert "Deze werkgever heeft geen locatie in deze regio. Kies een andere regio." in text(response)
    assert not Story.objects.exists()


# Bad input -----------------------------------------------------------------------------------------

# Resolved when the test runs, not at import: a run that crosses midnight would make "tomorrow" today.
TOMORROW = object()
BAD_INPUT = [
    ("photo", {"photo": None}, "Kies een foto."),
    (
        "photo",
        {"photo": SimpleUploadedFile("foto.jpg", b"Dit is geen foto, maar tekst.", "image/jpeg")},
        "Dit bestand is geen JPEG-, PNG- of WebP-foto.",
    ),
    (
        "photo",
        {"photo": SimpleUploadedFile("bom.png", png_header_only(30000, 30000), "image/png")},
        "megapixel",
    ),
    ("photo_alt", {"photo_alt": ""}, "Dit veld is verplicht."),
    ("first_name", {"first_name": ""}, "Dit veld is verplicht."),
    ("first_name", {"first_name": "x" * 10_000}, "niet meer dan 60 tekens"),
    ("first_name", {"first_name": "<b>Fatima</b>"}, "Gebruik alleen letters"),
    ("function", {"function": "999999"}, "Kies een van de mogelijkheden uit de lijst."),
    ("branch", {"branch": "abc"}, "Kies een van de mogelijkheden uit de lijst."),
    ("education_path", {"education_path": "toverschool"}, "Kies een van de mogelijkheden uit de lijst."),
    ("life_stage", {"life_stage": "eeuwig"}, "Kies een van de mogelijkheden uit de lijst."),
    ("quote", {"quote": ""}, "Dit veld is verplicht."),
    ("quote", {"quote": "a" * 201}, "niet meer dan 200 tekens"),
    ("text", {"text": "a" * 10_000}, "niet meer dan 5000 tekens"),
    ("text", {"text": "Hallo <script>alert(1)</script>"}, "Laat HTML of code weg"),
    ("tags", {"tags": ", ".join(f"woord{n}" for n in range(9))}, "Gebruik hoogstens 8 tags."),
    ("tags", {"tags": "a" * 41}, "Een tag heeft hoogstens 40 tekens."),
    ("consent_name", {"consent_name": ""}, "Vul de naam in van de persoon op de foto."),
    ("consent_given_on", {"consent_given_on": ""}, "Vul de datum in waarop de persoon toestemming gaf."),
    ("consent_given_on", {"consent_given_on": TOMORROW}, "De datum van toestemming kan niet in de toekomst liggen."),
    ("consent_given_on", {"consent_given_on": "gisteren"}, "Vul een datum in, bijvoorbeeld 25-11-2026."),
    ("consent_confirmed", {"consent_confirmed": None}, "zonder toestemming"),
]


@pytest.mark.parametrize(
    ("field", "changes", "message"), BAD_INPUT, ids=[f"{row[0]}-{i}" for i, row in enumerate(BAD_INPUT)]
)
def test_bad_input_is_a_dutch_error_at_the_field(employer_a_client, field, changes, message):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    changes = {name: tomorrow if value is TOMORROW else value for name, value in changes.items()}
    response = employer_a_client.post(CREATE, story_data(**changes))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert message in text(response)
    assert not Story.objects.exists()
    assert not StoryTag.objects.exists()


def test_what_was_typed_stays_and_the_photo_must_be_chosen_again(employer_a_client):
    response = employer_a_client.post(CREATE, story_data(quote=""))

    page = response.content.decode()
    assert 'value="Fatima"' in page
    assert "Ik werkte in een supermarkt." in page
    assert 'value="Fatima El Amrani"' in page
    assert "Je browser bewaart een gekozen bestand niet" in text(response)
    assert media_files() == set()


def test_an_empty_post_is_a_list_of_dutch_errors(employer_a_client):
    response = employer_a_client.post(CREATE, {})

    assert response.status_code == 200
    page = text(response)
    assert "Kies een foto." in page
    assert "zonder toestemming" in page
    assert not Story.objects.exists()


def test_an_employer_cannot_slip_in_another_organisation_or_region(
    employer_a_client, organisation_a, organisation_b, region_b, region_a, django_capture_on_commit_callbacks
):
    data = story_data(organisation=organisation_b.pk, region=region_b.pk)

    post(employer_a_client, CREATE, data, django_capture_on_commit_callbacks)

    story = Story.objects.get()
    assert story.organisation == organisation_a
    assert story.region == region_a
