"""What the story tests share: the story form as a person fills it in, with a real small photo, and
the page text a person reads."""

from __future__ import annotations

import html
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campagne.factories import jpeg_bytes
from contactpunt.models import Branch, Function


def text(response) -> str:
    """The main part of the page as a person reads it: no tags, one space between words."""
    body = response.content.decode()
    if '<main id="main"' in body:
        body = body.split('<main id="main"', 1)[1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def photo_upload(name: str = "vakantie.jpg", size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(size), content_type="image/jpeg")


def story_data(**changes) -> dict:
    """A complete, valid story form (an employer's; add organisation and region for a coordinator)."""
    data = {
        "photo": photo_upload(),
        "photo_alt": "Een verzorgende helpt een bewoner met opstaan.",
        "first_name": "Fatima",
        "function": Function.objects.get(slug="vig").pk,
        "branch": Branch.objects.get(slug="vvt").pk,
        "education_path": "mbo_bbl",
        "side_entrant": "on",
        "life_stage": "mid_career",
        "quote": "Na twintig jaar in de winkel koos ik voor de zorg.",
        "text": "Ik werkte in een supermarkt. Via een BBL-opleiding werk ik nu als VIG in de ouderenzorg.",
        "tags": "#Nachtdienst, zij-instroom, nachtdienst",
        "consent_name": "Fatima El Amrani",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_confirmed": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def media_files() -> set[str]:
    """Every file in the test's media folder, relative to it."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def poster_of(story, *, with_files: bool = False):
    """A poster made from the story (its own photo copy; with the four drawn files when asked)."""
    import secrets

    from django.core.files.base import ContentFile

    from campagne.models import Poster

    poster = Poster(
        story=story,
        organisation=story.organisation,
        quote=story.quote,
        person_name=story.first_name,
        function_name=str(story.function),
        organisation_name=story.organisation.name,
        colour_scheme="portaal",
        source_tag=f"verhaal-{secrets.token_hex(6)}",
    )
    poster.photo.save("foto.jpg", ContentFile(jpeg_bytes()), save=False)
    if with_files:
        for field in ("pdf", "png", "facebook", "square"):
            getattr(poster, field).save(f"{field}.bin", ContentFile(b"drawn"), save=False)
        poster.status = Poster.Status.DONE
    poster.save()
    return poster
