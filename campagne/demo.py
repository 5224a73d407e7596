"""Fictional campaign demo data: 600 published stories of care workers, a few waiting for moderation
and one sent back, and campaign materials. Called by `contactpunt.demo.build_demo` after the
regions, users and the employers exist.

Nothing here is real. The people are invented (Dutch first names, surnames from Faker with a fixed
seed), their stories are put together from building blocks, and the pictures are illustrations drawn
here with Pillow and numpy (landscapes, circles, houses, waves, flowers, a stylised figure without a
face): no photo of anybody. About sixty distinct pictures are drawn once per run, in many colour
variations; each story gets its own copy of the files.

The published stories are inserted in bulk (`bulk_create`): through the services, 600 stories would
each queue their photo, notify coordinators and the submitter, and take minutes. Their variants are
made by the real code (`campagne.photos.render_variants`) once per picture, and the search vectors
are filled by `campagne.search.refresh_search_vectors`. The stories that wait for moderation and the
one sent back are made through the real services (`story_create`, `story_submit`,
`story_send_back`), so coordinators find them in their queue with their notifications; their mails
are taken out of the outbox, as elsewhere in the demo. The materials go through `clean_material` and
`material_upload`.

The plan (people, texts, pictures) comes from a fixed seed and does not depend on the day; the
dates are relative to now and lie in the past. Running it again creates nothing: a story is found
by its organisation and the name of the person pictured, a material by its title and region.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from PIL import Image, ImageDraw, ImageFilter

from contactpunt.demo import ADMINISTRATOR, FUNCTIONS_BY_BRANCH, REGIONS, SEED
from contactpunt.models import Branch, EducationLevel, Function, OutboxMail, Region, User
from werkgevers.demo import BRANCH_PLACES, BRANCH_SHORT, FUNCTION_LEVELS, ORGANISATIONS, kvk_number
from werkgevers.models import Organisation

from . import photos
from .materials import clean_material, material_upload
from .models import CampaignMaterial, EducationPath, LifeStage, Story, StoryTag

STORY_COUNT = 600
PICTURE_COUNT = 60
PICTURE_SIZE = (1200, 900)

# ---------------------------------------------------------------------------------------------
# Pictures: drawn illustrations, never a photo of a person.


@dataclass(frozen=True)
class Palette:
    name: str  # for the description, in Dutch
    light: tuple[int, int, int]
    dark: tuple[int, int, int]
    accent: tuple[int, int, int]
    extra: tuple[int, int, int]


# fmt: off
PALETTES: tuple[Palette, ...] = (
    Palette("petrol en koraal", (214, 236, 236), (0, 94, 104), (244, 120, 96), (255, 214, 170)),
    Palette("zachtgroen en geel", (232, 244, 222), (62, 124, 74), (246, 196, 66), (170, 214, 150)),
    Palette("hemelsblauw en oranje", (220, 234, 250), (36, 84, 150), (248, 150, 52), (140, 186, 232)),
    Palette("lila en roze", (242, 230, 248), (104, 64, 150), (236, 112, 160), (200, 170, 230)),
    Palette("zandkleur en terracotta", (250, 238, 220), (150, 84, 52), (214, 120, 72), (236, 200, 150)),
    Palette("mintgroen en paars", (222, 246, 236), (78, 56, 128), (64, 186, 150), (180, 230, 210)),
    Palette("zonnig geel en blauw", (255, 246, 214), (40, 70, 130), (250, 200, 40), (160, 200, 240)),
    Palette("roze en donkerblauw", (252, 232, 236), (30, 50, 100), (232, 96, 120), (250, 190, 200)),
    Palette("olijfgroen en oker", (240, 240, 220), (86, 100, 40), (210, 150, 40), (190, 200, 130)),
    Palette("turquoise en rood", (220, 246, 246), (0, 110, 120), (220, 60, 60), (130, 210, 210)),
    Palette("grijsblauw en goud", (232, 238, 244), (60, 80, 100), (214, 170, 70), (170, 190, 210)),
    Palette("perzik en bosgroen", (255, 236, 224), (40, 96, 70), (246, 150, 110), (250, 200, 170)),
)
# fmt: on

STYLES = ("landscape", "circles", "house", "waves", "flowers", "figure")
STYLE_DESCRIPTIONS = {
    "landscape": "Illustratie: een zon boven glooiende heuvels, in {colours}.",
    "circles": "Illustratie: zachte, overlappende cirkels, in {colours}.",
    "house": "Illustratie: een huis met verlichte ramen en een hart erboven, in {colours}.",
    "waves": "Illustratie: golvende banden van kleur, in {colours}.",
    "flowers": "Illustratie: bloemen in een veld, in {colours}.",
    "figure": "Illustratie: een gestileerd figuur zonder gezicht met een hart, in {colours}.",
}


@dataclass
class Picture:
    """One drawn picture: the cleaned original (JPEG, no metadata) and its variants, made once."""

    original: bytes
    width: int
    height: int
    variants: dict[str, bytes]
    description: str


def _gradient(size: tuple[int, int], top: Sequence[int], bottom: Sequence[int], angle: float = 0.0) -> Image.Image:
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    t = (y / height) * math.cos(angle) + (x / width) * math.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    top_colour, bottom_colour = np.array(top, np.float32), np.array(bottom, np.float32)
    pixels = top_colour + (bottom_colour - top_colour) * t[..., None]
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def _mix(a: Sequence[int], b: Sequence[int], share: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _heart(draw: ImageDraw.ImageDraw, centre: tuple[float, float], size: float, fill) -> None:
    cx, cy = centre
    radius = size / 4
    draw.ellipse((cx - 2 * radius, cy - radius, cx, cy + radius), fill=fill)
    draw.ellipse((cx, cy - radius, cx + 2 * radius, cy + radius), fill=fill)
    draw.polygon(
        [(cx - 2 * radius + 2, cy + radius * 0.3), (cx + 2 * radius - 2, cy + radius * 0.3), (cx, cy + size * 0.7)],
        fill=fill,
    )


def _landscape(size, palette: Palette, rng: random.Random) -> Image.Image:
    width, height = size
    image = _gradient(size, palette.light, _mix(palette.light, palette.extra, 0.8))
    draw = ImageDraw.Draw(image, "RGBA")
    sun_x, sun_y, sun_r = (
        rng.uniform(0.2, 0.8) * width,
        rng.uniform(0.18, 0.35) * height,
        rng.uniform(0.07, 0.11) * width,
    )
    draw.ellipse((sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r), fill=(*palette.accent, 235))
    for layer in range(3):
        base = height * (0.55 + 0.13 * layer)
        amplitude, phase, waves = height * rng.uniform(0.04, 0.09), rng.uniform(0, 6.28), rng.uniform(1.0, 2.2)
        points = [(x, base + amplitude * math.sin(phase + waves * 6.28 * x / width)) for x in range(0, width + 20, 20)]
        colour = _mix(palette.extra, palette.dark, 0.35 + 0.3 * layer)
        draw.polygon([(0, height), *points, (width, height)], fill=(*colour, 255))
    return image


def _circles(size, palette: Palette, rng: random.Random) -> Image.Image:
    width, height = size
    image = _gradient(size, palette.light, palette.extra, angle=rng.uniform(0.3, 1.2))
    # Drawn at a quarter of the size and softened there: the same look for a sixteenth of the work.
    small = (width // 4, height // 4)
    layer = Image.new("RGBA", small, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(14):
        radius = rng.uniform(0.06, 0.22) * small[0]
        x, y = rng.uniform(0, small[0]), rng.uniform(0, small[1])
        colour = rng.choice((palette.dark, palette.accent, palette.extra))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, rng.randint(70, 150)))
    # Premultiplied while softening and enlarging, so that the edges get no dark rim.
    layer = layer.convert("RGBa").filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BICUBIC)
    layer = layer.convert("RGBA")
    image.paste(layer, mask=layer.getchannel("A"))
    return image


def _house(size, palette: Palette, rng: random.Random) -> Image.Image:
    width, height = size
    image = _gradient(size, _mix(palette.light, palette.extra, 0.3), palette.light)
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle((0, height * 0.78, width, height), fill=(*_mix(palette.extra, palette.dark, 0.3), 255))
    house_w = width * rng.uniform(0.38, 0.48)
    left = width * rng.uniform(0.15, 0.85) - house_w / 2
    left = min(max(left, width * 0.05), width * 0.95 - house_w)
    top, bottom = height * 0.45, height * 0.8
    draw.rectangle((left, top, left + house_w, bottom), fill=(*palette.dark, 255))
    draw.polygon(
        [(left - 20, top), (left + house_w / 2, height * 0.22), (left + house_w + 20, top)], fill=(*palette.accent, 255)
    )
    window = house_w / 6
    for column in (1, 4):
        for row in (0, 1):
            x, y = left + column * window, top + window * (0.6 + 1.5 * row)
            draw.rectangle((x, y, x + window, y + window), fill=(255, 232, 150, 255))
    door_x = left + house_w / 2 - window / 2
    draw.rectangle((door_x, bottom - window * 1.8, door_x + window, bottom), fill=(*palette.light, 255))
    _heart(draw, (left + house_w / 2, height * 0.1), width * 0.07, (*palette.accent, 255))
    return image


def _waves(size, palette: Palette, rng: random.Random) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, palette.light)
    draw = ImageDraw.Draw(image)
    colours = [palette.extra, palette.accent, _mix(palette.accent, palette.dark, 0.5), palette.dark]
    bands = rng.randint(4, 6)
    phase = rng.uniform(0, 6.28)
    for band in range(bands):
        base = height * (0.25 + 0.75 * band / bands)
        amplitude, frequency = height * rng.uniform(0.03, 0.07), rng.uniform(1.0, 2.5)
        points = [
            (x, base + amplitude * math.sin(phase + band + frequency * 6.28 * x / width))
            for x in range(0, width + 16, 16)
        ]
        draw.polygon([(0, height), *points, (width, height)], fill=colours[band % len(colours)])
    return image.filter(ImageFilter.GaussianBlur(1.5))


def _flowers(size, palette: Palette, rng: random.Random) -> Image.Image:
    width, height = size
    image = _gradient(size, palette.light, _mix(palette.extra, palette.dark, 0.25))
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(rng.randint(7, 11)):
        x, y = rng.uniform(0.05, 0.95) * width, rng.uniform(0.3, 0.8) * height
        draw.line(
            (x, y, x + rng.uniform(-30, 30), height), fill=(*_mix(palette.dark, palette.extra, 0.3), 255), width=8
        )
        petal = rng.uniform(0.025, 0.05) * width
        colour = rng.choice((palette.accent, palette.extra, _mix(palette.accent, (255, 255, 255), 0.4)))
        for step in range(6):
            angle = step * math.pi / 3
            px, py = x + petal * math.cos(angle), y + petal * math.sin(angle)
            draw.ellipse((px - petal, py - petal, px + petal, py + petal), fill=(*colour, 220))
        draw.ellipse((x - petal * 0.6, y - petal * 0.6, x + petal * 0.6, y + petal * 0.6), fill=(255, 214, 90, 255))
    return image


def _figure(size, palette: Palette, rng: random.Random) -> Image.Image:
    width, height = size
    image = _gradient(size, palette.extra, palette.light, angle=rng.uniform(-0.5, 0.5))
    draw = ImageDraw.Draw(image, "RGBA")
    cx = width * rng.uniform(0.35, 0.65)
    head = height * 0.12
    draw.ellipse((cx - head, height * 0.22, cx + head, height * 0.22 + 2 * head), fill=(*palette.dark, 255))
    shoulders = width * 0.22
    draw.rounded_rectangle(
        (cx - shoulders, height * 0.5, cx + shoulders, height * 1.1),
        radius=int(shoulders * 0.6),
        fill=(*palette.dark, 255),
    )
    _heart(draw, (cx, height * 0.64), width * 0.1, (*palette.accent, 255))
    for _ in range(5):
        radius = rng.uniform(0.02, 0.05) * width
        x, y = rng.uniform(0, width), rng.uniform(0, height * 0.5)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*palette.accent, 90))
    return image


DRAWERS = {
    "landscape": _landscape,
    "circles": _circles,
    "house": _house,
    "waves": _waves,
    "flowers": _flowers,
    "figure": _figure,
}


def draw_picture(number: int, seed: int = SEED) -> tuple[Image.Image, str]:
    """Picture `number`: a style and a palette (every combination once in the first 72), portrait
    now and then; with its description for people who cannot see it."""
    rng = random.Random(f"{seed}-picture-{number}")  # noqa: S311 - reproducible demo data
    style = STYLES[number % len(STYLES)]
    palette = PALETTES[(number // len(STYLES) + number) % len(PALETTES)]
    size = PICTURE_SIZE if number % 5 else PICTURE_SIZE[::-1]
    image = DRAWERS[style](size, palette, rng)
    return image, STYLE_DESCRIPTIONS[style].format(colours=palette.name)


def make_picture(number: int) -> Picture:
    """Draw, save as JPEG, clean it as an upload would be, and make its variants by the real code."""
    image, description = draw_picture(number)
    output = io.BytesIO()
    image.save(output, "JPEG", quality=85)
    cleaned = photos.clean_image_bytes(output.getvalue(), max_pixels=settings.CAMPAIGN_PHOTO_MAX_PIXELS)
    upright = photos.open_upright(io.BytesIO(cleaned.data), cleaned.orientation)
    width, height = cleaned.upright_size
    return Picture(cleaned.data, width, height, photos.render_variants(upright), description)


def make_pictures(count: int) -> list[Picture]:
    """Drawing and encoding hold the GIL: two processes use both cores (one by one when they cannot start)."""
    workers = min(2, os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(make_picture, range(count), chunksize=4))
        except (OSError, BrokenProcessPool):
            pass
    return [make_picture(number) for number in range(count)]


# ---------------------------------------------------------------------------------------------
# Stories: people and texts from building blocks.

# fmt: off
FIRST_NAMES = (
    "Anouk", "Sanne", "Lotte", "Fenna", "Iris", "Noor", "Eva", "Lieke", "Femke", "Maaike", "Esther", "Marieke",
    "Ilse", "Janneke", "Wendy", "Ingrid", "Carla", "Gerda", "Hennie", "Riet", "Tineke", "Annemiek", "Petra",
    "Sylvia", "Yvonne", "Monique", "Kim", "Demi", "Britt", "Roos", "Jasmijn", "Sara", "Fleur", "Tess", "Lisa",
    "Fatima", "Samira", "Nadia", "Yasmina", "Khadija", "Amira", "Hanna", "Zeynep", "Elif", "Ayşe", "Merve",
    "Shanti", "Priya", "Chantal", "Sharon", "Gloria", "Naomi", "Mariam", "Rahel", "Selam", "Olena", "Kateryna",
    "Agnieszka", "Joanna", "Daan", "Sem", "Lucas", "Thijs", "Jesse", "Bram", "Ruben", "Stijn", "Jeroen",
    "Martijn", "Niels", "Sander", "Bas", "Wouter", "Gerrit", "Henk", "Jan", "Klaas", "Sietse", "Freek",
    "Harm", "Jelle", "Tjeerd", "Wietse", "Pieter", "Kees", "Rob", "Marco", "Erik", "Dennis", "Mohammed",
    "Youssef", "Bilal", "Hamza", "Omar", "Ahmet", "Emre", "Mehmet", "Kerem", "Rachid", "Karim", "Dewi",
    "Ravi", "Winston", "Dion", "Kevin", "Jerrel", "Tarik", "Dawit", "Tesfay", "Andriy", "Piotr", "Tomasz",
    "Luuk", "Milan", "Julia", "Emma", "Mila", "Zoë", "Nina", "Linda", "Bea", "Dineke", "Hilde", "Marloes",
    "Ellen", "Rianne", "Judith", "Mirjam", "Renske", "Joke", "Aukje", "Baukje", "Geertje", "Hylke", "Durk",
)
# fmt: on

# The function as people say it in a sentence ("Ik werk als ...").
FUNCTION_TEXT = {
    "helpende": "helpende zorg en welzijn",
    "vig": "verzorgende IG",
    "verpleegkundige-mbo": "verpleegkundige",
    "verpleegkundige-hbo": "verpleegkundige",
    "zorgassistent": "zorgassistent",
    "woonhulp": "woonhulp",
    "welzijnsassistent": "welzijnsassistent",
    "begeleider": "begeleider",
    "mz": "medewerker maatschappelijke zorg",
    "pedagogisch-medewerker": "pedagogisch medewerker",
    "sociaal-werker": "sociaal werker",
    "doktersassistent": "doktersassistent",
    "ondersteunend": "facilitair medewerker",
}
HIGH_LEVEL = {"verpleegkundige-hbo", "sociaal-werker"}

WORKDAY = {
    "vvt": (
        "Mijn dag begint met de overdracht. Daarna help ik bewoners met opstaan, wassen en aankleden, en drinken we "
        "samen koffie.",
        "Ik ken de verhalen van de bewoners: wie vroeger boer was, wie in de fabriek werkte. Daar praten we over "
        "tijdens de zorg.",
        "Op de woongroep koken we samen. Een bewoner die vroeger kokkin was, schilt nog steeds de aardappels.",
    ),
    "thuiszorg": (
        "Ik fiets elke ochtend langs acht tot tien cliënten. Bij de een help ik met steunkousen, bij de ander met "
        "douchen of medicijnen.",
        "Je staat er thuis alleen voor, maar je collega's zijn altijd een appje of een telefoontje ver weg.",
        "Mensen laten je binnen in hun eigen huis. Dat vertrouwen voelt elke keer weer bijzonder.",
    ),
    "gehandicaptenzorg": (
        "Ik begeleid bewoners bij alles wat ze zelf willen leren: boodschappen doen, koken, de bus nemen.",
        "Op de dagbesteding maken we samen muziek en werken we in de moestuin.",
        "Geen dag is hetzelfde. Soms is een kleine stap vooruit het mooiste moment van de week.",
    ),
    "ggz": (
        "Ik voer veel gesprekken. Goed luisteren is de helft van mijn werk.",
        "Samen met cliënten maak ik een plan voor hun herstel: wat willen ze weer kunnen, en wat hebben ze daarvoor "
        "nodig?",
        "We werken samen met ervaringsdeskundigen. Van hen leer ik elke dag.",
    ),
    "ziekenhuis": (
        "Op de afdeling is het vaak druk, maar we werken als één team: artsen, verpleegkundigen en zorgassistenten.",
        "Ik zorg voor patiënten na een operatie en leg uit wat ze thuis moeten doen.",
        "Het mooiste vind ik dat je mensen ziet opknappen. Dan gaan ze met een glimlach naar huis.",
    ),
    "jeugdzorg": (
        "Op de leefgroep ben ik er voor jongeren die even niet thuis kunnen wonen. Huiswerk, ruzie, lol: het hoort "
        "er allemaal bij.",
        "Ik help jongeren en hun ouders om weer grip te krijgen op hun leven.",
        "Soms is een potje voetbal na het eten het beste gesprek van de dag.",
    ),
    "kinderopvang": (
        "Ik werk op een peutergroep. We zingen, lezen voor, spelen buiten en ontdekken samen de wereld.",
        "Ouders vertrouwen me hun kind toe. Aan het eind van de dag vertel ik wat hun kind heeft beleefd.",
        "Met twaalf peuters om je heen is geen dag saai.",
    ),
    "welzijn": (
        "In het buurthuis komen mensen binnen met allerlei vragen: over geld, over eenzaamheid of over werk.",
        "Ik ga op bezoek bij ouderen die alleen wonen en zoek met hen een plek waar ze weer mensen ontmoeten.",
        "Ik organiseer een taalcafé en een buurtmaaltijd, samen met vrijwilligers.",
    ),
    "huisartsenzorg": (
        "Aan de telefoon bepaal ik samen met de huisarts wie vandaag moet komen. Daarnaast heb ik mijn eigen "
        "spreekuren.",
        "Ik meet bloeddruk, maak uitstrijkjes en verzorg wondjes. Elke patiënt is anders.",
        "De praktijk is het eerste loket voor mensen uit het dorp. Veel patiënten ken ik bij naam.",
    ),
}

BRANCH_QUOTES = {
    "vvt": ("Ik maak de dag van de bewoners een beetje mooier.", "De verhalen van de bewoners vergeet ik nooit."),
    "thuiszorg": (
        "Mensen laten je binnen in hun eigen huis: dat vertrouwen is bijzonder.",
        "Op de fiets door de wijk, van cliënt naar cliënt: heerlijk.",
    ),
    "gehandicaptenzorg": (
        "Kleine stappen vooruit zijn hier grote overwinningen.",
        "Ik help mensen om hun eigen leven te leiden.",
    ),
    "ggz": ("Goed luisteren is de helft van mijn werk.", "Herstel zie je niet in één dag, maar je ziet het wel."),
    "ziekenhuis": (
        "Er is niets mooiers dan een patiënt die opgeknapt naar huis gaat.",
        "Op de afdeling zijn we echt één team.",
    ),
    "jeugdzorg": ("Jongeren verdienen iemand die in ze gelooft.", "Soms is een potje voetbal het beste gesprek."),
    "kinderopvang": ("Ik zie kinderen elke dag iets nieuws ontdekken.", "Met peuters is geen dag saai."),
    "welzijn": ("Ik breng mensen in de buurt bij elkaar.", "Iedereen verdient een plek waar je welkom bent."),
    "huisartsenzorg": (
        "Als mensen zich zorgen maken, ben ik vaak de eerste die ze spreken.",
        "In de praktijk ken ik veel patiënten bij naam.",
    ),
}
GENERAL_QUOTES = (
    "Elke dag maak ik echt verschil voor iemand.",
    "Ik ga elke dag met plezier naar mijn werk.",
    "Hier tel je mee, en dat merk je.",
    "Een glimlach van een cliënt maakt mijn dag.",
    "In de zorg is geen dag hetzelfde.",
    "Ik leer hier elke dag iets nieuws.",
    "Werken met mensen geeft me energie.",
    "Dit werk past precies bij wie ik ben.",
    "Met mijn collega's kan ik alles delen.",
    "Ik ben trots op wat we hier samen doen.",
)

# (what someone did: "Ik werkte ... jaar ___", the short word for it: "Van ___ naar de zorg")
PREVIOUS_JOBS = (
    ("in de logistiek", "de logistiek"),
    ("als kassamedewerker in de supermarkt", "de supermarkt"),
    ("in de horeca", "de horeca"),
    ("als monteur bij een garage", "de garage"),
    ("op kantoor bij een verzekeraar", "kantoor"),
    ("in de bouw", "de bouw"),
    ("als kapper", "de kapsalon"),
    ("bij een bank", "de bank"),
    ("in de ICT", "de ICT"),
    ("als vrachtwagenchauffeur", "de vrachtwagen"),
    ("in een fabriek", "de fabriek"),
    ("in een kledingwinkel", "de winkel"),
    ("als beveiliger", "de beveiliging"),
    ("in de schoonmaak", "de schoonmaak"),
)
SWITCH_REASONS = (
    "Ik miste het contact met mensen.",
    "Ik wilde werk doen dat ertoe doet.",
    "Toen mijn moeder ziek werd, zag ik hoe belangrijk goede zorg is.",
    "Na een meeloopdag wist ik het zeker.",
    "Ik zocht werk waar ik me echt nuttig voel.",
)
FUNCTION_QUOTES = (
    "Als {function} ben ik er precies op het moment dat het telt.",
    "Ik werk met plezier als {function} in {branch}.",
    "In {branch} voel ik me helemaal op mijn plek.",
    "Als {function} weet ik 's avonds waarvoor ik het gedaan heb.",
)
SIDE_ENTRANT_QUOTES = (
    "Van {job} naar de zorg: de beste keuze die ik ooit maakte.",
    "Ik ruilde {job} in voor de zorg en heb nergens spijt van.",
)
COUNTRIES = ("Syrië", "Polen", "Suriname", "Marokko", "Turkije", "Oekraïne", "Eritrea", "India", "Brazilië")
TIPS = (
    "Mijn tip: ga een dag meelopen. Dan merk je snel of het bij je past.",
    "Twijfel je? Kom eens kijken op een open dag. Je bent welkom.",
    "Wil je weten of dit iets voor jou is? Bel het contactpunt, ze denken met je mee.",
    "Je hoeft niet alles al te kunnen. Wat je nodig hebt, leer je hier.",
    "Ik zou het iedereen aanraden die graag met mensen werkt.",
)
BRANCH_TAGS = {
    "vvt": "ouderenzorg",
    "thuiszorg": "wijkzorg",
    "gehandicaptenzorg": "gehandicaptenzorg",
    "ggz": "ggz",
    "ziekenhuis": "ziekenhuis",
    "jeugdzorg": "jongeren",
    "kinderopvang": "kinderen",
    "welzijn": "buurt",
    "huisartsenzorg": "huisartsenpraktijk",
}
PATH_TAGS = {
    EducationPath.MBO_BOL: "mbo",
    EducationPath.MBO_BBL: "bbl",
    EducationPath.HBO: "hbo",
    EducationPath.RETRAINING: "omscholing",
    EducationPath.PRACTICE_ROUTE: "praktijkroute",
    EducationPath.FOREIGN_DIPLOMA: "buitenlands diploma",
    EducationPath.NO_TRAINING: "zonder diploma",
}
EXTRA_TAGS = ("teamwerk", "parttime", "doorgroeien", "collega's", "afwisseling")
NIGHT_SHIFTS = {"vvt", "ziekenhuis", "ggz", "gehandicaptenzorg", "jeugdzorg", "thuiszorg"}

# Who tells a story: (life stage, education path, side entrant). Which ones fit a function depends on
# the training towards it: hbo functions, mbo 4, mbo 3, mbo 2 (helpende), and work that needs no
# diploma to start (a Saturday job at school, or still active when retired).
_TRAINED = (
    (LifeStage.STUDENT, EducationPath.MBO_BOL, False),
    (LifeStage.STARTER, EducationPath.MBO_BBL, False),
    (LifeStage.MID_CAREER, EducationPath.MBO_BBL, True),
    (LifeStage.STARTER, EducationPath.MBO_BOL, False),
    (LifeStage.FIFTY_PLUS, EducationPath.MBO_BBL, True),
    (LifeStage.MID_CAREER, EducationPath.FOREIGN_DIPLOMA, False),
    (LifeStage.MID_CAREER, EducationPath.RETRAINING, True),
    (LifeStage.FIFTY_PLUS, EducationPath.MBO_BOL, False),
)
PROFILES_BY_LEVEL: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "hbo": (
        (LifeStage.STUDENT, EducationPath.HBO, False),
        (LifeStage.STARTER, EducationPath.HBO, False),
        (LifeStage.MID_CAREER, EducationPath.RETRAINING, True),
        (LifeStage.MID_CAREER, EducationPath.FOREIGN_DIPLOMA, False),
        (LifeStage.FIFTY_PLUS, EducationPath.HBO, False),
        (LifeStage.MID_CAREER, EducationPath.HBO, False),
    ),
    "mbo4": _TRAINED,
    "mbo3": (*_TRAINED, (LifeStage.MID_CAREER, EducationPath.PRACTICE_ROUTE, True)),
    "mbo2": (
        (LifeStage.STUDENT, EducationPath.MBO_BOL, False),
        (LifeStage.MID_CAREER, EducationPath.PRACTICE_ROUTE, True),
        (LifeStage.STARTER, EducationPath.MBO_BBL, False),
        (LifeStage.FIFTY_PLUS, EducationPath.PRACTICE_ROUTE, False),
        (LifeStage.MID_CAREER, EducationPath.RETRAINING, True),
        (LifeStage.FIFTY_PLUS, EducationPath.MBO_BBL, True),
    ),
    "entry": (
        (LifeStage.PUPIL, EducationPath.NO_TRAINING, False),
        (LifeStage.MID_CAREER, EducationPath.NO_TRAINING, True),
        (LifeStage.RETIRED, EducationPath.NO_TRAINING, False),
        (LifeStage.STUDENT, EducationPath.MBO_BOL, False),
        (LifeStage.FIFTY_PLUS, EducationPath.NO_TRAINING, True),
        (LifeStage.MID_CAREER, EducationPath.PRACTICE_ROUTE, True),
    ),
}
ENTRY_FUNCTIONS = {"woonhulp", "ondersteunend", "zorgassistent", "welzijnsassistent"}


def _level(function: str) -> str:
    if function in HIGH_LEVEL:
        return "hbo"
    if function in ENTRY_FUNCTIONS:
        return "entry"
    level = FUNCTION_LEVELS.get(function, EducationLevel.MBO2)
    return {EducationLevel.MBO4: "mbo4", EducationLevel.MBO3: "mbo3", EducationLevel.HBO: "hbo"}.get(level, "mbo2")


@dataclass
class StoryPlan:
    organisation: int  # index into werkgevers.demo.ORGANISATIONS
    branch: str
    function: str
    first_name: str
    consent_name: str
    life_stage: str
    education_path: str
    side_entrant: bool
    quote: str
    text: str
    tags: list[str]
    picture: int
    days_ago: int  # published that many days before now


class StoryPlanner:
    """Writes the fictional stories: the same seed gives the same people and texts on any day."""

    def __init__(self, seed: int = SEED) -> None:
        self.seed = seed

    def plan(self, count: int) -> list[StoryPlan]:
        rng = random.Random(f"{self.seed}-stories")  # noqa: S311 - reproducible demo data
        faker = Faker("nl_NL")
        faker.seed_instance(self.seed + 5)
        per_branch: Counter[str] = Counter()
        per_level: Counter[str] = Counter()
        per_organisation: Counter[int] = Counter()
        names: set[str] = set()
        plans = []
        for number in range(count):
            index = number % len(ORGANISATIONS)
            spec = ORGANISATIONS[index]
            branch = spec.branches[per_organisation[index] % len(spec.branches)]
            per_organisation[index] += 1
            functions = FUNCTIONS_BY_BRANCH[branch]
            function = functions[per_branch[branch] % len(functions)]
            per_branch[branch] += 1
            level = _level(function)
            profiles = PROFILES_BY_LEVEL[level]
            life_stage, education_path, side_entrant = profiles[per_level[level] % len(profiles)]
            per_level[level] += 1
            first_name = rng.choice(FIRST_NAMES)
            consent_name = f"{first_name} {faker.last_name()}"
            while consent_name in names:
                consent_name = f"{first_name} {faker.last_name()}"
            names.add(consent_name)
            job = rng.choice(PREVIOUS_JOBS)
            plans.append(
                StoryPlan(
                    organisation=index,
                    branch=branch,
                    function=function,
                    first_name=first_name,
                    consent_name=consent_name,
                    life_stage=life_stage,
                    education_path=education_path,
                    side_entrant=side_entrant,
                    quote=self._quote(rng, branch, function, side_entrant, job),
                    text=self._text(rng, spec.name, branch, function, life_stage, education_path, side_entrant, job),
                    tags=self._tags(rng, branch, education_path, side_entrant, life_stage),
                    picture=rng.randrange(PICTURE_COUNT),
                    days_ago=round(2 + 360 * (count - 1 - number) / max(count - 1, 1)),
                )
            )
        return plans

    @staticmethod
    def _quote(rng: random.Random, branch: str, function: str, side_entrant: bool, job: tuple[str, str]) -> str:
        if side_entrant and rng.random() < 0.5:
            return rng.choice(SIDE_ENTRANT_QUOTES).format(job=job[1])
        choice = rng.random()
        if choice < 0.35:
            return rng.choice(FUNCTION_QUOTES).format(function=FUNCTION_TEXT[function], branch=BRANCH_SHORT[branch])
        if choice < 0.7:
            return rng.choice(BRANCH_QUOTES[branch])
        return rng.choice(GENERAL_QUOTES)

    @staticmethod
    def _text(
        rng: random.Random,
        organisation: str,
        branch: str,
        function: str,
        life_stage: str,
        education_path: str,
        side_entrant: bool,
        job: tuple[str, str],
    ) -> str:
        function_text = FUNCTION_TEXT[function]
        place = BRANCH_PLACES[branch][1]
        opening = f"Ik werk als {function_text} bij {organisation}, {place}."
        years = rng.randint(4, 22)
        switch = f"Ik werkte {years} jaar {job[0]}. {rng.choice(SWITCH_REASONS)}"
        path = {
            EducationPath.MBO_BBL: (
                f"{switch} Via een BBL-opleiding kon ik overstappen: ik werk en leer tegelijk, en ik kreeg vanaf de "
                "eerste dag salaris."
                if side_entrant
                else "Na het vmbo koos ik voor de BBL-route: vier dagen werken en één dag naar school. Zo verdien ik "
                "geld en leer ik het vak in de praktijk."
            ),
            EducationPath.MBO_BOL: (
                f"Ik zit in het laatste jaar van de opleiding tot {function_text} op het mbo. Mijn stage deed ik hier, "
                "en ik mocht blijven."
                if life_stage == LifeStage.STUDENT
                else f"Ik deed de opleiding tot {function_text} op het mbo. Tijdens mijn stage hier wist ik: hier wil "
                "ik blijven."
            ),
            EducationPath.HBO: (
                "Ik studeer aan de hogeschool. Wat ik in de les leer, zie ik hier meteen terug."
                if life_stage == LifeStage.STUDENT
                else "Ik heb een hbo-opleiding gedaan. De theorie kwam pas echt tot leven tijdens mijn stages."
            ),
            EducationPath.RETRAINING: (
                f"{switch} Met een omscholingstraject, betaald door mijn werkgever, leerde ik het vak."
                if side_entrant
                else "Ik volgde een opleiding bij mijn werkgever en leer elk jaar bij met cursussen."
            ),
            EducationPath.PRACTICE_ROUTE: (
                ("Ik werkte eerst " + job[0] + ". " if side_entrant else "")
                + "Ik heb geen diploma van school, maar een praktijkverklaring. Ik leerde alles op de werkvloer, met "
                "een vaste werkbegeleider naast me."
            ),
            EducationPath.FOREIGN_DIPLOMA: (
                f"Ik haalde mijn diploma in {rng.choice(COUNTRIES)}. Hier heb ik het laten erkennen en Nederlands "
                "geleerd. Dat was een lange weg, maar het is gelukt."
            ),
            EducationPath.NO_TRAINING: (
                ("Ik werkte lang " + job[0] + ". " if side_entrant else "")
                + "Voor dit werk had ik geen diploma nodig. Ik kreeg een goede inwerkperiode en leerde veel van mijn "
                "collega's."
            ),
        }[education_path]
        stage = {
            LifeStage.PUPIL: "Ik zit nog op school en werk op zaterdag en in de vakanties. Zo verdien ik wat bij en "
            "ontdek ik wat ik later wil.",
            LifeStage.STUDENT: "Naast mijn studie werk ik een paar diensten per week. Dat past goed in mijn rooster.",
            LifeStage.STARTER: "Ik werk hier nu ruim een jaar. Ik leer nog elke dag, en mijn collega's helpen me "
            "graag.",
            LifeStage.MID_CAREER: f"Ik werk {rng.choice((16, 20, 24, 28, 32, 36))} uur per week. Dat past goed bij "
            "mijn gezin.",
            LifeStage.FIFTY_PLUS: (
                f"Ik ben {rng.randint(51, 63)}. Ik had niet gedacht dat ik op deze leeftijd nog zo'n mooie overstap "
                "zou maken."
                if side_entrant
                else f"Ik ben {rng.randint(51, 63)} en werk al jaren in de zorg. Mijn ervaring geef ik graag door aan "
                "nieuwe collega's."
            ),
            LifeStage.RETIRED: "Eigenlijk ben ik met pensioen, maar twee ochtenden per week kom ik nog graag. Ik kan "
            "het niet laten.",
        }[life_stage]
        workday = rng.sample(WORKDAY[branch], 2)
        paragraphs = [f"{opening} {path}", " ".join(workday), f"{stage} {rng.choice(TIPS)}"]
        return "\n\n".join(paragraphs)

    @staticmethod
    def _tags(rng: random.Random, branch: str, education_path: str, side_entrant: bool, life_stage: str) -> list[str]:
        tags = [BRANCH_TAGS[branch], PATH_TAGS[education_path]]
        if side_entrant:
            tags.append("zij-instromer")
        if life_stage == LifeStage.PUPIL:
            tags.append("bijbaan")
        elif life_stage == LifeStage.RETIRED:
            tags.append("met pensioen")
        elif life_stage == LifeStage.STARTER:
            tags.append("eerste baan")
        if education_path == EducationPath.MBO_BBL:
            tags.append("leren en werken")
        if branch in NIGHT_SHIFTS and life_stage != LifeStage.PUPIL and rng.random() < 0.3:
            tags.append("nachtdienst")
        tags.append(rng.choice(EXTRA_TAGS))
        return list(dict.fromkeys(tags))


# ---------------------------------------------------------------------------------------------
# The stories that wait for a coordinator (made through the services).


@dataclass(frozen=True)
class ModerationSpec:
    organisation: str  # name in ORGANISATIONS (it has an employer login)
    first_name: str
    consent_name: str
    function: str
    quote: str
    text: str
    tags: tuple[str, ...]
    picture: int
    life_stage: str = LifeStage.MID_CAREER
    education_path: str = EducationPath.MBO_BOL
    side_entrant: bool = False
    send_back: str = ""  # the coordinator's reason, for the one sent back


MODERATION: tuple[ModerationSpec, ...] = (
    ModerationSpec(
        "Zorggroep Kwelderhof", "Hester", "Hester Bouma", "vig",
        "Ik werk hier nu twintig jaar en het voelt nog steeds als thuiskomen.",
        "ik werk al heel lang bij Kwelderhof. eerst als helpende, toen als verzorgende. ik vind het nog steeds "
        "leuk. de bewoners zijn lief en mijn collegas ook. soms is het zwaar maar meestal niet.",
        ("ouderenzorg", "doorgroeien"), 7, LifeStage.FIFTY_PLUS, EducationPath.MBO_BBL,
        send_back="Mooi verhaal! Wil je het nog wat uitbreiden: wat doe je op een gewone dag, en wat maakt het werk "
        "voor jou bijzonder? Begin de zinnen met een hoofdletter. Daarna publiceer ik het graag.",
    ),
    ModerationSpec(
        "Zorggroep Kwelderhof", "Gerben", "Gerben Kuipers", "helpende",
        "Na twintig jaar in de bouw zorg ik nu voor mensen in plaats van voor huizen.",
        "Ik werkte twintig jaar in de bouw. Toen mijn rug het niet meer wilde, zocht ik iets anders. Via het "
        "contactpunt liep ik een dag mee op een woongroep, en ik was verkocht.\n\nNu ben ik helpende en volg ik de "
        "BBL-opleiding tot verzorgende IG.",
        ("zij-instromer", "bbl"), 19, LifeStage.MID_CAREER, EducationPath.MBO_BBL, True,
    ),
    ModerationSpec(
        "Stichting Zilverlinde Thuiszorg", "Aukje", "Aukje Hoekstra", "woonhulp",
        "Een schoon huis is voor mijn cliënten het verschil tussen thuis blijven wonen en verhuizen.",
        "Ik ben woonhulp in Drachten. Ik help ouderen in huis, maar eigenlijk ben ik er ook voor een praatje.\n\n"
        "Sommige cliënten zie ik al jaren. We drinken koffie als het werk klaar is.",
        ("wijkzorg", "parttime"), 31, LifeStage.FIFTY_PLUS, EducationPath.NO_TRAINING,
    ),
    ModerationSpec(
        "GGZ Kompasroos", "Rachid", "Rachid El Idrissi", "begeleider",
        "Ik geloof in herstel, omdat ik het elke week zie gebeuren.",
        "Ik begeleid mensen die na een opname weer zelfstandig gaan wonen. We oefenen met plannen, koken en "
        "geldzaken.\n\nHet is werk met pieken en dalen, maar ik sta er nooit alleen voor.",
        ("ggz", "teamwerk"), 43, LifeStage.MID_CAREER, EducationPath.MBO_BOL,
    ),
    ModerationSpec(
        "Zorggroep Polderlicht", "Olena", "Olena Kovalenko", "verpleegkundige-mbo",
        "In Oekraïne was ik verpleegkundige, en hier ben ik dat weer.",
        "Ik haalde mijn diploma in Oekraïne. Hier heb ik het laten erkennen en een taalcursus gedaan. Nu werk ik "
        "als verpleegkundige in Almere.\n\nMijn collega's hielpen me met de Nederlandse woorden voor alles.",
        ("buitenlands diploma", "ouderenzorg"), 11, LifeStage.MID_CAREER, EducationPath.FOREIGN_DIPLOMA,
    ),
    ModerationSpec(
        "Stichting Kavelhuis Begeleid Wonen", "Jesse", "Jesse Brouwer", "begeleider",
        "Samen de bus leren nemen: voor mijn bewoner was dat een overwinning.",
        "Ik ben begeleider op een woonlocatie in Lelystad. Ik help bewoners om dingen zelf te doen.\n\nVorige maand "
        "nam een bewoner voor het eerst alleen de bus naar zijn werk. Daar doe ik het voor.",
        ("gehandicaptenzorg", "eerste baan"), 23, LifeStage.STARTER, EducationPath.MBO_BOL,
    ),
    ModerationSpec(
        "Zorggroep Zonnewijzer", "Priya", "Priya Ramdin", "zorgassistent",
        "Ik ben 58 en begon hier als zij-instromer. Het is nooit te laat.",
        "Ik werkte dertig jaar bij een bank. Na een reorganisatie koos ik voor de zorg.\n\nAls zorgassistent help "
        "ik bewoners bij het eten en drinken en maak ik tijd voor een praatje.",
        ("zij-instromer", "ouderenzorg"), 37, LifeStage.FIFTY_PLUS, EducationPath.RETRAINING, True,
    ),
    ModerationSpec(
        "Stichting Amersterre", "Thijs", "Thijs van Leeuwen", "mz",
        "Ik leer bewoners koken, en zij leren mij geduld.",
        "Ik ben medewerker maatschappelijke zorg in Amersfoort. Ik werk met volwassenen met een verstandelijke "
        "beperking.\n\nNa mijn mbo-opleiding kon ik hier meteen beginnen.",
        ("gehandicaptenzorg", "mbo"), 53, LifeStage.STARTER, EducationPath.MBO_BOL,
    ),
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Building.


@dataclass(frozen=True)
class CampaignResult:
    stories: int  # demo stories in the database (published ones)
    stories_created: int
    waiting: int  # waiting for moderation
    sent_back: int
    materials: int
    materials_created: int


def _organisations() -> dict[int, Organisation]:
    by_kvk = Organisation.objects.select_related("home_region").in_bulk(
        [kvk_number(index) for index in range(len(ORGANISATIONS))], field_name="kvk_number"
    )
    return {index: by_kvk[kvk_number(index)] for index in range(len(ORGANISATIONS)) if kvk_number(index) in by_kvk}


def _coordinators(regions: dict[str, Region], users: Iterable[User]) -> dict[int, list[User]]:
    by_email = {user.email: user for user in users}
    return {
        regions[spec.slug].pk: [by_email[email] for email, _, _ in spec.coordinators if email in by_email]
        for spec in REGIONS
    }


def _office(day: date, rng: random.Random) -> datetime:
    minute = rng.randrange(9 * 60, 17 * 60)
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _tag_rows(names: Iterable[str]) -> dict[str, StoryTag]:
    wanted = {slugify(name): name for name in names}
    existing = {tag.slug: tag for tag in StoryTag.objects.filter(slug__in=wanted)}
    missing = [StoryTag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
    StoryTag.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        existing = {tag.slug: tag for tag in StoryTag.objects.filter(slug__in=wanted)}
    return {existing[slug].name: existing[slug] for slug in wanted if slug in existing}


class CampaignBuilder:
    def __init__(
        self,
        *,
        regions: dict[str, Region],
        users: Sequence[User],
        started: datetime,
        now: datetime,
        count: int,
        pictures: int | None = None,
    ) -> None:
        self.regions = regions
        self.users = list(users)
        self.started = started
        self.now = now
        self.count = count
        self.organisations = _organisations()
        self.coordinators = _coordinators(regions, self.users)
        self.employers = {
            user.organisation_id: user
            for user in User.objects.filter(role=User.Role.EMPLOYER, organisation__isnull=False)
        }
        self.branches = {item.slug: item for item in Branch.objects.all()}
        self.functions = {item.slug: item for item in Function.objects.all()}
        # One picture per ten stories, 12 to 60: a small demo (the tests) draws less.
        self.picture_count = pictures or min(PICTURE_COUNT, max(12, count // 10))
        self._pictures: list[Picture] | None = None

    @property
    def pictures(self) -> list[Picture]:
        """Drawn when first needed: a second run that creates nothing draws nothing."""
        if self._pictures is None:
            self._pictures = make_pictures(self.picture_count)
        return self._pictures

    def build(self) -> CampaignResult:
        plans = [plan for plan in StoryPlanner().plan(self.count) if plan.organisation in self.organisations]
        created = self._published(plans)
        waiting, sent_back = self._moderation()
        materials, materials_created = self._materials()
        demo_names = [plan.consent_name for plan in plans]
        return CampaignResult(
            stories=Story.objects.filter(consent_name__in=demo_names, status=Story.Status.PUBLISHED).count(),
            stories_created=created,
            waiting=waiting,
            sent_back=sent_back,
            materials=materials,
            materials_created=materials_created,
        )

    # Published stories, in bulk --------------------------------------------------------------

    def _published(self, plans: list[StoryPlan]) -> int:
        existing = set(
            Story.objects.filter(
                organisation__in=list(self.organisations.values()),
                consent_name__in=[plan.consent_name for plan in plans],
            ).values_list("organisation_id", "consent_name")
        )
        todo = [plan for plan in plans if (self.organisations[plan.organisation].pk, plan.consent_name) not in existing]
        if not todo:
            return 0
        pictures = self.pictures
        storage = Story._meta.get_field("photo").storage
        rng = random.Random(f"{SEED}-story-dates")  # noqa: S311 - reproducible demo data
        stories: list[Story] = []
        moments: list[tuple[datetime, datetime]] = []
        for plan in todo:
            organisation = self.organisations[plan.organisation]
            picture = pictures[plan.picture % len(pictures)]
            region_id = organisation.home_region_id
            moderator = rng.choice(self.coordinators.get(region_id) or [None])
            submitter = self.employers.get(organisation.pk) or moderator
            published = _office(timezone.localdate(self.now) - timedelta(days=plan.days_ago), rng)
            submitted = published - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
            created = submitted - timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
            story = Story(
                organisation=organisation,
                region_id=region_id,
                first_name=plan.first_name,
                function=self.functions[plan.function],
                branch=self.branches[plan.branch],
                education_path=plan.education_path,
                side_entrant=plan.side_entrant,
                life_stage=plan.life_stage,
                quote=plan.quote,
                text=plan.text,
                photo_orientation=1,
                photo_width=picture.width,
                photo_height=picture.height,
                photo_alt=picture.description,
                photo_status=Story.PhotoStatus.READY,
                consent_name=plan.consent_name,
                consent_given_on=timezone.localdate(created) - timedelta(days=rng.randint(0, 10)),
                consent_recorded_by=submitter,
                status=Story.Status.PUBLISHED,
                submitted_by=submitter,
                submitted_at=submitted,
                moderated_by=moderator,
                moderated_at=published,
                published_at=published,
            )
            # Each story its own copy of the files, under random names, as an upload would have.
            story.photo.name = storage.save(
                story.photo.field.generate_filename(story, "foto.jpg"), ContentFile(picture.original)
            )
            for field, data in picture.variants.items():
                getattr(story, field).name = storage.save(
                    getattr(story, field).field.generate_filename(story, f"{field}.webp"), ContentFile(data)
                )
            stories.append(story)
            moments.append((created, published))
        Story.objects.bulk_create(stories, batch_size=200)
        # created_at/updated_at are stamped "now" on insert; bulk_update writes the planned moments.
        for story, (created, updated) in zip(stories, moments, strict=True):
            story.created_at, story.updated_at = created, updated
        Story.objects.bulk_update(stories, ["created_at", "updated_at"], batch_size=200)
        tags = _tag_rows(name for plan in todo for name in plan.tags)
        Through = Story.tags.through
        Through.objects.bulk_create(
            [
                Through(story_id=story.pk, storytag_id=tags[name].pk)
                for story, plan in zip(stories, todo, strict=True)
                for name in plan.tags
            ],
            batch_size=1000,
        )
        self._refresh_search([story.pk for story in stories])
        return len(stories)

    @staticmethod
    def _refresh_search(story_ids: list[int]) -> None:
        try:
            from .search import refresh_search_vectors
        except ImportError:  # the gallery's search module is not there: nothing to fill
            return
        refresh_search_vectors(story_ids)

    # Stories waiting for a coordinator, through the services ----------------------------------

    def _moderation(self) -> tuple[int, int]:
        from .services import story_create, story_send_back, story_submit

        by_name = {spec.name: index for index, spec in enumerate(ORGANISATIONS)}
        rng = random.Random(f"{SEED}-moderation")  # noqa: S311 - reproducible demo data
        specs = [spec for spec in MODERATION if by_name.get(spec.organisation) in self.organisations]
        existing = set(
            Story.objects.filter(consent_name__in=[spec.consent_name for spec in specs]).values_list(
                "organisation_id", "consent_name"
            )
        )
        for number, spec in enumerate(specs):
            organisation = self.organisations[by_name[spec.organisation]]
            employer = self.employers.get(organisation.pk)
            if employer is None or (organisation.pk, spec.consent_name) in existing:
                continue
            since = timezone.now()
            picture = self.pictures[spec.picture % len(self.pictures)]
            upload = SimpleUploadedFile("foto.jpg", picture.original, content_type="image/jpeg")
            function = self.functions[spec.function]
            organisation_branches = ORGANISATIONS[by_name[spec.organisation]].branches
            branch = next(slug for slug in organisation_branches if spec.function in FUNCTIONS_BY_BRANCH[slug])
            submitted_at = self.now - timedelta(days=1 + number % 4, hours=rng.randint(1, 6))
            created_at = submitted_at - timedelta(days=2)
            story = story_create(
                organisation=organisation,
                details={
                    "first_name": spec.first_name,
                    "function": function,
                    "branch": self.branches[branch],
                    "education_path": spec.education_path,
                    "side_entrant": spec.side_entrant,
                    "life_stage": spec.life_stage,
                    "quote": spec.quote,
                    "text": spec.text,
                    "photo_alt": picture.description,
                    "consent_name": spec.consent_name,
                    "consent_given_on": timezone.localdate(created_at),
                },
                photo=photos.clean_photo(upload),
                tags=list(spec.tags),
                actor=employer,
            )
            self._ready(story, picture)
            story = story_submit(story=story, actor=employer)
            if spec.send_back:
                moderator = self.coordinators[organisation.home_region_id][0]
                story = story_send_back(story=story, reason=spec.send_back, actor=moderator)
                Story.objects.filter(pk=story.pk).update(moderated_at=submitted_at + timedelta(hours=20))
            Story.objects.filter(pk=story.pk).update(
                created_at=created_at, submitted_at=submitted_at, updated_at=submitted_at + timedelta(hours=20)
            )
            self._stamp(since, submitted_at)
        demo = Story.objects.filter(consent_name__in=[spec.consent_name for spec in specs])
        return (
            demo.filter(status=Story.Status.SUBMITTED).count(),
            demo.filter(status=Story.Status.SENT_BACK).count(),
        )

    @staticmethod
    def _ready(story: Story, picture: Picture) -> None:
        """The variants straight away (the real code made them from this picture); the queued task
        then finds the photo ready and does nothing."""
        for field, content in photos.variant_contents(picture.variants).items():
            getattr(story, field).save(content.name, content, save=False)
        story.photo_status = Story.PhotoStatus.READY
        story.save(update_fields=[*photos.VARIANT_FIELDS, "photo_status"])

    @staticmethod
    def _stamp(since: datetime, moment: datetime) -> None:
        """The notifications and e-mails the services just wrote happen at `moment`. The people are
        fictional: the mails are taken out of the queue (sent_at set), never delivered."""
        from contactpunt.models import Notification

        Notification.objects.filter(created_at__gte=since).update(created_at=moment)
        OutboxMail.objects.filter(created_at__gte=since, sent_at__isnull=True).update(
            created_at=moment, claimed_at=moment, sent_at=moment
        )

    # Campaign materials ------------------------------------------------------------------------

    def _materials(self) -> tuple[int, int]:
        administrator = next((user for user in self.users if user.email == ADMINISTRATOR[0]), None)
        wanted: list[tuple[str, str, str, Region | None, User | None, bytes, str]] = []
        wanted.append(
            (
                "Snelstartgids Ik Zorg-campagne",
                "Hoe je in vijf stappen meedoet met de campagne: verhalen insturen, posters maken en de hashtag "
                "#ikzorg gebruiken.",
                CampaignMaterial.Kind.GUIDE,
                None,
                administrator,
                quick_guide_pdf(),
                "Snelstartgids Ik Zorg.pdf",
            )
        )
        wanted.append(
            (
                "Logo #ikzorg",
                "Het campagnelogo als PNG met een doorzichtige achtergrond, voor je website en nieuwsbrief.",
                CampaignMaterial.Kind.LOGO,
                None,
                administrator,
                campaign_logo_png(),
                "logo-ikzorg.png",
            )
        )
        for spec in REGIONS:
            region = self.regions[spec.slug]
            coordinator = (self.coordinators.get(region.pk) or [None])[0]
            wanted.append(
                (
                    f"Werkwijze contactpunt {region.name}",
                    "Wie we zijn, hoe we kandidaten aan je voorstellen en wat we van je terug willen horen.",
                    CampaignMaterial.Kind.GUIDE,
                    region,
                    coordinator,
                    region_guide_pdf(region.name, spec.email, spec.phone),
                    f"Werkwijze contactpunt {region.name}.pdf",
                )
            )
        created = 0
        titles = [title for title, *_ in wanted]
        existing = set(CampaignMaterial.objects.filter(title__in=titles).values_list("title", "region_id"))
        rng = random.Random(f"{SEED}-materials")  # noqa: S311 - reproducible demo data
        for title, description, kind, region, actor, data, file_name in wanted:
            if actor is None or (title, region.pk if region else None) in existing:
                continue
            material = material_upload(
                title=title,
                description=description,
                kind=kind,
                region=region,
                cleaned=clean_material(SimpleUploadedFile(file_name, data)),
                actor=actor,
            )
            moment = _office(timezone.localdate(self.now) - timedelta(days=rng.randint(20, 90)), rng)
            CampaignMaterial.objects.filter(pk=material.pk).update(created_at=moment)
            created += 1
        count = CampaignMaterial.objects.filter(
            Q(title__in=titles), Q(region__isnull=True) | Q(region__in=list(self.regions.values()))
        ).count()
        return count, created


# ---------------------------------------------------------------------------------------------
# The files of the materials.


def quick_guide_pdf() -> bytes:
    """A real two-page PDF quick guide, drawn with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    output = io.BytesIO()
    pdf = canvas.Canvas(output, pagesize=A4, invariant=True)
    pdf.setTitle("Snelstartgids Ik Zorg")
    pdf.setAuthor("Contactpunt Zorg en Welzijn (demo)")
    width, height = A4
    pdf.setFillColorRGB(0, 0.37, 0.41)
    pdf.rect(0, height - 5 * cm, width, 5 * cm, fill=1, stroke=0)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawString(2 * cm, height - 3 * cm, "Snelstartgids #ikzorg")
    pdf.setFont("Helvetica", 13)
    pdf.drawString(2 * cm, height - 4 * cm, "Zo doe je als werkgever mee met de campagne")
    steps = (
        ("1. Vraag toestemming", "Vraag de collega op de foto om toestemming en noteer naam en datum."),
        ("2. Stuur een verhaal in", "Kies een foto (JPEG, PNG of WebP) en schrijf in de ik-vorm, kort en echt."),
        ("3. Wacht op de coördinator", "Het contactpunt leest mee en publiceert het verhaal op /verhalen/."),
        ("4. Maak een poster", "Van elk gepubliceerd verhaal maak je een A4-poster en een social-media-beeld."),
        ("5. Deel met #ikzorg", "Deel de link naar het verhaal of de poster; de QR-code leidt naar aanmelden."),
    )
    y = height - 7 * cm
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    for heading, body in steps:
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(2 * cm, y, heading)
        pdf.setFont("Helvetica", 11)
        pdf.drawString(2 * cm, y - 0.7 * cm, body)
        y -= 2.2 * cm
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(2 * cm, 1.5 * cm, "Demomateriaal: alle namen en gegevens zijn verzonnen.")
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(2 * cm, height - 3 * cm, "Tips voor een goed verhaal")
    pdf.setFont("Helvetica", 11)
    tips = (
        "Laat zien wat iemand op een gewone dag doet.",
        "Vertel hoe iemand in de zorg terechtkwam: school, BBL, omscholing of zij-instroom.",
        "Een korte, echte quote werkt beter dan een slogan.",
        "Een foto bij daglicht, op de werkplek, zonder cliënten in beeld.",
    )
    for number, tip in enumerate(tips):
        pdf.drawString(2 * cm, height - (4.5 + number) * cm, f"- {tip}")
    pdf.showPage()
    pdf.save()
    return output.getvalue()


def region_guide_pdf(region: str, email: str, phone: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    output = io.BytesIO()
    pdf = canvas.Canvas(output, pagesize=A4, invariant=True)
    pdf.setTitle(f"Werkwijze contactpunt {region}")
    height = A4[1]
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawString(2 * cm, height - 3 * cm, f"Contactpunt {region}")
    pdf.setFont("Helvetica", 12)
    lines = (
        "We spreken elke geïnteresseerde binnen drie werkdagen.",
        "Past iemand bij jouw aanbod, dan stellen we die persoon via het portaal aan je voor.",
        "Laat binnen vijf werkdagen weten of je een gesprek plant.",
        "Vertel ons ook hoe het afloopt: zo raakt niemand uit beeld.",
        f"Vragen? Mail {email} of bel {phone}.",
    )
    for number, line in enumerate(lines):
        pdf.drawString(2 * cm, height - (4.5 + number * 0.9) * cm, line)
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(2 * cm, 1.5 * cm, "Demomateriaal: alle namen en gegevens zijn verzonnen.")
    pdf.showPage()
    pdf.save()
    return output.getvalue()


def campaign_logo_png() -> bytes:
    """The #ikzorg logo: a heart and the hashtag on a transparent background."""
    from PIL import ImageFont

    image = Image.new("RGBA", (800, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    _heart(draw, (150, 120), 200, (0, 94, 104, 255))
    try:
        font = ImageFont.truetype(str(settings.CAMPAIGN_FONT_DIR / "700Bold/SourceSans3_700Bold.ttf"), 120)
    except OSError:
        font = ImageFont.load_default(120)
    draw.text((290, 70), "#ikzorg", font=font, fill=(244, 120, 96, 255))
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def build_campaign(
    *,
    regions: dict[str, Region],
    users: Sequence[User],
    started: datetime,
    now: datetime,
    count: int = STORY_COUNT,
    pictures: int | None = None,
) -> CampaignResult:
    """The campaign side of the demo; call it inside the demo's transaction, after the employers.

    `count` published stories (600), illustrated with `pictures` distinct drawings (one per ten
    stories, 12 to 60, unless told)."""
    return CampaignBuilder(
        regions=regions, users=users, started=started, now=now, count=count, pictures=pictures
    ).build()
