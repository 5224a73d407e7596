"""Fictional employer demo data: 40 care and welfare organisations over the three demo contact points,
200 offers of every kind and status, sign-ups for activities, introductions in every state and two
BBL classes. Called by `contactpunt.demo.build_demo` after the regions, users and candidates exist.

Nothing here is real. The organisations are invented (made-up compound names, none of them the name
of a known care provider of the three regions), their KvK numbers are made up (eight digits starting
with 00), their websites and e-mail addresses are at `.example` domains, which receive no mail. Their
locations lie in real PC4 areas of their region (so routing and distance work), with invented streets
and random postcode letters; the region of a location is derived from its postcode by the real code.

Everything is built through the real services (offer_create / offer_publish / offer_close,
registration_signup / registration_cancel / registration_record_attendance, introduction_create /
_answer / _outcome / _withdraw, cohort_create / cohort_pledge / cohort_place), with the existing demo
candidates. The services stamp "now"; afterwards each step's rows are given the moment the step
happens in the demo, so that past activities and old introductions lie in the past. Steps that
change a candidate run in the order in which they happen to that candidate, so every timeline reads
in order and every candidate's status follows from it.

The plan (names, offers, counts) comes from a fixed seed and does not depend on the day; the dates
are relative to now. Running the demo again creates nothing: organisations are found by KvK number,
locations by name, contact people by e-mail address, offers by title within their organisation,
BBL classes by name; sign-ups are made only for offers created in this run, introductions only when
no demo offer has any yet.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from faker import Faker

from contactpunt.demo import ADMINISTRATOR, EMPLOYER_USERS, FUNCTIONS_BY_BRANCH, REGIONS, SEED
from contactpunt.models import Branch, EducationLevel, Function, OutboxMail, Region, TargetGroup, User
from contactpunt.phones import normalize_phone
from contactpunt.workdays import first_contact_cutoff, is_working_day
from kandidaten.models import Candidate, Consent, ConsentPurpose, Status, TimelineEvent

from .cohorts import cohort_create, cohort_place, cohort_pledge
from .introductions import introduction_answer, introduction_create, introduction_outcome, introduction_withdraw
from .models import (
    DATED_KINDS,
    NEXT_STEP_OF_KIND,
    Cohort,
    CohortPlacement,
    CohortPledge,
    ContactPerson,
    ContractType,
    Introduction,
    Location,
    Offer,
    OfferKind,
    Organisation,
    Registration,
    week_start,
)
from .offers import expire_offers, offer_close, offer_create, offer_publish
from .onboarding import location_save, organisation_create
from .registrations import registration_cancel, registration_record_attendance, registration_signup

# ---------------------------------------------------------------------------------------------
# The organisations.


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    slug: str  # the .example domain
    region: str  # slug of the contact point
    branches: tuple[str, ...]
    size: int  # 1–3: locations, contact people and (with the login) the share of the offers
    login: str = ""  # the employer user of the organisation, if it has one


# fmt: off
ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    # Noord-Nederland
    OrganisationSpec("Zorggroep Kwelderhof", "kwelderhof", "noord-nederland", ("vvt", "thuiszorg"), 3,
                     "werkgever@contactpunt.example"),
    OrganisationSpec("Stichting Zilverlinde Thuiszorg", "zilverlinde", "noord-nederland", ("thuiszorg", "vvt"), 2,
                     "werkgever.noord1@zorg.example"),
    OrganisationSpec("GGZ Kompasroos", "kompasroos", "noord-nederland", ("ggz",), 2,
                     "werkgever.noord2@zorg.example"),
    OrganisationSpec("Woonzorg De Terpenhoeve", "terpenhoeve", "noord-nederland", ("vvt",), 2),
    OrganisationSpec("Stichting Heideveen Wonen & Werken", "heideveen", "noord-nederland", ("gehandicaptenzorg",), 3),
    OrganisationSpec("Medisch Centrum Wolderhoven", "wolderhoven", "noord-nederland", ("ziekenhuis",), 3),
    OrganisationSpec("Jeugdzorg De Vlonder", "devlonder", "noord-nederland", ("jeugdzorg",), 1),
    OrganisationSpec("Kinderopvang Wadwurm", "wadwurm", "noord-nederland", ("kinderopvang",), 2),
    OrganisationSpec("Welzijnsstichting Mienskip & Meer", "mienskipenmeer", "noord-nederland", ("welzijn",), 1),
    OrganisationSpec("Huisartsencoöperatie Noordermeer", "noordermeer", "noord-nederland", ("huisartsenzorg",), 1),
    OrganisationSpec("Zorgboerderij De Hooiberg", "dehooiberg", "noord-nederland", ("gehandicaptenzorg",), 1),
    OrganisationSpec("Woonzorggroep Esdorp", "esdorp", "noord-nederland", ("vvt",), 2),
    OrganisationSpec("Thuiszorg Skûtsje", "skutsje", "noord-nederland", ("thuiszorg",), 1),
    OrganisationSpec("Zorggroep Hunnehof", "hunnehof", "noord-nederland", ("vvt", "welzijn"), 2),
    OrganisationSpec("Jeugdhulp Windroos", "windroos", "noord-nederland", ("jeugdzorg",), 1),
    OrganisationSpec("Stichting Zonnedauw", "zonnedauw", "noord-nederland", ("gehandicaptenzorg", "ggz"), 1),
    # Flevoland
    OrganisationSpec("Zorggroep Polderlicht", "polderlicht", "flevoland", ("vvt", "thuiszorg"), 3,
                     "werkgever.flevoland1@zorg.example"),
    OrganisationSpec("Stichting Kavelhuis Begeleid Wonen", "kavelhuis", "flevoland", ("gehandicaptenzorg",), 2,
                     "werkgever.flevoland2@zorg.example"),
    OrganisationSpec("Thuiszorg Zuiderwind", "zuiderwind", "flevoland", ("thuiszorg",), 2),
    OrganisationSpec("GGZ Kustlijn", "kustlijn", "flevoland", ("ggz",), 1),
    OrganisationSpec("Kinderopvang De Zwaluwstaart", "zwaluwstaart", "flevoland", ("kinderopvang",), 2),
    OrganisationSpec("Welzijn Stad & Polder", "stadenpolder", "flevoland", ("welzijn",), 1),
    OrganisationSpec("Jeugdzorg Het Roer", "hetroer", "flevoland", ("jeugdzorg",), 1),
    OrganisationSpec("Woonzorgcentrum De Ringvaart", "deringvaart", "flevoland", ("vvt",), 1),
    OrganisationSpec("Huisartsenpraktijk Lisdoddehof", "lisdoddehof", "flevoland", ("huisartsenzorg",), 1),
    # Utrecht
    OrganisationSpec("Zorggroep Zonnewijzer", "zonnewijzer", "utrecht", ("vvt", "thuiszorg"), 3,
                     "werkgever.utrecht1@zorg.example"),
    OrganisationSpec("Stichting Amersterre", "amersterre", "utrecht", ("gehandicaptenzorg",), 3,
                     "werkgever.utrecht2@zorg.example"),
    OrganisationSpec("Thuiszorg Vechtoever", "vechtoever", "utrecht", ("thuiszorg",), 2),
    OrganisationSpec("Zorgcentrum Walnotenhof", "walnotenhof", "utrecht", ("vvt",), 1),
    OrganisationSpec("GGZ Oeverzicht", "oeverzicht", "utrecht", ("ggz",), 2),
    OrganisationSpec("Medisch Centrum Vlietrode", "vlietrode", "utrecht", ("ziekenhuis",), 2),
    OrganisationSpec("Jeugdhulp Spoorzoeker", "spoorzoeker", "utrecht", ("jeugdzorg",), 1),
    OrganisationSpec("Kinderopvang Boomhut & Co", "boomhutenco", "utrecht", ("kinderopvang",), 2),
    OrganisationSpec("Gezondheidscentrum Wilgenweide", "wilgenweide", "utrecht", ("huisartsenzorg",), 1),
    OrganisationSpec("Woonzorg Ridderhof", "ridderhof", "utrecht", ("vvt",), 2),
    OrganisationSpec("Stichting Dwarsstroom", "dwarsstroom", "utrecht", ("gehandicaptenzorg", "ggz"), 1),
    OrganisationSpec("Sociaal Werk Samenstroom", "samenstroom", "utrecht", ("welzijn",), 2),
    OrganisationSpec("Thuiszorg Stichtse Handen", "stichtsehanden", "utrecht", ("thuiszorg",), 1),
    OrganisationSpec("Stichting Welzijn Lindeboog", "lindeboog", "utrecht", ("welzijn",), 1),
    OrganisationSpec("Woonzorgcentrum Klaverstein", "klaverstein", "utrecht", ("vvt",), 1),
)
# fmt: on

ORGANISATION_COUNT = len(ORGANISATIONS)
OFFER_COUNT = 200
# Offers per contact point, roughly by the number of organisations and candidates.
OFFERS_PER_REGION = {"noord-nederland": 80, "flevoland": 45, "utrecht": 75}
EMPLOYER_DOMAINS = tuple(f"{spec.slug}.example" for spec in ORGANISATIONS)


def kvk_number(index: int) -> str:
    """A made-up KvK number: 00 and six digits (104729 is prime, so the numbers never repeat)."""
    return f"00{104729 * (index + 1) % 1_000_000:06d}"


# The kinds of offer an organisation of each branch typically has (weights).
BASE_KIND_WEIGHTS = {
    OfferKind.MEELOOPDAG: 6,
    OfferKind.OPEN_HUIS: 4,
    OfferKind.SPEEDDATE: 2,
    OfferKind.INFORMATIEBIJEENKOMST: 4,
    OfferKind.BBL_PLEK: 5,
    OfferKind.STAGEPLEK: 3,
    OfferKind.WERKERVARINGSPLEK: 2,
    OfferKind.OPLEIDING: 2,
    OfferKind.STERK_IN_JE_WERK: 1,
    OfferKind.VACATURE: 8,
}
KIND_WEIGHTS_BY_BRANCH: dict[str, dict[str, int]] = {
    "ziekenhuis": {OfferKind.WERKERVARINGSPLEK: 0, OfferKind.STAGEPLEK: 5, OfferKind.OPLEIDING: 4},
    "welzijn": {OfferKind.BBL_PLEK: 1, OfferKind.WERKERVARINGSPLEK: 5, OfferKind.STERK_IN_JE_WERK: 3},
    "huisartsenzorg": {OfferKind.BBL_PLEK: 1, OfferKind.MEELOOPDAG: 3, OfferKind.OPEN_HUIS: 1, OfferKind.STAGEPLEK: 6},
    "kinderopvang": {OfferKind.STERK_IN_JE_WERK: 0, OfferKind.OPEN_HUIS: 6},
    "ggz": {OfferKind.STERK_IN_JE_WERK: 3, OfferKind.OPLEIDING: 3},
    "gehandicaptenzorg": {OfferKind.WERKERVARINGSPLEK: 4},
}

# Branch → (kind of location, what one sees there, what a visitor does on a meeloopdag).
BRANCH_PLACES: dict[str, tuple[str, str, str]] = {
    "vvt": (
        "Woonzorgcentrum",
        "op een woongroep voor ouderen",
        "helpt mee bij de ochtendzorg, drinkt koffie met de bewoners en eet 's middags mee",
    ),
    "thuiszorg": (
        "Wijkteam",
        "bij cliënten thuis, op de fiets of met de auto door de wijk",
        "gaat mee op de route langs cliënten en helpt bij de zorg thuis",
    ),
    "gehandicaptenzorg": (
        "Woonlocatie",
        "op een woonlocatie voor mensen met een verstandelijke beperking",
        "doet mee met de dagbesteding en helpt bij het koken en eten",
    ),
    "ggz": (
        "Herstelhuis",
        "op een afdeling waar mensen werken aan hun herstel",
        "doet mee met het dagprogramma en praat met een ervaringsdeskundige",
    ),
    "ziekenhuis": (
        "Locatie",
        "op een verpleegafdeling van het ziekenhuis",
        "loopt mee met een verpleegkundige tijdens de ronde en de overdracht",
    ),
    "jeugdzorg": (
        "Leefgroep",
        "op een leefgroep voor jongeren",
        "draait mee op de groep na schooltijd en tijdens het avondeten",
    ),
    "kinderopvang": (
        "Kindcentrum",
        "op een baby- of peutergroep",
        "speelt, leest voor en helpt bij het eten met de kinderen",
    ),
    "welzijn": (
        "Buurthuis",
        "in het buurthuis en in de wijk",
        "doet mee met het inloopspreekuur en gaat mee op huisbezoek",
    ),
    "huisartsenzorg": (
        "Gezondheidscentrum",
        "in de huisartsenpraktijk",
        "kijkt mee aan de balie, aan de telefoon en tijdens het spreekuur",
    ),
}
BRANCH_SHORT = {
    "vvt": "de ouderenzorg",
    "thuiszorg": "de thuiszorg",
    "gehandicaptenzorg": "de gehandicaptenzorg",
    "ggz": "de ggz",
    "ziekenhuis": "het ziekenhuis",
    "jeugdzorg": "de jeugdzorg",
    "kinderopvang": "de kinderopvang",
    "welzijn": "het sociaal werk",
    "huisartsenzorg": "de huisartsenzorg",
}
FUNCTION_WORDS = {
    "helpende": "helpende zorg en welzijn",
    "vig": "verzorgende IG",
    "verpleegkundige-mbo": "verpleegkundige (mbo)",
    "verpleegkundige-hbo": "verpleegkundige (hbo)",
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
# The level a training towards the function leads to.
FUNCTION_LEVELS = {
    "helpende": EducationLevel.MBO2,
    "vig": EducationLevel.MBO3,
    "verpleegkundige-mbo": EducationLevel.MBO4,
    "verpleegkundige-hbo": EducationLevel.HBO,
    "zorgassistent": EducationLevel.MBO2,
    "woonhulp": EducationLevel.MBO1,
    "welzijnsassistent": EducationLevel.MBO2,
    "begeleider": EducationLevel.MBO3,
    "mz": EducationLevel.MBO3,
    "pedagogisch-medewerker": EducationLevel.MBO3,
    "sociaal-werker": EducationLevel.MBO4,
    "doktersassistent": EducationLevel.MBO4,
    "ondersteunend": EducationLevel.MBO1,
}
LEVEL_WORDS = {
    EducationLevel.MBO1: "mbo-niveau 1",
    EducationLevel.MBO2: "mbo-niveau 2",
    EducationLevel.MBO3: "mbo-niveau 3",
    EducationLevel.MBO4: "mbo-niveau 4",
    EducationLevel.HBO: "hbo-niveau",
}

HOUSE_NAMES = (
    "De Zilverreiger", "Het Zwanenpad", "De Meidoorn", "De Wilgenhoek", "De Lisdodde", "Het Boerenerf",
    "De Vlinderhof", "Het Anker", "De Waterlelie", "De Hazelaar", "Het Klaverblad", "De Lichtboei",
    "De Fonkel", "Het Palet", "De Eikelhof", "De Kievitsbloem", "Het Vlasveld", "De Dotterbloem",
    "De Sterrenkijker", "Het Wilgenhuis", "De Korenbloem", "De Notenkraker", "Het Bijenhof", "De Zeester",
)  # fmt: skip
STREET_WORDS = (
    "Zilverreiger", "Dotterbloem", "Kievitsbloem", "Wielewaal", "Hazelaar", "Vlasakker", "Klaproos",
    "Lisdodde", "Zonnedauw", "Roggeveld", "Molenerf", "Korenschoof", "Lijsterbes", "Veldkers", "Boterbloem",
    "Gorzen", "Kwelder", "Ganzenmarkt", "Schepenerf", "Waterhoen",
)  # fmt: skip
STREET_SUFFIXES = ("laan", "weg", "straat", "hof", "pad", "erf", "plein", "dreef")
JOB_TITLES = (
    "Recruiter",
    "Teamleider",
    "Praktijkopleider",
    "HR-adviseur",
    "Locatiemanager",
    "Coördinator leren en ontwikkelen",
)
# Area codes of each contact point, for the contact people's office numbers.
AREA_CODES = {
    "noord-nederland": ("050", "058", "0592", "0591"),
    "flevoland": ("036", "0320"),
    "utrecht": ("030", "033"),
}


# ---------------------------------------------------------------------------------------------
# The plan: a deterministic list of organisations and offers (no database access).


@dataclass
class LocationPlan:
    name: str
    street: str
    postcode: str
    place: str


@dataclass
class ContactPlan:
    name: str
    job_title: str
    email: str
    phone: str
    login: str = ""  # the employer user this contact person is


@dataclass
class OfferPlan:
    organisation: int  # index into ORGANISATIONS
    kind: str
    branch: str
    functions: list[str]
    slot: str  # what happens to the offer: see _dated_slots and _other_slots
    title: str = ""
    description: str = ""
    target_groups: list[str] = field(default_factory=list)
    location: int = 0
    contact: int = 0
    visibility: str = Offer.Visibility.PUBLIC
    max_per_week: int | None = None
    pinned: bool = False  # one of the open days the agenda must show in Noord-Nederland
    fields: dict[str, Any] = field(default_factory=dict)  # kind-specific values (no dates)
    # When things happen (relative to now):
    created_at: datetime | None = None
    published_at: datetime | None = None
    closed_at: datetime | None = None
    dates: dict[str, Any] = field(default_factory=dict)  # starts_at, ends_at, signup_deadline, start_date, valid_until
    # Sign-ups for a public activity: how many, how many cancel; the first `capacity` get a place.
    signups: int = 0
    cancellations: int = 0

    @property
    def status(self) -> str:
        """The status the offer has after the demo (the services set it; this is what the plan aims at)."""
        return {
            "draft": Offer.Status.DRAFT,
            "future_draft": Offer.Status.DRAFT,
            "future_full": Offer.Status.FULL,
            "expired": Offer.Status.EXPIRED,
            "past": Offer.Status.EXPIRED,
            "past_coordinators": Offer.Status.EXPIRED,
            "closed": Offer.Status.CLOSED,
            "past_closed": Offer.Status.CLOSED,
            "future_closed": Offer.Status.CLOSED,
        }.get(self.slot, Offer.Status.PUBLISHED)


@dataclass
class OrganisationPlan:
    index: int
    spec: OrganisationSpec
    kvk_number: str
    created_at: datetime
    locations: list[LocationPlan]
    contacts: list[ContactPlan]
    offers: list[OfferPlan] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return f"{self.spec.slug}.example"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain)


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _working_day(day: date, direction: int = 1) -> date:
    while not is_working_day(day):
        day += timedelta(days=direction)
    return day


def _office(moment: datetime, rng: random.Random) -> datetime:
    """A moment during office hours on the working day of `moment` (or the one before)."""
    day = _working_day(timezone.localdate(moment), -1)
    minute = rng.randrange(8 * 60 + 30, 17 * 60)
    return _aware(day, minute // 60, minute % 60)


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    exact = [total * weight / sum(weights) for weight in weights]
    counts = [int(value) for value in exact]
    for index in sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))[: total - sum(counts)]:
        counts[index] += 1
    return counts


class EmployerPlanner:
    """Writes the organisations and their offers: the same seed gives the same ones on any day.

    Who and what (names, kinds, titles, statuses) comes from one random stream; when things happen
    comes from a stream per offer, so a run on another day plans the same offers.
    """

    def __init__(self, now: datetime, seed: int = SEED) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.seed = seed
        self.rng = random.Random(f"{seed}-werkgevers")  # noqa: S311 - reproducible demo data, not security
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed + 1)
        self.regions = {region.slug: region for region in REGIONS}

    def plan(self) -> list[OrganisationPlan]:
        organisations = [self._organisation(index, spec) for index, spec in enumerate(ORGANISATIONS)]
        for slug, total in OFFERS_PER_REGION.items():
            members = [plan for plan in organisations if plan.spec.region == slug]
            self._offers(members, total)
        for organisation in organisations:
            for number, offer in enumerate(organisation.offers):
                rng = random.Random(f"{self.seed}-offer-{organisation.kvk_number}-{number}")  # noqa: S311
                self._timing(organisation, offer, rng)
        return organisations

    # Organisations, locations, contact people

    def _organisation(self, index: int, spec: OrganisationSpec) -> OrganisationPlan:
        rng, region = self.rng, self.regions[spec.region]
        created_rng = random.Random(f"{self.seed}-organisation-{index}")  # noqa: S311
        created_at = _office(self.now - timedelta(days=created_rng.randint(240, 480)), created_rng)
        # Hospitals are in towns: PC4s of places that have several in the region's list.
        towns = Counter(place for _pc4, place in region.postcodes)
        areas = [item for item in region.postcodes if spec.branches[0] != "ziekenhuis" or towns[item[1]] > 1]
        postcodes = rng.sample(areas, k=spec.size)
        houses = rng.sample(HOUSE_NAMES, k=spec.size)
        locations = [
            self._location(spec, pc4, place, house, number)
            for number, ((pc4, place), house) in enumerate(zip(postcodes, houses, strict=True))
        ]
        contacts = [self._contact(spec, number) for number in range(spec.size)]
        if spec.login:
            contacts[0] = self._login_contact(spec, contacts[0])
        return OrganisationPlan(index, spec, kvk_number(index), created_at, locations, contacts)

    def _location(self, spec: OrganisationSpec, pc4: str, place: str, house: str, number: int) -> LocationPlan:
        rng = self.rng
        branch = spec.branches[number % len(spec.branches)]
        kind = BRANCH_PLACES[branch][0]
        if branch == "thuiszorg":
            name = f"{kind} {place}"
        elif branch == "ziekenhuis":
            name = f"{kind} {place}" if number else f"Hoofdlocatie {place}"
        else:
            name = f"{kind} {house}"
        letters = "SA"
        while letters in ("SA", "SD", "SS"):  # never issued
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(2))
        street = f"{rng.choice(STREET_WORDS)}{rng.choice(STREET_SUFFIXES)} {rng.randint(1, 180)}"
        return LocationPlan(name=name, street=street, postcode=f"{pc4} {letters}", place=place)

    def _phone(self, region: str) -> str:
        rng = self.rng
        while True:
            area = rng.choice(AREA_CODES[region])
            number = normalize_phone(f"{area}{rng.randrange(2 * 10 ** (9 - len(area)), 10 ** (10 - len(area)))}")
            if number:
                return number

    def _contact(self, spec: OrganisationSpec, number: int) -> ContactPlan:
        first, last = self.fake.first_name(), self.fake.last_name()
        return self._contact_for(spec, first, last, JOB_TITLES[(number + spec.size) % len(JOB_TITLES)])

    def _contact_for(self, spec: OrganisationSpec, first: str, last: str, job_title: str) -> ContactPlan:
        local = f"{_ascii(first)[:1]}.{_ascii(last)}"
        return ContactPlan(
            name=f"{first} {last}",
            job_title=job_title,
            email=f"{local}@{spec.slug}.example",
            phone=self._phone(spec.region),
        )

    def _login_contact(self, spec: OrganisationSpec, drawn: ContactPlan) -> ContactPlan:
        """The employer user is the organisation's first contact person (at a work address of its own domain)."""
        first, last = next((f, la) for email, f, la in EMPLOYER_USERS if email == spec.login)
        contact = self._contact_for(spec, first, last, "Recruiter")
        contact.phone = drawn.phone
        contact.login = spec.login
        return contact

    # Offers: kinds and statuses

    def _offers(self, members: list[OrganisationPlan], total: int) -> None:
        rng = self.rng
        weights = [plan.spec.size * 2 + (3 if plan.spec.login else 0) for plan in members]
        for plan, count in zip(members, _largest_remainder(total, weights), strict=True):
            kinds = self._kinds(plan.spec, count)
            for number, kind in enumerate(kinds):
                branch = plan.spec.branches[0] if number % 3 else rng.choice(plan.spec.branches)
                functions = self._functions(branch)
                if kind == OfferKind.BBL_PLEK and functions[0] == "verpleegkundige-hbo":
                    functions[0] = "verpleegkundige-mbo"  # BBL is mbo: werken en leren towards level 4
                plan.offers.append(OfferPlan(plan.index, kind, branch, functions, slot=""))
        offers = [offer for plan in members for offer in plan.offers]
        if members[0].spec.region == "noord-nederland":
            self._pin_open_days(members[0])
        self._every_kind(offers)
        self._slots(offers, full=2 if members[0].spec.region == "noord-nederland" else 1)
        for plan in members:
            used: set[str] = set()
            for offer in plan.offers:
                self._describe(plan, offer, used)

    def _kinds(self, spec: OrganisationSpec, count: int) -> list[str]:
        weights = {**BASE_KIND_WEIGHTS, **KIND_WEIGHTS_BY_BRANCH.get(spec.branches[0], {})}
        kinds = list(weights)
        return self.rng.choices(kinds, weights=[weights[kind] for kind in kinds], k=count)

    def _functions(self, branch: str) -> list[str]:
        functions = list(FUNCTIONS_BY_BRANCH[branch])
        first = self.rng.choice(functions[:2])
        others = [function for function in functions if function != first]
        return [first] + (self.rng.sample(others, k=1) if others and self.rng.random() < 0.3 else [])

    def _every_kind(self, offers: list[OfferPlan]) -> None:
        """Each contact point has every kind of offer: a missing kind replaces one of the most common."""
        for kind in OfferKind.values:
            counts = Counter(offer.kind for offer in offers)
            if counts[kind]:
                continue
            common = counts.most_common(1)[0][0]
            offer = next(offer for offer in reversed(offers) if offer.kind == common and not offer.pinned)
            offer.kind = kind

    def _pin_open_days(self, organisation: OrganisationPlan) -> None:
        """An open day and a meeloopdag in the ouderenzorg of Groningen for the pupils and career
        changers among the demo candidates who want one (so matching has something to show)."""
        for offer, kind in zip(organisation.offers, (OfferKind.OPEN_HUIS, OfferKind.MEELOOPDAG), strict=False):
            offer.kind, offer.branch, offer.functions, offer.pinned = kind, "vvt", ["vig", "helpende"], True

    def _slots(self, offers: list[OfferPlan], *, full: int) -> None:
        rng = self.rng
        dated = [offer for offer in offers if offer.kind in DATED_KINDS]
        pinned = [offer for offer in dated if offer.pinned]
        free = [offer for offer in dated if not offer.pinned]
        slots = self._dated_slots(len(dated), full=full)
        for offer in pinned:
            slots.remove("future")
            offer.slot = "future"
        rng.shuffle(slots)
        # Full activities are the small ones: meeloopdagen and speeddates first.
        free.sort(key=lambda offer: offer.kind not in (OfferKind.MEELOOPDAG, OfferKind.SPEEDDATE))
        for slot in ("future_full",) * full:
            slots.remove(slot)
            free[0].slot = slot
            free = free[1:]
        for offer, slot in zip(free, slots, strict=True):
            offer.slot = slot
        others = [offer for offer in offers if offer.kind not in DATED_KINDS]
        slots = self._other_slots(len(others))
        rng.shuffle(slots)
        for offer, slot in zip(others, slots, strict=True):
            offer.slot = slot
        for offer in offers:
            self._visibility_and_maximum(offer)
        published = [offer for offer in others if offer.slot == "published"]
        if not any(offer.max_per_week for offer in published):
            published[0].max_per_week = 2
        # The "maximum reached this week" example: a place for coordinators only, at most two a week.
        capped = next(offer for offer in published if offer.max_per_week)
        capped.max_per_week, capped.visibility = 2, Offer.Visibility.COORDINATORS

    @staticmethod
    def _dated_slots(count: int, *, full: int) -> list[str]:
        past = round(count * 0.4)
        future = count - past
        past_closed = max(1, round(past * 0.2))
        past_coordinators = 1 if past >= 6 else 0
        future_draft = max(1, round(future * 0.12))
        future_coordinators = max(1, round(future * 0.12))
        future_closed = 1
        return (
            ["past_closed"] * past_closed
            + ["past_coordinators"] * past_coordinators
            + ["past"] * (past - past_closed - past_coordinators)
            + ["future_full"] * full
            + ["future_draft"] * future_draft
            + ["future_coordinators"] * future_coordinators
            + ["future_closed"] * future_closed
            + ["future"] * (future - full - future_draft - future_coordinators - future_closed)
        )

    @staticmethod
    def _other_slots(count: int) -> list[str]:
        draft, expired, closed = round(count * 0.1), round(count * 0.13), round(count * 0.13)
        return (
            ["draft"] * draft
            + ["expired"] * expired
            + ["closed"] * closed
            + ["published"] * (count - draft - expired - closed)
        )

    def _visibility_and_maximum(self, offer: OfferPlan) -> None:
        rng = self.rng
        if offer.kind in DATED_KINDS:
            coordinators = offer.slot in ("past_coordinators", "future_coordinators")
        else:
            coordinators = rng.random() < 0.4
        offer.visibility = Offer.Visibility.COORDINATORS if coordinators else Offer.Visibility.PUBLIC
        if offer.slot in ("published", "future_coordinators") and rng.random() < 0.2:
            offer.max_per_week = rng.choice((2, 3, 3, 5))

    # Offers: titles, texts and the fields of their kind

    def _describe(self, organisation: OrganisationPlan, offer: OfferPlan, used: set[str]) -> None:
        rng = self.rng
        offer.location = rng.randrange(len(organisation.locations))
        if offer.pinned:
            offer.location = 0
        offer.contact = rng.randrange(len(organisation.contacts))
        location = organisation.locations[offer.location]
        function = FUNCTION_WORDS[offer.functions[0]]
        _kind, workplace, tasks = BRANCH_PLACES[offer.branch]
        words = {
            "fn": function[0].upper() + function[1:],
            "fn_lower": function,
            "org": organisation.spec.name,
            "location": location.name,
            "place": location.place,
            "branch": BRANCH_SHORT[offer.branch],
            "workplace": workplace,
            "tasks": tasks,
        }
        titles, description, groups = TEXTS[offer.kind](offer, rng)
        if offer.pinned:
            titles = titles[:1]
        title = ""
        for candidate in [*rng.sample(titles, k=len(titles)), titles[0] + " – {place}", titles[0] + " – {location}"]:
            title = candidate.format(**words)
            if title not in used:
                break
        number = 2
        while title in used:
            title = f"{titles[0].format(**words)} ({number})"
            number += 1
        used.add(title)
        offer.title = title[:200]
        offer.description = description.format(**words)
        offer.target_groups = list(groups)
        offer.fields = self._fields(offer)

    def _fields(self, offer: OfferPlan) -> dict[str, Any]:
        rng, kind = self.rng, offer.kind
        level = FUNCTION_LEVELS[offer.functions[0]]
        if kind in DATED_KINDS:
            capacity = {
                OfferKind.MEELOOPDAG: rng.randint(3, 6),
                OfferKind.OPEN_HUIS: rng.choice((20, 25, 30, 40, 50)),
                OfferKind.SPEEDDATE: rng.choice((10, 12, 15, 20)),
                OfferKind.INFORMATIEBIJEENKOMST: rng.choice((15, 20, 25, 30, 40)),
            }[kind]
            if offer.slot == "future_full":
                capacity = rng.randint(3, 4)
            elif offer.pinned:  # room left, for the candidates matching will suggest it to
                capacity = max(capacity, 8)
            self._signups(offer, capacity)
            return {"capacity": capacity}
        if kind == OfferKind.VACATURE:
            hours_min = rng.choice((12, 16, 20, 24, 24, 28))
            return {
                "hours_min": hours_min,
                "hours_max": min(hours_min + rng.choice((4, 8, 8, 12)), 36),
                "contract_type": rng.choice(
                    (ContractType.PERMANENT, ContractType.TEMPORARY, ContractType.TEMPORARY, ContractType.ON_CALL)
                ),
            }
        places, hours, weeks = {
            OfferKind.BBL_PLEK: (rng.randint(1, 4), (24, 32), rng.choice((104, 104, 156))),
            OfferKind.STAGEPLEK: (rng.randint(1, 3), (16, 32), rng.choice((20, 30, 40))),
            OfferKind.WERKERVARINGSPLEK: (rng.randint(1, 2), (12, 24), rng.choice((13, 26))),
            OfferKind.OPLEIDING: (rng.randint(4, 12), (8, 16), rng.choice((26, 40, 52, 78))),
            OfferKind.STERK_IN_JE_WERK: (rng.randint(5, 20), (1, 2), rng.choice((6, 8, 12))),
        }[kind]
        fields = {
            "places": places,
            "hours_min": hours[0],
            "hours_max": hours[1],
            "duration_weeks": weeks,
            "min_education_level": None,
            "diploma_requirements": "",
        }
        if kind in (OfferKind.BBL_PLEK, OfferKind.OPLEIDING):
            fields["trains_towards_level"] = level
            fields["min_education_level"] = (
                EducationLevel.HAVO_VWO if level >= EducationLevel.HBO else rng.choice((EducationLevel.VMBO, None))
            )
            fields["diploma_requirements"] = rng.choice(DIPLOMA_REQUIREMENTS)
        elif kind == OfferKind.STAGEPLEK:
            fields["diploma_requirements"] = "Je volgt een mbo- of hbo-opleiding in zorg en welzijn (BOL)."
        return fields

    def _signups(self, offer: OfferPlan, capacity: int) -> None:
        """How many people sign up for a public activity (and how many cancel)."""
        rng = self.rng
        if offer.slot == "future_full":
            offer.signups, offer.cancellations = capacity + 2, 1
        elif offer.slot in ("past", "past_closed"):
            offer.signups = min(capacity, rng.randint(2, 5))
            offer.cancellations = 1 if offer.signups >= 3 and rng.random() < 0.4 else 0
        elif offer.slot == "future":
            offer.signups = rng.randint(2, 3) if offer.pinned else rng.randint(0, min(capacity - 1, 3))
            offer.cancellations = 1 if offer.signups >= 2 and rng.random() < 0.3 else 0

    # When

    def _timing(self, organisation: OrganisationPlan, offer: OfferPlan, rng: random.Random) -> None:
        now, today = self.now, self.today
        soon = now - timedelta(minutes=30)
        slot = offer.slot
        if offer.kind in DATED_KINDS:
            if slot.startswith("past"):
                day = _working_day(today - timedelta(days=rng.randint(3, 70)), -1)
            elif offer.pinned:
                day = _working_day(
                    today + timedelta(days=rng.randint(9, 16) if offer.kind == OfferKind.OPEN_HUIS else 20)
                )
            elif slot == "future_full":
                day = _working_day(today + timedelta(days=rng.randint(8, 30)))
            else:
                day = _working_day(today + timedelta(days=rng.randint(3, 55)))
            hour, minute, length = rng.choice(ACTIVITY_TIMES[offer.kind])
            starts_at = _aware(day, hour, minute)
            offer.dates = {"starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=length)}
            if slot == "future_draft":
                offer.created_at = _office(now - timedelta(days=rng.randint(1, 10)), rng)
                return
            created = starts_at - timedelta(days=rng.randint(21, 45))
            offer.created_at = min(_office(created, rng), soon - timedelta(days=3))
            offer.published_at = min(offer.created_at + timedelta(hours=rng.randint(1, 48)), soon - timedelta(days=2))
            if rng.random() < 0.3:
                deadline = _aware(day - timedelta(days=1), 17)
                if deadline > offer.published_at + timedelta(days=1):
                    offer.dates["signup_deadline"] = deadline
            if slot == "past_closed":
                offer.closed_at = min(starts_at + timedelta(days=rng.randint(1, 5)), soon)
            elif slot == "future_closed":
                offer.closed_at = min(offer.published_at + timedelta(days=rng.randint(2, 10)), soon)
            return
        if offer.kind != OfferKind.VACATURE:
            offer.dates["start_date"] = _monday_after(today + timedelta(days=rng.randint(14, 150)))
        if slot == "draft":
            offer.created_at = _office(now - timedelta(days=rng.randint(1, 25)), rng)
            return
        if slot == "expired":
            offer.created_at = _office(now - timedelta(days=rng.randint(90, 220)), rng)
            offer.dates["valid_until"] = today - timedelta(days=rng.randint(3, 60))
        else:
            days = (40, 200) if slot == "closed" else (7, 150)
            offer.created_at = _office(now - timedelta(days=rng.randint(*days)), rng)
            if rng.random() < 0.6:
                offer.dates["valid_until"] = today + timedelta(days=rng.randint(14, 120))
        offer.created_at = max(offer.created_at, organisation.created_at + timedelta(days=1))
        offer.published_at = offer.created_at + timedelta(hours=rng.randint(1, 72))
        if slot == "closed":
            offer.closed_at = min(offer.published_at + timedelta(days=rng.randint(14, 90)), soon - timedelta(days=1))


def _monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


# (hour, minute, minutes) an activity of each kind typically takes.
ACTIVITY_TIMES = {
    OfferKind.MEELOOPDAG: ((9, 0, 360), (8, 30, 240), (13, 0, 240)),
    OfferKind.OPEN_HUIS: ((14, 0, 180), (19, 0, 120), (10, 0, 240)),
    OfferKind.SPEEDDATE: ((15, 0, 150), (19, 0, 120)),
    OfferKind.INFORMATIEBIJEENKOMST: ((19, 30, 90), (10, 0, 90), (14, 0, 120)),
}

DIPLOMA_REQUIREMENTS = (
    "Een VOG is nodig; die vragen wij samen met je aan.",
    "Een diploma vmbo of mbo 2 is handig, maar niet verplicht: we doen eerst een intake.",
    "Je moet voldoende Nederlands spreken om met cliënten te praten (B1).",
    "",
)


# Titles (several per kind; the first is the plain one) and descriptions, with target groups welcome.
def _meeloopdag(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = [
        "Meeloopdag {fn_lower}",
        "Een dag meelopen in {branch}",
        "Meeloopdag voor zij-instromers",
        "Meeloopochtend in {place}",
        "Snuffeldag {branch}",
    ]
    description = (
        "Loop een dag mee met een {fn_lower} {workplace}. Je {tasks}. Tussendoor is er tijd voor al je "
        "vragen, en aan het eind praat je met een teamleider over werken en leren bij {org}. Trek makkelijke "
        "schoenen aan en neem een identiteitsbewijs mee."
    )
    return titles, description, _groups(rng, ("zij-instromer", "herintreder", "scholier"))


def _open_huis(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = [
        "Open huis {location}",
        "Open avond werken en leren",
        "Open dag: kijk achter de schermen",
        "Inloopmiddag werken in {branch}",
    ]
    description = (
        "Kom langs bij {location} in {place} en maak kennis met onze teams. Medewerkers vertellen hoe hun "
        "dag eruitziet, je krijgt een rondleiding en je hoort alles over leren met behoud van salaris. "
        "Neem gerust iemand mee. Meld je aan, dan weten we dat je komt."
    )
    return titles, description, []


def _speeddate(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = ["Speeddaten met {org}", "Speeddate: werken in {branch}", "Banenspeeddate zorg en welzijn"]
    description = (
        "In korte gesprekken van tien minuten maak je kennis met teamleiders en praktijkopleiders van {org}. "
        "Het is geen sollicitatiegesprek: je hoeft niets voor te bereiden en een cv is niet nodig. Klikt het, "
        "dan krijg je een uitnodiging voor een meeloopdag."
    )
    return titles, description, _groups(rng, ("uitkering", "statushouder", "zij-instromer"))


def _informatiebijeenkomst(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = [
        "Informatieavond zij-instroom",
        "Informatiebijeenkomst BBL-opleiding {fn_lower}",
        "Informatieochtend werken en leren",
        "Informatieavond voor herintreders",
    ]
    description = (
        "Wil je de overstap naar de zorg maken, maar weet je niet waar je moet beginnen? Op deze bijeenkomst "
        "vertellen een praktijkopleider en een collega die zelf zij-instromer was hoe werken en leren bij {org} "
        "gaat: de opleiding tot {fn_lower}, het salaris, de roosters en de begeleiding. Daarna is er tijd voor "
        "je vragen, met koffie en thee."
    )
    return titles, description, _groups(rng, ("zij-instromer", "herintreder", "oudere-werkzoekende"))


def _bbl(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = ["BBL-plek {fn_lower}", "Werken en leren: {fn_lower} (BBL)", "BBL-traject {fn_lower} voor zij-instromers"]
    level = LEVEL_WORDS.get(FUNCTION_LEVELS[offer.functions[0]], "mbo-niveau 3")
    description = (
        "Werken en leren tegelijk: je werkt drie of vier dagen per week {workplace} en gaat één dag per week "
        "naar school. Je krijgt vanaf de eerste dag salaris en wij betalen je opleiding en boeken. Een vaste "
        f"werkbegeleider helpt je op weg. Aan het eind heb je je diploma {{fn_lower}} op {level}."
    )
    return titles, description, _groups(rng, ("zij-instromer", "herintreder", "buitenlands-diploma"))


def _stageplek(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = ["Stageplek {fn_lower}", "BOL-stage {fn_lower}", "Snuffelstage {branch}"]
    description = (
        "Een stageplek voor studenten die de opleiding tot {fn_lower} volgen. Je werkt mee {workplace}, met "
        "een eigen stagebegeleider die tijd voor je maakt. Je krijgt een stagevergoeding, en wie het goed "
        "doet, krijgt na de stage vaak een baan of een BBL-plek aangeboden."
    )
    return titles, description, _groups(rng, ("scholier", "praktijkonderwijs-vso"))


def _werkervaringsplek(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = ["Werkervaringsplek {fn_lower}", "Werkervaringsplaats in {branch}", "Proefplaatsing {fn_lower}"]
    description = (
        "Wil je (weer) wennen aan werken? Op deze werkervaringsplek doe je een paar dagdelen per week mee "
        "{workplace}, met een vaste begeleider. Je uitkering loopt door, in overleg met de gemeente of het UWV. "
        "Gaat het goed, dan kijken we samen of een BBL-opleiding bij je past."
    )
    groups = _groups(rng, ("uitkering", "statushouder", "aangepaste-werkplek", "praktijkonderwijs-vso"), at_least=1)
    return titles, description, groups


def _opleiding(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = [
        "Opleiding {fn_lower} met baangarantie",
        "Verkorte opleiding {fn_lower}",
        "Opfrisopleiding voor herintreders",
    ]
    description = (
        "Een opleiding die past naast je werk of je gezin: één avond per week les en opdrachten in de praktijk "
        "{workplace}. {org} betaalt de opleiding als je daarna minstens een jaar bij ons blijft werken. Na "
        "afloop heb je een baan als {fn_lower}."
    )
    return titles, description, _groups(rng, ("herintreder", "zij-instromer", "buitenlands-diploma"))


def _sterk_in_je_werk(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = [
        "Loopbaangesprekken Sterk in je Werk",
        "Sterk in je Werk: ontdek wat bij je past",
        "Loopbaancoaching voor zorgmedewerkers",
    ]
    description = (
        "Twijfel je over je volgende stap in de zorg, of wil je weten of je talent ergens anders beter past? "
        "Met Sterk in je Werk krijg je drie gratis gesprekken met een loopbaancoach. Samen kijk je naar wat je "
        "kunt en wilt, en welke opleiding of functie daarbij hoort."
    )
    return titles, description, []


def _vacature(offer: OfferPlan, rng: random.Random) -> tuple[list[str], str, list[str]]:
    titles = [
        "{fn} voor {location}",
        "{fn} in {place}",
        "{fn} (dag- en avonddiensten)",
        "Ervaren {fn_lower}",
        "{fn}, ook voor zij-instromers",
    ]
    description = (
        "Voor {location} in {place} zoeken we een {fn_lower}. Je werkt {workplace}, in een vast team met "
        "collega's die je graag op weg helpen. Wij bieden een contract volgens de cao, een reiskostenvergoeding "
        "en ruimte om door te leren. Nieuw in de zorg? Dan kijken we samen of een BBL-traject bij je past."
    )
    return titles, description, _groups(rng, ("zij-instromer", "herintreder", "oudere-werkzoekende"))


def _groups(rng: random.Random, options: tuple[str, ...], at_least: int = 0) -> list[str]:
    """Target groups welcome: usually everybody (empty), sometimes one or two named groups."""
    if at_least == 0 and rng.random() < 0.6:
        return []
    return sorted(rng.sample(options, k=rng.randint(max(at_least, 1), 2)))


TEXTS: dict[str, Callable[[OfferPlan, random.Random], tuple[list[str], str, list[str]]]] = {
    OfferKind.MEELOOPDAG: _meeloopdag,
    OfferKind.OPEN_HUIS: _open_huis,
    OfferKind.SPEEDDATE: _speeddate,
    OfferKind.INFORMATIEBIJEENKOMST: _informatiebijeenkomst,
    OfferKind.BBL_PLEK: _bbl,
    OfferKind.STAGEPLEK: _stageplek,
    OfferKind.WERKERVARINGSPLEK: _werkervaringsplek,
    OfferKind.OPLEIDING: _opleiding,
    OfferKind.STERK_IN_JE_WERK: _sterk_in_je_werk,
    OfferKind.VACATURE: _vacature,
}


# ---------------------------------------------------------------------------------------------
# What happens with the offers: introductions and BBL classes (counts per contact point).

# outcome → how many introductions end that way. "started_elsewhere" is a candidate introduced
# twice who starts at the first employer: the second introduction closes as "elders gestart".
INTRODUCTIONS: dict[str, dict[str, int]] = {
    "noord-nederland": {
        "proposed_old": 2,
        "proposed": 2,
        "invited": 3,
        "not_suitable": 2,
        "started": 2,
        "started_elsewhere": 1,
        "not_started": 1,
        "withdrawn": 1,
    },
    "flevoland": {
        "proposed_old": 1,
        "proposed": 1,
        "invited": 2,
        "not_suitable": 1,
        "started": 1,
        "started_elsewhere": 1,
        "not_started": 1,
        "withdrawn": 1,
    },
    "utrecht": {
        "proposed_old": 2,
        "proposed": 2,
        "invited": 3,
        "not_suitable": 2,
        "started": 2,
        "started_elsewhere": 1,
        "not_started": 1,
        "withdrawn": 1,
    },
}
# Introductions made this week to the offer with a weekly maximum of two: in Noord-Nederland the
# maximum is reached (coordinators see none left), in Utrecht one is left.
THIS_WEEK = {"noord-nederland": 2, "utrecht": 1}

INTRODUCTION_NOTES = (
    "{name} had een goed kennismakingsgesprek en wil graag aan de slag als {function}. "
    "Beschikbaar voor ongeveer {hours} uur per week.",
    "{name} is gemotiveerd en leert het liefst in de praktijk. Past volgens mij goed bij jullie team.",
    "{name} was bij een informatiebijeenkomst en wil graag kennismaken. Kan op korte termijn beginnen.",
    "{name} heeft jaren als mantelzorger gezorgd en is rustig en geduldig. Graag een kennismakingsgesprek.",
)
NOT_SUITABLE_REASONS = (
    "Voor deze plek zoeken we iemand die ook weekenddiensten kan draaien; dat past nu niet.",
    "Voor deze plek is een diploma op niveau 3 nodig. We houden de kandidaat graag in beeld voor een BBL-traject.",
    "De reistijd naar deze locatie is te lang voor de vroege diensten.",
)
NOT_STARTED_REASONS = (
    "Na het kennismakingsgesprek heeft de kandidaat besloten toch niet te beginnen.",
    "De VOG kwam niet op tijd binnen; we nemen contact op voor de volgende startdatum.",
    "De kandidaat heeft gekozen voor een opleiding dichter bij huis.",
)
WITHDRAW_REASONS = (
    "De kandidaat wil eerst een meeloopdag doen voordat een gesprek zinvol is.",
    "De kandidaat kan door omstandigheden thuis voorlopig niet beginnen.",
)


@dataclass(frozen=True)
class CohortSpec:
    name: str
    school: str
    function: str
    education_level: int
    region: str
    starts_in_days: int  # the first Monday from then on
    duration_weeks: int
    pledges: tuple[tuple[int, int], ...]  # (organisation index, places)
    placements: int
    placed_within_days: int


COHORTS = (
    # Starts within six weeks and is below its minimum of 16: the cohort page warns.
    CohortSpec(
        name="BBL-carrousel VIG Groningen",
        school="Zorgacademie Wadkust",
        function="vig",
        education_level=EducationLevel.MBO3,
        region="noord-nederland",
        starts_in_days=33,
        duration_weeks=104,
        pledges=((0, 4), (1, 4), (3, 3), (11, 3)),
        placements=9,
        placed_within_days=42,
    ),
    # Healthy: the minimum is reached, with a start three months away.
    CohortSpec(
        name="BBL-carrousel Verpleegkundige Utrecht",
        school="Zorgcollege Amerhof",
        function="verpleegkundige-mbo",
        education_level=EducationLevel.MBO4,
        region="utrecht",
        starts_in_days=90,
        duration_weeks=156,
        pledges=((25, 5), (28, 4), (30, 4), (26, 3), (34, 2)),
        placements=16,
        placed_within_days=56,
    ),
)


@dataclass(frozen=True)
class EmployerResult:
    organisations: int
    offers: int
    offers_created: int
    registrations: int
    introductions: int
    cohorts: int


# ---------------------------------------------------------------------------------------------
# Building: organisations, offers and what happens with them, in the database.


@dataclass
class _Person:
    """A demo candidate as the builder picks them for a sign-up, an introduction or a placement."""

    pk: int
    region_id: int
    details: dict[str, str]  # what the agenda's sign-up form asks
    first_name: str
    hours: int | None
    assigned_to_id: int | None
    shares: bool
    next_steps: set[str]
    branches: set[str]
    functions: set[str]


@dataclass(order=True)
class _Scenario:
    """Something that happens to candidates, from `start` on; run in the order of `start`."""

    start: datetime
    number: int
    run: Callable[[], None] = field(compare=False)


class EmployerBuilder:
    def __init__(
        self,
        *,
        plans: list[OrganisationPlan],
        regions: dict[str, Region],
        users: Iterable[User],
        candidate_emails: list[str],
        started: datetime,
        now: datetime,
        site_url: str,
    ) -> None:
        self.plans = plans
        self.regions = regions
        self.users = {user.email: user for user in users}
        self.coordinators = {spec.slug: [self.users[email] for email, _, _ in spec.coordinators] for spec in REGIONS}
        self.candidate_emails = candidate_emails
        self.started = started
        self.now = now
        self.today = timezone.localdate(now)
        self.soon = now - timedelta(minutes=30)  # the latest moment anything in the demo happens
        self.site_url = site_url
        self.rng = random.Random(f"{SEED}-werkgevers-build")  # noqa: S311 - reproducible demo data
        self.branches = {item.slug: item for item in Branch.objects.all()}
        self.functions = {item.slug: item for item in Function.objects.all()}
        self.target_groups = {item.slug: item for item in TargetGroup.objects.all()}
        self.organisations: dict[int, Organisation] = {}
        self.logins: dict[int, User] = {}  # organisation pk → its employer user
        self.created: list[tuple[OfferPlan, Offer]] = []
        self.offer_plans: dict[int, OfferPlan] = {}
        self.people: dict[int, _Person] = {}
        self.busy: dict[int, datetime] = {}
        self.placed: set[int] = set()
        self.offer_uses: Counter[int] = Counter()
        self.scenarios: list[_Scenario] = []

    def build(self) -> EmployerResult:
        for plan in self.plans:
            self._organisation(plan)
        for plan in self.plans:
            self._offers(plan)
        demo_offers = Offer.objects.filter(organisation__kvk_number__in=[plan.kvk_number for plan in self.plans])
        self._people()
        for offer_plan, offer in self.created:
            if offer_plan.signups:
                self._activity(offer_plan, offer)
        if not Introduction.objects.filter(offer__in=demo_offers).exists():
            self._introductions()
        for spec in COHORTS:
            self._cohort(spec)
        for scenario in sorted(self.scenarios):
            scenario.run()
        self._close_and_expire()
        self._date_updates()
        cohorts = Cohort.objects.filter(name__in=[spec.name for spec in COHORTS])
        return EmployerResult(
            organisations=Organisation.objects.filter(kvk_number__in=[plan.kvk_number for plan in self.plans]).count(),
            offers=demo_offers.count(),
            offers_created=len(self.created),
            registrations=Registration.objects.filter(offer__in=demo_offers).count(),
            introductions=Introduction.objects.filter(offer__in=demo_offers).count(),
            cohorts=cohorts.count(),
        )

    # Time

    def _stamp(self, moment: datetime) -> None:
        """Give what a service just wrote (at "now") the moment it happens in the demo."""
        started = self.started
        TimelineEvent.objects.filter(created_at__gte=started).update(created_at=moment)
        Consent.objects.filter(recorded_at__gte=started).update(recorded_at=moment)
        # The services wrote their e-mails to the outbox, as for real events. Everyone here is
        # fictional, so the mails must never be delivered (and `make run` must not print hundreds of
        # them). The rows stay, readable in the admin; setting `sent_at` takes them out of the queue,
        # so neither the on-commit task nor the periodic sweep picks them up. They were not sent.
        OutboxMail.objects.filter(created_at__gte=started, sent_at__isnull=True).update(
            created_at=moment, claimed_at=moment, sent_at=moment
        )
        Registration.objects.filter(created_at__gte=started).update(created_at=moment)
        Introduction.objects.filter(created_at__gte=started).update(created_at=moment)
        Introduction.objects.filter(answered_at__gte=started).update(answered_at=moment)
        Introduction.objects.filter(outcome_at__gte=started).update(outcome_at=moment)
        CohortPledge.objects.filter(created_at__gte=started).update(created_at=moment)
        CohortPlacement.objects.filter(created_at__gte=started).update(created_at=moment)

    def _between(self, start: datetime, end: datetime, count: int) -> list[datetime]:
        """`count` sorted moments between `start` and `end` (empty when there is no room)."""
        if end - start < timedelta(minutes=count + 1):
            return []
        span = (end - start).total_seconds()
        return sorted(start + timedelta(seconds=self.rng.uniform(0, span)) for _ in range(count))

    def _at(self, days_ago: float, *, hours: tuple[int, int] = (9, 17)) -> datetime:
        """An office moment about `days_ago` days ago, never later than `soon`."""
        day = _working_day(timezone.localdate(self.now - timedelta(days=days_ago)), -1)
        minute = self.rng.randrange(hours[0] * 60, hours[1] * 60)
        return min(_aware(day, minute // 60, minute % 60), self.soon)

    # Organisations, locations, contact people, offers

    def _organisation(self, plan: OrganisationPlan) -> None:
        spec = plan.spec
        organisation = Organisation.objects.filter(kvk_number=plan.kvk_number).first()
        if organisation is None:
            organisation = organisation_create(
                name=spec.name,
                kvk_number=plan.kvk_number,
                home_region=self.regions[spec.region],
                website=f"https://www.{plan.domain}",
                branches=[self.branches[slug] for slug in spec.branches],
            )
            Organisation.objects.filter(pk=organisation.pk).update(
                created_at=plan.created_at, updated_at=plan.created_at
            )
        self.organisations[plan.index] = organisation
        names = set(organisation.locations.values_list("name", flat=True))
        for location in plan.locations:
            if location.name not in names:
                location_save(
                    location=Location(
                        organisation=organisation,
                        name=location.name,
                        street=location.street,
                        postcode=location.postcode,
                        place=location.place,
                    )
                )
        login = self.users.get(spec.login) if spec.login else None
        if login is not None:
            if login.organisation_id is None:
                User.objects.filter(pk=login.pk).update(organisation=organisation)
                login.organisation = organisation
            if login.organisation_id == organisation.pk:
                self.logins[organisation.pk] = login
        emails = set(organisation.contact_people.values_list("email", flat=True))
        ContactPerson.objects.bulk_create(
            ContactPerson(
                organisation=organisation,
                name=contact.name,
                job_title=contact.job_title,
                email=contact.email,
                phone=contact.phone,
                user=self.logins.get(organisation.pk) if contact.login else None,
            )
            for contact in plan.contacts
            if contact.email not in emails
        )

    def _offers(self, plan: OrganisationPlan) -> None:
        organisation = self.organisations[plan.index]
        existing = set(organisation.offers.values_list("title", flat=True))
        locations = {location.name: location for location in organisation.locations.all()}
        contacts = {contact.email: contact for contact in organisation.contact_people.all()}
        actor = self.logins.get(organisation.pk) or self.users[ADMINISTRATOR[0]]
        for offer_plan in plan.offers:
            if offer_plan.title in existing:
                continue
            details = {
                "title": offer_plan.title,
                "description": offer_plan.description,
                "branch": self.branches[offer_plan.branch],
                "functions": [self.functions[slug] for slug in offer_plan.functions],
                "target_groups": [self.target_groups[slug] for slug in offer_plan.target_groups],
                "location": locations[plan.locations[offer_plan.location].name],
                "contact_person": contacts[plan.contacts[offer_plan.contact].email],
                "visibility": offer_plan.visibility,
                "max_introductions_per_week": offer_plan.max_per_week,
                **offer_plan.fields,
                **offer_plan.dates,
            }
            offer = offer_create(organisation=organisation, kind=offer_plan.kind, details=details, actor=actor)
            if offer_plan.published_at:
                offer = offer_publish(offer=offer, actor=actor, now=offer_plan.published_at)
            Offer.objects.filter(pk=offer.pk).update(created_at=offer_plan.created_at)
            self.created.append((offer_plan, offer))
            self.offer_plans[offer.pk] = offer_plan

    # Candidates

    def _people(self) -> None:
        share = Consent.objects.filter(candidate=OuterRef("pk"), purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS).order_by(
            "-recorded_at", "-id"
        )
        candidates = (
            Candidate.objects.filter(email__in=self.candidate_emails, region__isnull=False)
            .annotate(shares=Subquery(share.values("granted")[:1]))
            .prefetch_related("next_steps", "branches", "functions")
            .order_by("email")
        )
        for candidate in candidates:
            self.people[candidate.pk] = _Person(
                pk=candidate.pk,
                region_id=candidate.region_id,
                details={
                    "first_name": candidate.first_name,
                    "last_name": candidate.last_name,
                    "email": candidate.email,
                    "phone": candidate.phone,
                    "postcode": candidate.postcode,
                },
                first_name=candidate.first_name,
                hours=candidate.hours_per_week,
                assigned_to_id=candidate.assigned_to_id,
                shares=bool(candidate.shares),
                next_steps={item.slug for item in candidate.next_steps.all()},
                branches={item.slug for item in candidate.branches.all()},
                functions={item.slug for item in candidate.functions.all()},
            )
        latest = (
            TimelineEvent.objects.filter(candidate__in=self.people)
            .values("candidate")
            .annotate(last=Max("created_at"))
            .values_list("candidate", "last")
        )
        self.busy = dict(latest)

    def _pick(
        self,
        region_id: int,
        moment: datetime,
        *,
        kind: str,
        branch: str,
        functions: Iterable[str] = (),
        exclude: Iterable[int] = (),
        prefer_referred: bool = False,
    ) -> _Person | None:
        """A candidate of the region in conversation or referred, free at `moment` (nothing of theirs
        happens after it yet), preferring who wants this kind of step, branch and function.

        `prefer_referred`: a sign-up moves a candidate in conversation on to referred; the demo
        prefers those referred already, so that every coordinator still has people in conversation.
        """
        open_now = Candidate.objects.filter(
            pk__in=list(self.people),
            region_id=region_id,
            status__in=(Status.IN_CONVERSATION, Status.REFERRED),
        ).values_list("pk", "status")
        excluded = set(exclude) | self.placed
        latest = moment - timedelta(hours=1)
        free = [
            (self.people[pk], status)
            for pk, status in open_now
            if pk not in excluded and self.busy.get(pk, moment) < latest
        ]
        if not free:
            return None
        step, functions = NEXT_STEP_OF_KIND[kind], set(functions)

        def score(item: tuple[_Person, str]) -> tuple[int, str]:
            person, status = item
            points = 3 * (step in person.next_steps) + 2 * (branch in person.branches)
            points += bool(functions & person.functions) + 3 * (prefer_referred and status == Status.REFERRED)
            return (-points, person.details["email"])

        free.sort(key=score)
        return self.rng.choice(free[:4])[0]

    def _reserve(self, person: _Person, until: datetime) -> None:
        """Nothing else happens to the person before `until`, so their timeline reads in order."""
        self.busy[person.pk] = max(self.busy.get(person.pk, until), until)

    def _coordinator(self, person: _Person) -> User:
        region = next(slug for slug, region in self.regions.items() if region.pk == person.region_id)
        coordinators = self.coordinators[region]
        return next((user for user in coordinators if user.pk == person.assigned_to_id), coordinators[0])

    # Sign-ups for activities

    def _activity(self, plan: OfferPlan, offer: Offer) -> None:
        """People sign up for a public activity, some cancel, and afterwards the employer records who came."""
        starts_at, ends_at = plan.dates["starts_at"], plan.dates["ends_at"]
        deadline = plan.dates.get("signup_deadline") or starts_at
        window_end = min(starts_at - timedelta(hours=1), deadline - timedelta(minutes=10), self.soon)
        signups = self._between(plan.published_at + timedelta(hours=1), window_end, plan.signups)
        if not signups:
            return
        cancels = self._between(signups[-1] + timedelta(minutes=5), window_end, plan.cancellations)
        attendance = None
        login = self.logins.get(offer.organisation_id)
        if login is not None and ends_at + timedelta(hours=2) < self.soon:
            attendance = min(ends_at + timedelta(hours=self.rng.randint(2, 30)), self.soon)

        def run() -> None:
            region_id = offer.location.region_id
            tokens: dict[int, str] = {}
            people: dict[int, _Person] = {}  # registration pk → who
            for moment in signups:
                person = self._pick(
                    region_id,
                    moment,
                    kind=offer.kind,
                    branch=plan.branch,
                    functions=plan.functions,
                    exclude=[person.pk for person in people.values()],
                    prefer_referred=True,
                )
                if person is None:
                    continue
                self._reserve(person, moment)
                consents = {
                    ConsentPurpose.CONTACT: True,
                    ConsentPurpose.SHARE_WITH_EMPLOYERS: person.shares,
                    ConsentPurpose.CAMPAIGN_NEWS: None,
                }
                result = registration_signup(
                    offer_id=offer.pk, details=person.details, consents=consents, site_url=self.site_url, now=moment
                )
                tokens[result.registration.pk] = self._cancel_token(person.details["email"])
                people[result.registration.pk] = person
                self._stamp(moment)
            for moment in cancels:
                confirmed = sorted(
                    offer.registrations.filter(status=Registration.Status.CONFIRMED).values_list("pk", flat=True)
                )
                if confirmed:
                    cancelled = self.rng.choice(confirmed)
                    result = registration_cancel(token=tokens[cancelled], site_url=self.site_url, now=moment)
                    self._stamp(moment)
                    # Whoever cancelled, or got the freed place, has a step at this moment.
                    for registration in [result.registration, *result.promoted]:
                        self._reserve(people[registration.pk], moment)
            if attendance is not None:
                for registration in offer.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
                    "offer"
                ):
                    attended = self.rng.random() < 0.8
                    registration_record_attendance(
                        registration=registration, attended=attended, actor=login, now=attendance
                    )
                    self._stamp(attendance)
                    self._reserve(people[registration.pk], attendance)

        self.scenarios.append(_Scenario(signups[0], len(self.scenarios), run))

    def _cancel_token(self, email: str) -> str:
        """The cancel link's token, as the person finds it in the e-mail just queued (only its hash is stored)."""
        prefix, _token, suffix = reverse("werkgevers:registration_cancel", args=["TOKEN"]).partition("TOKEN")
        mail = OutboxMail.objects.filter(to=email, created_at__gte=self.started, sent_at__isnull=True).latest("pk")
        match = re.search(re.escape(prefix) + r"([A-Za-z0-9_\-]+)" + re.escape(suffix), mail.body_text)
        if match is None:
            raise ValueError("The sign-up e-mail has no cancel link.")
        return match.group(1)

    # Introductions

    def _introductions(self) -> None:
        cutoff = first_contact_cutoff(self.now, 5)  # "waiting long" after five working days
        for slug, outcomes in INTRODUCTIONS.items():
            for outcome, count in outcomes.items():
                for _number in range(count):
                    moments = self._introduction_moments(outcome, cutoff)
                    self._introduction(slug, outcome, moments)
        for slug, count in THIS_WEEK.items():
            self._this_week(slug, count)

    def _introduction_moments(self, outcome: str, cutoff: datetime) -> list[datetime]:
        rng, at = self.rng, self._at
        if outcome == "proposed_old":
            days_before_cutoff = (self.now - cutoff).days + rng.randint(2, 14)
            return [at(days_before_cutoff)]
        if outcome == "proposed":
            return [min(self.now - timedelta(hours=rng.randint(2, 70)), self.soon)]
        first = {
            "invited": (5, 25),
            "not_suitable": (8, 35),
            "withdrawn": (6, 30),
            "started": (18, 40),
            "started_elsewhere": (16, 35),
            "not_started": (15, 35),
        }[outcome]
        moments = [at(rng.randint(*first))]
        steps = {
            "invited": ((1, 4),),
            "not_suitable": ((1, 5),),
            "withdrawn": ((2, 5),),
            "started": ((2, 5), (5, 14)),
            "started_elsewhere": ((1, 2), (1, 3), (4, 10)),
            "not_started": ((2, 5), (4, 10)),
        }[outcome]
        for low, high in steps:
            moments.append(self._office_after(moments[-1], days=rng.randint(low, high)))
        return moments

    def _office_after(self, moment: datetime, *, days: int) -> datetime:
        """An office moment on a working day `days` or more days after `moment`, never later than `soon`."""
        day = _working_day(timezone.localdate(moment) + timedelta(days=days))
        minute = self.rng.randrange(9 * 60, 17 * 60)
        later = _aware(day, minute // 60, minute % 60)
        if later < moment + timedelta(minutes=30):
            later = _aware(_working_day(day + timedelta(days=1)), minute // 60, minute % 60)
        return min(later, self.soon)

    def _intro_offers(self, slug: str, moment: datetime, *, needs_login: bool) -> list[Offer]:
        """Published offers of the region that coordinators introduce candidates to, open at `moment`."""
        offers = Offer.objects.filter(
            organisation__kvk_number__in=[plan.kvk_number for plan in self.plans],
            location__region=self.regions[slug],
            status=Offer.Status.PUBLISHED,
            published_at__lt=moment - timedelta(hours=12),
            max_introductions_per_week__isnull=True,
        ).select_related("organisation", "branch")
        suitable = []
        for offer in offers.order_by("pk"):
            plan = self.offer_plans.get(offer.pk)
            if plan is None or plan.closed_at:  # no introductions to what the employer is going to close
                continue
            if offer.kind in DATED_KINDS and (
                offer.visibility == Offer.Visibility.PUBLIC or offer.starts_at <= self.now
            ):
                continue
            if offer.valid_until and offer.valid_until < self.today:
                continue
            if needs_login and offer.organisation_id not in self.logins:
                continue
            suitable.append(offer)
        return suitable

    def _choose_offer(self, offers: list[Offer]) -> Offer | None:
        if not offers:
            return None
        weights = [1 / (1 + self.offer_uses[offer.pk]) for offer in offers]
        offer = self.rng.choices(offers, weights=weights)[0]
        self.offer_uses[offer.pk] += 1
        return offer

    def _introduction(self, slug: str, outcome: str, moments: list[datetime]) -> None:
        def run() -> None:
            needs_login = outcome not in ("proposed", "proposed_old", "withdrawn")
            offer = self._choose_offer(self._intro_offers(slug, moments[0], needs_login=needs_login))
            if offer is None:
                return
            person = self._pick(
                offer.location.region_id,
                moments[0],
                kind=offer.kind,
                branch=offer.branch.slug,
                functions=self.offer_plans[offer.pk].functions,
            )
            if person is None:
                return
            # Introductions still open stay so: nothing else happens to the person afterwards.
            self._reserve(person, self.now if outcome in ("proposed", "proposed_old", "invited") else moments[-1])
            coordinator = self._coordinator(person)
            introduction = self._introduce(person, offer, coordinator, moments[0])
            employer = self.logins.get(offer.organisation_id)
            if outcome == "started_elsewhere":
                others = [
                    other
                    for other in self._intro_offers(slug, moments[1], needs_login=False)
                    if other.organisation_id != offer.organisation_id
                ]
                if other := self._choose_offer(others):
                    self._introduce(person, other, coordinator, moments[1])
                moments.pop(1)
            if outcome == "withdrawn":
                reason = self.rng.choice(WITHDRAW_REASONS)
                introduction_withdraw(
                    introduction=introduction, reason=reason, actor=coordinator, site_url=self.site_url
                )
                self._stamp(moments[1])
            elif outcome == "not_suitable":
                reason = self.rng.choice(NOT_SUITABLE_REASONS)
                introduction_answer(
                    introduction=introduction, invite=False, reason=reason, actor=employer, site_url=self.site_url
                )
                self._stamp(moments[1])
            elif outcome in ("invited", "started", "started_elsewhere", "not_started"):
                introduction_answer(
                    introduction=introduction, invite=True, reason="", actor=employer, site_url=self.site_url
                )
                self._stamp(moments[1])
            if outcome in ("started", "started_elsewhere"):
                introduction_outcome(
                    introduction=introduction, started=True, reason="", actor=employer, site_url=self.site_url
                )
                self._stamp(moments[2])
            elif outcome == "not_started":
                reason = self.rng.choice(NOT_STARTED_REASONS)
                introduction_outcome(
                    introduction=introduction, started=False, reason=reason, actor=employer, site_url=self.site_url
                )
                self._stamp(moments[2])

        self.scenarios.append(_Scenario(moments[0], len(self.scenarios), run))

    def _introduce(self, person: _Person, offer: Offer, coordinator: User, moment: datetime) -> Introduction:
        plan = self.offer_plans[offer.pk]
        note = self.rng.choice(INTRODUCTION_NOTES).format(
            name=person.first_name, function=FUNCTION_WORDS[plan.functions[0]], hours=person.hours or 24
        )
        introduction = introduction_create(
            candidate=Candidate.objects.get(pk=person.pk),
            offer=offer,
            note=note,
            actor=coordinator,
            site_url=self.site_url,
        )
        self._stamp(moment)
        return introduction

    def _this_week(self, slug: str, count: int) -> None:
        """Introductions this week to the offer with a weekly maximum of two (see EmployerPlanner._slots)."""
        monday = week_start(self.now)
        if self.soon - monday > timedelta(hours=1):
            moments = self._between(monday + timedelta(minutes=30), self.soon, count)
        else:  # early on Monday: they were made last week, and this week's are still to come
            moments = self._between(monday - timedelta(days=3), monday - timedelta(hours=1), count)
        if not moments:
            return

        def run() -> None:
            offers = [
                offer
                for offer, plan in ((offer, self.offer_plans.get(offer.pk)) for offer in self._capped(slug))
                if plan is not None and plan.published_at < moments[0] - timedelta(hours=12)
            ]
            if not offers:
                return
            offer = offers[0]
            chosen: list[int] = []
            for moment in moments:
                person = self._pick(
                    offer.location.region_id, moment, kind=offer.kind, branch=offer.branch.slug, exclude=chosen
                )
                if person is None:
                    continue
                chosen.append(person.pk)
                self._reserve(person, self.now)
                self._introduce(person, offer, self._coordinator(person), moment)

        self.scenarios.append(_Scenario(moments[0], len(self.scenarios), run))

    def _capped(self, slug: str) -> list[Offer]:
        return list(
            Offer.objects.filter(
                organisation__kvk_number__in=[plan.kvk_number for plan in self.plans],
                location__region=self.regions[slug],
                status=Offer.Status.PUBLISHED,
                max_introductions_per_week=2,
                visibility=Offer.Visibility.COORDINATORS,
            )
            .exclude(kind__in=DATED_KINDS)
            .select_related("branch", "location")
            .order_by("pk")
        )

    # BBL classes

    def _cohort(self, spec: CohortSpec) -> None:
        if Cohort.objects.filter(name=spec.name).exists():
            return
        region = self.regions[spec.region]
        coordinator = self.coordinators[spec.region][0]
        created = self._at(self.rng.randint(80, 100))
        cohort = cohort_create(
            details={
                "name": spec.name,
                "school": spec.school,
                "function": self.functions[spec.function],
                "education_level": spec.education_level,
                "region": region,
                "start_date": _monday_after(self.today + timedelta(days=spec.starts_in_days)),
                "duration_weeks": spec.duration_weeks,
                "min_size": 16,
                "max_size": 18,
            },
            actor=coordinator,
        )
        Cohort.objects.filter(pk=cohort.pk).update(created_at=created)
        pledges = []
        for organisation_index, places in spec.pledges:
            organisation = self.organisations[organisation_index]
            # Employers with an account pledge in the portal; for the others the coordinator notes
            # the places agreed on the phone.
            actor = self.logins.get(organisation.pk) or coordinator
            pledge = cohort_pledge(cohort=cohort, organisation=organisation, places=places, actor=actor)
            self._stamp(created + timedelta(days=self.rng.randint(3, 20), hours=self.rng.randint(0, 6)))
            pledges.append(pledge)
        moments = self._between(
            self.now - timedelta(days=spec.placed_within_days), self.soon - timedelta(days=2), spec.placements
        )
        for moment in (self._office_after(moment, days=0) for moment in moments):
            self.scenarios.append(
                _Scenario(moment, len(self.scenarios), lambda moment=moment: self._place(cohort, pledges, moment))
            )

    def _place(self, cohort: Cohort, pledges: list[CohortPledge], moment: datetime) -> None:
        filled = Counter(CohortPlacement.objects.filter(cohort=cohort).values_list("pledge_id", flat=True))
        free = [pledge for pledge in pledges if filled[pledge.pk] < pledge.places]
        if not free:
            return
        pledge = max(free, key=lambda pledge: (pledge.places - filled[pledge.pk], -pledge.pk))
        person = None
        while person is None and moment < self.soon:  # nobody free yet: the coordinator places someone later
            person = self._pick(
                cohort.region_id, moment, kind=OfferKind.BBL_PLEK, branch="vvt", functions=[cohort.function.slug]
            )
            if person is None:
                moment = self._office_after(moment, days=2)
        if person is None:
            return
        self.placed.add(person.pk)
        self._reserve(person, self.now)
        cohort_place(
            cohort=cohort, pledge=pledge, candidate=Candidate.objects.get(pk=person.pk), actor=self._coordinator(person)
        )
        self._stamp(moment)

    # Afterwards

    def _close_and_expire(self) -> None:
        """The periodic job expires what is over; employers closed what they planned to close."""
        expire_offers()
        for plan, offer in self.created:
            if plan.closed_at:
                offer_close(offer=offer, actor=self.logins.get(offer.organisation_id) or self.users[ADMINISTRATOR[0]])

    def _date_updates(self) -> None:
        """The last change of each new offer and of each candidate touched, at its moment in the demo."""
        for plan, offer in self.created:
            if plan.closed_at:
                changed = plan.closed_at
            elif plan.status == Offer.Status.EXPIRED:
                changed = plan.dates.get("starts_at") or _aware(plan.dates["valid_until"] + timedelta(days=1), 0, 15)
            else:
                changed = plan.published_at or plan.created_at
            Offer.objects.filter(pk=offer.pk).update(updated_at=changed)
        last_event = TimelineEvent.objects.filter(candidate=OuterRef("pk")).order_by("-created_at").values("created_at")
        Candidate.objects.filter(updated_at__gte=self.started).update(updated_at=Subquery(last_event[:1]))


def build_employers(
    *,
    regions: dict[str, Region],
    users: Iterable[User],
    candidate_emails: list[str],
    started: datetime,
    now: datetime,
    site_url: str,
) -> EmployerResult:
    """The employer side of the demo; call it inside the demo's transaction, after the candidates."""
    plans = EmployerPlanner(now).plan()
    builder = EmployerBuilder(
        plans=plans,
        regions=regions,
        users=users,
        candidate_emails=candidate_emails,
        started=started,
        now=now,
        site_url=site_url,
    )
    return builder.build()
