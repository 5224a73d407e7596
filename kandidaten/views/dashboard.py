"""The coordinator dashboard at /dashboard/: inbox, candidate page, duplicates and the national queue.

Coordinators and administrators only (others get 403); every candidate is fetched through
`Candidate.objects.visible_to(user)`, so a coordinator of another region gets 404.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contactpunt.access import dashboard_view
from contactpunt.audit import Action, record
from contactpunt.exports import requested_format

from .. import exports, services
from ..filters import CandidateFilter
from ..forms import (
    AssignForm,
    CandidateEditForm,
    ContactMomentForm,
    HandOverForm,
    MergeForm,
    StatusForm,
)
from ..models import Candidate, CandidateQuerySet, Status

PAGE_SIZE = 25


def _visible(request: HttpRequest) -> CandidateQuerySet:
    return Candidate.objects.visible_to(request.user)


def _candidate_url(candidate: Candidate) -> str:
    return reverse("kandidaten:candidate", args=[candidate.pk])


def refuse_if_erased(request: HttpRequest, *candidates: Candidate) -> HttpResponse | None:
    """The refusal when one of `candidates` is erased, else None: call it before any form or change.

    An erased candidate is an anonymous stub kept for the figures: an edit form or an action would
    put personal data back or send it to an employer. The answer goes to the candidate page (which
    still shows the stub) with an error; htmx gets the same page through HX-Redirect. A POST reads
    `erased_at` again under a row lock (PostgreSQL), held until the request's transaction ends: an
    erasure running at the same moment is either seen here or waits until this action is done.
    """
    for candidate in candidates:
        erased = candidate.is_erased or (
            request.method == "POST"
            and Candidate.objects.select_for_update().filter(pk=candidate.pk, erased_at__isnull=False).exists()
        )
        if erased:
            messages.error(
                request, _("The details of this candidate have been erased; nothing can be changed any more.")
            )
            url = _candidate_url(candidate)
            if request.htmx:
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
    return None


def _redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the form was on (the inbox with its filters), if that is a page of ours."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = default
    return redirect(target or default)


# The search text is personal data (a name, an address, a phone number): it travels by POST and is
# kept in the session, so it never appears in a URL, the browser history or a server log.
INBOX_SEARCH = "inbox_search"


@require_http_methods(["GET", "POST"])
@dashboard_view
def inbox(request: HttpRequest) -> HttpResponse:
    """The candidates of the user's regions, filtered, searched, sorted and paged.

    Filters are GET parameters; the form posts, keeps the search text in the session and
    redirects to the filters' address (htmx gets the results at once and that address to show).
    """
    if request.method == "POST":
        return _inbox_search(request)
    return _render_inbox(request, request.GET)


def _filter_query(data: QueryDict) -> str:
    """The filters of a submitted form as a query string: no search text, no empty values."""
    query = QueryDict(mutable=True)
    for name in CandidateFilter.base_filters:
        values = [value for value in data.getlist(name) if value]
        if name != "q" and values:
            query.setlist(name, values)
    return query.urlencode()


def _inbox_search(request: HttpRequest) -> HttpResponse:
    if "clear" in request.POST:
        request.session.pop(INBOX_SEARCH, None)
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": reverse("kandidaten:inbox")})
        return redirect("kandidaten:inbox")
    text = " ".join(request.POST.get("q", "").split())
    if text:
        request.session[INBOX_SEARCH] = text[:100]
    else:
        request.session.pop(INBOX_SEARCH, None)
    query = _filter_query(request.POST)
    address = f"{reverse('kandidaten:inbox')}?{query}" if query else reverse("kandidaten:inbox")
    if not request.htmx:
        return redirect(address)
    response = _render_inbox(request, QueryDict(query))
    response["HX-Push-Url"] = address
    return response


def _render_inbox(request: HttpRequest, params: QueryDict) -> HttpResponse:
    now = timezone.now()
    scope = _visible(request)
    data = params.copy()
    if search := request.session.get(INBOX_SEARCH):
        data["q"] = search
    filterset = CandidateFilter(data or None, queryset=scope.for_list(), request=request, now=now)
    if export := requested_format(request):
        return exports.export_inbox(request, filterset.qs, export)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(params.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "searching": bool(search),
        "first_contact_days": settings.FIRST_CONTACT_WORKING_DAYS,
        "export_params": params,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "kandidaten/dashboard/_inbox_partial.html", context)
    else:
        context["counts"] = scope.dashboard_counts(now)
        response = render(request, "kandidaten/dashboard/inbox.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _render_candidate(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    """The candidate page; a form that did not validate is passed in to show its errors."""
    candidate = get_object_or_404(_visible(request).with_details(), pk=pk)
    user = request.user
    duplicates = services.likely_duplicates(
        scope=_visible(request),
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        postcode=candidate.postcode,
        email=candidate.email,
        phone=candidate.phone,
        exclude_id=candidate.pk,
    )
    context = {
        "candidate": candidate,
        "timeline": candidate.timeline.all(),
        "duplicates": duplicates,
        "status_form": forms.get("status_form") or StatusForm(candidate=candidate),
        "assign_form": forms.get("assign_form") or AssignForm(candidate=candidate),
        "contact_form": forms.get("contact_form") or ContactMomentForm(),
        "hand_over_form": (forms.get("hand_over_form") or HandOverForm()) if user.is_administrator else None,
        "can_take": candidate.assigned_to_id != user.pk,
    }
    # The employers panel: introductions, activity registrations, BBL placements, the introduce form.
    from werkgevers.views.introductions import candidate_panel  # werkgevers' views build on this module

    context.update(candidate_panel(request, candidate, forms.get("introduction_form")))
    # Match suggestions: the best open ones with their reasons, and the decided ones (two queries).
    from .matches import candidate_matches  # builds on this module

    context.update(candidate_matches(request, candidate))
    return render(request, "kandidaten/dashboard/candidate.html", context, status=status)


@require_GET
@dashboard_view
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = _render_candidate(request, pk)
    record(request, Action.VIEW, (Candidate, pk))
    return response


@require_http_methods(["GET", "POST"])
@dashboard_view
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(_visible(request).select_related("region"), pk=pk)
    if refused := refuse_if_erased(request, candidate):
        return refused
    # The form works on a copy: validating a ModelForm writes into its instance, and the service
    # compares the stored values with the new ones to record what changed.
    data = request.POST if request.method == "POST" else None
    form = CandidateEditForm(data, instance=copy.copy(candidate))
    if request.method == "POST" and form.is_valid():
        changed = services.candidate_update(candidate=candidate, details=form.details(), actor=request.user)
        if changed:
            record(request, Action.CHANGE, candidate, changed)
        if not changed:
            messages.info(request, _("Nothing was changed."))
        elif not _visible(request).filter(pk=candidate.pk).exists():
            messages.warning(
                request,
                _("Saved. %(name)s now belongs to %(region)s, so you no longer see this candidate.")
                % {"name": candidate.full_name, "region": candidate.region or _("the national queue")},
            )
            return redirect("kandidaten:inbox")
        else:
            messages.success(request, _("The details of %(name)s have been saved.") % {"name": candidate.full_name})
        return redirect(_candidate_url(candidate))
    return render(request, "kandidaten/dashboard/candidate_edit.html", {"candidate": candidate, "form": form})


@require_POST
@dashboard_view
def candidate_status(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(_visible(request), pk=pk)
    if refused := refuse_if_erased(request, candidate):
        return refused
    form = StatusForm(request.POST, candidate=candidate)
    if not form.is_valid():
        return _render_candidate(request, pk, status_form=form)
    wanted = form.cleaned_data["status"]
    try:
        services.candidate_change_status(
            candidate=candidate,
            status=wanted,
            actor=request.user,
            reason=form.cleaned_data["reason"] if wanted == Status.STOPPED else "",
            note=form.cleaned_data["note"],
        )
        record(request, Action.CHANGE, candidate, ["status", "stop_reason"])
    except services.InvalidTransition:
        candidate.refresh_from_db(fields=["status"])
        labels = {"from": candidate.get_status_display(), "to": Status(wanted).label}
        if candidate.status == wanted:
            messages.info(request, _("Already done: the status is %(to)s.") % labels)
        else:
            messages.error(request, _("The status cannot go from %(from)s to %(to)s.") % labels)
        return redirect(_candidate_url(candidate))
    messages.success(request, _("The status is now %(status)s.") % {"status": Status(wanted).label})
    return redirect(_candidate_url(candidate))


@require_POST
@dashboard_view
def candidate_assign(request: HttpRequest, pk: int) -> HttpResponse:
    # Locked until the request ends (PostgreSQL), so that two people taking it at once queue up.
    candidate = get_object_or_404(_visible(request).select_for_update(), pk=pk)
    if refused := refuse_if_erased(request, candidate):
        return refused
    form = AssignForm(request.POST, candidate=candidate)
    if not form.is_valid():
        if form.has_error("__all__", "stale"):
            messages.warning(request, form.non_field_errors()[0])
            return _redirect_back(request, _candidate_url(candidate))
        return _render_candidate(request, pk, assign_form=form)
    assignee = form.cleaned_data["assignee"]
    services.candidate_assign(candidate=candidate, assignee=assignee, actor=request.user)
    record(request, Action.CHANGE, candidate, ["assigned_to"])
    if assignee is None:
        messages.success(request, _("%(name)s is no longer assigned to anyone.") % {"name": candidate.full_name})
    elif assignee.pk == request.user.pk:
        messages.success(request, _("%(name)s is now assigned to you.") % {"name": candidate.full_name})
    else:
        messages.success(
            request,
            _("%(name)s is now assigned to %(coordinator)s.") % {"name": candidate.full_name, "coordinator": assignee},
        )
    return _redirect_back(request, _candidate_url(candidate))


@require_POST
@dashboard_view
def contact_moment_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(_visible(request), pk=pk)
    if refused := refuse_if_erased(request, candidate):
        return refused
    form = ContactMomentForm(request.POST)
    if not form.is_valid():
        return _render_candidate(request, pk, contact_form=form)
    services.contact_moment_log(candidate=candidate, actor=request.user, details=form.details())
    record(request, Action.CHANGE, candidate, ["contact_moments"])
    messages.success(request, _("The contact moment has been saved."))
    return redirect(f"{_candidate_url(candidate)}#timeline")


@require_GET
@dashboard_view
def duplicates(request: HttpRequest) -> HttpResponse:
    """Pairs of probable duplicates among the candidates the user may see, each with a merge action."""
    pairs = _visible(request).duplicate_pairs()
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kandidaten/dashboard/duplicates.html", {"page": page})


@require_POST
@dashboard_view
def candidate_merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Merge two records of one person; both must be visible to the user."""
    if pk == other_pk:
        raise Http404
    candidate = get_object_or_404(_visible(request), pk=pk)
    other = get_object_or_404(_visible(request), pk=other_pk)
    if refused := refuse_if_erased(request, candidate, other):
        return refused
    form = MergeForm(request.POST, candidates=(candidate, other))
    if not form.is_valid():
        messages.error(request, _("Choose which record to keep."))
        return _redirect_back(request, _candidate_url(candidate))
    keep, remove = form.keep_and_remove()
    removed_name, removed_pk = remove.full_name, remove.pk
    kept = services.candidate_merge(keep=keep, remove=remove, actor=request.user)
    record(request, Action.CHANGE, kept, ["timeline"])
    record(request, Action.ERASE, (Candidate, removed_pk))
    messages.success(
        request,
        _("Merged: the history of %(removed)s is now with %(kept)s.") % {"removed": removed_name, "kept": kept},
    )
    return redirect(_candidate_url(kept))


@require_GET
@dashboard_view
def national_queue(request: HttpRequest) -> HttpResponse:
    """Candidates whose postcode no region serves; administrators hand them to a region."""
    if not request.user.is_administrator:
        raise PermissionDenied
    queryset = _visible(request).national_queue().for_list().order_by("signed_up_at", "id")
    if export := requested_format(request):
        return exports.export_national_queue(request, queryset, export)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    form = HandOverForm()
    context = {"page": page, "regions": list(form.fields["region"].queryset), "now": timezone.now()}
    return render(request, "kandidaten/dashboard/national_queue.html", context)


@require_POST
@dashboard_view
def candidate_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(_visible(request), pk=pk)
    if not request.user.is_administrator:
        raise PermissionDenied
    if refused := refuse_if_erased(request, candidate):
        return refused
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the region to hand the candidate to."))
        return _redirect_back(request, _candidate_url(candidate))
    region = form.cleaned_data["region"]
    services.candidate_hand_to_region(candidate=candidate, region=region, actor=request.user)
    record(request, Action.CHANGE, candidate, ["region", "assigned_to"])
    messages.success(
        request, _("%(name)s has been handed to %(region)s.") % {"name": candidate.full_name, "region": region}
    )
    return _redirect_back(request, _candidate_url(candidate))
