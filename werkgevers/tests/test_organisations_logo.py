"""Logo upload: checked by content with Pillow, never by name or content type; re-encoded."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from werkgevers.models import Organisation

pytestmark = pytest.mark.django_db

URL = reverse("werkgevers:organisation_edit")
NOT_AN_IMAGE = "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding."
TOO_MANY_PIXELS = "De afbeelding heeft te veel pixels. Gebruik hoogstens 4000 × 4000 pixels."


def image_bytes(image_format: str = "PNG", size=(120, 60), mode="RGB", **save) -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, (11, 85, 99) if mode == "RGB" else 0).save(output, image_format, **save)
    return output.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims a huge image: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def upload(client, content: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return client.post(
        URL,
        {
            "name": "Zorggroep Noord",
            "website": "",
            "logo": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def stored_logo(organisation: Organisation) -> Image.Image:
    organisation.refresh_from_db()
    with organisation.logo.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


@pytest.mark.parametrize(("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_a_real_image_is_stored_under_a_random_name(employer_a_client, organisation_a, image_format, extension):
    response = upload(employer_a_client, image_bytes(image_format), name="../../etc/mijn logo.exe")

    assert response.status_code == 302
    organisation_a.refresh_from_db()
    name = organisation_a.logo.name
    assert name.startswith("logos/") and name.endswith(f".{extension}")
    assert "mijn" not in name and ".." not in name
    image = stored_logo(organisation_a)
    assert (image.format, image.size) == (image_format, (120, 60))
    page = employer_a_client.get(URL).content.decode()
    assert organisation_a.logo.url in page
    assert 'alt="Logo van Zorggroep Noord"' in page


def test_the_format_comes_from_the_content_not_the_name(employer_a_client, organisation_a):
    response = upload(employer_a_client, image_bytes("JPEG"), name="logo.png", content_type="image/png")

    assert response.status_code == 302
    organisation_a.refresh_from_db()
    assert organisation_a.logo.name.endswith(".jpg")


def test_metadata_and_trailing_data_are_stripped(employer_a_client, organisation_a):
    exif = Image.Exif()
    exif[0x010E] = "Geheime omschrijving"  # ImageDescription
    exif[0x013B] = "Fotograaf Jansen"  # Artist
    content = image_bytes("JPEG", exif=exif.tobytes()) + b"<script>alert(1)</script>"

    upload(employer_a_client, content, name="logo.jpg", content_type="image/jpeg")

    organisation_a.refresh_from_db()
    with organisation_a.logo.open("rb") as handle:
        stored = handle.read()
    assert b"Geheime omschrijving" not in stored and b"Jansen" not in stored and b"<script>" not in stored
    assert not dict(stored_logo(organisation_a).getexif())


def test_a_text_file_renamed_to_png_is_refused(employer_a_client, organisation_a):
    response = upload(employer_a_client, b"Dit is geen plaatje maar tekst.\n" * 10, name="logo.png")

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    organisation_a.refresh_from_db()
    assert not organisation_a.logo


def test_an_svg_is_refused(employer_a_client, organisation_a):
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
    )

    response = upload(employer_a_client, svg, name="logo.svg", content_type="image/svg+xml")

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    organisation_a.refresh_from_db()
    assert not organisation_a.logo


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(employer_a_client, organisation_a, image_format):
    response = upload(employer_a_client, image_bytes(image_format), name="logo.png")

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()


def test_a_damaged_png_is_refused(employer_a_client, organisation_a):
    content = image_bytes("PNG", size=(400, 400))

    response = upload(employer_a_client, content[: len(content) // 2])

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()


def test_an_image_wider_than_4000_pixels_is_refused(employer_a_client, organisation_a):
    response = upload(employer_a_client, image_bytes("PNG", size=(4001, 10), mode="L"))

    assert response.status_code == 200
    assert TOO_MANY_PIXELS in response.content.decode()
    organisation_a.refresh_from_db()
    assert not organisation_a.logo


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (12_000, 12_000), (4_000, 30_000)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(employer_a_client, organisation_a, width, height):
    response = upload(employer_a_client, png_claiming(width, height))

    assert response.status_code == 200
    assert TOO_MANY_PIXELS in response.content.decode()
    organisation_a.refresh_from_db()
    assert not organisation_a.logo


def test_a_file_over_2_mb_is_refused(employer_a_client, organisation_a):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    output = io.BytesIO()
    noise.save(output, "PNG")
    assert output.tell() > 2 * 1024 * 1024

    response = upload(employer_a_client, output.getvalue())

    assert response.status_code == 200
    assert "Het logo is groter dan 2 MB. Kies een kleiner bestand." in response.content.decode()


def test_an_empty_file_is_refused(employer_a_client, organisation_a):
    response = upload(employer_a_client, b"")

    assert response.status_code == 200
    organisation_a.refresh_from_db()
    assert not organisation_a.logo


def test_the_logo_is_replaced_and_removed(employer_a_client, organisation_a):
    upload(employer_a_client, image_bytes("PNG"))
    organisation_a.refresh_from_db()
    first = organisation_a.logo.name
    storage = organisation_a.logo.storage

    upload(employer_a_client, image_bytes("WEBP"))
    organisation_a.refresh_from_db()
    assert organisation_a.logo.name != first
    assert storage.exists(organisation_a.logo.name)

    response = employer_a_client.post(URL, {"name": "Zorggroep Noord", "remove_logo": "on"})

    assert response.status_code == 302
    organisation_a.refresh_from_db()
    assert not organisation_a.logo


def test_saving_without_a_new_file_keeps_the_logo(employer_a_client, organisation_a):
    upload(employer_a_client, image_bytes("PNG"))
    organisation_a.refresh_from_db()
    name = organisation_a.logo.name

    employer_a_client.post(URL, {"name": "Zorggroep Noord Oost"})

    organisation_a.refresh_from_db()
    assert organisation_a.logo.name == name and organisation_a.name == "Zorggroep Noord Oost"
