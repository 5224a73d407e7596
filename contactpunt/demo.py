"""Fictional Dutch demo data: three contact points, their users and 300 candidates with a history.

Nothing here is about real people: names come from Faker (nl_NL) with a fixed seed, candidate
e-mail addresses are at example.org/.com/.net (reserved domains that receive no mail), users are
at contactpunt.example. The candidates are built through the real services (sign-up, assignment,
contact moments, status changes), so the demo exercises the code the portal runs; afterwards their
timestamps are moved back so the history is spread over the last four months.

Running it again changes nothing: regions, ranges and users are looked up before they are created,
and a candidate whose e-mail address is already there is skipped.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from base64 import b32decode
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from faker import Faker

from cijfers import summaries
from kandidaten import bulk_matching, matching, milestones
from kandidaten.models import (
    Candidate,
    Channel,
    ConsentPurpose,
    ContactMoment,
    Situation,
    Source,
    Status,
    StopReason,
    TimelineEvent,
)
from kandidaten.services import (
    SignupChannel,
    candidate_assign,
    candidate_change_status,
    candidate_register,
    contact_moment_log,
    follow_up_signup,
)

from .geodata import ImportResult, import_geodata
from .models import (
    Branch,
    EducationLevel,
    Function,
    LabourMarketRegion,
    NextStep,
    OutboxMail,
    Region,
    RegionPostcodeRange,
    TargetGroup,
    User,
)
from .phones import normalize_phone
from .workdays import first_contact_cutoff, is_working_day

if TYPE_CHECKING:
    from campagne.demo import CampaignResult
    from werkgevers.demo import EmployerResult

DEMO_PASSWORD = "zorg-en-welzijn-demo"  # noqa: S105 - printed for everyone; demo accounts only
# The authenticator-app key of every demo coordinator and the demo administrator (two-step
# verification is required for them): printed by `manage.py demo` and in the README, so one entry
# in an app serves all demo accounts; `manage.py demo_code` prints the current code instead.
DEMO_TOTP_SECRET = "CONTACTPUNTDEMOZORGENWELZIJNABCD"  # noqa: S105 - public, demo accounts only
SEED = 2026
CANDIDATE_EMAIL_DOMAINS = ("example.org", "example.com", "example.net")


@dataclass(frozen=True)
class DemoRegion:
    slug: str
    name: str
    email: str
    phone: str
    labour_market_regions: tuple[str, ...]
    # PC4 ranges covering the region, so routing works before the reference data is imported.
    postcode_ranges: tuple[tuple[str, str], ...]
    # Real PC4s of the region (with their first place name) for the demo candidates.
    postcodes: tuple[tuple[str, str], ...]
    candidates: int
    coordinators: tuple[tuple[str, str, str], ...]  # (e-mail, first name, last name)


# Real PC4s of each region (with their first place name), taken from the same file, for the demo
# candidates' postcodes: evenly spread over the region plus the main towns.
# fmt: off
_NOORD_NEDERLAND_POSTCODES = (
        ("7705", "Drogteropslagen"),
        ("7811", "Emmen"),
        ("7824", "Emmen"),
        ("7827", "Emmen"),
        ("7871", "Klijndijk"),
        ("7909", "Hoogeveen"),
        ("7938", "Nieuw-Balinge"),
        ("8411", "Jubbega"),
        ("8441", "Heerenveen"),
        ("8447", "Heerenveen"),
        ("8475", "Nijeholtpade"),
        ("8507", "Rohel"),
        ("8538", "Bantega"),
        ("8602", "Sneek"),
        ("8631", "Loënga"),
        ("8734", "Easterein"),
        ("8763", "Parrega"),
        ("8822", "Arum"),
        ("8882", "Hee"),
        ("8911", "Leeuwarden"),
        ("8912", "Leeuwarden"),
        ("8916", "Leeuwarden"),
        ("8924", "Leeuwarden"),
        ("9013", "Poppenwier"),
        ("9054", "Hijum"),
        ("9087", "Swichum"),
        ("9133", "Eanjum"),
        ("9166", "Schiermonnikoog"),
        ("9201", "Drachten"),
        ("9219", "De Tike"),
        ("9265", "Suwâld"),
        ("9306", "Alteveer"),
        ("9363", "Marum"),
        ("9401", "Assen"),
        ("9402", "Assen"),
        ("9431", "Westerbork"),
        ("9456", "Eleveld"),
        ("9486", "Rhee"),
        ("9501", "Stadskanaal"),
        ("9528", "Buinen"),
        ("9605", "Kiel-Windeweer"),
        ("9633", "Tripscompagnie"),
        ("9675", "Winschoten"),
        ("9711", "Groningen"),
        ("9712", "Groningen"),
        ("9713", "Groningen"),
        ("9717", "Groningen"),
        ("9722", "Groningen"),
        ("9747", "Groningen"),
        ("9801", "Zuidhorn"),
        ("9863", "Doezum"),
        ("9909", "Spijk"),
        ("9945", "Wagenborgen"),
        ("9974", "Zoutkamp"),
)

_FLEVOLAND_POSTCODES = (
        ("1309", "Almere"),
        ("1312", "Almere"),
        ("1314", "Almere"),
        ("1315", "Almere"),
        ("1318", "Almere"),
        ("1324", "Almere"),
        ("1325", "Almere"),
        ("1328", "Almere"),
        ("1333", "Almere"),
        ("1339", "Almere"),
        ("1341", "Almere"),
        ("1351", "Almere"),
        ("1355", "Almere"),
        ("1361", "Almere"),
        ("8211", "Lelystad"),
        ("8221", "Lelystad"),
        ("8226", "Lelystad"),
        ("8232", "Lelystad"),
        ("8233", "Lelystad"),
        ("8239", "Lelystad"),
        ("8244", "Lelystad"),
        ("8251", "Dronten"),
        ("8254", "Dronten"),
        ("8302", "Emmeloord"),
        ("8303", "Emmeloord"),
        ("8307", "Ens"),
        ("8313", "Rutten"),
        ("8317", "Kraggenburg"),
)

_UTRECHT_POSTCODES = (
        ("1211", "Hilversum"),
        ("1215", "Hilversum"),
        ("1216", "Hilversum"),
        ("1221", "Hilversum"),
        ("1231", "Loosdrecht"),
        ("1261", "Blaricum"),
        ("1275", "Huizen"),
        ("1399", "Muiderberg"),
        ("1405", "Bussum"),
        ("3403", "IJsselstein"),
        ("3404", "IJsselstein"),
        ("3415", "Polsbroek"),
        ("3431", "Nieuwegein"),
        ("3433", "Nieuwegein"),
        ("3439", "Nieuwegein"),
        ("3445", "Woerden"),
        ("3452", "Vleuten"),
        ("3467", "Hekendorp"),
        ("3511", "Utrecht"),
        ("3512", "Utrecht"),
        ("3513", "Utrecht"),
        ("3521", "Utrecht"),
        ("3524", "Utrecht"),
        ("3531", "Utrecht"),
        ("3532", "Utrecht"),
        ("3543", "Utrecht"),
        ("3553", "Utrecht"),
        ("3564", "Utrecht"),
        ("3581", "Utrecht"),
        ("3601", "Maarssen"),
        ("3607", "Maarssen"),
        ("3625", "Breukeleveen"),
        ("3634", "Loenersloot"),
        ("3701", "Zeist"),
        ("3705", "Zeist"),
        ("3711", "Austerlitz"),
        ("3732", "De Bilt"),
        ("3741", "Baarn"),
        ("3752", "Bunschoten-Spakenburg"),
        ("3764", "Soest"),
        ("3791", "Achterveld"),
        ("3811", "Amersfoort"),
        ("3813", "Amersfoort"),
        ("3816", "Amersfoort"),
        ("3818", "Amersfoort"),
        ("3823", "Amersfoort"),
        ("3831", "Leusden"),
        ("3861", "Nijkerk"),
        ("3931", "Woudenberg"),
        ("3956", "Leersum"),
        ("3972", "Maarn"),
        ("3993", "Houten"),
)
# fmt: on

# The ranges were derived once (a throw-away script) from ../shared/data/pc4_centroids_nl.csv: the
# PC4s whose main municipality (gemeente_code) lies in one of the region's arbeidsmarktregio's,
# sorted, and merged into one range as long as no PC4 of another area lies between them (unused
# numbers fall inside a range). Three codes were approximated to close a gap: 9417 (Spier) and 9423
# (Hoogersmilde) lie in both Midden-Drenthe (Drenthe) and Westerveld (Regio Zwolle) and count as
# Noord-Nederland here; 1234 is a GeoNames typo ("Lemiers") inside Utrecht's range. Every other PC4
# routes by these ranges exactly as by the reference data (contactpunt/tests/test_demo.py checks it).
REGIONS: tuple[DemoRegion, ...] = (
    DemoRegion(
        slug="noord-nederland",
        name="Noord-Nederland",
        email="noord-nederland@contactpunt.example",
        phone="050 211 4400",
        labour_market_regions=("AM01", "AM02", "AM03"),  # Groningen, Friesland, Drenthe
        postcode_ranges=(
            ("7705", "7705"),
            ("7741", "7766"),
            ("7811", "7938"),
            ("7957", "7964"),
            ("8388", "8435"),
            ("8441", "9999"),
        ),
        postcodes=_NOORD_NEDERLAND_POSTCODES,
        candidates=120,
        coordinators=(
            ("coordinator.noord1@contactpunt.example", "Anouk", "Wiersma"),
            ("coordinator.noord2@contactpunt.example", "Sander", "Bakker"),
        ),
    ),
    DemoRegion(
        slug="flevoland",
        name="Flevoland",
        email="flevoland@contactpunt.example",
        phone="036 521 0700",
        labour_market_regions=("AM11",),  # Flevoland
        postcode_ranges=(("1309", "1364"), ("8211", "8256"), ("8301", "8323")),
        postcodes=_FLEVOLAND_POSTCODES,
        candidates=62,
        coordinators=(
            ("coordinator.flevoland1@contactpunt.example", "Fatima", "El Idrissi"),
            ("coordinator.flevoland2@contactpunt.example", "Ruben", "de Graaf"),
        ),
    ),
    DemoRegion(
        slug="utrecht",
        name="Utrecht",
        email="utrecht@contactpunt.example",
        phone="030 293 1800",
        labour_market_regions=("AM13", "AM14", "AM12"),  # Midden-Utrecht, Amersfoort, Gooi en Vechtstreek
        postcode_ranges=(
            ("1211", "1277"),
            ("1393", "1394"),
            ("1398", "1412"),
            ("3401", "3464"),
            ("3467", "3634"),
            ("3651", "3651"),
            ("3701", "3769"),
            ("3791", "3791"),
            ("3811", "3836"),
            ("3861", "3871"),
            ("3931", "3985"),
            ("3991", "3999"),
        ),
        postcodes=_UTRECHT_POSTCODES,
        candidates=110,
        coordinators=(
            ("coordinator.utrecht1@contactpunt.example", "Eline", "Verbeek"),
            ("coordinator.utrecht2@contactpunt.example", "Daan", "Mulder"),
        ),
    ),
)

# Real PC4s outside the three regions: these sign-ups land in the national queue.
NATIONAL_QUEUE_POSTCODES: tuple[tuple[str, str], ...] = (
    ("1011", "Amsterdam"),
    ("2511", "'s-Gravenhage"),
    ("3011", "Rotterdam"),
    ("5611", "Eindhoven"),
    ("6211", "Maastricht"),
    ("6511", "Nijmegen"),
    ("7511", "Enschede"),
    ("8011", "Zwolle"),
)

ADMINISTRATOR = ("beheerder@contactpunt.example", "Marloes", "Jansen")
EMPLOYER_USER = ("werkgever@contactpunt.example", "Peter", "Hoekstra")
# Employer users, each of one demo organisation (werkgevers.demo.ORGANISATIONS links them), at least
# one per contact point. Their addresses are at .example domains, which receive no mail.
EMPLOYER_USERS: tuple[tuple[str, str, str], ...] = (
    EMPLOYER_USER,
    ("werkgever.noord1@zorg.example", "Jorien", "Dijkstra"),
    ("werkgever.noord2@zorg.example", "Bart", "Veenstra"),
    ("werkgever.flevoland1@zorg.example", "Samira", "Benali"),
    ("werkgever.flevoland2@zorg.example", "Kees", "Visser"),
    ("werkgever.utrecht1@zorg.example", "Lotte", "van Dam"),
    ("werkgever.utrecht2@zorg.example", "Yusuf", "Demir"),
)

CANDIDATE_COUNT = sum(region.candidates for region in REGIONS) + len(NATIONAL_QUEUE_POSTCODES)

# Share of each status among a region's candidates (nieuw, in gesprek, doorverwezen, gestart, gestopt).
STATUS_SHARES: tuple[tuple[str, float], ...] = (
    (Status.NEW, 0.22),
    (Status.IN_CONVERSATION, 0.26),
    (Status.REFERRED, 0.22),
    (Status.STARTED, 0.15),
    (Status.STOPPED, 0.15),
)


@dataclass(frozen=True)
class Profile:
    """What people in one situation typically bring and want."""

    weight: int
    education: tuple[int, ...]
    target_groups: tuple[str, ...]
    branches: tuple[str, ...]
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]
    hours: tuple[int, int]
    diplomas: tuple[tuple[str, bool], ...]  # (diploma, obtained abroad)
    story: tuple[str, ...]  # one sentence for the first conversation's summary


PROFILES: dict[str, Profile] = {
    Situation.PUPIL: Profile(
        weight=8,
        education=(EducationLevel.NONE, EducationLevel.VMBO),
        target_groups=("scholier", "praktijkonderwijs-vso"),
        branches=("vvt", "gehandicaptenzorg", "kinderopvang", "ziekenhuis"),
        next_steps=("meeloopdag", "open-huis", "opleiding", "bbl"),
        sources=(Source.SCHOOL, Source.SCHOOL, Source.SOCIAL_MEDIA, Source.CAMPAIGN),
        hours=(4, 12),
        diplomas=(("", False), ("", False), ("Examenjaar vmbo zorg en welzijn", False)),
        story=(
            "Zit in het examenjaar van het vmbo en twijfelt tussen Helpende en een opleiding tot VIG.",
            "Doet praktijkonderwijs en heeft stage gelopen in een verpleeghuis; dat beviel goed.",
        ),
    ),
    Situation.STUDENT: Profile(
        weight=10,
        education=(EducationLevel.MBO2, EducationLevel.HAVO_VWO, EducationLevel.MBO3),
        target_groups=(),
        branches=("ziekenhuis", "ggz", "jeugdzorg", "vvt", "huisartsenzorg"),
        next_steps=("bbl", "vacature", "opleiding", "speeddate"),
        sources=(Source.SOCIAL_MEDIA, Source.SCHOOL, Source.CAMPAIGN),
        hours=(8, 24),
        diplomas=(("havo", False), ("mbo 2 Helpende Zorg en Welzijn", False), ("Propedeuse hbo-v", False)),
        story=(
            "Studeert en zoekt een bijbaan in de zorg die later kan overgaan in werken en leren.",
            "Is gestopt met een hbo-studie en wil liever leren in de praktijk.",
        ),
    ),
    Situation.JOB_SEEKER: Profile(
        weight=20,
        education=(EducationLevel.NONE, EducationLevel.VMBO, EducationLevel.MBO1, EducationLevel.MBO2),
        target_groups=("uitkering", "statushouder", "buitenlands-diploma", "aangepaste-werkplek"),
        branches=("vvt", "thuiszorg", "gehandicaptenzorg", "welzijn"),
        next_steps=("informatiebijeenkomst", "bbl", "speeddate", "vacature", "meeloopdag"),
        sources=(Source.UWV_MUNICIPALITY, Source.UWV_MUNICIPALITY, Source.CAMPAIGN, Source.WELCOME_PANEL),
        hours=(16, 36),
        diplomas=(
            ("", False),
            ("mbo 1 Entree", False),
            ("Verpleegkunde (Syrië, 2014)", True),
            ("Diploma verzorgende (Polen)", True),
        ),
        story=(
            "Zoekt werk via het UWV en heeft als mantelzorger voor een ouder gezorgd.",
            "Is statushouder, spreekt goed Nederlands (B1) en werkte in Syrië als verpleegkundige.",
            "Heeft een bijstandsuitkering en wil graag met een BBL-traject een diploma halen.",
        ),
    ),
    Situation.WORKING_OUTSIDE_CARE: Profile(
        weight=30,
        education=(
            EducationLevel.VMBO,
            EducationLevel.MBO2,
            EducationLevel.MBO3,
            EducationLevel.MBO4,
            EducationLevel.HBO,
        ),
        target_groups=("zij-instromer",),
        branches=("vvt", "gehandicaptenzorg", "ggz", "ziekenhuis", "jeugdzorg", "thuiszorg", "welzijn"),
        next_steps=("meeloopdag", "informatiebijeenkomst", "bbl", "opleiding", "sterk-in-je-werk"),
        sources=(Source.CAMPAIGN, Source.CAMPAIGN, Source.SOCIAL_MEDIA, Source.WELCOME_PANEL, Source.ACQUAINTANCE),
        hours=(16, 36),
        diplomas=(
            ("mbo 4 Retail", False),
            ("mbo 3 Logistiek", False),
            ("hbo Communicatie", False),
            ("mbo 2 Horeca", False),
            ("vmbo kader", False),
        ),
        story=(
            "Werkt nu in de detailhandel en zoekt werk met meer betekenis.",
            "Is chauffeur en wil na twintig jaar iets anders; denkt aan de gehandicaptenzorg.",
            "Werkt op kantoor en heeft via de campagne gezien dat zij-instromen met behoud van salaris kan.",
            "Werkt in de horeca en wil vaste uren in de thuiszorg.",
        ),
    ),
    Situation.WORKING_IN_CARE: Profile(
        weight=8,
        education=(EducationLevel.MBO2, EducationLevel.MBO3, EducationLevel.MBO4),
        target_groups=(),
        branches=("ggz", "ziekenhuis", "vvt", "jeugdzorg"),
        next_steps=("sterk-in-je-werk", "opleiding", "vacature"),
        sources=(Source.EMPLOYER, Source.CAMPAIGN, Source.SOCIAL_MEDIA),
        hours=(24, 36),
        diplomas=(
            ("mbo 3 VIG", False),
            ("mbo 2 Helpende Zorg en Welzijn", False),
            ("mbo 4 Persoonlijk begeleider", False),
        ),
        story=(
            "Werkt als helpende in de ouderenzorg en wil doorgroeien naar VIG.",
            "Werkt als VIG en denkt aan een overstap naar de ggz.",
        ),
    ),
    Situation.RETURNER: Profile(
        weight=10,
        education=(EducationLevel.MBO3, EducationLevel.MBO4, EducationLevel.HBO),
        target_groups=("herintreder", "buitenlands-diploma"),
        branches=("vvt", "ziekenhuis", "thuiszorg", "huisartsenzorg"),
        next_steps=("opleiding", "vacature", "sterk-in-je-werk", "meeloopdag"),
        sources=(Source.CAMPAIGN, Source.WELCOME_PANEL, Source.ACQUAINTANCE),
        hours=(16, 32),
        diplomas=(
            ("Ziekenverzorgende (1994)", False),
            ("Verpleegkundige A (1999)", False),
            ("MDGO-VZ (2001)", False),
            ("Verpleegkunde (Suriname, 2008)", True),
        ),
        story=(
            "Werkte tot tien jaar geleden als verpleegkundige en wil terugkomen; BIG-registratie is verlopen.",
            "Heeft jaren voor de kinderen gezorgd en wil weer aan het werk als verzorgende.",
        ),
    ),
    Situation.RETIRED: Profile(
        weight=7,
        education=(EducationLevel.MBO3, EducationLevel.MBO4, EducationLevel.HBO, EducationLevel.VMBO),
        target_groups=("oudere-werkzoekende",),
        branches=("welzijn", "vvt", "gehandicaptenzorg"),
        next_steps=("informatiebijeenkomst", "meeloopdag", "vacature"),
        sources=(Source.CAMPAIGN, Source.ACQUAINTANCE, Source.OTHER),
        hours=(8, 16),
        diplomas=(("Verpleegkundige A (1982)", False), ("mbo Administratie", False), ("hbo Pedagogiek", False)),
        story=(
            "Is met pensioen en wil een paar ochtenden per week iets betekenen voor ouderen.",
            "Was docent en zoekt nu werk als welzijnsassistent bij een buurthuis.",
        ),
    ),
    Situation.OTHER: Profile(
        weight=7,
        education=(EducationLevel.VMBO, EducationLevel.MBO2, EducationLevel.HAVO_VWO),
        target_groups=("aangepaste-werkplek",),
        branches=("welzijn", "kinderopvang", "vvt"),
        next_steps=("informatiebijeenkomst", "sterk-in-je-werk", "meeloopdag"),
        sources=(Source.OTHER, Source.SOCIAL_MEDIA, Source.UWV_MUNICIPALITY),
        hours=(8, 24),
        diplomas=(("", False), ("vmbo basis", False)),
        story=(
            "Doet vrijwilligerswerk bij de voedselbank en wil kijken of betaald werk in het sociaal werk past.",
            "Is mantelzorger en wil weten welke zorgbaan te combineren is met de zorg thuis.",
        ),
    ),
}

FUNCTIONS_BY_BRANCH: dict[str, tuple[str, ...]] = {
    "vvt": ("helpende", "vig", "verpleegkundige-mbo", "zorgassistent"),
    "gehandicaptenzorg": ("begeleider", "mz"),
    "ggz": ("begeleider", "verpleegkundige-hbo", "sociaal-werker"),
    "ziekenhuis": ("verpleegkundige-mbo", "verpleegkundige-hbo", "zorgassistent", "ondersteunend"),
    "jeugdzorg": ("pedagogisch-medewerker", "sociaal-werker"),
    "kinderopvang": ("pedagogisch-medewerker",),
    "welzijn": ("welzijnsassistent", "sociaal-werker"),
    "thuiszorg": ("vig", "woonhulp", "helpende"),
    "huisartsenzorg": ("doktersassistent",),
}

BRANCH_WORDS = {
    "vvt": "de ouderenzorg",
    "gehandicaptenzorg": "de gehandicaptenzorg",
    "ggz": "de ggz",
    "ziekenhuis": "het ziekenhuis",
    "jeugdzorg": "de jeugdzorg",
    "kinderopvang": "de kinderopvang",
    "welzijn": "het sociaal werk",
    "thuiszorg": "de thuiszorg",
    "huisartsenzorg": "een huisartsenpraktijk",
}

STEP_WORDS = {
    "meeloopdag": "een meeloopdag",
    "open-huis": "een open huis",
    "speeddate": "een speeddate met werkgevers",
    "informatiebijeenkomst": "een informatiebijeenkomst",
    "bbl": "een BBL-plek (werken en leren)",
    "opleiding": "een opleiding",
    "vacature": "een passende vacature",
    "sterk-in-je-werk": "een loopbaangesprek (Sterk in je Werk)",
}

ABILITIES = (
    "Zorgzaam en geduldig; heeft jaren voor een familielid gezorgd.",
    "Veel ervaring met klantcontact; blijft rustig als het druk is.",
    "Goed in plannen en organiseren.",
    "Spreekt Nederlands, Engels en Arabisch.",
    "Rijbewijs B en een eigen auto; kan ook in de avond en het weekend.",
    "Vrijwilliger bij de voedselbank en de sportclub.",
    "Praktisch ingesteld, leert het liefst door te doen.",
    "Heeft een EHBO-diploma en ervaring met kinderen.",
)

WISHES = (
    "Werken met ouderen, liefst dicht bij huis.",
    "Een opleiding met salaris (BBL).",
    "Parttime werken, onder schooltijd.",
    "Eerst een dag meelopen om te zien of het past.",
    "Een vaste baan met vaste uren.",
    "Met jongeren werken.",
    "Doorgroeien naar een hoger niveau.",
)

FOLLOW_UPS = (
    "Nagebeld na {step}: {name} was enthousiast en wil verder.",
    "Mail gestuurd met de data van {step}; {name} heeft zich aangemeld.",
    "Kort contact via WhatsApp: {name} heeft nog vragen over het salaris tijdens de opleiding.",
    "Tweede gesprek: samen de opleidingsroutes naar VIG en verpleegkundige doorgenomen.",
    "Terugbelafspraak nagekomen; cv besproken en aangescherpt.",
)

SUPPORT_NEEDS = (
    "Ik kan alleen onder schooltijd werken.",
    "Ik spreek nog niet vloeiend Nederlands.",
    "Ik heb geen rijbewijs en reis met het openbaar vervoer.",
    "Ik wil graag wat extra uitleg bij formulieren.",
)

MESSAGES = (
    "Ik wil graag weten of ik met mijn diploma in de zorg kan werken.",
    "Kan ik eerst een dag meelopen voordat ik kies?",
    "Ik zag de campagne van Ik Zorg en werd nieuwsgierig.",
    "Ik heb voor mijn moeder gezorgd en merkte dat ik dit graag doe.",
    "Is werken en leren ook mogelijk als je ouder bent dan 40?",
    "Ik zoek werk voor ongeveer 24 uur per week.",
    "Mijn BIG-registratie is verlopen. Wat zijn de mogelijkheden?",
)

STOP_NOTES = {
    StopReason.NOT_REACHABLE: "Drie keer gebeld en een mail gestuurd, geen reactie.",
    StopReason.NO_LONGER_INTERESTED: "Heeft na de meeloopdag besloten dat de zorg toch niet past.",
    StopReason.FOUND_WORK_ELSEWHERE: "Heeft een baan buiten de zorg gevonden.",
    StopReason.NOT_SUITABLE: "Samen geconcludeerd dat het werk fysiek te zwaar is.",
    StopReason.CIRCUMSTANCES: "Stopt voorlopig vanwege de zorg voor een familielid; mag later terugkomen.",
    StopReason.MOVED: "Verhuist naar het buitenland.",
    StopReason.OTHER: "Wil eerst een andere opleiding afmaken.",
}

CHANNELS = (Channel.PHONE,) * 6 + (Channel.VIDEO, Channel.IN_PERSON, Channel.EMAIL, Channel.CHAT)


@dataclass(frozen=True)
class Step:
    """One thing a coordinator does, at a moment in the past."""

    at: datetime
    kind: str  # "assign", "contact" or "status"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class CandidatePlan:
    region: str | None  # slug, or None for the national queue
    details: dict[str, Any]  # reference lists as slugs
    consents: dict[str, bool]
    channel: str
    signed_up_at: datetime
    status: str
    coordinator: int | None  # index into the region's coordinators
    steps: list[Step]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    regions: str
    organisation: str = ""


@dataclass(frozen=True)
class DemoResult:
    geodata: ImportResult | None
    regions: int
    users: int
    candidates: int
    candidates_created: int
    logins: list[DemoLogin]
    employers: EmployerResult | None = None
    campaign: CampaignResult | None = None
    password: str = DEMO_PASSWORD
    totp_secret: str = DEMO_TOTP_SECRET


# ---------------------------------------------------------------------------------------------
# Planning: a deterministic list of fictional candidates (no database access).


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain)


def _office_moment(day: date, rng: random.Random, start: int = 9, end: int = 17) -> datetime:
    minute = rng.randrange(start * 60, end * 60)
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _working_day_after(moment: datetime, days: int) -> date:
    """The `days`-th working day after the day of `moment` (0: that day, when it is a working day)."""
    day = timezone.localdate(moment)
    if days == 0 and is_working_day(day):
        return day
    counted = 0
    while counted < max(days, 1):
        day += timedelta(days=1)
        counted += is_working_day(day)
    return day


def _later(moment: datetime, rng: random.Random, low: int, high: int) -> datetime:
    """An office-hours moment `low` to `high` working days after `moment`, and after it."""
    later = _office_moment(_working_day_after(moment, rng.randint(low, high)), rng)
    return max(later, moment + timedelta(minutes=30))


class Planner:
    """Writes the fictional candidates: the same seed gives the same people.

    Who they are (names, addresses, interests, status) comes from one random stream; when things
    happened comes from a stream per candidate, so a run on another day plans the same people.
    """

    def __init__(self, now: datetime, seed: int = SEED) -> None:
        self.now = now
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.stop_reasons = itertools.cycle(list(STOP_NOTES))  # "erased" is set by erasure, not chosen
        self.cutoff = first_contact_cutoff(now, settings.FIRST_CONTACT_WORKING_DAYS)

    def plan(self) -> list[CandidatePlan]:
        plans: list[CandidatePlan] = []
        for region in REGIONS:
            for status in self._statuses(region.candidates):
                plans.append(self._candidate(len(plans), region, status))
        for postcode in NATIONAL_QUEUE_POSTCODES:
            plans.append(self._candidate(len(plans), None, Status.NEW, postcode=postcode))
        new = [plan for plan in plans if plan.status == Status.NEW]
        for number, plan in enumerate(new):
            rng = random.Random(f"{self.seed}-{plans.index(plan)}")  # noqa: S311
            self._new_history(plan, recent=number % 2 == 0, rng=rng)
        return plans

    def _statuses(self, count: int) -> list[str]:
        statuses = [status for status, share in STATUS_SHARES for _ in range(round(count * share))]
        statuses = (statuses + [Status.IN_CONVERSATION] * count)[:count]
        self.rng.shuffle(statuses)
        return statuses

    def _email(self, first: str, last: str) -> str:
        first_part, last_part = _ascii(first), _ascii(last)
        pattern = self.rng.choice(("{f}.{l}", "{f}{l}", "{i}.{l}", "{f}_{l}", "{l}.{f}"))
        local = pattern.format(f=first_part, l=last_part, i=first_part[:1])
        domain = self.rng.choice(CANDIDATE_EMAIL_DOMAINS)
        email = f"{local}@{domain}"
        while email in self.emails:
            email = f"{local}{self.rng.randint(1, 99)}@{domain}"
        self.emails.add(email)
        return email

    def _mobile(self) -> str:
        while True:
            number = normalize_phone(f"06{self.rng.randint(1, 5)}{self.rng.randrange(10**7):07d}")
            if number and number not in self.phones:
                self.phones.add(number)
                return number

    def _postcode(self, pc4: str) -> str:
        letters = "SA"
        while letters in ("SA", "SD", "SS"):  # never issued
            letters = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(2))
        return f"{pc4} {letters}"

    def _candidate(
        self, index: int, region: DemoRegion | None, status: str, *, postcode: tuple[str, str] | None = None
    ) -> CandidatePlan:
        rng, fake = self.rng, self.fake
        first = fake.first_name_female() if rng.random() < 0.78 else fake.first_name_male()  # most are women
        last = fake.last_name()
        situation = rng.choices(list(PROFILES), weights=[profile.weight for profile in PROFILES.values()])[0]
        profile = PROFILES[situation]
        pc4, place = postcode or rng.choice(region.postcodes)
        branches = rng.sample(profile.branches, k=rng.randint(1, min(3, len(profile.branches))))
        functions = sorted({rng.choice(FUNCTIONS_BY_BRANCH[branch]) for branch in branches})
        next_steps = rng.sample(profile.next_steps, k=rng.randint(1, 3))
        target_groups = [group for group in profile.target_groups if rng.random() < 0.5]
        diploma, abroad = rng.choice(profile.diplomas)
        outdated = situation == Situation.RETURNER and rng.random() < 0.7
        if (abroad or outdated) and "buitenlands-diploma" not in target_groups:
            target_groups.append("buitenlands-diploma")
        phone_intake = region is not None and rng.random() < 0.15
        details = {
            "first_name": first,
            "last_name": last,
            "email": self._email(first, last),
            "phone": self._mobile(),
            "postcode": self._postcode(pc4),
            "place": place,
            "situation": situation,
            "education_level": rng.choice(profile.education),
            "diplomas": diploma,
            "diploma_abroad": abroad,
            "diploma_outdated": outdated,
            "branches": branches,
            "functions": functions,
            "next_steps": next_steps,
            "target_groups": target_groups,
            "hours_per_week": rng.randrange(profile.hours[0], profile.hours[1] + 1, 4),
            "max_travel_km": rng.choice((5, 10, 15, 15, 25, 25, 40)),
            "support_needs": rng.choice(SUPPORT_NEEDS) if rng.random() < 0.12 else "",
            # Phone intakes are calls passed on by the welcome panel.
            "source": Source.WELCOME_PANEL if phone_intake else rng.choice(profile.sources),
            "message": rng.choice(MESSAGES) if rng.random() < 0.4 else "",
        }
        plan = CandidatePlan(
            region=region.slug if region else None,
            details=details,
            consents={
                ConsentPurpose.CONTACT: True,
                ConsentPurpose.SHARE_WITH_EMPLOYERS: rng.random() < 0.75,
                ConsentPurpose.CAMPAIGN_NEWS: rng.random() < 0.35,
            },
            channel=SignupChannel.PHONE if phone_intake else SignupChannel.INTAKE,
            signed_up_at=self.now,
            status=status,
            coordinator=rng.randrange(len(region.coordinators)) if region else None,
            steps=[],
        )
        reason = next(self.stop_reasons) if status == Status.STOPPED else ""
        if status != Status.NEW:
            rng = random.Random(f"{self.seed}-{index}")  # noqa: S311
            self._history(plan, profile, reason, rng=rng)
        return plan

    def _new_history(self, plan: CandidatePlan, *, recent: bool, rng: random.Random) -> None:
        """Not contacted yet: half within the two working days a coordinator has, half overdue."""
        if recent:
            span = (self.now - self.cutoff).total_seconds()
            plan.signed_up_at = self.cutoff + timedelta(seconds=rng.uniform(0.05, 0.9) * span)
        else:
            plan.signed_up_at = self.cutoff - timedelta(hours=rng.uniform(3, 24 * 12))
        if plan.coordinator is not None and rng.random() < 0.5:
            at = plan.signed_up_at + timedelta(minutes=rng.randint(10, 180))
            if at < self.now:
                plan.steps.append(Step(at, "assign", {"by_colleague": rng.random() < 0.3}))

    def _history(self, plan: CandidatePlan, profile: Profile, reason: str, *, rng: random.Random) -> None:
        """Sign-up moment and what the coordinator did since, matching the status."""
        status = plan.status
        low, high = {
            Status.IN_CONVERSATION: (4, 60),
            Status.REFERRED: (20, 110),
            Status.STARTED: (60, 120),
            Status.STOPPED: (12, 120),
        }[status]
        signed_up = timezone.localtime(self.now - timedelta(days=rng.uniform(low, high)))
        signed_up = plan.signed_up_at = signed_up.replace(
            hour=rng.randint(7, 22), minute=rng.randrange(60), second=rng.randrange(60), microsecond=0
        )
        steps = plan.steps
        steps.append(Step(signed_up + timedelta(minutes=rng.randint(15, 240)), "assign", {"by_colleague": False}))
        step_word = STEP_WORDS[plan.details["next_steps"][0]]
        branch_word = BRANCH_WORDS[plan.details["branches"][0]]

        if reason == StopReason.NOT_REACHABLE:
            stop = {"status": Status.STOPPED, "reason": reason, "note": STOP_NOTES[reason]}
            steps.append(Step(_later(signed_up, rng, 5, 8), "status", stop))
            self._fit_before_now(plan)
            return

        # The first conversation: usually within two working days, sometimes later.
        last = _later(signed_up, rng, 0, 2 if rng.random() < 0.85 else 4)
        steps.append(Step(last, "contact", self._first_conversation(plan, profile, step_word, branch_word, rng)))
        follow_ups = {Status.IN_CONVERSATION: (0, 1), Status.REFERRED: (0, 2), Status.STARTED: (1, 2)}
        for follow_up in rng.sample(FOLLOW_UPS, k=rng.randint(*follow_ups.get(status, (0, 1)))):
            last = _later(last, rng, 2, 7)
            summary = follow_up.format(step=step_word, name=plan.details["first_name"])
            steps.append(Step(last, "contact", {"channel": rng.choice(CHANNELS), "summary": summary}))

        if status in (Status.REFERRED, Status.STARTED) or reason in (
            StopReason.NO_LONGER_INTERESTED,
            StopReason.NOT_SUITABLE,
        ):
            last = _later(last, rng, 1, 5)
            note = f"Doorverwezen naar {step_word} in {branch_word}."
            steps.append(Step(last, "status", {"status": Status.REFERRED, "note": note}))
        if status == Status.STARTED:
            last = _later(last, rng, 5, 20)
            note = f"Gestart met {step_word} in {branch_word}."
            steps.append(Step(last, "status", {"status": Status.STARTED, "note": note}))
        if status == Status.STOPPED:
            last = _later(last, rng, 2, 15)
            stop = {"status": Status.STOPPED, "reason": reason, "note": STOP_NOTES[reason]}
            steps.append(Step(last, "status", stop))
        self._fit_before_now(plan)

    @staticmethod
    def _first_conversation(
        plan: CandidatePlan, profile: Profile, step: str, branch: str, rng: random.Random
    ) -> dict[str, Any]:
        summary = (
            f"Kennismakingsgesprek met {plan.details['first_name']}. {rng.choice(profile.story)} "
            f"Interesse in {branch}; we hebben de mogelijkheden besproken en kijken naar {step}."
        )
        return {
            "channel": rng.choice(CHANNELS),
            "summary": summary,
            "abilities": rng.choice(ABILITIES),
            "wishes": rng.choice(WISHES),
            "agreed_next_step": f"Coördinator zoekt {step} uit en mailt de data.",
        }

    def _fit_before_now(self, plan: CandidatePlan) -> None:
        """Everything happened in the past: shift the whole history back when a step would be too late."""
        latest = max((step.at for step in plan.steps), default=plan.signed_up_at)
        overshoot = latest - (self.now - timedelta(hours=1))
        if overshoot > timedelta(0):
            shift = overshoot + timedelta(days=1)
            plan.signed_up_at -= shift
            plan.steps = [Step(step.at - shift, step.kind, step.data) for step in plan.steps]


# ---------------------------------------------------------------------------------------------
# Building: regions, users and candidates in the database.


def ensure_regions() -> dict[str, Region]:
    """The three demo contact points, linked to their arbeidsmarktregio's and given their PC4 ranges."""
    regions: dict[str, Region] = {}
    for spec in REGIONS:
        region, _ = Region.objects.get_or_create(
            slug=spec.slug, defaults={"name": spec.name, "email": spec.email, "phone": spec.phone}
        )
        # Linked only when the reference data is loaded; the ranges route without it.
        region.labour_market_regions.add(*LabourMarketRegion.objects.filter(code__in=spec.labour_market_regions))
        existing = set(region.postcode_ranges.values_list("start", "end"))
        RegionPostcodeRange.objects.bulk_create(
            RegionPostcodeRange(region=region, start=start, end=end)
            for start, end in spec.postcode_ranges
            if (start, end) not in existing
        )
        regions[spec.slug] = region
    return regions


def _user_specs() -> list[tuple[tuple[str, str, str], str, list[str]]]:
    specs: list[tuple[tuple[str, str, str], str, list[str]]] = [
        (coordinator, User.Role.COORDINATOR, [region.slug]) for region in REGIONS for coordinator in region.coordinators
    ]
    specs.append((ADMINISTRATOR, User.Role.ADMINISTRATOR, []))
    specs.extend((employer, User.Role.EMPLOYER, []) for employer in EMPLOYER_USERS)
    return specs


def ensure_users(regions: dict[str, Region]) -> list[User]:
    """Two coordinators per region, an administrator and the employer users, all with the demo password.

    One hash serves every new account (hashing is slow on purpose). A rerun checks each distinct
    stored hash once and resets only an account whose password is no longer the printed one.
    """
    demo_hash = ""
    verified: dict[str, bool] = {}
    users: list[User] = []
    for (email, first_name, last_name), role, region_slugs in _user_specs():
        user = User.objects.filter(email=email).first()
        if user is None:
            demo_hash = demo_hash or make_password(DEMO_PASSWORD)
            administrator = role == User.Role.ADMINISTRATOR
            user = User.objects.create(
                email=email,
                first_name=first_name,
                last_name=last_name,
                role=role,
                is_staff=administrator,
                is_superuser=administrator,
                password=demo_hash,
            )
        else:
            if user.password not in verified:
                verified[user.password] = check_password(DEMO_PASSWORD, user.password)
            if not verified[user.password]:
                demo_hash = demo_hash or make_password(DEMO_PASSWORD)
                user.password = demo_hash
                user.save(update_fields=["password"])
        if region_slugs:
            user.regions.add(*(regions[slug] for slug in region_slugs))
        users.append(user)
    return users


def demo_totp_key() -> str:
    """DEMO_TOTP_SECRET as django-otp stores keys (hex)."""
    return b32decode(DEMO_TOTP_SECRET).hex()


def demo_totp_url() -> str:
    """The otpauth:// link of the demo key, for a QR code an authenticator app can scan."""
    label = quote("Contactpunt Zorg en Welzijn:demo")
    return f"otpauth://totp/{label}?secret={DEMO_TOTP_SECRET}&issuer={quote('Contactpunt Zorg en Welzijn')}"


def ensure_demo_devices(users: Sequence[User]) -> None:
    """Give every demo user who must use two-step verification an app device with the demo key.

    A rerun resets a device whose key was changed (a new phone set up while trying the portal) and
    leaves the employers as they are (for them it is optional).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = demo_totp_key()
    for user in users:
        if not user.works_candidates:
            continue
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if not devices.filter(key=key).exists():
            devices.delete()
            TOTPDevice.objects.create(user=user, name="Demo-app", key=key, confirmed=True)


class _Builder:
    """Turns plans into candidates through the real services, then dates what they wrote."""

    def __init__(self, users: Sequence[User], started: datetime) -> None:
        by_email = {user.email: user for user in users}
        self.coordinators = {spec.slug: [by_email[email] for email, _, _ in spec.coordinators] for spec in REGIONS}
        self.items = {
            name: {item.slug: item for item in model.objects.all()}
            for name, model in (
                ("branches", Branch),
                ("functions", Function),
                ("next_steps", NextStep),
                ("target_groups", TargetGroup),
            )
        }
        self.started = started

    def build(self, plan: CandidatePlan) -> None:
        details = dict(plan.details)
        for name, items in self.items.items():
            details[name] = [items[slug] for slug in details[name] if slug in items]
        coordinators = self.coordinators[plan.region] if plan.region else []
        coordinator = coordinators[plan.coordinator] if plan.coordinator is not None else None
        colleague = coordinators[1 - plan.coordinator] if plan.coordinator is not None else None

        registration = candidate_register(
            details=details,
            consents=plan.consents,
            channel=plan.channel,
            actor=coordinator if plan.channel == SignupChannel.PHONE else None,
        )
        candidate = registration.candidate
        # Here and now rather than in the task after commit (which then finds it done): the mails it
        # writes are taken out of the queue just below.
        follow_up_signup(registration.event.pk)
        signed_up = plan.signed_up_at
        self._date_events(candidate, signed_up)
        candidate.consents.filter(recorded_at__gte=self.started).update(recorded_at=signed_up)
        # The follow-up wrote the sign-up confirmation (and any other mail about the sign-up) to the
        # outbox, as for a real sign-up. These people and their addresses are fictional, so the mail
        # must never be delivered (and `make run` must not print 300 mails). The rows stay, readable in
        # the admin; setting `sent_at` takes them out of the queue, so neither the on-commit task nor
        # the periodic sweep picks them up. They were not sent.
        OutboxMail.objects.filter(sent_at__isnull=True, created_at__gte=self.started).update(
            created_at=signed_up, claimed_at=signed_up, sent_at=signed_up
        )

        for step in plan.steps:
            if step.kind == "assign":
                # Usually the coordinator takes the candidate; sometimes the colleague hands it over.
                actor = colleague if step.data.get("by_colleague") else coordinator
                candidate_assign(candidate=candidate, assignee=coordinator, actor=actor)
            elif step.kind == "contact":
                details = {**step.data, "happened_at": step.at}
                contact_moment_log(candidate=candidate, actor=coordinator, details=details)
            else:
                candidate_change_status(
                    candidate=candidate,
                    status=step.data["status"],
                    actor=coordinator,
                    reason=step.data.get("reason", ""),
                    note=step.data.get("note", ""),
                )
            self._date_events(candidate, step.at)
        last = max((step.at for step in plan.steps), default=signed_up)
        Candidate.objects.filter(pk=candidate.pk).update(signed_up_at=signed_up, created_at=signed_up, updated_at=last)

    def _date_events(self, candidate: Candidate, moment: datetime) -> None:
        """Give the timeline events a service just wrote (at "now") the moment they happen in the demo."""
        TimelineEvent.objects.filter(candidate=candidate, created_at__gte=self.started).update(created_at=moment)


def build_demo(
    *,
    geodata_dir: Path | None,
    now: datetime | None = None,
    site_url: str = "http://127.0.0.1:8000",
    story_count: int | None = None,
) -> DemoResult:
    """Load the demo, after the reference data when `geodata_dir` is given. Running it again changes nothing.

    `site_url` makes the links in the (never delivered) demo e-mails; `story_count` published campaign
    stories are made (600 unless told otherwise).
    """
    # The employer and campaign sides build on this module (regions, users, candidates), so they are
    # imported here.
    from campagne.demo import STORY_COUNT, build_campaign
    from werkgevers.demo import build_employers
    from werkgevers.introductions import recompute_answer_days
    from werkgevers.models import Introduction

    started = timezone.now()
    plans = Planner(now or started).plan()
    emails = [plan.details["email"] for plan in plans]
    # Matching runs once for everything at the end instead of after each of the thousand steps.
    with matching.paused(), transaction.atomic():
        geodata = import_geodata(geodata_dir) if geodata_dir else None
        regions = ensure_regions()
        users = ensure_users(regions)
        ensure_demo_devices(users)
        existing = set(Candidate.objects.filter(email__in=emails).values_list("email", flat=True))
        builder = _Builder(users, started)
        created = 0
        for plan in plans:
            if plan.details["email"] not in existing:
                builder.build(plan)
                created += 1
        ContactMoment.objects.filter(candidate__email__in=emails, created_at__gte=started).update(
            created_at=F("happened_at")
        )
        employers = build_employers(
            regions=regions,
            users=users,
            candidate_emails=emails,
            started=started,
            now=now or started,
            site_url=site_url,
        )
        campaign = build_campaign(
            regions=regions,
            users=users,
            started=started,
            now=now or started,
            count=STORY_COUNT if story_count is None else story_count,
        )
        # The services stamped the funnel's milestones at the real moment; the histories were dated back since.
        milestones.recompute(Candidate.objects.filter(email__in=emails))
        recompute_answer_days(Introduction.objects.filter(candidate__email__in=emails))
    bulk_matching.rematch_all(now or started)
    # Dated back and matched in bulk, which no signal of the figures' summaries sees: count them again.
    summaries.rebuild()
    fresh = User.objects.select_related("organisation").prefetch_related("regions").in_bulk([user.pk for user in users])
    logins = [
        DemoLogin(
            email=user.email,
            role=user.get_role_display(),
            regions=", ".join(region.name for region in user.regions.all()),
            organisation=user.organisation.name if user.organisation else "",
        )
        for user in (fresh[user.pk] for user in users)
    ]
    return DemoResult(
        geodata=geodata,
        regions=len(regions),
        users=len(users),
        candidates=Candidate.objects.filter(email__in=emails).count(),
        candidates_created=created,
        logins=logins,
        employers=employers,
        campaign=campaign,
    )
