"""The permission walk: every URL of werkgevers.urls, for every persona, against one table.

One of each object exists for organisation A in region A (a location, a contact person, an offer of
every kind, a dated public activity with a registration, introductions, a BBL class with a pledge of A
and a placement, invitations, an access request). EXPECTED says, for every URL pattern with GET (and
with POST where the view takes it), what each persona gets:

- employer B: 404 on every offer, registration, introduction, location, contact person and class of A;
- the coordinator of region B: 404 on every object of region A, 403 in the employer portal;
- employers: 403 on /dashboard/; coordinators and administrators: 403 on /werkgever/;
- anonymous people: the login page, except on the public pages (agenda, sign-up, cancel and
  invitation links, the access request), which answer 200, or a friendly 404/410 for a wrong token.

Every request runs in a savepoint that is rolled back, so each one meets the same world. POSTs send
data that would change something: only a SAVED answer may change the database (checked on a snapshot
of every row the portal's forms write), and a SAVED answer must change it. A URL pattern without a
row in EXPECTED fails `test_every_url_pattern_has_a_row`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contactpunt.models import Branch, EducationLevel, OutboxMail, User
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, TimelineEvent
from werkgevers import urls as werkgevers_urls
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    ContactPersonFactory,
    OfferFactory,
    PlaceOfferFactory,
    RegistrationFactory,
    agenda_signup_data,
)
from werkgevers.models import (
    DATED_KINDS,
    AccessRequest,
    Cohort,
    CohortPlacement,
    CohortPledge,
    ContactPerson,
    ContractType,
    Introduction,
    Invitation,
    Location,
    Offer,
    OfferKind,
    Organisation,
    Registration,
    new_token,
)

from .offers_helpers import form_data

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "employer_a", "employer_b", "coordinator_a", "coordinator_b", "administrator")

GET, POST = "GET", "POST"
LOGIN = "login"  # 302 to the login page; nothing changed
SAVED = "saved"  # 302 elsewhere, and the POST changed the database
FORM = "form"  # 200: the form again, with a field error; nothing changed
# A number is that status code, and nothing changed (302: a redirect, but not to the login page).


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    target: str
    expected: tuple

    def answer(self, persona: str):
        return self.expected[PERSONAS.index(persona)]


def row(name: str, method: str, target: str, *expected) -> Row:
    assert len(expected) == len(PERSONAS), f"{name} {method} {target}: one answer per persona"
    return Row(name, method, target, expected)


# fmt: off
EXPECTED = [
    #   URL name                  method target              anon   emp A  emp B  coor A coor B admin
    # Public: the agenda, sign-up and cancellation, calendar files, access requests, invitations.
    row("agenda",                  GET,  "-",                 200,   200,   200,   200,   200,   200),
    row("activity",                GET,  "public activity",   200,   200,   200,   200,   200,   200),
    row("activity",                GET,  "draft activity",    404,   404,   404,   404,   404,   404),
    row("activity",                GET,  "internal activity", 404,   404,   404,   404,   404,   404),
    row("activity",                GET,  "past activity",     404,   404,   404,   404,   404,   404),
    row("activity_signup",         GET,  "public activity",   302,   302,   302,   302,   302,   302),
    row("activity_signup",         POST, "public activity",   SAVED, SAVED, SAVED, SAVED, SAVED, SAVED),
    row("activity_signup",         POST, "draft activity",    404,   404,   404,   404,   404,   404),
    row("activity_signup",         POST, "internal activity", 404,   404,   404,   404,   404,   404),
    row("activity_signup_done",    GET,  "-",                 302,   302,   302,   302,   302,   302),
    row("registration_cancel",     GET,  "valid token",       200,   200,   200,   200,   200,   200),
    row("registration_cancel",     GET,  "unknown token",     404,   404,   404,   404,   404,   404),
    row("registration_cancel",     POST, "unknown token",     404,   404,   404,   404,   404,   404),
    row("activity_ics",            GET,  "public activity",   200,   200,   200,   200,   200,   200),
    row("activity_ics",            GET,  "draft activity",    404,   404,   404,   404,   404,   404),
    row("organisation_feed",       GET,  "organisation A",    200,   200,   200,   200,   200,   200),
    row("organisation_feed",       GET,  "unknown org.",      404,   404,   404,   404,   404,   404),
    row("access_request",          GET,  "-",                 200,   200,   200,   200,   200,   200),
    row("access_request",          POST, "-",                 SAVED, SAVED, SAVED, SAVED, SAVED, SAVED),
    row("access_request_done",     GET,  "-",                 200,   200,   200,   200,   200,   200),
    row("invitation_accept",       GET,  "valid token",       302,   302,   302,   302,   302,   302),
    row("invitation_accept",       GET,  "unknown token",     404,   404,   404,   404,   404,   404),
    row("invitation_accept",       POST, "unknown token",     404,   404,   404,   404,   404,   404),
    row("invitation_accept",       GET,  "expired token",     410,   410,   410,   410,   410,   410),
    row("invitation_accept",       POST, "expired token",     410,   410,   410,   410,   410,   410),
    row("invitation_accept",       GET,  "used token",        410,   410,   410,   410,   410,   410),
    # Employer portal: employers of an organisation; another organisation's objects are 404.
    row("employer_home",           GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("organisation_edit",       GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("organisation_edit",       POST, "-",                 LOGIN, SAVED, SAVED, 403,   403,   403),
    row("location_create",         GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("location_create",         POST, "-",                 LOGIN, SAVED, SAVED, 403,   403,   403),
    row("location_edit",           GET,  "location",          LOGIN, 200,   404,   403,   403,   403),
    row("location_edit",           POST, "location",          LOGIN, SAVED, 404,   403,   403,   403),
    row("contact_person_create",   GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("contact_person_create",   POST, "-",                 LOGIN, SAVED, SAVED, 403,   403,   403),
    row("contact_person_edit",     GET,  "contact person",    LOGIN, 200,   404,   403,   403,   403),
    row("contact_person_edit",     POST, "contact person",    LOGIN, SAVED, 404,   403,   403,   403),
    row("employer_offers",         GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("offer_create",            GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("offer_create",            GET,  "open huis form",    LOGIN, 200,   200,   403,   403,   403),
    row("offer_create",            POST, "open huis form",    LOGIN, SAVED, FORM,  403,   403,   403),
    row("offer_detail",            GET,  "every offer",       LOGIN, 200,   404,   403,   403,   403),
    row("offer_edit",              GET,  "every offer",       LOGIN, 200,   404,   403,   403,   403),
    row("offer_edit",              POST, "every offer",       LOGIN, SAVED, 404,   403,   403,   403),
    row("offer_status",            GET,  "public activity",   LOGIN, 405,   405,   405,   405,   405),
    row("offer_status",            POST, "every published",   LOGIN, SAVED, 404,   403,   403,   403),
    row("offer_copy",              GET,  "public activity",   LOGIN, 405,   405,   405,   405,   405),
    row("offer_copy",              POST, "every offer",       LOGIN, SAVED, 404,   403,   403,   403),
    row("offer_registrations",     GET,  "every activity",    LOGIN, 200,   404,   403,   403,   403),
    row("offer_registrations",     GET,  "place offer",       LOGIN, 404,   404,   403,   403,   403),
    row("registration_attendance", GET,  "registration",      LOGIN, 405,   405,   405,   405,   405),
    row("registration_attendance", POST, "registration",      LOGIN, SAVED, 404,   403,   403,   403),
    row("registration_attendance", POST, "registration soon", LOGIN, 302,   404,   403,   403,   403),
    row("employer_introductions",  GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("introduction_detail",     GET,  "every intro",       LOGIN, 200,   404,   403,   403,   403),
    row("introduction_answer",     GET,  "proposed intro",    LOGIN, 405,   405,   405,   405,   405),
    row("introduction_answer",     POST, "proposed intro",    LOGIN, SAVED, 404,   403,   403,   403),
    row("introduction_outcome",    GET,  "invited intro",     LOGIN, 405,   405,   405,   405,   405),
    row("introduction_outcome",    POST, "invited intro",     LOGIN, SAVED, 404,   403,   403,   403),
    row("employer_cohorts",        GET,  "-",                 LOGIN, 200,   200,   403,   403,   403),
    row("employer_cohort",         GET,  "class",             LOGIN, 200,   404,   403,   403,   403),
    row("cohort_pledge",           GET,  "class",             LOGIN, 405,   405,   405,   405,   405),
    row("cohort_pledge",           POST, "class",             LOGIN, SAVED, 404,   403,   403,   403),
    # Dashboard: coordinators and administrators; another region's objects are 404.
    row("organisations",           GET,  "-",                 LOGIN, 403,   403,   200,   200,   200),
    row("organisations",           POST, "-",                 LOGIN, 403,   403,   SAVED, FORM,  SAVED),
    row("organisation_detail",     GET,  "organisation A",    LOGIN, 403,   403,   200,   404,   200),
    row("invitation_create",       GET,  "organisation A",    LOGIN, 405,   405,   405,   405,   405),
    row("invitation_create",       POST, "organisation A",    LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("access_requests",         GET,  "-",                 LOGIN, 403,   403,   200,   200,   200),
    row("access_request_decide",   GET,  "access request",    LOGIN, 405,   405,   405,   405,   405),
    row("access_request_decide",   POST, "access request",    LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("coordinator_offers",      GET,  "-",                 LOGIN, 403,   403,   200,   200,   200),
    row("coordinator_offer",       GET,  "every published",   LOGIN, 403,   403,   200,   404,   200),
    row("coordinator_offer",       GET,  "draft activity",    LOGIN, 403,   403,   404,   404,   404),
    row("introduction_create",     GET,  "candidate",         LOGIN, 405,   405,   405,   405,   405),
    row("introduction_create",     POST, "candidate",         LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("coordinator_introductions", GET, "-",                LOGIN, 403,   403,   200,   200,   200),
    row("introduction_withdraw",   GET,  "proposed intro",    LOGIN, 405,   405,   405,   405,   405),
    row("introduction_withdraw",   POST, "proposed intro",    LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("cohorts",                 GET,  "-",                 LOGIN, 403,   403,   200,   200,   200),
    row("cohort_create",           GET,  "-",                 LOGIN, 403,   403,   200,   200,   200),
    row("cohort_create",           POST, "-",                 LOGIN, 403,   403,   SAVED, FORM,  SAVED),
    row("cohort_detail",           GET,  "class",             LOGIN, 403,   403,   200,   404,   200),
    row("cohort_place",            GET,  "class",             LOGIN, 405,   405,   405,   405,   405),
    row("cohort_place",            POST, "class",             LOGIN, 403,   403,   SAVED, 404,   SAVED),
]
# fmt: on

# The pages anyone may open: on all others, employer B and the coordinator of region B must not read
# anything of organisation A or region A.
PUBLIC = {
    "agenda",
    "activity",
    "activity_signup",
    "activity_signup_done",
    "registration_cancel",
    "activity_ics",
    "organisation_feed",
    "access_request",
    "access_request_done",
    "invitation_accept",
}


# The world: one of everything for organisation A in region A ----------------------------------------


@dataclass(frozen=True)
class Target:
    """One URL of a row: the arguments of the URL pattern, a query string, and the object it is about."""

    label: str
    args: tuple = ()
    query: str = ""
    obj: object = None


@pytest.fixture
def world(
    region_a,
    region_b,
    coordinator_a,
    coordinator_b,
    administrator,
    organisation_a,
    organisation_b,
    employer_a,
    employer_b,
):
    now = timezone.now()
    location = organisation_a.locations.get()
    contact = ContactPersonFactory(organisation=organisation_a, name="Petra Veenstra", email="petra@noord.example")
    common = {"organisation": organisation_a, "location": location, "contact_person": contact}

    def candidate(first_name: str, last_name: str) -> Candidate:
        return CandidateFactory(first_name=first_name, last_name=last_name, region=region_a)

    # Dated activities: a public one to come with a registration, one that has started (with a
    # registration, for attendance), one for coordinators only, one more public one, and a draft.
    open_day = OfferFactory(**common, kind=OfferKind.OPEN_HUIS, title="Open huis De Linde", registered_count=1)
    started = OfferFactory(
        **common,
        kind=OfferKind.MEELOOPDAG,
        title="Meeloopdag gisteren",
        starts_at=now - timedelta(hours=2),
        registered_count=1,
    )
    internal = OfferFactory(
        **common, kind=OfferKind.SPEEDDATE, title="Speeddate intern", visibility=Offer.Visibility.COORDINATORS
    )
    meeting = OfferFactory(**common, kind=OfferKind.INFORMATIEBIJEENKOMST, title="Informatieavond zorg")
    draft = OfferFactory(
        **common, kind=OfferKind.OPEN_HUIS, title="Open huis concept", status=Offer.Status.DRAFT, published_at=None
    )
    # Places and a vacancy.
    places = [
        PlaceOfferFactory(**common, kind=kind, title=f"Plek {kind.label}")
        for kind in (
            OfferKind.BBL_PLEK,
            OfferKind.STAGEPLEK,
            OfferKind.WERKERVARINGSPLEK,
            OfferKind.OPLEIDING,
            OfferKind.STERK_IN_JE_WERK,
        )
    ]
    vacancy = PlaceOfferFactory(
        **common,
        kind=OfferKind.VACATURE,
        title="Vacature verzorgende IG",
        places=None,
        duration_weeks=None,
        contract_type=ContractType.PERMANENT,
    )
    published = [open_day, started, internal, meeting, *places, vacancy]
    assert {offer.kind for offer in published} == set(OfferKind.values), "an offer of every kind"

    cancel_token, cancel_hash = new_token()
    registration = RegistrationFactory(
        offer=open_day, candidate=candidate("Anouk", "Vermeulen"), cancel_token_hash=cancel_hash
    )
    came = RegistrationFactory(offer=started, candidate=candidate("Bram", "Kuipers"))

    proposed = Introduction.objects.create(
        offer=places[0], candidate=candidate("Cor", "Smit"), introduced_by=coordinator_a, note="Past goed."
    )
    invited = Introduction.objects.create(
        offer=vacancy,
        candidate=candidate("Dewi", "Jansen"),
        introduced_by=coordinator_a,
        status=Introduction.Status.INVITED,
        answered_by=employer_a,
        answered_at=now,
    )
    to_introduce = candidate("Eva", "Bakker")

    cohort = CohortFactory(name="BBL-klas De Linde 2027", region=region_a)
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4, pledged_by=employer_a)
    CohortPlacement.objects.create(
        pledge=pledge, cohort=cohort, candidate=candidate("Fleur", "de Boer"), placed_by=coordinator_a
    )
    to_place = candidate("Gijs", "Mulder")

    def invitation(email: str, **fields) -> str:
        token, token_hash = new_token()
        Invitation.objects.create(
            organisation=organisation_a,
            email=email,
            token_hash=token_hash,
            invited_by=coordinator_a,
            **{"expires_at": now + Invitation.VALID_FOR, **fields},
        )
        return token

    access_request = AccessRequest.objects.create(
        organisation_name="Thuiszorg Stad",
        kvk_number="33333333",
        contact_name="Fenna Dijkstra",
        email="fenna@thuiszorg.example",
        phone="+31612345678",
        postcode="9712 CD",
        region=region_a,
    )

    targets = {
        "-": [Target("-")],
        "public activity": [Target(open_day.title, (open_day.pk,), obj=open_day)],
        "draft activity": [Target(draft.title, (draft.pk,), obj=draft)],
        "internal activity": [Target(internal.title, (internal.pk,), obj=internal)],
        "past activity": [Target(started.title, (started.pk,), obj=started)],
        "valid token": [Target("valid token", (cancel_token,))],
        "unknown token": [Target("unknown token", ("dit-is-geen-geldige-link",))],
        "organisation A": [Target(organisation_a.name, (organisation_a.pk,), obj=organisation_a)],
        "unknown org.": [Target("unknown organisation", (999_999,))],
        "location": [Target(location.name, (location.pk,), obj=location)],
        "contact person": [Target(contact.name, (contact.pk,), obj=contact)],
        "open huis form": [Target("?soort=open_huis", query=f"?soort={OfferKind.OPEN_HUIS}")],
        "every offer": [Target(offer.title, (offer.pk,), obj=offer) for offer in [*published, draft]],
        "every published": [Target(offer.title, (offer.pk,), obj=offer) for offer in published],
        "every activity": [Target(o.title, (o.pk,), obj=o) for o in [*published, draft] if o.kind in DATED_KINDS],
        "place offer": [Target(places[0].title, (places[0].pk,), obj=places[0])],
        "registration": [Target(f"registration for {started.title}", (came.pk,), obj=came)],
        "registration soon": [Target(f"registration for {open_day.title}", (registration.pk,), obj=registration)],
        "every intro": [Target(f"introduction {i.status}", (i.pk,), obj=i) for i in (proposed, invited)],
        "proposed intro": [Target("proposed introduction", (proposed.pk,), obj=proposed)],
        "invited intro": [Target("invited introduction", (invited.pk,), obj=invited)],
        "class": [Target(cohort.name, (cohort.pk,), obj=cohort)],
        "access request": [Target(access_request.organisation_name, (access_request.pk,), obj=access_request)],
        "candidate": [Target(to_introduce.full_name, (to_introduce.pk,), obj=to_introduce)],
    }
    targets["valid token"] = {
        "registration_cancel": targets["valid token"],
        "invitation_accept": [Target("valid invitation", (invitation("nieuw@noord.example"),))],
    }
    targets["expired token"] = [
        Target("expired invitation", (invitation("laat@noord.example", expires_at=now - timedelta(days=1)),))
    ]
    targets["used token"] = [Target("used invitation", (invitation("al@noord.example", accepted_at=now),))]

    # What employer B and the coordinator of region B must never read on a page that is not public.
    private = [
        organisation_a.name,
        location.name,
        contact.name,
        contact.email,
        access_request.organisation_name,
        cohort.name,
        *(offer.title for offer in [*published, draft]),
        *(person.full_name for person in Candidate.objects.filter(region=region_a)),
    ]
    return SimpleNamespace(
        users={
            "anonymous": None,
            "employer_a": employer_a,
            "employer_b": employer_b,
            "coordinator_a": coordinator_a,
            "coordinator_b": coordinator_b,
            "administrator": administrator,
        },
        targets=targets,
        private=private,
        region_a=region_a,
        organisation_a=organisation_a,
        open_day=open_day,
        places=places,
        pledge=pledge,
        to_place=to_place,
    )


def targets_of(world, row: Row) -> list[Target]:
    found = world.targets[row.target]
    return found[row.name] if isinstance(found, dict) else found


# What a POST sends: always data that changes something when the view accepts it ---------------------


def post_data(world, row: Row, obj) -> dict:
    organisation = world.organisation_a
    branch = Branch.objects.get(slug="vvt")
    data = {
        "activity_signup": lambda: agenda_signup_data(),
        "registration_cancel": lambda: {},
        "access_request": lambda: {
            "organisation_name": "Zorg aan Zee",
            "kvk_number": "55555555",
            "contact_name": "Hanna Visser",
            "email": "hanna@zorgaanzee.example",
            "phone": "06 12345678",
            "postcode": "9716 AA",
            "website": "",
        },
        "invitation_accept": lambda: {
            "new_password1": "een-heel-lang-wachtwoord",
            "new_password2": "een-heel-lang-wachtwoord",
        },
        "organisation_edit": lambda: {"name": "Overgenomen Zorg", "website": "", "branches": [branch.pk]},
        "location_create": lambda: {
            "name": "Het Nieuwe Huis",
            "street": "Zorgweg 2",
            "postcode": "9712 AB",
            "place": "Groningen",
            "active": "on",
        },
        "location_edit": lambda: {"remove": "1"},
        "contact_person_create": lambda: {"name": "Ingrid Bos", "email": "ingrid@zorg.example", "active": "on"},
        "contact_person_edit": lambda: {"remove": "1"},
        "offer_create": lambda: form_data(OfferKind.OPEN_HUIS, organisation, title="Nieuw open huis"),
        "offer_edit": lambda: form_data(obj.kind, organisation, title="Overgenomen"),
        "offer_status": lambda: {"action": "close"},
        "offer_copy": lambda: {"weeks": "1"},
        "registration_attendance": lambda: {"attended": "yes"},
        "introduction_answer": lambda: {"decision": "invite"},
        "introduction_outcome": lambda: {"outcome": "started"},
        "cohort_pledge": lambda: {"places": "2"},
        "organisations": lambda: {
            "name": "Zorg Nieuw",
            "kvk_number": "44444444",
            "branches": [branch.pk],
            "website": "",
            "home_region": world.region_a.pk,
        },
        "invitation_create": lambda: {"first_name": "Iris", "last_name": "Dekker", "email": "iris@noord.example"},
        "access_request_decide": lambda: {
            f"request-{obj.pk}-decision": "decline",
            f"request-{obj.pk}-reason": "Geen zorgorganisatie.",
        },
        "introduction_create": lambda: {"offer": world.places[1].pk, "note": "Wil graag leren."},
        "introduction_withdraw": lambda: {"reason": "Kandidaat heeft afgezegd."},
        "cohort_create": lambda: {
            "name": "BBL-carrousel Helpende",
            "school": "Noorderpoort",
            "function": world.pledge.cohort.function_id,
            "education_level": str(EducationLevel.MBO2.value),
            "region": world.region_a.pk,
            "start_date": (timezone.localdate() + timedelta(days=120)).isoformat(),
            "duration_weeks": "52",
            "min_size": "16",
            "max_size": "18",
        },
        "cohort_place": lambda: {"candidate": world.to_place.pk, "pledge": world.pledge.pk},
    }
    return data[row.name]()


def watched() -> dict[str, QuerySet]:
    """Every row the employer side writes, with the fields that would show a change."""
    return {
        "organisations": Organisation.objects.values_list("pk", "name", "website"),
        "locations": Location.objects.values_list("pk", "name", "active"),
        "contact people": ContactPerson.objects.values_list("pk", "name", "active"),
        "offers": Offer.objects.values_list("pk", "status", "title", "visibility", "registered_count"),
        "registrations": Registration.objects.values_list("pk", "status"),
        "introductions": Introduction.objects.values_list("pk", "status", "reason"),
        "classes": Cohort.objects.values_list("pk", "name"),
        "pledges": CohortPledge.objects.values_list("pk", "places"),
        "placements": CohortPlacement.objects.values_list("pk", "candidate_id"),
        "invitations": Invitation.objects.values_list("pk", "accepted_at"),
        "access requests": AccessRequest.objects.values_list("pk", "status"),
        "candidates": Candidate.objects.values_list("pk", "status"),
        "timeline events": TimelineEvent.objects.values_list("pk"),
        "users": User.objects.values_list("pk", "is_active"),
        "outbox": OutboxMail.objects.values_list("pk"),
    }


@cache
def snapshot_sql() -> tuple[tuple[str, str], ...]:
    """The snapshot's queries, compiled once: the walk takes two snapshots per request."""
    return tuple((name, str(queryset.order_by("pk").query)) for name, queryset in watched().items())


def snapshot() -> dict[str, list]:
    with connection.cursor() as cursor:
        result = {}
        for name, sql in snapshot_sql():
            cursor.execute(sql)
            result[name] = cursor.fetchall()
        return result


def changes(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


# The walk ----------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def what_is_wrong(response, expected, changed: list[str], body: str) -> str | None:
    """Why the answer is not the expected one (None: it is)."""
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and location.startswith(reverse("login"))
    if expected == LOGIN:
        if not to_login:
            return f"expected the login page, got {status} {location}".rstrip()
    elif expected == SAVED:
        if status != 302 or to_login:
            return f"expected a redirect after saving, got {status} {location}".rstrip()
        if not changed:
            return "expected the POST to change something, nothing changed"
    elif expected == FORM:
        if status != 200 or "is-invalid" not in body:
            return f"expected the form again with a field error, got {status}"
    elif status != expected or (status == 302 and to_login):
        return f"expected {expected}, got {status} {location}".rstrip()
    if expected != SAVED and changed:
        return f"answered {status}, but changed: {', '.join(changed)}"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_every_persona_as_the_table_says(world, persona):
    client = client_for(world.users[persona])
    problems = []
    for line in EXPECTED:
        expected = line.answer(persona)
        for target in targets_of(world, line):
            url = reverse(f"werkgevers:{line.name}", args=target.args) + target.query
            with transaction.atomic():
                before = snapshot()
                if line.method == POST:
                    response = client.post(url, post_data(world, line, target.obj))
                else:
                    response = client.get(url)
                changed = changes(before, snapshot())
                transaction.set_rollback(True)  # the next request meets the same world
            body = (
                response.content.decode(errors="replace")
                if response.get("Content-Type", "").startswith("text/")
                else ""
            )
            wrong = what_is_wrong(response, expected, changed, body)
            if wrong is None and persona in ("employer_b", "coordinator_b") and line.name not in PUBLIC:
                leaked = [text for text in world.private if text in body or escape(text) in body]
                if leaked:
                    wrong = f"shows what belongs to organisation A or region A: {leaked}"
            if wrong:
                problems.append(f"{line.method} {url} ({line.name}, {target.label}): {wrong}")
    assert not problems, f"{len(problems)} answer(s) to {persona} differ from EXPECTED:\n" + "\n".join(problems)


def test_every_url_pattern_has_a_row():
    """A new URL without a row in EXPECTED fails here; so does a row for a URL that no longer exists."""
    names = {pattern.name for pattern in werkgevers_urls.urlpatterns}
    with_get = {line.name for line in EXPECTED if line.method == GET}
    in_table = {line.name for line in EXPECTED}

    assert not names - with_get, f"URL patterns without a GET row in EXPECTED: {sorted(names - with_get)}"
    assert not in_table - names, f"rows for URL names that do not exist: {sorted(in_table - names)}"


def test_every_row_is_there_once():
    keys = [(line.name, line.method, line.target) for line in EXPECTED]
    assert len(keys) == len(set(keys)), "a (URL, method, target) appears twice in EXPECTED"


@pytest.mark.parametrize("persona", ["employer_a", "administrator"])
def test_a_url_without_a_post_row_takes_no_post(world, persona):
    """The table has a POST row wherever a view takes POST: every other URL answers POST with 405."""
    client = client_for(world.users[persona])
    with_post = {line.name for line in EXPECTED if line.method == POST}
    problems = []
    for line in EXPECTED:
        if line.method != GET or line.name in with_post:
            continue
        for target in targets_of(world, line):
            url = reverse(f"werkgevers:{line.name}", args=target.args) + target.query
            with transaction.atomic():
                before = snapshot()
                response = client.post(url, {})
                changed = changes(before, snapshot())
                transaction.set_rollback(True)
            if response.status_code != 405 or changed:
                problems.append(f"POST {url} ({line.name}): {response.status_code}, changed: {changed or 'nothing'}")
    assert not problems, "Views that take POST without a POST row in EXPECTED:\n" + "\n".join(problems)


# fmt: off
FRIENDLY = [
    # URL name, target, status, what the page says (in Dutch)
    ("registration_cancel", "unknown token",     404, "Deze link kennen we niet"),
    ("invitation_accept",   "unknown token",     404, "We herkennen deze uitnodigingslink niet."),
    ("invitation_accept",   "expired token",     410, "Deze uitnodiging is verlopen"),
    ("invitation_accept",   "used token",        410, "Deze uitnodiging is al gebruikt."),
    ("activity",            "draft activity",    404, "Deze activiteit is niet beschikbaar"),
    ("activity",            "internal activity", 404, "Deze activiteit is niet beschikbaar"),
]
# fmt: on


@pytest.mark.parametrize(("name", "target", "status", "text"), FRIENDLY)
def test_a_wrong_or_old_link_gets_a_friendly_page(world, name, target, status, text):
    [link] = world.targets[target]

    response = Client().get(reverse(f"werkgevers:{name}", args=link.args))

    assert response.status_code == status
    assert text in response.content.decode()
