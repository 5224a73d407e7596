"""Helpers for the poster tests: photos of one colour, reading the generated files back."""

from __future__ import annotations

import io
import re
from pathlib import Path

import zxingcpp
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

# A colour no scheme uses: where it shows, the photo shows.
PHOTO_COLOUR = (200, 60, 40)
LOGO_COLOUR = (30, 160, 60)


def photo_bytes(size: tuple[int, int] = (1200, 900), colour: tuple[int, int, int] = PHOTO_COLOUR, kind="JPEG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return output.getvalue()


def photo_upload(**kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", photo_bytes(**kwargs), content_type="image/jpeg")


def logo_file() -> ContentFile:
    output = io.BytesIO()
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    image.paste((*LOGO_COLOUR, 255), (20, 20, 280, 80))
    image.save(output, "PNG")
    return ContentFile(output.getvalue(), name="logo.png")


def read(file) -> bytes:
    with file.open("rb") as handle:
        return handle.read()


def image_of(file_or_bytes) -> Image.Image:
    data = file_or_bytes if isinstance(file_or_bytes, bytes) else read(file_or_bytes)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space as one space (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_links(data: bytes) -> list[str]:
    links = []
    for page in pdf_reader(data).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                links.append(str(action["/URI"]))
    return links


def qr_texts(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("RGB"))]


def near(pixel, colour, tolerance: int = 12) -> bool:
    return all(abs(int(a) - int(b)) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def poster_files() -> list[Path]:
    """Every generated poster file under the test's media folder."""
    folder = Path(settings.MEDIA_ROOT) / "campagne" / "posters"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []
