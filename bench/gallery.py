"""Benchmark of the public story gallery on PostgreSQL with generated stories: `make bench`.

For each size (600 and 20,000 published stories by default, with Dutch quotes, texts and tags) it
measures through Django's test Client, after a warm-up, the server time of:
- the first gallery page (/verhalen/);
- a filtered page (branch + life stage);
- two searches ("nachtdienst", "ouderen": Dutch full-text, ranked);
- "meer laden" (page 3 as htmx asks for it);
- a story page (a different story each time);
as p50 and p95 over `--requests` requests, with the number of queries of one request
(CaptureQueriesContext) and how many stories the page found. It also times the bulk refresh of the
search vectors (`campagne.search.refresh_search_vectors`).

Usage: python bench/gallery.py [--sizes 600,20000] [--requests 50]
Needs DATABASE_URL pointing at a PostgreSQL database it may empty and fill (the Makefile uses
contactpunt_bench_gallery, apart from the matching benchmark's database).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactpunt.settings.local")
os.environ.setdefault("REDIS_URL", "")  # tasks eager: nothing is queued while generating

import warnings  # noqa: E402

import django  # noqa: E402

django.setup()
# WhiteNoise looks for collected static files the benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from campagne.models import EducationPath, LifeStage, Story, StoryTag  # noqa: E402
from campagne.search import GalleryFilter, refresh_search_vectors  # noqa: E402
from contactpunt.models import Branch, Function, Region  # noqa: E402
from werkgevers.models import ContactPerson, Location, Offer, OfferKind, Organisation  # noqa: E402

SEED = 20261203
TARGET_P95_MS = 150
REGIONS = 12
ORGANISATIONS = 240

FIRST_NAMES = (  # noqa: SIM905 (words read better as one string)
    "Sanne Kees Fatima Mohammed Ineke Jeroen Lotte Bram Noor Daan Yasmina Henk Anouk Thijs Esra Wim Femke Sem "
    "Priya Ruud Lieke Ahmed Marieke Joost Aylin Gerrit Sophie Lucas Nadia Bert Iris Mehmet Roos Stijn Chantal "
    "Jan Eva Kevin Saskia Tim Amira Pieter Jasmijn Hans Zeynep Ruben Linda Dirk Mila Youssef Petra Koen Hanna"
).split()
QUOTES = (
    "In de nachtdienst ben ik er voor de bewoners als het stil is.",
    "Elke dag maak ik echt verschil voor iemand.",
    "Ouderen vertellen de mooiste verhalen, je moet alleen even luisteren.",
    "Na twintig jaar kantoor koos ik voor werk dat ertoe doet.",
    "Geen dag is hetzelfde, dat maakt het zo leuk.",
    "Ik leer elke dag bij, van collega's en van cliënten.",
    "Een glimlach van een kind maakt mijn dag.",
    "Als zij-instromer werd ik met open armen ontvangen.",
    "Samen met de familie zoeken we wat iemand echt nodig heeft.",
    "Met de BBL verdien ik geld terwijl ik mijn diploma haal.",
    "In de wijk kom ik bij mensen thuis, dat is vertrouwen.",
    "Ik help jongeren hun eigen weg te vinden.",
    "Op de spoedeisende hulp telt elke minuut.",
    "Mijn werk geeft me energie, ook na een drukke dienst.",
    "Zorgen voor ouderen met dementie vraagt geduld en humor.",
    "Ik ben trots dat ik mensen zelfstandig thuis laat wonen.",
    "Met mijn pensioen wilde ik nog iets betekenen, nu ben ik vrijwilliger en zorghulp.",
    "Door mijn diploma uit Syrië hier te laten erkennen kon ik weer aan de slag.",
)
SENTENCES = (
    "Ik werk op een afdeling voor ouderen met dementie.",
    "Mijn collega's staan altijd voor me klaar.",
    "In de nachtdienst loop ik mijn rondes en ben ik er als iemand niet kan slapen.",
    "Ik begon als helpende en werk nu als verzorgende IG.",
    "Via de BBL-opleiding leer ik en werk ik tegelijk.",
    "Eerst werkte ik in de logistiek, maar ik miste het contact met mensen.",
    "Het rooster past goed bij mijn gezin.",
    "Soms is het zwaar, maar de dankbaarheid van cliënten maakt veel goed.",
    "Ik begeleid mensen met een verstandelijke beperking bij hun dagbesteding.",
    "We zingen, wandelen en koken samen met de bewoners.",
    "Ik heb een vaste groep cliënten in de wijk die ik goed ken.",
    "Als wijkverpleegkundige werk ik zelfstandig en neem ik zelf beslissingen.",
    "De ouderen in ons huis hebben een rijk leven achter zich.",
    "Met de familie bespreek ik hoe het gaat en wat er nodig is.",
    "Op de kinderopvang zie ik kinderen elke dag groeien.",
    "In de jeugdzorg bouw je een band op met jongeren die het moeilijk hebben.",
    "Ik werk in wisseldiensten: vroege, late en soms een nachtdienst.",
    "Na mijn pensioen ben ik gaan werken als gastvrouw in een verpleeghuis.",
    "Mijn begeleider op de opleiding hielp me door de eerste maanden heen.",
    "In het ziekenhuis werk ik op de afdeling cardiologie.",
    "Ik ben zij-instromer: eerst werkte ik twintig jaar in de horeca.",
    "Wat ik het mooiste vind, is dat ik echt iets beteken voor ouderen.",
    "Bij de huisartsenpraktijk ben ik het eerste aanspreekpunt voor patiënten.",
    "Als sociaal werker help ik mensen met schulden en eenzaamheid.",
    "Ik kreeg de kans om een meeloopdag te doen en wist meteen dat dit mijn plek was.",
    "In de GGZ leer je goed luisteren zonder te oordelen.",
    "Met technologie zoals slimme sensoren kunnen bewoners langer zelfstandig blijven.",
    "Ik werk parttime en combineer dat met de zorg voor mijn eigen ouders.",
    "Mijn taal was eerst een drempel, maar met de taalcursus ging het snel beter.",
    "Elke ochtend begint met een overdracht, zodat iedereen weet wat er speelt.",
    "Ik fiets in tien minuten naar mijn werk.",
    "Wat ik zou zeggen tegen iemand die twijfelt: loop gewoon een dag mee.",
    "We werken in een klein team en kennen elkaar goed.",
    "De opleiding was pittig, maar de praktijkbegeleider nam er echt de tijd voor.",
    "Ik had nooit gedacht dat ik dit werk zo leuk zou vinden.",
    "Naast mijn werk zit ik in de ondernemingsraad.",
    "Mijn leidinggevende denkt mee als ik andere uren wil werken.",
    "Op vrijdag doen we altijd iets gezelligs met de groep.",
    "Ik ben gegroeid van helpende naar teamleider.",
    "Door het werk heb ik geleerd om rust te houden als het druk is.",
    "Mijn kinderen zijn trots op wat ik doe.",
    "Ik heb een cursus gevolgd om met moeilijk gedrag om te gaan.",
    "In de zomer werken we veel buiten in de tuin.",
    "Ik ben begonnen met een werkervaringsplek en kreeg daarna een vast contract.",
    "Het mooiste compliment kreeg ik van een dochter van een cliënt.",
    "Ik werk 24 uur per week en dat bevalt me prima.",
    "Na een stage wist ik zeker dat ik de zorg in wilde.",
    "Collega's uit heel verschillende landen maken ons team sterk.",
    "Ik plan mijn eigen route en werkdag.",
)
TAGS = (  # noqa: SIM905
    "nachtdienst wijkzorg dementie bbl zij-instromer ouderenzorg jeugd kinderen ziekenhuis thuiszorg "
    "gehandicaptenzorg ggz teamwork leren-en-werken parttime pensioen buitenlands-diploma wisseldiensten "
    "dagbesteding technologie familie meeloopdag sociaal-werk huisarts stage"
).split()
# Which functions a branch mostly has, so that stories read plausibly.
FUNCTIONS_OF = {
    "vvt": ["helpende", "vig", "verpleegkundige-mbo", "zorgassistent", "welzijnsassistent", "ondersteunend"],
    "gehandicaptenzorg": ["begeleider", "mz", "helpende", "vig"],
    "ggz": ["begeleider", "verpleegkundige-hbo", "sociaal-werker"],
    "ziekenhuis": ["verpleegkundige-mbo", "verpleegkundige-hbo", "ondersteunend"],
    "jeugdzorg": ["begeleider", "sociaal-werker", "pedagogisch-medewerker"],
    "kinderopvang": ["pedagogisch-medewerker"],
    "welzijn": ["sociaal-werker", "welzijnsassistent"],
    "thuiszorg": ["woonhulp", "vig", "verpleegkundige-mbo", "verpleegkundige-hbo"],
    "huisartsenzorg": ["doktersassistent"],
}
# Shared names of tiny variants: the benchmark measures queries and rendering, not file serving.
TILE, MEDIUM, LARGE = ("campagne/bench/tile.webp", "campagne/bench/medium.webp", "campagne/bench/large.webp")


def _paragraphs(sentences: list[str]) -> list[list[str]]:
    return [sentences[start : start + 3] for start in range(0, len(sentences), 3)]


def ensure_database() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    call_command("migrate", verbosity=0)


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE campagne_story, campagne_story_tags, campagne_storytag, werkgevers_offer, werkgevers_location, "
            "werkgevers_contactperson, werkgevers_organisation RESTART IDENTITY CASCADE"
        )


def employers(rng: random.Random) -> list[Organisation]:
    """Regions and organisations, each with a location, a contact and a few activities (some to come,
    some past, some for coordinators only), so that the story page has an agenda to read."""
    regions = [
        Region.objects.get_or_create(slug=f"bench-regio-{n}", defaults={"name": f"Bench regio {n}"})[0]
        for n in range(REGIONS)
    ]
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Zorggroep {name}", kvk_number=f"{80000000 + n}", home_region=rng.choice(regions))
            for n, name in enumerate(f"{rng.choice(FIRST_NAMES)}hof {n}" for n in range(ORGANISATIONS))
        ]
    )
    locations = Location.objects.bulk_create(
        [
            Location(
                organisation=o,
                name="Hoofdlocatie",
                street="Zorgstraat 1",
                postcode="9711 AB",
                place="Groningen",
                region=o.home_region,
            )
            for o in organisations
        ]
    )
    people = ContactPerson.objects.bulk_create(
        [ContactPerson(organisation=o, name="Bench", email=f"c{o.pk}@zorg.example") for o in organisations]
    )
    branches = list(Branch.objects.all())
    now = timezone.now()
    offers = []
    for organisation, location, person in zip(organisations, locations, people, strict=True):
        for n in range(6):
            offers.append(
                Offer(
                    organisation=organisation,
                    kind=rng.choice([OfferKind.MEELOOPDAG, OfferKind.OPEN_HUIS, OfferKind.SPEEDDATE]),
                    title=f"Kennismaken bij {organisation.name} ({n})",
                    description="Gegenereerd voor de benchmark.",
                    branch=rng.choice(branches),
                    location=location,
                    contact_person=person,
                    visibility=Offer.Visibility.COORDINATORS if n == 5 else Offer.Visibility.PUBLIC,
                    status=Offer.Status.PUBLISHED,
                    starts_at=now + timedelta(days=rng.randint(-30, 90), hours=rng.randint(8, 17)),
                    capacity=10,
                    published_at=now,
                )
            )
    Offer.objects.bulk_create(offers, batch_size=5000)
    return organisations


def generate(count: int, organisations: list[Organisation], rng: random.Random) -> float:
    """`count` published stories with Dutch texts and tags, and a tenth as many drafts and stories
    waiting for moderation (never shown); the seconds the search vectors took."""
    functions = {function.slug: function for function in Function.objects.all()}
    branches = [branch for branch in Branch.objects.all() if branch.slug in FUNCTIONS_OF]
    tags = StoryTag.objects.bulk_create([StoryTag(name=name, slug=name) for name in TAGS])
    now = timezone.now()

    def story(number: int, status: str) -> Story:
        organisation = rng.choice(organisations)
        branch = rng.choice(branches)
        function = functions.get(rng.choice(FUNCTIONS_OF[branch.slug])) or rng.choice(list(functions.values()))
        published = status == Story.Status.PUBLISHED
        return Story(
            organisation=organisation,
            region_id=organisation.home_region_id,
            first_name=rng.choice(FIRST_NAMES),
            function=function,
            branch=branch,
            education_path=rng.choice(EducationPath.values),
            side_entrant=rng.random() < 0.3,
            life_stage=rng.choice(LifeStage.values),
            quote=rng.choice(QUOTES),
            text="\n\n".join(" ".join(page) for page in _paragraphs(rng.sample(SENTENCES, rng.randint(6, 9)))),
            photo=f"campagne/bench/original-{number % 50}.jpg",
            photo_width=1600,
            photo_height=1200,
            photo_alt="Een zorgmedewerker aan het werk (gegenereerd voor de benchmark).",
            photo_status=Story.PhotoStatus.READY if published or rng.random() < 0.5 else Story.PhotoStatus.PENDING,
            tile=TILE,
            medium=MEDIUM,
            large=LARGE,
            consent_name="Bench Toestemming",
            consent_given_on=now.date(),
            status=status,
            published_at=now - timedelta(minutes=count - number) if published else None,
        )

    hidden = [Story.Status.DRAFT, Story.Status.SUBMITTED, Story.Status.SENT_BACK]
    rows = [story(number, Story.Status.PUBLISHED) for number in range(count)]
    rows += [story(number, rng.choice(hidden)) for number in range(count // 10)]
    created = Story.objects.bulk_create(rows, batch_size=5000)
    Story.tags.through.objects.bulk_create(
        [
            Story.tags.through(story_id=row.pk, storytag_id=tag.pk)
            for row in created
            for tag in rng.sample(tags, rng.randint(0, 4))
        ],
        batch_size=10000,
    )
    started = time.perf_counter()
    refresh_search_vectors()
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, urls: list[str], requests: int, headers: dict) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, queries of one request) over `requests` GETs after a warm-up."""
    for url in urls[:5]:
        assert client.get(url, **headers).status_code == 200, url
    times = []
    for number in range(requests):
        url = urls[number % len(urls)]
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0], **headers)
    return statistics.median(times), percentile(times, 0.95), len(queries)


def found(url: str) -> str:
    """How many published stories a gallery address matches (not timed)."""
    if "?" not in url and url != "/verhalen/":
        return ""
    query = QueryDict(url.partition("?")[2])
    return f"{GalleryFilter(query or None).qs.count():,}"


def run(count: int, requests: int, rng: random.Random) -> list[dict]:
    print(f"\n== {count:,} published stories", flush=True)
    clear()
    started = time.perf_counter()
    with transaction.atomic():
        organisations = employers(rng)
        vectors = generate(count, organisations, rng)
    # What autovacuum does soon after a bulk load: statistics, and the visibility map for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"   generated in {time.perf_counter() - started:.1f} s (search vectors of "
        f"{Story.objects.count():,} stories: {vectors:.2f} s)",
        flush=True,
    )
    published = list(Story.objects.published().values_list("pk", flat=True))
    story_urls = [f"/verhalen/{pk}/" for pk in rng.sample(published, min(len(published), requests + 5))]
    cases = [
        ("first page", ["/verhalen/"], {}),
        ("filtered: branch + life stage", ["/verhalen/?branch=vvt&life_stage=mid_career"], {}),
        ("search 'nachtdienst'", ["/verhalen/?q=nachtdienst"], {}),
        ("search 'ouderen'", ["/verhalen/?q=ouderen"], {}),
        ("meer laden (htmx, page 3)", ["/verhalen/?page=3"], {"HTTP_HX_REQUEST": "true"}),
        ("story page", story_urls, {}),
    ]
    client = Client()
    results = []
    for name, urls, headers in cases:
        p50, p95, queries = measure(client, urls, requests, headers)
        shown = found(urls[0]) if not headers else ""
        print(f"   {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries", flush=True)
        results.append(
            {
                "size": count,
                "case": name,
                "p50": p50,
                "p95": p95,
                "queries": queries,
                "found": shown,
                "vectors": vectors,
            }
        )
    for row in results:
        row["vectors"] = vectors
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="600,20000", help="numbers of published stories, comma-separated")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    arguments = parser.parse_args()
    ensure_database()
    results = []
    # Production-like: no DEBUG (no query log, no debug pages); the Client's host allowed.
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], WHITENOISE_AUTOREFRESH=False):
        for size in arguments.sizes.split(","):
            results += run(int(size), arguments.requests, random.Random(SEED + int(size)))
    print(
        f"\nStory gallery on PostgreSQL (generated stories; server time through the test Client, {arguments.requests} "
        "requests each after a warm-up; times on this machine)\n"
    )
    header = ("stories", "page", "queries", "p50", "p95", f"≤ {TARGET_P95_MS} ms p95", "stories found")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in results:
        print(
            f"{row['size']:,} | {row['case']} | {row['queries']} | {row['p50']:.1f} ms | {row['p95']:.1f} ms | "
            f"{'yes' if row['p95'] <= TARGET_P95_MS else 'NO'} | {row['found']}"
        )
    sizes = sorted({row["size"] for row in results})
    for size in sizes:
        vectors = next(row["vectors"] for row in results if row["size"] == size)
        print(
            f"\nSearch vectors of {size:,} published stories (+10% unpublished) refreshed in one UPDATE: "
            f"{vectors:.2f} s"
        )
    print(
        "queries: of one request, with the SAVEPOINT and RELEASE of ATOMIC_REQUESTS: the page's keys, its stories, "
        "their tags, the three reference lists of the filters, and on the first page of more than one page a COUNT "
        "(up to 1,001); 'meer laden' counts nothing. The story page: the story, its tags, the next activities."
    )


if __name__ == "__main__":
    main()
