"""Drawing a poster: the four files read back (text in the PDF, sizes, the photo, the QR code), Dutch
characters, long quotes, the logo, colour schemes, and what goes wrong (a broken photo)."""

from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from campagne import posters
from campagne.factories import PosterFactory, PublishedStoryFactory
from campagne.models import Poster

from .poster_helpers import (
    LOGO_COLOUR,
    PHOTO_COLOUR,
    image_of,
    logo_file,
    near,
    pdf_links,
    pdf_reader,
    pdf_text,
    photo_bytes,
    poster_files,
    qr_texts,
    read,
)

pytestmark = pytest.mark.django_db

SITE = "https://contactpunt.example"


def _poster(organisation, **fields) -> Poster:
    fields.setdefault("photo", ContentFile(photo_bytes(), name="foto.jpg"))
    return PosterFactory(organisation=organisation, organisation_name=organisation.name, **fields)


def _render(poster: Poster) -> Poster:
    assert posters.render_poster(poster.pk) is True
    poster.refresh_from_db()
    return poster


@override_settings(SITE_URL=SITE)
def test_it_draws_the_four_files_with_the_quote_the_name_and_the_photo(organisation_a):
    poster = _render(
        _poster(organisation_a, quote="Elke dag maak ik echt verschil.", person_name="Fatima", function_name="VIG")
    )

    assert poster.status == Poster.Status.DONE
    assert poster.progress == 100
    assert poster.finished_at is not None
    assert poster.error == ""

    pdf = read(poster.pdf)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Elke dag maak ik echt verschil." in text
    assert "Fatima" in text
    assert "VIG · Zorggroep Noord" in text
    assert "#ikzorg" in text
    assert "Meld je aan via contactpunt.example/aanmelden" in text
    page = pdf_reader(pdf).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    images = list(page.images)
    assert len(images) == 1  # the photo, embedded
    assert near(images[0].image.convert("RGB").getpixel((100, 100)), PHOTO_COLOUR)
    assert f"{SITE}/aanmelden/?bron={poster.source_tag}" in pdf_links(pdf)

    a4 = image_of(poster.png)
    assert (a4.format, a4.size) == ("PNG", (1240, 1754))
    facebook = image_of(poster.facebook)
    assert (facebook.format, facebook.size) == ("PNG", (820, 312))
    square = image_of(poster.square)
    assert (square.format, square.size) == ("PNG", (1080, 1080))

    # The photo shows: in the top of the A4 and the square, in the right part of the header.
    assert near(a4.convert("RGB").getpixel((620, 300)), PHOTO_COLOUR)
    assert near(square.convert("RGB").getpixel((540, 250)), PHOTO_COLOUR)
    assert near(facebook.convert("RGB").getpixel((660, 100)), PHOTO_COLOUR)
    # ...and the scheme's background below it.
    background = posters.scheme_for("portaal").background
    assert near(a4.convert("RGB").getpixel((20, 1200)), background, tolerance=2)


@override_settings(SITE_URL=SITE)
def test_the_qr_codes_on_the_a4_and_the_square_lead_to_the_intake_with_the_posters_tag(organisation_a):
    poster = _render(_poster(organisation_a))
    url = f"{SITE}/aanmelden/?bron={poster.source_tag}"

    assert posters.intake_url(poster) == url
    assert qr_texts(image_of(poster.png)) == [url]
    assert qr_texts(image_of(poster.square)) == [url]
    # Printed small or photographed, it still reads: the A4 at half size.
    half = image_of(poster.png).resize((620, 877))
    assert qr_texts(half) == [url]
    assert qr_texts(image_of(poster.facebook)) == []  # the header has none: too small to scan


def test_dutch_characters_render_in_the_pdf_and_the_fonts_are_embedded(organisation_a):
    quote = "Ik help cliënten én collega’s: geen dag is hetzelfde, zeker niet in de ‘nachtdienst’."
    poster = _render(_poster(organisation_a, quote=quote, person_name="Zoë", function_name="Begeleider ggz"))

    pdf = read(poster.pdf)
    text = pdf_text(pdf)
    assert quote in text
    assert "Zoë" in text
    page = pdf_reader(pdf).pages[0]
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("SourceSans3" in name for name in fonts)


def test_a_long_quote_wraps_and_shrinks_to_fit(organisation_a):
    long_quote = ("Na twintig jaar in de logistiek koos ik voor de zorg en ik heb er geen dag spijt van gehad. " * 3)[
        :200
    ].strip()
    poster = _render(_poster(organisation_a, quote=long_quote, person_name="Henk"))
    text = pdf_text(read(poster.pdf))
    assert long_quote in text
    assert "Henk" in text

    content = posters.poster_content(poster)
    layout = posters.layout_a4(content)
    quote_lines = [item for item in layout.items if isinstance(item, posters.Text) and item.font == "bold"]
    short = posters.layout_a4(posters.poster_content(PosterFactory.build(quote="Kort.", source_tag="poster-x")))
    short_lines = [item for item in short.items if isinstance(item, posters.Text) and item.font == "bold"]
    long_size = max(item.size for item in quote_lines if item.text.startswith("“"))
    short_size = max(item.size for item in short_lines if item.text.startswith("“"))
    assert long_size < short_size  # shrunk
    # Every line stays within the page margins, and above the call-to-action bar.
    for item in layout.items:
        if isinstance(item, posters.Text):
            assert item.x + posters.text_width(item.text, item.font, item.size) <= layout.width - 39
    bar_top = posters.A4[1] - 150
    quote_and_name = [item for item in layout.items if isinstance(item, posters.Text) and item.baseline < bar_top]
    assert all(item.baseline < bar_top - 10 for item in quote_and_name)


def test_a_word_longer_than_a_line_is_broken(organisation_a):
    word = "Zorg" * 40
    lines = posters.wrap(word, "bold", 30, 300)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(posters.text_width(line, "bold", 30) <= 300 for line in lines)
    poster = _render(_poster(organisation_a, quote=word))
    assert poster.status == Poster.Status.DONE


def test_the_organisations_logo_is_on_the_a4_and_the_square(organisation_a):
    organisation_a.logo = logo_file()
    organisation_a.save(update_fields=["logo"])
    poster = _render(_poster(organisation_a))

    a4 = image_of(poster.png).convert("RGB")
    square = image_of(poster.square).convert("RGB")
    assert sum(near(a4.getpixel((x, 150)), LOGO_COLOUR) for x in range(1000, 1200, 10)) >= 10
    assert sum(near(square.getpixel((x, 95)), LOGO_COLOUR) for x in range(820, 1010, 10)) >= 10
    assert len(list(pdf_reader(read(poster.pdf)).pages[0].images)) == 2  # photo and logo


def test_without_a_logo_none_is_drawn(organisation_a):
    poster = _render(_poster(organisation_a))
    a4 = image_of(poster.png).convert("RGB")
    assert near(a4.getpixel((1100, 100)), PHOTO_COLOUR)


def test_a_logo_that_cannot_be_read_is_left_out(organisation_a):
    organisation_a.logo = ContentFile(b"not an image", name="logo.png")
    organisation_a.save(update_fields=["logo"])
    poster = _render(_poster(organisation_a))
    assert poster.status == Poster.Status.DONE
    assert near(image_of(poster.png).convert("RGB").getpixel((1100, 100)), PHOTO_COLOUR)


def test_the_colour_scheme_decides_the_colours(organisation_a, settings):
    poster = _render(_poster(organisation_a, colour_scheme="zon"))
    scheme = posters.scheme_for("zon")
    a4 = image_of(poster.png).convert("RGB")
    assert near(a4.getpixel((20, 1200)), scheme.background, tolerance=2)
    assert near(a4.getpixel((20, 1740)), scheme.accent, tolerance=2)  # the bar at the bottom
    assert scheme.background == (0xFF, 0xD3, 0x5C)


def test_a_poster_from_a_story_uses_the_storys_upright_photo(organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a)
    poster = PosterFactory(story=story, photo="", person_name=story.first_name, quote=story.quote)
    _render(poster)
    # The factory's story variants are plain (40, 120, 140).
    assert near(image_of(poster.png).convert("RGB").getpixel((620, 300)), (40, 120, 140))


def test_an_uploaded_photo_is_turned_upright(organisation_a):
    from PIL import Image

    from .photo_helpers import jpeg

    # Stored sideways (portrait pixels, orientation 6: turn 90° clockwise): red on the left half.
    stored = Image.new("RGB", (600, 900), (20, 40, 200))
    stored.paste(PHOTO_COLOUR, (0, 0, 300, 900))
    poster = _poster(organisation_a, photo=ContentFile(jpeg(stored), name="foto.jpg"), photo_orientation=6)
    _render(poster)
    square = image_of(poster.square).convert("RGB")
    # Upright it is landscape with red on top: the top of the photo box is red, the bottom blue.
    assert near(square.getpixel((540, 60)), PHOTO_COLOUR, tolerance=20)
    assert near(square.getpixel((540, 460)), (20, 40, 200), tolerance=20)


def test_a_photo_that_cannot_be_read_marks_the_poster_failed_without_leaving_files(organisation_a, caplog):
    poster = _poster(organisation_a, photo=ContentFile(b"\xff\xd8\xff broken", name="foto.jpg"))
    assert posters.render_poster(poster.pk) is False
    poster.refresh_from_db()
    assert poster.status == Poster.Status.FAILED
    assert poster.error == "photo could not be read"
    assert poster.finished_at is not None
    assert not poster.pdf and not poster.png
    assert poster_files() == []
    assert poster.quote not in caplog.text and poster.person_name not in caplog.text


def test_a_missing_photo_file_marks_the_poster_failed(organisation_a):
    poster = _poster(organisation_a)
    poster.photo.storage.delete(poster.photo.name)
    assert posters.render_poster(poster.pk) is False
    poster.refresh_from_db()
    assert poster.status == Poster.Status.FAILED


def test_a_storage_error_gives_the_claim_back_and_is_raised_for_a_retry(organisation_a, monkeypatch):
    poster = _poster(organisation_a)
    from django.core.files.storage import FileSystemStorage

    original = FileSystemStorage.save
    calls = {"count": 0}

    def failing_save(self, name, content, max_length=None):
        calls["count"] += 1
        if calls["count"] == 2:
            raise OSError("disk full")
        return original(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    with pytest.raises(OSError):
        posters.render_poster(poster.pk)
    poster.refresh_from_db()
    assert (poster.status, poster.started_at, poster.progress) == (Poster.Status.QUEUED, None, 0)
    assert poster_files() == []  # the first file, saved before the error, was removed
    monkeypatch.setattr(FileSystemStorage, "save", original)
    assert _render(poster).status == Poster.Status.DONE


def test_progress_is_recorded_after_each_file(organisation_a, monkeypatch):
    poster = _poster(organisation_a)
    seen = []
    original = posters.render_png

    def watching(*args, **kwargs):
        seen.append(Poster.objects.get(pk=poster.pk).progress)
        return original(*args, **kwargs)

    monkeypatch.setattr(posters, "render_png", watching)
    _render(poster)
    assert seen == sorted(seen) and len(set(seen)) == 3
    assert seen[0] > 10  # the PDF was made before the first PNG


def test_the_four_files_take_less_than_two_seconds(organisation_a):
    poster = _poster(organisation_a, photo=ContentFile(photo_bytes((4000, 3000)), name="foto.jpg"))
    started = time.perf_counter()
    _render(poster)
    assert time.perf_counter() - started < 2.0


def test_the_files_have_random_names_without_the_persons_name(organisation_a):
    poster = _render(_poster(organisation_a, person_name="Fatima"))
    names = [getattr(poster, field).name for field in posters.OUTPUTS]
    assert len(set(names)) == 4
    assert all(name.startswith("campagne/posters/") and "fatima" not in name.lower() for name in names)
    assert {name.rsplit(".", 1)[1] for name in names} == {"pdf", "png"}
