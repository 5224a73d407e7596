"""The employer-side lists as CSV or Excel files, for coordinators and for employers.

Each export takes the queryset its page pages through (already scoped with `visible_to` or to the
employer's own organisation) and has the columns the page shows, with no more personal data than
the page: an employer gets a candidate's full name only where the page shows it (the candidate agreed
to share their profile), and e-mail and phone only on an activity's sign-up list, which shows them.
Lists without personal data (offers, organisations, classes) are recorded in the audit log as one
row naming the type; lists of people as one row per candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactpunt.exports import Column, export_response
from contactpunt.phones import format_phone
from kandidaten.models import Candidate

from .cohorts import filling
from .models import Cohort, CohortPlacement, Introduction, Offer, Organisation, Registration


def _offer_status(offer: Offer) -> str:
    return str(Offer.Status(offer.shown_status).label)


def _start(offer: Offer):
    """The activity's date and time, or the start date of a place."""
    return offer.starts_at or offer.start_date


def _functions(offer: Offer) -> str:
    return ", ".join(str(function) for function in offer.functions.all())


def _places_left(offer: Offer) -> int | None:
    return offer.places_left if offer.is_dated else None


def export_coordinator_offers(request: HttpRequest, offers: QuerySet[Offer], format: str) -> HttpResponse:
    """Offers of the user's regions, as filtered; `offers` has the shown status and this week's
    introductions annotated, with organisation, location, branch and functions."""
    columns = [
        Column(_("Offer"), "title"),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Employer"), "organisation.name"),
        Column(_("Branch"), "branch"),
        Column(_("Functions"), _functions),
        Column(_("Place"), "location.place"),
        Column(_("Region"), "location.region.name"),
        Column(_("Start"), _start),
        Column(_("End"), "ends_at"),
        Column(_("Open until"), "valid_until"),
        Column(_("Status"), _offer_status),
        Column(_("Capacity"), lambda offer: offer.capacity if offer.is_dated else offer.places),
        Column(_("Places left"), _places_left),
        Column(
            _("Introductions left this week"),
            lambda offer: offer.introductions_left(offer.introductions_this_week),
        ),
    ]
    return export_response(request, rows=offers, columns=columns, filename_stem="aanbod", format=format, audit_id=None)


def export_employer_offers(request: HttpRequest, offers: QuerySet[Offer], format: str) -> HttpResponse:
    """The organisation's own offers, as filtered by the tabs and kind (shown status annotated)."""
    columns = [
        Column(_("Offer"), "title"),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Branch"), "branch"),
        Column(_("Start"), _start),
        Column(_("End"), "ends_at"),
        Column(_("Open until"), "valid_until"),
        Column(_("Status"), _offer_status),
        Column(_("Signed up"), lambda offer: offer.registered_count if offer.is_dated else None),
        Column(_("Capacity"), lambda offer: offer.capacity if offer.is_dated else offer.places),
        Column(_("Location"), "location"),
    ]
    return export_response(
        request, rows=offers, columns=columns, filename_stem="ons-aanbod", format=format, audit_id=None
    )


def export_coordinator_introductions(
    request: HttpRequest, introductions: QuerySet[Introduction], format: str, *, waiting_cutoff: datetime
) -> HttpResponse:
    """Introductions of the candidates of the user's regions, as filtered."""

    def waiting_long(item: Introduction) -> bool:
        return item.status == Introduction.Status.PROPOSED and item.created_at < waiting_cutoff

    columns = [
        Column(_("Candidate"), "candidate.full_name"),
        Column(_("Offer"), "offer.title"),
        Column(_("Employer"), "offer.organisation.name"),
        Column(_("Place"), "offer.location.place"),
        Column(_("Status"), "get_status_display"),
        Column(_("Waiting long for an answer"), waiting_long),
        Column(_("Introduced"), "created_at"),
        Column(_("Introduced by"), lambda item: str(item.introduced_by) if item.introduced_by_id else ""),
        Column(_("Answered"), "answered_at"),
        Column(_("Reason"), "reason"),
    ]
    return export_response(
        request,
        rows=introductions,
        columns=columns,
        filename_stem="voorstellen",
        format=format,
        audit_type=Candidate,
        audit_id=lambda item: item.candidate_id,
    )


def employer_candidate_name(item: Introduction) -> str:
    """The candidate as the employer's list names them: the full name only with consent to share."""
    if item.candidate.erased_at:
        return gettext("Details erased")
    return item.candidate.full_name if item.shares_profile else item.candidate.first_name


def export_employer_introductions(
    request: HttpRequest, introductions: QuerySet[Introduction], format: str
) -> HttpResponse:
    """The introductions to the organisation's offers (`shares_profile` annotated)."""
    columns = [
        Column(_("Candidate"), employer_candidate_name),
        Column(_("Offer"), "offer.title"),
        Column(_("Place"), "offer.location.place"),
        Column(_("Status"), "get_status_display"),
        Column(_("Introduced"), "created_at"),
    ]
    return export_response(
        request,
        rows=introductions,
        columns=columns,
        filename_stem="voorstellen",
        format=format,
        audit_type=Candidate,
        audit_id=lambda item: item.candidate_id,
    )


def export_organisations(request: HttpRequest, organisations: QuerySet[Organisation], format: str) -> HttpResponse:
    """The organisations of the user's regions, as searched, with the counts the list shows."""
    columns = [
        Column(_("Organisation"), "name"),
        Column(_("KvK number"), "kvk_number"),
        Column(_("Region"), "home_region.name"),
        Column(_("Locations"), "location_count"),
        Column(_("Published offers"), "published_offer_count"),
        Column(_("Users"), "employer_count"),
    ]
    return export_response(
        request, rows=organisations, columns=columns, filename_stem="werkgevers", format=format, audit_id=None
    )


def _cohort_columns() -> list[Column]:
    today = timezone.localdate()
    return [
        Column(_("Class"), "name"),
        Column(_("School"), "school"),
        Column(_("Function"), "function"),
        Column(_("Level"), "get_education_level_display"),
        Column(_("Region"), "region.name"),
        Column(_("Start"), "start_date"),
        Column(_("Weeks"), "duration_weeks"),
        Column(_("Placed"), lambda cohort: filling(cohort, today).placed),
        Column(_("Places pledged"), lambda cohort: filling(cohort, today).pledged),
        Column(_("Minimum class size"), "min_size"),
        Column(_("Maximum class size"), "max_size"),
    ]


def export_cohorts(request: HttpRequest, cohorts: QuerySet[Cohort], format: str) -> HttpResponse:
    """The BBL classes of the user's regions (filling annotated)."""
    return export_response(
        request, rows=cohorts, columns=_cohort_columns(), filename_stem="bbl-klassen", format=format, audit_id=None
    )


def export_employer_cohorts(request: HttpRequest, cohorts: QuerySet[Cohort], format: str) -> HttpResponse:
    """The classes in the organisation's regions, with its own pledge (annotated)."""
    columns = [
        *_cohort_columns(),
        Column(_("Your places"), "own_places"),
        Column(_("Your places filled"), "own_filled"),
    ]
    return export_response(
        request, rows=cohorts, columns=columns, filename_stem="bbl-klassen", format=format, audit_id=None
    )


def export_cohort_placements(request: HttpRequest, cohort: Cohort, format: str) -> HttpResponse:
    """The candidates placed in one class, per employer. A candidate of a region the user does not
    work for (placed by a colleague there) is not named, as on the page, and not recorded as exported."""
    user = request.user
    regions = None if user.is_administrator else set(user.regions.values_list("pk", flat=True))
    placements = CohortPlacement.objects.filter(cohort=cohort).order_by(
        "pledge__organisation__name", "created_at", "pk"
    )

    def visible(placement: CohortPlacement) -> bool:
        return regions is None or placement.candidate.region_id in regions

    columns = [
        Column(_("Employer"), "pledge.organisation.name"),
        Column(_("Places pledged"), "pledge.places"),
        Column(
            _("Candidate"),
            lambda placement: (
                placement.candidate.full_name if visible(placement) else gettext("A candidate of another region")
            ),
        ),
        Column(_("Placed"), "created_at"),
    ]
    return export_response(
        request,
        rows=placements.select_related("candidate", "pledge__organisation"),
        columns=columns,
        filename_stem="bbl-klas",
        format=format,
        audit_type=Candidate,
        audit_id=lambda placement: placement.candidate_id if visible(placement) else None,
    )


def export_registrations(request: HttpRequest, registrations: Iterable[Registration], format: str) -> HttpResponse:
    """Who signed up for one of the organisation's activities, in the page's order (places, waiting
    list, cancelled). E-mail and phone as the page shows them: not for those who cancelled."""
    Status = Registration.Status

    def contact(registration: Registration) -> bool:
        return registration.status != Status.CANCELLED

    waiting = [registration for registration in registrations if registration.status == Status.WAITING]
    number = {registration.pk: position for position, registration in enumerate(waiting, start=1)}
    columns = [
        Column(_("Name"), "candidate.full_name"),
        Column(_("E-mail address"), lambda r: r.candidate.email if contact(r) else ""),
        Column(_("Phone number"), lambda r: format_phone(r.candidate.phone) if contact(r) else ""),
        Column(_("Status"), "get_status_display"),
        Column(_("Number on the waiting list"), lambda r: number.get(r.pk)),
        Column(_("Signed up"), "created_at"),
        Column(_("From the waiting list"), lambda r: r.promoted_at is not None),
        Column(_("Cancelled"), "cancelled_at"),
    ]
    return export_response(
        request,
        rows=registrations,
        columns=columns,
        filename_stem="aanmeldingen",
        format=format,
        audit_type=Candidate,
        audit_id=lambda registration: registration.candidate_id,
    )
