"""A small data set whose figures were worked out by hand (see the numbers in the tests).

Region A (Noord-Nederland), second quarter of 2026 (previous period: the first quarter), counted on
10 July 2026. Times are Dutch time. Holidays in the quarter: Tweede paasdag (Mon 6 Apr), Koningsdag
(Mon 27 Apr), Bevrijdingsdag (Tue 5 May), Hemelvaartsdag (Thu 14 May); Good Friday (3 Apr) is a working day.

  c1  Thu  2 Apr, campaign       first contact Tue  7 Apr: Fri 3, (weekend, Easter Monday), Tue 7 → 2 days;
                                 referred 9 Apr, started 1 May.       vvt, gehandicaptenzorg; zij-instromer
  c2  Fri 24 Apr, campaign       contact Tue 28 Apr: (weekend, Koningsdag) → 1 day; referred.
                                                                              vvt; statushouder, uitkering
  c3  Mon  4 May, welcome panel  contact Mon 11 May: (Bevrijdingsdag) Wed, Thu, Fri, Mon → 4 days;
                                 stopped 20 May, no longer interested.                ggz; herintreder
  c4  Wed 13 May, social media   contact Tue 19 May: (Hemelvaart) Fri, Mon, Tue → 3 days.
  c5  Fri  5 Jun, campaign       contact the same day → 0 days.
  c6  Mon  8 Jun, school         never reached: stopped 20 Jun, not reachable.            uitkering
  c7  Tue 30 Jun 23:30, welcome panel: the last half hour of the quarter; waiting.
  c8  Wed  1 Jul 00:00:30: the next quarter (not counted).
  c9  Mon  2 Mar (Q1), campaign  contact Wed 4 Mar → 2 days; referred 5 Mar, started 20 Mar.
  c10 Tue 10 Mar (Q1), campaign  waiting.
  b1  region B, 15 Apr: only in the administrator's figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Branch, TargetGroup
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, Channel, Match, Source, Status, StopReason
from kandidaten.services import candidate_change_status, contact_moment_log
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    IntroductionFactory,
    OfferFactory,
    PlaceOfferFactory,
)
from werkgevers.models import CohortPlacement, Introduction, Offer, OfferKind, Registration

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
COUNTED_ON = datetime(2026, 7, 10, 12, 0, tzinfo=AMSTERDAM)


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=AMSTERDAM)


@dataclass
class DataSet:
    region_a: object
    region_b: object
    candidates: dict[str, Candidate]
    offers: dict[str, Offer]


def _sign_up(name: str, moment: datetime, region, source: str, branches=(), groups=()) -> Candidate:
    candidate = CandidateFactory(first_name=name, region=region, source=source, signed_up_at=moment)
    if branches:
        candidate.branches.set(Branch.objects.filter(slug__in=branches))
    if groups:
        candidate.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
    return candidate


def _contact(candidate: Candidate, moment: datetime, actor) -> None:
    with time_machine.travel(moment, tick=False):
        contact_moment_log(
            candidate=candidate,
            actor=actor,
            details={"channel": Channel.PHONE, "summary": "Kennismaking.", "happened_at": moment},
        )


def _status(candidate: Candidate, status: str, moment: datetime, actor, reason: str = "") -> None:
    with time_machine.travel(moment, tick=False):
        candidate_change_status(candidate=candidate, status=status, actor=actor, reason=reason)


@pytest.fixture
def data_set(region_a, region_b, organisation_a, organisation_b) -> DataSet:
    coordinator = CoordinatorFactory(email="telt@contactpunt.example", regions=[region_a])
    c = {
        "c1": _sign_up(
            "Anna", local(2026, 4, 2), region_a, Source.CAMPAIGN, ["vvt", "gehandicaptenzorg"], ["zij-instromer"]
        ),
        "c2": _sign_up("Bram", local(2026, 4, 24), region_a, Source.CAMPAIGN, ["vvt"], ["statushouder", "uitkering"]),
        "c3": _sign_up("Cor", local(2026, 5, 4), region_a, Source.WELCOME_PANEL, ["ggz"], ["herintreder"]),
        "c4": _sign_up("Dewi", local(2026, 5, 13), region_a, Source.SOCIAL_MEDIA),
        "c5": _sign_up("Eva", local(2026, 6, 5, 9), region_a, Source.CAMPAIGN),
        "c6": _sign_up("Fenna", local(2026, 6, 8), region_a, Source.SCHOOL, groups=["uitkering"]),
        "c7": _sign_up("Gijs", local(2026, 6, 30, 23, 30), region_a, Source.WELCOME_PANEL),
        "c8": _sign_up("Hans", local(2026, 7, 1, 0, 0, 30), region_a, Source.CAMPAIGN),
        "c9": _sign_up("Ilse", local(2026, 3, 2), region_a, Source.CAMPAIGN),
        "c10": _sign_up("Joost", local(2026, 3, 10), region_a, Source.CAMPAIGN),
        "b1": _sign_up("Kees", local(2026, 4, 15), region_b, Source.CAMPAIGN, ["vvt"]),
    }
    _contact(c["c1"], local(2026, 4, 7), coordinator)
    _status(c["c1"], Status.REFERRED, local(2026, 4, 9), coordinator)
    _status(c["c1"], Status.STARTED, local(2026, 5, 1), coordinator)
    _contact(c["c2"], local(2026, 4, 28), coordinator)
    _status(c["c2"], Status.REFERRED, local(2026, 4, 28, 11), coordinator)
    _contact(c["c3"], local(2026, 5, 11), coordinator)
    _status(c["c3"], Status.STOPPED, local(2026, 5, 20), coordinator, StopReason.NO_LONGER_INTERESTED)
    _contact(c["c4"], local(2026, 5, 19), coordinator)
    _contact(c["c5"], local(2026, 6, 5, 15), coordinator)
    _status(c["c6"], Status.STOPPED, local(2026, 6, 20), coordinator, StopReason.NOT_REACHABLE)
    _contact(c["c9"], local(2026, 3, 4), coordinator)
    _status(c["c9"], Status.REFERRED, local(2026, 3, 5), coordinator)
    _status(c["c9"], Status.STARTED, local(2026, 3, 20), coordinator)
    _contact(c["b1"], local(2026, 4, 16), coordinator)

    location_a = organisation_a.locations.get()
    published = local(2026, 1, 15)
    offers = {
        # Open in the quarter: an activity on 15 May (5 seats), a BBL place (2 places), a vacancy until 1 May.
        "meeloopdag": OfferFactory(
            organisation=organisation_a,
            location=location_a,
            starts_at=local(2026, 5, 15, 9),
            capacity=5,
            published_at=published,
        ),
        "bbl": PlaceOfferFactory(
            organisation=organisation_a, location=location_a, places=2, valid_until=None, published_at=published
        ),
        "vacancy_ghz": PlaceOfferFactory(
            organisation=organisation_a,
            location=location_a,
            kind=OfferKind.VACATURE,
            branch=Branch.objects.get(slug="gehandicaptenzorg"),
            places=None,
            valid_until=date(2026, 5, 1),
            status=Offer.Status.EXPIRED,
            published_at=published,
        ),
        # Not open in the quarter: closed before it, a draft, an activity after it, another region's.
        "vacancy_closed": PlaceOfferFactory(
            organisation=organisation_a,
            location=location_a,
            kind=OfferKind.VACATURE,
            branch=Branch.objects.get(slug="ggz"),
            valid_until=date(2026, 3, 31),
            status=Offer.Status.EXPIRED,
            published_at=published,
        ),
        "draft": PlaceOfferFactory(
            organisation=organisation_a, location=location_a, status=Offer.Status.DRAFT, published_at=None
        ),
        "july": OfferFactory(
            organisation=organisation_a, location=location_a, starts_at=local(2026, 7, 10, 9), published_at=published
        ),
        "region_b": PlaceOfferFactory(
            organisation=organisation_b, location=organisation_b.locations.get(), places=3, published_at=published
        ),
    }
    # Introductions (employer A): c1 answered after 2 working days and started; c2 still waiting.
    IntroductionFactory(
        candidate=c["c1"],
        offer=offers["bbl"],
        status=Introduction.Status.STARTED,
        created_at=local(2026, 4, 9),
        answered_at=local(2026, 4, 13),
        answered_in_working_days=2,
    )
    IntroductionFactory(candidate=c["c2"], offer=offers["vacancy_ghz"], created_at=local(2026, 4, 28, 11))
    IntroductionFactory(candidate=c["b1"], offer=offers["region_b"], created_at=local(2026, 4, 20))
    # The meeloopdag of 15 May: one came, one did not, one cancelled, one stayed on the waiting list.
    for name, status in (
        ("c3", Registration.Status.ATTENDED),
        ("c4", Registration.Status.ABSENT),
        ("c5", Registration.Status.CANCELLED),
        ("c2", Registration.Status.WAITING),
    ):
        Registration.objects.create(
            offer=offers["meeloopdag"], candidate=c[name], status=status, cancel_token_hash=f"hash-{name}"
        )
    # A BBL class from 1 June: 4 places pledged, 1 placed, minimum 16. One from September is not counted.
    cohort = CohortFactory(name="VIG juni", region=region_a, start_date=date(2026, 6, 1), min_size=16, max_size=18)
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    CohortPlacement.objects.create(pledge=pledge, cohort=cohort, candidate=c["c1"])
    CohortFactory(name="VIG september", region=region_a, start_date=date(2026, 9, 1))
    # Match suggestions decided in Q2: 1 accepted, 2 rejected (too far, level); in Q1: 1 accepted.
    for name, offer, status, reason, decided in (
        ("c1", "meeloopdag", Match.Status.ACCEPTED, "", local(2026, 4, 10)),
        ("c2", "meeloopdag", Match.Status.REJECTED, Match.RejectReason.TOO_FAR, local(2026, 4, 28)),
        ("c3", "bbl", Match.Status.REJECTED, Match.RejectReason.LEVEL, local(2026, 5, 5)),
        ("c4", "meeloopdag", Match.Status.NEW, "", None),
        ("c9", "bbl", Match.Status.ACCEPTED, "", local(2026, 3, 5)),
    ):
        Match.objects.create(
            candidate=c[name], offer=offers[offer], score=80, status=status, reject_reason=reason, decided_at=decided
        )
    for candidate in c.values():
        candidate.refresh_from_db()
    return DataSet(region_a, region_b, c, offers)
