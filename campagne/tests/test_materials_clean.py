"""Checking a campaign material by its content: what may be shared, what is refused and why."""

import io
import zipfile

import pytest
from PIL import Image

from campagne import materials
from campagne.materials import CleanMaterial, MaterialError, clean_material, download_name

from .material_helpers import PDF, office, opendocument, zip_bytes
from .photo_helpers import exif_with_gps, has_no_metadata, jpeg, png, png_header_only, upload, webp

REFUSED = "Dit soort bestand kun je hier niet delen"


def _refused(data: bytes, name: str = "gids.pdf") -> str:
    with pytest.raises(MaterialError) as caught:
        clean_material(upload(data, name, "application/pdf"))
    return str(caught.value)


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [
        (PDF, "application/pdf", "pdf"),
        (png(), "image/png", "png"),
        (jpeg(), "image/jpeg", "jpg"),
        (webp(), "image/webp", "webp"),
        (office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        (office("dotx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.template", "dotx"),
        (office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        (office("pptx"), "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        (opendocument(), "application/vnd.oasis.opendocument.text", "odt"),
        (zip_bytes({"logo.png": png(), "lees mij.txt": b"Logo's van de campagne"}), "application/zip", "zip"),
    ],
    ids=["pdf", "png", "jpeg", "webp", "docx", "dotx", "xlsx", "pptx", "odt", "zip"],
)
def test_accepted_files_get_their_real_type_and_extension_whatever_their_name(data, content_type, extension):
    cleaned = clean_material(upload(data, "Campagne materiaal.bin", "application/octet-stream"))

    assert isinstance(cleaned, CleanMaterial)
    content, real_type, file_name = cleaned  # unpacks as (ContentFile, content type, original name)
    assert real_type == content_type
    assert file_name == f"Campagne materiaal.{extension}"
    assert content.name.endswith(f".{extension}") and "Campagne" not in content.name


def test_an_image_loses_its_exif_and_gps():
    cleaned = clean_material(upload(jpeg(exif=exif_with_gps()), "logo.jpg"))

    assert has_no_metadata(cleaned.content.read())


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg"),
        (b"<!DOCTYPE html><html><body>Hallo</body></html>", "gids.pdf"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64, "sjabloon.docx"),
        (b"#!/bin/sh\nrm -rf /\n", "gids.pdf"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04", "logo.gif"),
    ],
    ids=["svg", "html-named-pdf", "exe", "script", "gif"],
)
def test_other_files_are_refused_with_a_dutch_message(data, name):
    message = _refused(data, name)
    assert REFUSED in message and "pdf" in message


def test_a_zip_that_is_no_office_document_but_claims_to_be_one_is_refused():
    data = zip_bytes({"[Content_Types].xml": b'<Types><Override ContentType="text/html"/></Types>'})
    assert REFUSED in _refused(data, "brief.docx")


def test_a_document_with_macros_is_refused():
    assert "macro's" in _refused(office("docm"), "brief.docm")
    assert "macro's" in _refused(office("docx", {"word/vbaProject.bin": b"\x00" * 10}), "brief.docx")


def test_a_file_over_25_mb_is_refused():
    assert "groter dan 25 MB" in _refused(b"%PDF-" + b"0" * (25 * 1024 * 1024))


def test_an_empty_file_is_refused():
    assert "leeg" in _refused(b"")


def test_a_zip_bomb_is_refused():
    # Two megabytes of zeros pack into a few kilobytes: a ratio no real document has.
    bomb = zip_bytes({"nullen.bin": b"\x00" * (2 * 1024 * 1024)})
    assert len(bomb) < 10_000

    assert "meer dan 250 MB" in _refused(bomb, "bestanden.zip")


def test_a_zip_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(materials, "ZIP_MAX_UNPACKED", 100_000)
    data = zip_bytes({f"deel{n}.txt": bytes(range(256)) * 100 for n in range(5)}, zipfile.ZIP_STORED)

    assert "uitgepakt" in _refused(data, "bestanden.zip")


def test_a_zip_with_a_password_is_refused():
    data = bytearray(zip_bytes({"geheim.txt": b"geheim"}, zipfile.ZIP_STORED))
    # Mark the member as encrypted in the central directory (general purpose flag, bit 0).
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x01

    assert "wachtwoord" in _refused(bytes(data), "bestanden.zip")


def test_a_damaged_zip_is_refused():
    assert "beschadigd" in _refused(office("docx")[:-30], "brief.docx")


def test_an_image_with_too_many_pixels_or_data_behind_it_is_refused():
    assert "te veel pixels" in _refused(png_header_only(100_000, 100_000), "logo.png")
    assert "extra gegevens" in _refused(png() + b"<html></html>", "logo.png")


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Snelstartgids 2026.pdf", "Snelstartgids 2026.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\anna\\Bureaublad\\Logo <nieuw>.exe", "Logo nieuw.pdf"),
        ("\x00\x1f.pdf", "campagnemateriaal.pdf"),
        ("", "campagnemateriaal.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_the_download_name_is_cleaned_and_ends_in_the_real_extension(original, expected):
    assert download_name(original, "pdf") == expected


def test_the_cleaned_image_opens():
    cleaned = clean_material(upload(png(), "logo.png", "image/png"))
    with Image.open(io.BytesIO(cleaned.content.read())) as image:
        image.load()
        assert image.size == (800, 600)
