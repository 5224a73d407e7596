"""The coordinator's candidate lists as CSV or Excel files: the inbox, the national queue, new matches.

The columns are those of the page: no e-mail address or phone number, which the lists do not show
either (the candidate page does, one person at a time). The rows are the queryset the page pages
through, so an export holds exactly the filtered rows, of every page.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.exports import Column, export_response

from . import matching
from .models import Candidate, CandidateQuerySet, Match


def _coordinator(candidate: Candidate) -> str:
    return str(candidate.assigned_to) if candidate.assigned_to_id else ""


def _region(candidate: Candidate) -> str:
    return candidate.region.name if candidate.region_id else ""


def _candidate_columns(*, region: bool, coordinator: bool) -> list[Column]:
    now = timezone.now()
    columns = [Column(_("Name"), "full_name")]
    if region:
        columns.append(Column(_("Region"), _region))
    columns += [
        Column(_("Postcode"), "postcode"),
        Column(_("Place"), "place"),
        Column(_("Status"), "get_status_display"),
        Column(_("Source"), "get_source_display"),
        Column(_("Signed up"), "signed_up_at"),
        Column(_("Working days waiting"), lambda candidate: candidate.age_in_working_days(now)),
        Column(_("Overdue"), lambda candidate: candidate.is_overdue(now)),
    ]
    if coordinator:
        columns.append(Column(_("Coordinator"), _coordinator))
    return columns


def export_inbox(request: HttpRequest, candidates: CandidateQuerySet, format: str) -> HttpResponse:
    """The inbox as filtered and searched (`candidates` comes with region and coordinator)."""
    return export_response(
        request,
        rows=candidates,
        columns=_candidate_columns(region=True, coordinator=True),
        filename_stem="kandidaten",
        format=format,
    )


def export_national_queue(request: HttpRequest, candidates: CandidateQuerySet, format: str) -> HttpResponse:
    return export_response(
        request,
        rows=candidates,
        columns=_candidate_columns(region=False, coordinator=False),
        filename_stem="landelijke-wachtrij",
        format=format,
    )


def export_new_matches(request: HttpRequest, matches: QuerySet[Match], format: str) -> HttpResponse:
    """The open suggestions as filtered, each with the reasons the page gives."""
    today = timezone.localdate()
    columns = [
        Column(_("Candidate"), "candidate.full_name"),
        Column(_("Status"), "candidate.get_status_display"),
        Column(_("Region"), lambda match: _region(match.candidate)),
        Column(_("Coordinator"), lambda match: _coordinator(match.candidate)),
        Column(_("Offer"), "offer.title"),
        Column(_("Kind of offer"), "offer.get_kind_display"),
        Column(_("Employer"), "offer.organisation.name"),
        Column(_("Place"), "offer.location.place"),
        Column(_("Score"), "score"),
        Column(_("Reasons"), lambda match: "; ".join(matching.described(match, today))),
        Column(_("Suggested"), "created_at"),
    ]
    rows = matches.select_related(
        "candidate__region", "candidate__assigned_to", "offer__organisation", "offer__location"
    )
    return export_response(
        request,
        rows=rows,
        columns=columns,
        filename_stem="matchvoorstellen",
        format=format,
        audit_type=Candidate,
        audit_id=lambda match: match.candidate_id,
    )
