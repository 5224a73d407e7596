"""Checking a story photo in the upload request: by content only, within the limits, without metadata,
and fast (nothing is decoded or resized in the request)."""

import io
import struct
import time

import pytest
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image, ImageCms

from campagne.photos import CleanPhoto, PhotoError, clean_photo

from .photo_helpers import (
    GPS_IFD,
    XMP,
    camera_like_image,
    exif_with_gps,
    has_no_metadata,
    jpeg,
    jpeg_with_segments,
    marked_image,
    png,
    png_header_only,
    png_with_metadata,
    upload,
    webp,
    webp_with_metadata,
)

TOO_MANY_PIXELS = "te veel pixels"
NOT_A_PHOTO = "geen JPEG-, PNG- of WebP-foto"
DAMAGED = "beschadigd of heeft extra gegevens"


def _refused(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> str:
    with pytest.raises(PhotoError) as caught:
        clean_photo(upload(data, name, content_type))
    assert caught.value.message == str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize(
    ("data", "extension"),
    [(jpeg(), "jpg"), (png(), "png"), (webp(), "webp")],
    ids=["jpeg", "png", "webp"],
)
def test_jpeg_png_and_webp_are_accepted_under_a_random_name_with_the_right_extension(data, extension):
    # The name and the browser's type say PDF: only the content counts.
    cleaned = clean_photo(upload(data, "Foto van Anna Jansen.pdf", "application/pdf"))

    assert isinstance(cleaned, CleanPhoto)
    assert (cleaned.width, cleaned.height, cleaned.orientation) == (800, 600, 1)
    assert cleaned.content.name.endswith(f".{extension}") and "Anna" not in cleaned.content.name
    with Image.open(io.BytesIO(cleaned.content.read())) as image:
        assert image.size == (800, 600)
        image.load()


def test_the_pixels_are_passed_on_untouched():
    data = jpeg(camera_like_image((1200, 900)), exif=exif_with_gps())

    cleaned = clean_photo(upload(data)).content.read()

    assert len(cleaned) < len(data)
    with Image.open(io.BytesIO(data)) as original, Image.open(io.BytesIO(cleaned)) as stripped:
        assert original.tobytes() == stripped.tobytes()


def test_a_25_megapixel_jpeg_passes_the_whole_upload_request_well_under_a_second():
    data = jpeg(camera_like_image((6000, 4200)), exif=exif_with_gps(orientation=6), quality=85)
    assert 3_000_000 < len(data) < 10 * 1024 * 1024  # a realistic camera file within the limit
    body = encode_multipart(BOUNDARY, {"photo": upload(data, "IMG_0001.JPG")})

    started = time.perf_counter()
    request = RequestFactory().generic("POST", "/", body, content_type=MULTIPART_CONTENT)
    cleaned = clean_photo(request.FILES["photo"])
    parsed_and_cleaned = time.perf_counter() - started

    started = time.perf_counter()
    clean_photo(upload(data))
    cleaning = time.perf_counter() - started
    print(f"25 MP JPEG ({len(data) / 1e6:.1f} MB): clean_photo {cleaning * 1000:.0f} ms, "
          f"with parsing the upload {parsed_and_cleaned * 1000:.0f} ms")  # fmt: skip
    assert cleaning < 0.5
    assert parsed_and_cleaned < 1.0
    assert (cleaned.width, cleaned.height, cleaned.orientation) == (4200, 6000, 6)  # upright: portrait
    assert has_no_metadata(cleaned.content.read())


def test_a_jpeg_loses_its_exif_with_gps_xmp_iptc_and_comments_but_keeps_its_orientation():
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x5a\x00\x09Groningen"
    data = jpeg_with_segments(jpeg(exif=exif_with_gps(orientation=8), xmp=XMP, comment=b"Bij Anna thuis"), (0xED, iptc))
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test photo does carry GPS
        assert before.info.get("comment") and before.info.get("xmp")

    cleaned = clean_photo(upload(data))

    stripped = cleaned.content.read()
    assert has_no_metadata(stripped)
    assert b"Photoshop 3.0" not in stripped and b"Bij Anna" not in stripped and b"Groningen" not in stripped
    assert (cleaned.width, cleaned.height, cleaned.orientation) == (600, 800, 8)


def test_a_jpeg_keeps_its_colour_profile():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    cleaned = clean_photo(upload(jpeg(icc_profile=icc, exif=exif_with_gps())))

    with Image.open(io.BytesIO(cleaned.content.read())) as image:
        assert image.info["icc_profile"] == icc
        assert not image.getexif()


@pytest.mark.parametrize(
    ("data", "name", "extension"),
    [(png_with_metadata(), "foto.png", "png"), (webp_with_metadata(), "foto.webp", "webp")],
    ids=["png", "webp"],
)
def test_png_and_webp_lose_their_text_exif_and_xmp(data, name, extension):
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(GPS_IFD)

    cleaned = clean_photo(upload(data, name))

    stripped = cleaned.content.read()
    assert cleaned.content.name.endswith(extension)
    assert has_no_metadata(stripped)
    assert b"Jansen" not in stripped and b"52.0876" not in stripped


def test_a_webp_with_alpha_keeps_a_valid_container_after_stripping():
    image = marked_image().convert("RGBA")
    image.putalpha(128)
    data = webp(image, exif=exif_with_gps(orientation=3), xmp=XMP)

    cleaned = clean_photo(upload(data, "foto.webp"))

    stripped = cleaned.content.read()
    assert struct.unpack("<I", stripped[4:8])[0] + 8 == len(stripped)
    assert stripped[12:16] == b"VP8X" and not stripped[20] & 0x0C  # no EXIF or XMP flag left
    assert cleaned.orientation == 3
    with Image.open(io.BytesIO(stripped)) as reopened:
        reopened.load()
        assert reopened.mode == "RGBA" and not reopened.getexif()


def test_a_file_of_more_than_10_mb_is_refused():
    message = _refused(b"\xff\xd8\xff" + b"\x00" * (50 * 1024 * 1024))
    assert "groter dan 10 MB" in message


def test_an_empty_file_is_refused():
    assert "leeg" in _refused(b"")


def test_a_decompression_bomb_is_refused_before_decoding():
    # 200 bytes claiming 100,000 × 100,000 pixels: Pillow itself refuses this (DecompressionBombError).
    data = png_header_only(100_000, 100_000)
    assert len(data) < 200

    assert TOO_MANY_PIXELS in _refused(data, "foto.png", "image/png")


@pytest.mark.parametrize(
    "size",
    [(10_000, 10_000), (8_000, 6_000)],
    ids=["over-pillows-warning-limit", "over-our-40-megapixels"],
)
def test_a_photo_over_the_pixel_limit_is_refused(size):
    message = _refused(png_header_only(*size), "foto.png", "image/png")
    assert TOO_MANY_PIXELS in message and "40 megapixel" in message


def test_a_png_with_a_web_page_after_iend_is_refused():
    polyglot = png() + b"<html><body><script>alert(document.cookie)</script></body></html>"
    with Image.open(io.BytesIO(polyglot)) as image:
        image.load()  # Pillow alone would take it

    assert DAMAGED in _refused(polyglot, "foto.png", "image/png")


def test_a_jpeg_with_data_after_its_end_is_refused():
    assert DAMAGED in _refused(jpeg() + b"PK\x03\x04 an archive behind the photo")


def test_a_jpeg_padded_with_zeros_is_accepted_without_the_padding():
    cleaned = clean_photo(upload(jpeg() + b"\x00" * 64))
    assert cleaned.content.read().endswith(b"\xff\xd9")


@pytest.mark.parametrize("change", [+2, -2], ids=["data-appended", "riff-size-too-large"])
def test_a_webp_whose_riff_size_does_not_match_is_refused(change):
    data = webp()
    if change > 0:
        data += b"<h"  # two bytes more than the RIFF header says
    else:
        data = data[:4] + struct.pack("<I", struct.unpack("<I", data[4:8])[0] + 2) + data[8:]

    assert DAMAGED in _refused(data, "foto.webp", "image/webp")


def test_a_truncated_jpeg_is_refused():
    assert DAMAGED in _refused(jpeg()[:-400])


def test_a_png_with_a_broken_chunk_is_refused():
    data = bytearray(png())
    data[40] ^= 0xFF  # inside the image data: the chunk's CRC no longer matches
    assert DAMAGED in _refused(bytes(data), "foto.png", "image/png")


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"<!DOCTYPE html><html><body><h1>Hallo</h1></body></html>", "foto.jpg", "image/jpeg"),
        (b"Dit is een tekstbestand met de naam foto.jpg\n", "foto.jpg", "image/jpeg"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "foto.jpg", "image/jpeg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "foto.png", "image/png"),
    ],
    ids=["html", "text", "pdf", "svg"],
)
def test_a_file_that_is_no_photo_is_refused_whatever_its_name(data, name, content_type):
    assert NOT_A_PHOTO in _refused(data, name, content_type)


def test_a_gif_is_refused():
    output = io.BytesIO()
    marked_image().save(output, "GIF")
    assert NOT_A_PHOTO in _refused(output.getvalue(), "foto.gif", "image/gif")


def test_a_jpeg_header_without_an_image_is_refused():
    assert DAMAGED in _refused(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


@pytest.mark.django_db
def test_a_25_megapixel_photo_through_the_story_form_returns_well_under_a_second(employer_a_client):
    from django.urls import reverse

    from campagne.models import Story

    from .story_helpers import story_data

    data = jpeg(camera_like_image((6000, 4200), seed=3), exif=exif_with_gps(orientation=6), quality=85)
    form = story_data(photo=upload(data, "IMG_0002.JPG"))
    employer_a_client.get(reverse("campagne:employer_story_create"))  # session and templates warmed up

    started = time.perf_counter()
    response = employer_a_client.post(reverse("campagne:employer_story_create"), form)
    seconds = time.perf_counter() - started

    print(f"25 MP JPEG ({len(data) / 1e6:.1f} MB) through the story form: {seconds * 1000:.0f} ms")
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.photo_status == Story.PhotoStatus.PENDING  # the variants are made in Celery, after commit
    assert (story.photo_width, story.photo_height, story.photo_orientation) == (4200, 6000, 6)
    assert has_no_metadata(story.photo.read())
    assert seconds < 1.0
