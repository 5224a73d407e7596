"""Campaign posters: made from a published story or an uploaded photo, drawn in Celery.

`poster_request` saves what the poster says (checked) and queues `campagne.tasks.render_poster`
after commit. `render_poster` claims the work with a conditional UPDATE (QUEUED, or a WORKING claim
older than the task's hard time limit, becomes WORKING), so two workers never draw the same poster
at once; it draws four files and stores them only if its claim still holds:

- an A4 poster as PDF (reportlab: real, searchable text in Source Sans 3, the photo embedded, the QR
  code drawn as vector squares, clickable links to the intake form) and the same A4 as a PNG at
  150 dpi (1240 × 1754);
- a 820 × 312 Facebook header and a 1080 × 1080 square (PNG).

Each poster has a QR code (not the header: too small to scan there) to the intake form with
`?bron=<source_tag>`; the intake keeps that tag on the candidate, so `signups_via` counts who came
through which poster. The four outputs share one layout model (boxes in points or pixels, top-left
origin) drawn by two small backends, one for reportlab and one for Pillow, so the PDF and the PNG
look the same. Text is measured with the font's own metrics; long quotes wrap and shrink to fit.
"""

from __future__ import annotations

import io
import logging
import secrets
import string
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from contactpunt.jobs import enqueue_on_commit

from .models import Poster, Story
from .photos import CleanPhoto, open_upright

logger = logging.getLogger(__name__)

QUOTE_MAX = 200
OUTPUTS = ("pdf", "png", "facebook", "square")
# The task's hard time limit (campagne.tasks.IMAGE_WORK): a WORKING claim older than this belongs to
# a worker that was killed.
WORKING_STALE_AFTER = timedelta(seconds=150)
QUEUED_STALE_AFTER = timedelta(minutes=2)
STALE_BATCH = 200
SOURCE_TAG_PREFIX = "poster-"
_TAG_ALPHABET = string.ascii_lowercase + string.digits

A4 = (595.2756, 841.8898)  # points
A4_PNG_SIZE = (1240, 1754)  # 150 dpi
FACEBOOK_SIZE = (820, 312)
SQUARE_SIZE = (1080, 1080)
PHOTO_DECODE_HINT = (1240, 1240)
PDF_PHOTO_DPI = 150

FONT_FILES = {
    "regular": "400Regular/SourceSans3_400Regular.ttf",
    "semibold": "600SemiBold/SourceSans3_600SemiBold.ttf",
    "bold": "700Bold/SourceSans3_700Bold.ttf",
}
WHITE = (255, 255, 255)

Colour = tuple[int, int, int]


class PosterRefused(ValueError):
    """The poster cannot be made as asked; `field` says where the message belongs on the form."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Requesting a poster ---------------------------------------------------------------------------------


def colour_schemes() -> dict[str, dict[str, str]]:
    return settings.CAMPAIGN_POSTER_SCHEMES


def default_colour_scheme() -> str:
    return next(iter(colour_schemes()))


def stories_for_posters(user) -> QuerySet[Story]:
    """The published stories a user may make a poster of: employers their organisation's,
    coordinators those of their regions, administrators all."""
    return Story.objects.visible_to(user).published()


def organisations_for_posters(user):
    """The organisations whose name and logo a user may put on a poster made from an upload."""
    from werkgevers.models import Organisation

    return Organisation.objects.visible_to(user)


def new_source_tag() -> str:
    """ "poster-" and eight random lower-case letters or digits: unguessable, and valid as `bron`."""
    return SOURCE_TAG_PREFIX + "".join(secrets.choice(_TAG_ALPHABET) for _ in range(8))


def poster_request(
    *,
    actor,
    story: Story | None,
    photo: CleanPhoto | None,
    quote: str,
    person_name: str,
    function_name: str,
    organisation_name: str,
    colour_scheme: str,
    organisation=None,
) -> Poster:
    """Save a poster to be made, from a published story or from an uploaded photo, and queue it.

    From a story, the person's first name and function come from the story; the quote may be
    shortened (empty: the story's quote). From an upload the quote and the name are required. The
    organisation is the story's, the employer's own, or (coordinators) one of their regions.
    Raises `PosterRefused`.
    """
    if (story is None) == (photo is None):
        raise PosterRefused(_("Choose a published story or upload a photo (one of the two)."), field="story")
    if colour_scheme not in colour_schemes():
        raise PosterRefused(_("Choose one of the colour schemes."), field="colour_scheme")
    quote = " ".join((quote or "").split())
    person_name = " ".join((person_name or "").split())
    function_name = " ".join((function_name or "").split())
    organisation_name = " ".join((organisation_name or "").split())
    if story is not None:
        if not stories_for_posters(actor).filter(pk=story.pk).exists():
            raise PosterRefused(_("Choose one of your published stories."), field="story")
        organisation = story.organisation
        quote = quote or story.quote
        person_name = story.first_name
        function_name = function_name or story.function.name
    else:
        if actor.is_employer:
            organisation = actor.organisation
        if organisation is None or not organisations_for_posters(actor).filter(pk=organisation.pk).exists():
            raise PosterRefused(_("Choose the organisation the poster is for."), field="organisation")
        if not person_name:
            raise PosterRefused(_("Fill in the name of the person in the photo."), field="person_name")
    if not quote:
        raise PosterRefused(_("Fill in the quote for the poster."), field="quote")
    if len(quote) > QUOTE_MAX:
        raise PosterRefused(_("The quote may be at most %(max)d characters long.") % {"max": QUOTE_MAX}, field="quote")
    organisation_name = organisation_name or organisation.name
    poster = Poster(
        organisation=organisation,
        story=story,
        created_by=actor,
        quote=quote,
        person_name=person_name[:100],
        function_name=function_name[:100],
        organisation_name=organisation_name[:200],
        colour_scheme=colour_scheme,
        status=Poster.Status.QUEUED,
    )
    if photo is not None:
        poster.photo = photo.content
        poster.photo_orientation = photo.orientation
    for attempt in range(5):
        poster.source_tag = new_source_tag()
        try:
            with transaction.atomic():
                poster.save()
            break
        except IntegrityError:  # the tag was taken (one in 2.8 × 10¹² per poster): draw another
            if attempt == 4:
                raise
            poster.pk = None
    from . import tasks

    enqueue_on_commit(tasks.render_poster, poster.pk)
    logger.info("Poster %s requested by user %s", poster.pk, actor.pk)
    return poster


def poster_delete(*, poster: Poster, actor) -> None:
    """Delete the poster; its files (photo and outputs) go once the transaction commits."""
    storage = poster.pdf.storage
    names = [getattr(poster, field).name for field in ("photo", *OUTPUTS)]
    poster_id = poster.pk
    poster.delete()
    _delete_on_commit(storage, names)
    logger.info("Poster %s deleted by user %s", poster_id, actor.pk)


# Reading ----------------------------------------------------------------------------------------


def intake_url(poster: Poster) -> str:
    """Where the QR code leads: the intake form with the poster's tag, on the portal's own address."""
    return f"{settings.SITE_URL}{reverse('kandidaten:intake')}?bron={poster.source_tag}"


def site_label() -> str:
    """The intake's address as people type it: host and path, no scheme ("contactpunt.nl/aanmelden")."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.netloc}{parts.path.rstrip('/')}{reverse('kandidaten:intake').rstrip('/')}"


def signups_via(poster: Poster) -> int:
    """How many candidates signed up through this poster's QR code or link."""
    from kandidaten.models import Candidate

    return Candidate.objects.filter(source_tag=poster.source_tag).count()


def with_signup_counts(posters: QuerySet[Poster]) -> QuerySet[Poster]:
    """Annotate `signup_count` on every poster in one query (a correlated subquery per row)."""
    from kandidaten.models import Candidate

    counts = (
        Candidate.objects.filter(source_tag=OuterRef("source_tag"))
        .order_by()
        .values("source_tag")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return posters.annotate(signup_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))


def stale_poster_ids(now: datetime | None = None) -> list[int]:
    """Posters still waiting two minutes after they were asked for, or whose worker has held them
    longer than the task may run (at most 200), for the periodic sweep."""
    now = now or timezone.now()
    return list(
        Poster.objects.filter(
            Q(status=Poster.Status.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER)
            | Q(status=Poster.Status.WORKING, started_at__lt=now - WORKING_STALE_AFTER)
            | Q(status=Poster.Status.WORKING, started_at__isnull=True, created_at__lt=now - WORKING_STALE_AFTER)
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:STALE_BATCH]
    )


# Rendering --------------------------------------------------------------------------------------


def render_poster(poster_id: int) -> bool:
    """Draw the poster's four files; True when this call made them.

    Idempotent: a poster that is gone, DONE or FAILED, or held by another worker, is left alone. A
    photo that cannot be read marks the poster FAILED; a storage error gives the claim back and is
    raised, so the task retries.
    """
    now = timezone.now()
    claimable = Q(status=Poster.Status.QUEUED) | Q(
        status=Poster.Status.WORKING, started_at__lt=now - WORKING_STALE_AFTER
    )
    claimable |= Q(status=Poster.Status.WORKING, started_at__isnull=True)
    claimed = Poster.objects.filter(claimable, pk=poster_id).update(
        status=Poster.Status.WORKING, started_at=now, progress=0, error=""
    )
    if claimed != 1:
        return False
    mine = Poster.objects.filter(pk=poster_id, status=Poster.Status.WORKING, started_at=now)
    poster = Poster.objects.select_related("story", "organisation").filter(pk=poster_id).first()
    if poster is None:
        return False
    storage = poster.pdf.storage
    saved: dict[str, str] = {}
    try:
        with translation.override(settings.LANGUAGE_CODE):
            content = poster_content(poster)
            photo = _load_photo(poster)
            logo = _load_logo(poster)
            mine.update(progress=10)
            steps = (
                ("pdf", "poster-a4.pdf", lambda: render_pdf(content, photo, logo)),
                (
                    "png",
                    "poster-a4.png",
                    lambda: render_png(layout_a4(content), content, photo, logo, scale=A4_PNG_SIZE[0] / A4[0]),
                ),
                ("facebook", "facebook.png", lambda: render_png(layout_facebook(content), content, photo, logo)),
                ("square", "vierkant.png", lambda: render_png(layout_square(content), content, photo, logo)),
            )
            for number, (field, name, draw) in enumerate(steps, start=1):
                data = draw()
                saved[field] = storage.save(
                    Poster._meta.get_field(field).generate_filename(poster, name), ContentFile(data)
                )
                if mine.update(progress=10 + number * 22) != 1:
                    break  # deleted, or taken over by another worker: stop here
    except PosterPhotoError:
        _discard(storage, saved.values())
        mine.update(status=Poster.Status.FAILED, error="photo could not be read", finished_at=timezone.now())
        logger.warning("Poster %s: the photo could not be read, marked as failed", poster_id)
        return False
    except OSError:
        _discard(storage, saved.values())
        mine.update(status=Poster.Status.QUEUED, started_at=None, progress=0)
        logger.warning("Poster %s: a file could not be read or stored; the task retries", poster_id)
        raise
    except Exception as error:  # a bug or bad data: the page says it failed, the log says what kind
        _discard(storage, saved.values())
        mine.update(status=Poster.Status.FAILED, error=type(error).__name__[:255], finished_at=timezone.now())
        logger.exception("Poster %s could not be drawn", poster_id)
        return False
    if len(saved) != len(OUTPUTS):
        _discard(storage, saved.values())
        return False
    done = mine.update(status=Poster.Status.DONE, progress=100, finished_at=timezone.now(), **saved)
    if done != 1:  # deleted or taken over meanwhile: these files belong to nobody
        _discard(storage, saved.values())
        return False
    return True


class PosterPhotoError(Exception):
    """The poster's photo is missing or cannot be decoded."""


@dataclass(frozen=True)
class Scheme:
    background: Colour
    accent: Colour
    text: Colour
    accent_text: Colour


@dataclass(frozen=True)
class PosterContent:
    """What a poster says, in the language it is drawn in."""

    quote: str
    name: str
    function: str
    organisation: str
    hashtag: str
    headline: str
    call_to_action: str
    scan_hint: str
    url: str
    scheme: Scheme
    has_logo: bool


def _hex(value: str) -> Colour:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(character * 2 for character in value)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def scheme_for(key: str) -> Scheme:
    schemes = colour_schemes()
    colours = schemes.get(key) or schemes[default_colour_scheme()]
    return Scheme(
        background=_hex(colours["background"]),
        accent=_hex(colours["accent"]),
        text=_hex(colours["text"]),
        accent_text=_hex(colours["accent_text"]),
    )


def poster_content(poster: Poster, *, has_logo: bool | None = None) -> PosterContent:
    if has_logo is None:
        has_logo = bool(poster.organisation_id and poster.organisation.logo)
    return PosterContent(
        quote=f"“{poster.quote}”",
        name=poster.person_name,
        function=poster.function_name,
        organisation=poster.organisation_name,
        hashtag=f"#{settings.CAMPAIGN_HASHTAG}",
        headline=_("Would you like to work in care too?"),
        call_to_action=_("Sign up at %(site)s") % {"site": site_label()},
        scan_hint=_("Or scan the code with your phone."),
        url=intake_url(poster),
        scheme=scheme_for(poster.colour_scheme),
        has_logo=has_logo,
    )


def _load_photo(poster: Poster) -> Image.Image:
    """The poster's photo, upright in RGB, decoded at no more than the outputs need."""
    if poster.photo:
        file, orientation = poster.photo, poster.photo_orientation
    elif poster.story_id and poster.story.large:
        file, orientation = poster.story.large, 1  # the variants are upright already
    elif poster.story_id and poster.story.photo:
        file, orientation = poster.story.photo, poster.story.photo_orientation
    else:
        raise PosterPhotoError
    try:
        with file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise PosterPhotoError from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return open_upright(io.BytesIO(data), orientation, size_hint=PHOTO_DECODE_HINT)
    except Exception:  # whatever Pillow raises: the photo cannot be used
        raise PosterPhotoError from None


def _load_logo(poster: Poster) -> Image.Image | None:
    """The organisation's logo in RGBA, or None (no logo, or one that cannot be read: left out)."""
    if not (poster.organisation_id and poster.organisation.logo):
        return None
    try:
        with poster.organisation.logo.open("rb") as handle:
            data = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
        return image.convert("RGBA")
    except Exception:
        logger.warning("Poster %s: the organisation's logo could not be read and is left out", poster.pk)
        return None


def _discard(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("A poster file could not be deleted; it is left behind")


def _delete_on_commit(storage: Storage, names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _discard(storage, names))


# Fonts and text ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _font_paths() -> dict[str, Path]:
    """The TTF files by weight, registered with reportlab once per process."""
    paths = {key: Path(settings.CAMPAIGN_FONT_DIR) / name for key, name in FONT_FILES.items()}
    for key, path in paths.items():
        pdfmetrics.registerFont(TTFont(_pdf_font(key), str(path)))
    return paths


def _pdf_font(key: str) -> str:
    return f"SourceSans3-{key}"


@lru_cache(maxsize=256)
def _pil_font(key: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_paths()[key]), size)


def text_width(text: str, font: str, size: float) -> float:
    _font_paths()
    return pdfmetrics.stringWidth(text, _pdf_font(font), size)


def _split_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, current = [], ""
    for character in word:
        if current and text_width(current + character, font, size) > width:
            pieces.append(current)
            current = character
        else:
            current += character
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking on spaces; a word wider than the line is broken between letters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word, font, size) <= width:
            current = word
        else:
            *full, current = _split_long_word(word, font, size, width)
            lines.extend(full)
    if current:
        lines.append(current)
    return lines


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    while line and text_width(line + "…", font, size) > width:
        line = line[:-1].rstrip()
    return line + "…"


@dataclass(frozen=True)
class Fitted:
    lines: list[str]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * self.leading if self.lines else 0.0


def fit(
    text: str,
    font: str,
    *,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    leading: float = 1.2,
    max_lines: int | None = None,
) -> Fitted:
    """The largest size (from max_size down to min_size) at which the wrapped text fits the box; at
    the smallest size whatever still does not fit ends in an ellipsis."""
    size = max_size
    while True:
        lines = wrap(text, font, size, width)
        fits = len(lines) * size * leading <= height and (max_lines is None or len(lines) <= max_lines)
        if fits or size <= min_size:
            break
        size = max(min_size, size * 0.94)
    room = max(1, int(height // (size * leading)))
    keep = min(room, max_lines or room)
    if len(lines) > keep:
        lines = [*lines[: keep - 1], _ellipsize(lines[keep - 1], font, size, width)]
    return Fitted(lines=lines, size=size, leading=leading)


# Layout --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Fill:
    box: Box
    colour: Colour


@dataclass(frozen=True)
class Photo:
    box: Box


@dataclass(frozen=True)
class Logo:
    box: Box  # the white panel; the logo fits inside with a margin


@dataclass(frozen=True)
class Text:
    x: float
    baseline: float
    text: str
    font: str
    size: float
    colour: Colour


@dataclass(frozen=True)
class QRCode:
    box: Box  # square, white, the quiet zone included


@dataclass(frozen=True)
class Link:
    box: Box
    url: str


@dataclass
class Layout:
    width: float
    height: float
    items: list


def _text_lines(fitted: Fitted, x: float, top: float, font: str, colour: Colour) -> tuple[list[Text], float]:
    """Text items for the lines, the first line's cap at `top`; returns them and the bottom."""
    items = []
    baseline = top + fitted.size * 0.8
    for line in fitted.lines:
        items.append(Text(x, baseline, line, font, fitted.size, colour))
        baseline += fitted.size * fitted.leading
    return items, top + fitted.height


def _tag(x: float, y: float, height: float, text: str, size: float, scheme: Scheme) -> list:
    """The hashtag on an accent-coloured label."""
    padding = size * 0.55
    width = text_width(text, "bold", size) + 2 * padding
    baseline = y + height / 2 + size * 0.33
    return [
        Fill(Box(x, y, width, height), scheme.accent),
        Text(x + padding, baseline, text, "bold", size, scheme.accent_text),
    ]


def _quote_and_name(
    content: PosterContent,
    *,
    x: float,
    top: float,
    width: float,
    bottom: float,
    quote_sizes: tuple[float, float],
    name_size: float,
    detail_size: float,
    detail_lines: int = 2,
) -> list:
    """The quote (with an accent bar beside it), then the name and the function and organisation,
    all within top..bottom; the quote takes what the name block leaves."""
    scheme = content.scheme
    bar = max(4.0, name_size * 0.22)
    indent = bar + name_size * 0.8
    text_x, text_width_ = x + indent, width - indent
    name = fit(
        content.name,
        "bold",
        width=text_width_,
        height=name_size * 1.25,
        max_size=name_size,
        min_size=name_size * 0.7,
        max_lines=1,
    )
    details = " · ".join(part for part in (content.function, content.organisation) if part)
    detail = fit(
        details,
        "regular",
        width=text_width_,
        height=detail_size * 1.25 * detail_lines,
        max_size=detail_size,
        min_size=detail_size * 0.75,
        leading=1.25,
        max_lines=detail_lines,
    )
    gap = name_size * 0.7
    name_block = name.height + detail.height
    quote = fit(
        content.quote,
        "bold",
        width=text_width_,
        height=bottom - top - gap - name_block,
        max_size=quote_sizes[0],
        min_size=quote_sizes[1],
        leading=1.15,
    )
    items, quote_bottom = _text_lines(quote, text_x, top, "bold", scheme.text)
    items.insert(0, Fill(Box(x, top - quote.size * 0.1, bar, quote.height), scheme.accent))
    name_items, name_bottom = _text_lines(name, text_x, quote_bottom + gap, "bold", scheme.text)
    detail_items, _bottom = _text_lines(detail, text_x, name_bottom, "regular", scheme.text)
    return items + name_items + detail_items


def _call_to_action(
    content: PosterContent, *, x: float, top: float, width: float, sizes: tuple[float, float, float]
) -> list:
    colour = content.scheme.accent_text
    headline = fit(
        content.headline,
        "bold",
        width=width,
        height=sizes[0] * 1.2,
        max_size=sizes[0],
        min_size=sizes[0] * 0.6,
        max_lines=1,
    )
    action = fit(
        content.call_to_action,
        "semibold",
        width=width,
        height=sizes[1] * 2.5,
        max_size=sizes[1],
        min_size=sizes[1] * 0.7,
        max_lines=2,
    )
    hint = fit(
        content.scan_hint,
        "regular",
        width=width,
        height=sizes[2] * 1.25,
        max_size=sizes[2],
        min_size=sizes[2] * 0.7,
        max_lines=1,
    )
    items, bottom = _text_lines(headline, x, top, "bold", colour)
    more, bottom = _text_lines(action, x, bottom + sizes[1] * 0.35, "semibold", colour)
    rest, bottom = _text_lines(hint, x, bottom + sizes[2] * 0.2, "regular", colour)
    return items + more + rest + [Link(Box(x, top, width, bottom - top), content.url)]


def layout_a4(content: PosterContent) -> Layout:
    """A4 portrait in points: the photo on top with the hashtag, the quote and who said it, and an
    accent bar with the call to action and the QR code."""
    width, height = A4
    margin = 40.0
    scheme = content.scheme
    photo_height = 430.0
    bar_height = 150.0
    bar_top = height - bar_height
    items: list = [Fill(Box(0, 0, width, height), scheme.background), Photo(Box(0, 0, width, photo_height))]
    items += _tag(margin, photo_height - 27, 54, content.hashtag, 30, scheme)
    if content.has_logo:
        items.append(Logo(Box(width - margin - 150, 24, 150, 76)))
    items += _quote_and_name(
        content,
        x=margin,
        top=photo_height + 58,
        width=width - 2 * margin,
        bottom=bar_top - 24,
        quote_sizes=(36, 15),
        name_size=22,
        detail_size=15,
    )
    qr = 118.0
    items.append(Fill(Box(0, bar_top, width, bar_height), scheme.accent))
    qr_box = Box(width - margin - qr, bar_top + (bar_height - qr) / 2, qr, qr)
    items += [QRCode(qr_box), Link(qr_box, content.url)]
    items += _call_to_action(content, x=margin, top=bar_top + 30, width=qr_box.x - margin - 24, sizes=(24, 16, 13))
    return Layout(width, height, items)


def layout_facebook(content: PosterContent) -> Layout:
    """820 × 312 pixels: the quote and the name on the left, the photo on the right with the hashtag."""
    width, height = FACEBOOK_SIZE
    scheme = content.scheme
    photo_x = 500
    items: list = [
        Fill(Box(0, 0, width, height), scheme.background),
        Photo(Box(photo_x, 0, width - photo_x, height)),
        Fill(Box(photo_x - 8, 0, 8, height), scheme.accent),
    ]
    tag_items = _tag(0, 0, 40, content.hashtag, 24, scheme)
    tag_width = tag_items[0].box.w
    items += _tag(width - 20 - tag_width, height - 20 - 40, 40, content.hashtag, 24, scheme)
    items += _quote_and_name(
        content,
        x=32,
        top=34,
        width=photo_x - 8 - 32 - 28,
        bottom=height - 58,
        quote_sizes=(32, 15),
        name_size=21,
        detail_size=15,
        detail_lines=1,
    )
    action = fit(
        content.call_to_action,
        "semibold",
        width=photo_x - 8 - 32 - 28,
        height=20,
        max_size=16,
        min_size=11,
        max_lines=1,
    )
    action_items, _bottom = _text_lines(action, 32, height - 34 - action.size * 0.8, "semibold", scheme.text)
    return Layout(width, height, items + action_items)


def layout_square(content: PosterContent) -> Layout:
    """1080 × 1080 pixels, for Instagram and LinkedIn: as the A4, squarer."""
    width, height = SQUARE_SIZE
    margin = 56.0
    scheme = content.scheme
    photo_height = 500.0
    bar_height = 220.0
    bar_top = height - bar_height
    items: list = [Fill(Box(0, 0, width, height), scheme.background), Photo(Box(0, 0, width, photo_height))]
    items += _tag(margin, photo_height - 38, 76, content.hashtag, 44, scheme)
    if content.has_logo:
        items.append(Logo(Box(width - margin - 220, 40, 220, 110)))
    items += _quote_and_name(
        content,
        x=margin,
        top=photo_height + 78,
        width=width - 2 * margin,
        bottom=bar_top - 30,
        quote_sizes=(54, 26),
        name_size=36,
        detail_size=26,
        detail_lines=1,
    )
    qr = 180.0
    items.append(Fill(Box(0, bar_top, width, bar_height), scheme.accent))
    qr_box = Box(width - margin - qr, bar_top + (bar_height - qr) / 2, qr, qr)
    items.append(QRCode(qr_box))
    items += _call_to_action(content, x=margin, top=bar_top + 40, width=qr_box.x - margin - 36, sizes=(40, 28, 22))
    return Layout(width, height, items)


# Backends ---------------------------------------------------------------------------------------


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (True: dark), without the quiet zone."""
    code = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Cropped to fill `size`, keeping a little more of the top (where faces usually are)."""
    return ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=(0.5, 0.4))


def _logo_panel(logo: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The logo fitted on a white panel of `size` pixels, with a margin."""
    panel = Image.new("RGB", size, WHITE)
    margin = max(2, round(min(size) * 0.12))
    box = (max(1, size[0] - 2 * margin), max(1, size[1] - 2 * margin))
    fitted = ImageOps.contain(logo, box, Image.Resampling.LANCZOS)
    offset = ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2)
    panel.paste(fitted, offset, fitted.getchannel("A"))
    return panel


def _qr_image(url: str, side: int) -> Image.Image:
    """The QR code with its quiet zone on white, in whole pixels per module, centred in `side`."""
    matrix = qr_matrix(url)
    modules = len(matrix) + 2 * QUIET_ZONE
    scale = max(1, side // modules)
    code = Image.new("L", (len(matrix), len(matrix)), 255)
    code.putdata([0 if dark else 255 for row in matrix for dark in row])
    code = code.resize((len(matrix) * scale, len(matrix) * scale), Image.Resampling.NEAREST)
    image = Image.new("RGB", (side, side), WHITE)
    offset = (side - code.width) // 2
    image.paste(code.convert("RGB"), (offset, offset))
    return image


def render_png(
    layout: Layout,
    content: PosterContent,
    photo: Image.Image,
    logo: Image.Image | None,
    *,
    scale: float = 1.0,
) -> bytes:
    """Draw the layout with Pillow (`scale` pixels per layout unit) and return PNG bytes."""
    size = (round(layout.width * scale), round(layout.height * scale))
    image = Image.new("RGB", size, WHITE)
    draw = ImageDraw.Draw(image)

    def pixels(box: Box) -> tuple[int, int, int, int]:
        return (
            round(box.x * scale),
            round(box.y * scale),
            round((box.x + box.w) * scale),
            round((box.y + box.h) * scale),
        )

    for item in layout.items:
        if isinstance(item, Fill):
            left, top, right, bottom = pixels(item.box)
            draw.rectangle((left, top, right - 1, bottom - 1), fill=item.colour)
        elif isinstance(item, Photo):
            left, top, right, bottom = pixels(item.box)
            image.paste(_cover(photo, (right - left, bottom - top)), (left, top))
        elif isinstance(item, Logo) and logo is not None:
            left, top, right, bottom = pixels(item.box)
            image.paste(_logo_panel(logo, (right - left, bottom - top)), (left, top))
        elif isinstance(item, QRCode):
            left, top, right, bottom = pixels(item.box)
            image.paste(_qr_image(content.url, min(right - left, bottom - top)), (left, top))
        elif isinstance(item, Text):
            font = _pil_font(item.font, round(item.size * scale, 1))
            draw.text((item.x * scale, item.baseline * scale), item.text, font=font, fill=item.colour, anchor="ls")
    output = io.BytesIO()
    image.save(output, "PNG", compress_level=5)
    return output.getvalue()


def _jpeg_reader(image: Image.Image) -> ImageReader:
    output = io.BytesIO()
    image.save(output, "JPEG", quality=85, optimize=True)
    output.seek(0)
    return ImageReader(output)


def render_pdf(content: PosterContent, photo: Image.Image, logo: Image.Image | None) -> bytes:
    """The A4 poster as a PDF: real text in the embedded fonts, the photo as a JPEG, the QR code as
    vector squares, and the QR code and the call to action link to the intake form."""
    _font_paths()
    layout = layout_a4(content)
    width, height = layout.width, layout.height
    output = io.BytesIO()
    pdf = canvas.Canvas(output, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{content.hashtag} · {content.name}")
    pdf.setAuthor(content.organisation)
    pdf.setSubject(content.quote)
    pdf.setCreator("Contactpunt Zorg en Welzijn")
    pixels_per_point = PDF_PHOTO_DPI / 72

    def flipped(box: Box) -> tuple[float, float, float, float]:
        return box.x, height - box.y - box.h, box.w, box.h

    for item in layout.items:
        if isinstance(item, Fill):
            pdf.setFillColorRGB(*(value / 255 for value in item.colour))
            pdf.rect(*flipped(item.box), stroke=0, fill=1)
        elif isinstance(item, Photo):
            size = (round(item.box.w * pixels_per_point), round(item.box.h * pixels_per_point))
            pdf.drawImage(_jpeg_reader(_cover(photo, size)), *flipped(item.box))
        elif isinstance(item, Logo) and logo is not None:
            size = (round(item.box.w * pixels_per_point * 2), round(item.box.h * pixels_per_point * 2))
            pdf.drawImage(ImageReader(_logo_panel(logo, size)), *flipped(item.box))
        elif isinstance(item, QRCode):
            _pdf_qr(pdf, content.url, item.box, height)
        elif isinstance(item, Text):
            pdf.setFillColorRGB(*(value / 255 for value in item.colour))
            pdf.setFont(_pdf_font(item.font), item.size)
            pdf.drawString(item.x, height - item.baseline, item.text)
        elif isinstance(item, Link):
            x, y, w, h = flipped(item.box)
            pdf.linkURL(item.url, (x, y, x + w, y + h), relative=0, thickness=0)
    pdf.showPage()
    pdf.save()
    return output.getvalue()


def _pdf_qr(pdf: canvas.Canvas, url: str, box: Box, page_height: float) -> None:
    matrix = qr_matrix(url)
    modules = len(matrix) + 2 * QUIET_ZONE
    module = box.w / modules
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(box.x, page_height - box.y - box.h, box.w, box.h, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    path = pdf.beginPath()
    for row_number, row in enumerate(matrix):
        top = box.y + (QUIET_ZONE + row_number) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            left = box.x + (QUIET_ZONE + start) * module
            path.rect(left, page_height - top - module, (column - start) * module, module)
    pdf.drawPath(path, stroke=0, fill=1)


def open_output(poster: Poster, output: str) -> IO[bytes]:
    """The stored file of one output ("pdf", "png", "facebook", "square"); raises FileNotFoundError."""
    file = getattr(poster, output)
    if not file.name:
        raise FileNotFoundError(output)
    return file.open("rb")
