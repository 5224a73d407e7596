"""Requests too big, too wide or malformed, and bad uploads: refused cleanly (a Dutch 400 page or the
form with its error), never a 500, nothing saved."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from campagne.models import Story
from campagne.tests.story_helpers import story_data
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate

from .hostile import changed, snapshot

pytestmark = pytest.mark.django_db

BAD_REQUEST_TEXT = "Je browser stuurde een verzoek dat we niet begrijpen"


def _refused_with_the_400_page(response) -> None:
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert BAD_REQUEST_TEXT in page


def test_the_limits_are_set_on_purpose():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


@pytest.mark.parametrize("csrf", [False, True], ids=["view reads the body", "csrf check reads the body"])
def test_a_body_over_the_limit_is_refused_with_the_dutch_400_page(region_a, csrf):
    before = snapshot()
    data = intake_form_data(message="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))

    client = Client(enforce_csrf_checks=csrf)
    if csrf:
        client.get(reverse("kandidaten:intake"))  # the CSRF cookie, so the check goes on to read the body
    response = client.post(reverse("kandidaten:intake"), data)

    _refused_with_the_400_page(response)
    assert changed(before, snapshot()) == {}


def test_a_multipart_body_over_the_limit_is_refused(region_a):
    data = intake_form_data(message="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    data["attachment"] = SimpleUploadedFile("a.txt", b"a")  # forces multipart/form-data

    response = Client().post(reverse("kandidaten:intake"), data)

    _refused_with_the_400_page(response)
    assert not Candidate.objects.exists()


def test_too_many_fields_are_refused(region_a):
    data = intake_form_data()
    data.update({f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})

    response = Client().post(reverse("kandidaten:intake"), data)

    _refused_with_the_400_page(response)
    assert not Candidate.objects.exists()


def test_one_field_sent_too_many_times_is_refused(region_a):
    data = intake_form_data(branches=["1"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    _refused_with_the_400_page(Client().post(reverse("kandidaten:intake"), data))
    assert not Candidate.objects.exists()


def test_too_many_files_are_refused(employer_a_client):
    data = story_data()
    data.update(
        {f"file{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)}
    )

    response = employer_a_client.post(reverse("campagne:employer_story_create"), data)

    _refused_with_the_400_page(response)
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken"),
        ("multipart/form-data", b"no boundary at all"),
        ("multipart/form-data; boundary=" + "b" * 80, b"--x\r\n"),
        ("application/x-www-form-urlencoded", b"first_name=%ff%fe%00&last_name=\xff\xfe\x00&%zz=1"),
        ("application/json", b'{"first_name": "Anna", "email": ["a@b"]}'),
        ("text/plain", b"\x00" * 1000),
    ],
)
def test_malformed_bodies_are_refused_without_an_error(region_a, content_type, body):
    before = snapshot()
    response = Client().generic("POST", reverse("kandidaten:intake"), body, content_type=content_type)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert BAD_REQUEST_TEXT in response.content.decode()
    assert changed(before, snapshot()) == {}


def _image(kind: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, kind)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A PNG that is tiny on disk but 20,000 × 20,000 pixels when opened."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    return buffer.getvalue()


BAD_PHOTOS = {
    "not an image": lambda: SimpleUploadedFile("foto.jpg", b"dit is geen foto", content_type="image/jpeg"),
    "empty": lambda: SimpleUploadedFile("foto.jpg", b"", content_type="image/jpeg"),
    "cut off": lambda: SimpleUploadedFile("foto.jpg", _image("JPEG")[:200], content_type="image/jpeg"),
    "a script named .jpg": lambda: SimpleUploadedFile(
        "foto.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"
    ),
    "a GIF": lambda: SimpleUploadedFile("foto.gif", _image("GIF"), content_type="image/gif"),
    "a pixel bomb": lambda: SimpleUploadedFile("foto.png", _bomb(), content_type="image/png"),
    "too big": lambda: SimpleUploadedFile(
        "foto.jpg", _image("JPEG") + b"\x00" * (settings.CAMPAIGN_PHOTO_MAX_BYTES + 1), content_type="image/jpeg"
    ),
    "a name with NUL": lambda: SimpleUploadedFile("fo\x00to.jpg", b"\xff\xd8\xff", content_type="image/jpeg"),
}


@pytest.mark.parametrize("kind", BAD_PHOTOS)
def test_a_bad_story_photo_is_refused_at_the_field(employer_a_client, kind):
    before = snapshot()

    response = employer_a_client.post(reverse("campagne:employer_story_create"), story_data(photo=BAD_PHOTOS[kind]()))

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "photo" in response.context["form"].errors
    assert changed(before, snapshot()) == {}


@pytest.mark.parametrize("kind", BAD_PHOTOS)
def test_a_bad_logo_is_refused_at_the_field(employer_a_client, organisation_a, kind):
    before = snapshot(organisation_a)
    data = {"name": organisation_a.name, "website": "", "logo": BAD_PHOTOS[kind]()}

    response = employer_a_client.post(reverse("werkgevers:organisation_edit"), data)

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "logo" in response.context["form"].errors
    assert changed(before, snapshot(organisation_a)) == {}
