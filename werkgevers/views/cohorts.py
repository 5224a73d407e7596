"""BBL classes (BBL-carrousel): coordinators create and fill them at /dashboard/bbl-klassen/;
employers pledge places at /werkgever/bbl-klassen/.

Coordinators see the classes of their regions (others: 404); employers see the classes of the regions
where their organisation has a location, and of all candidates only those placed with them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contactpunt.access import dashboard_view, employer_view
from contactpunt.audit import Action, record_many
from contactpunt.exports import requested_format
from kandidaten.models import Candidate, Consent

from .. import cohorts as services
from .. import exports
from ..cohorts import CohortRefused, cohorts_visible_to, filling, with_filling, with_own_pledge
from ..forms.cohorts import CohortForm, PlacementForm, PledgeForm
from ..introductions import shares_with_employers
from ..models import CohortPlacement, CohortPledge

PAGE_SIZE = 25


def _visible(request: HttpRequest):
    return with_filling(cohorts_visible_to(request.user)).select_related("region", "function")


# Coordinators ------------------------------------------------------------------------------------


@require_GET
@dashboard_view
def cohorts(request: HttpRequest) -> HttpResponse:
    """The classes of the user's regions, the first to start on top, each with its filling."""
    today = timezone.localdate()
    queryset = _visible(request).order_by("start_date", "name", "pk")
    if export := requested_format(request):
        return exports.export_cohorts(request, queryset, export)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(cohort, filling(cohort, today)) for cohort in page.object_list]
    show_region = request.user.is_administrator or request.user.regions.count() > 1
    context = {"page": page, "rows": rows, "show_region": show_region}
    return render(request, "werkgevers/cohorts/coordinator_list.html", context)


@require_http_methods(["GET", "POST"])
@dashboard_view
def cohort_create(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(details=form.details(), actor=request.user)
        messages.success(
            request, _("The BBL class %(name)s has been created. Employers can now pledge places.") % {"name": cohort}
        )
        return redirect("werkgevers:cohort_detail", pk=cohort.pk)
    return render(request, "werkgevers/cohorts/cohort_form.html", {"form": form})


def _render_cohort(request: HttpRequest, pk: int, place_form: PlacementForm | None = None) -> HttpResponse:
    cohort = get_object_or_404(_visible(request), pk=pk)
    placements = CohortPlacement.objects.select_related("candidate", "placed_by").order_by("created_at", "pk")
    pledges = list(
        cohort.pledges.select_related("organisation").prefetch_related(Prefetch("placements", queryset=placements))
    )
    for pledge in pledges:
        pledge.filled = len(pledge.placements.all())
        pledge.free = max(pledge.places - pledge.filled, 0)
    user = request.user
    # Placed candidates of another region (placed by a colleague there) are counted, not named.
    regions = None if user.is_administrator else set(user.regions.values_list("pk", flat=True))
    for pledge in pledges:
        for placement in pledge.placements.all():
            placement.visible = regions is None or placement.candidate.region_id in regions
    state = filling(cohort)
    form = place_form or PlacementForm(user=user, cohort=cohort, pledges=[p for p in pledges if p.free])
    context = {
        "cohort": cohort,
        "filling": state,
        "pledges": pledges,
        "place_form": form,
        "can_place": state.free_places > 0 and any(pledge.free for pledge in pledges),
    }
    return render(request, "werkgevers/cohorts/coordinator_detail.html", context)


@require_GET
@dashboard_view
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if export := requested_format(request):
        cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
        return exports.export_cohort_placements(request, cohort, export)
    return _render_cohort(request, pk)


@require_POST
@dashboard_view
def cohort_place(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
    form = PlacementForm(request.POST, user=request.user, cohort=cohort)
    if form.is_valid():
        candidate = form.cleaned_data["candidate"]
        try:
            placement = services.cohort_place(
                cohort=cohort, pledge=form.cleaned_data["pledge"], candidate=candidate, actor=request.user
            )
        except CohortRefused as refused:
            form.add_error("candidate" if refused.code == "already_placed" else "pledge", refused.message)
        else:
            messages.success(
                request,
                _("%(name)s has been placed in %(cohort)s on a place of %(organisation)s.")
                % {"name": candidate.full_name, "cohort": cohort.name, "organisation": placement.pledge.organisation},
            )
            return redirect("werkgevers:cohort_detail", pk=cohort.pk)
    return _render_cohort(request, pk, place_form=form)


# Employers ---------------------------------------------------------------------------------------


@require_GET
@employer_view
def employer_cohorts(request: HttpRequest) -> HttpResponse:
    """The classes in the organisation's regions, with its own pledge in each."""
    today = timezone.localdate()
    queryset = with_own_pledge(_visible(request), request.user.organisation_id).order_by("start_date", "name", "pk")
    if export := requested_format(request):
        return exports.export_employer_cohorts(request, queryset, export)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(cohort, filling(cohort, today)) for cohort in page.object_list]
    return render(request, "werkgevers/cohorts/employer_list.html", {"page": page, "rows": rows, "today": today})


def _render_employer_cohort(request: HttpRequest, pk: int, pledge_form: PledgeForm | None = None) -> HttpResponse:
    organisation_id = request.user.organisation_id
    cohort = get_object_or_404(_visible(request), pk=pk)
    pledge = CohortPledge.objects.filter(cohort=cohort, organisation_id=organisation_id).first()
    consents = Consent.objects.order_by("-recorded_at", "-id")
    placements = list(
        CohortPlacement.objects.filter(cohort=cohort, pledge__organisation_id=organisation_id)
        .select_related("candidate")
        .prefetch_related(Prefetch("candidate__consents", queryset=consents))
        .order_by("created_at", "pk")
    )
    # Only the candidates placed with this employer, named as far as they agreed to share.
    own = []
    for placement in placements:
        shares = shares_with_employers(placement.candidate)
        name = placement.candidate.full_name if shares else placement.candidate.first_name
        own.append({"name": name, "shares": shares, "placed_at": placement.created_at})
    state = filling(cohort)
    started = cohort.start_date <= timezone.localdate()
    form = pledge_form or PledgeForm(
        cohort=cohort, filled=len(placements), initial={"places": pledge.places if pledge else ""}
    )
    context = {
        "cohort": cohort,
        "filling": state,
        "pledge": pledge,
        "own_placements": own,
        "free_own": max((pledge.places if pledge else 0) - len(placements), 0),
        "employers": cohort.pledges.count(),
        "pledge_form": form,
        "started": started,
    }
    record_many(request, Action.VIEW, [(Candidate, placement.candidate_id) for placement in placements])
    return render(request, "werkgevers/cohorts/employer_detail.html", context)


@require_GET
@employer_view
def employer_cohort(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_employer_cohort(request, pk)


@require_POST
@employer_view
def cohort_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.user.organisation
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
    filled = CohortPlacement.objects.filter(cohort=cohort, pledge__organisation=organisation).count()
    form = PledgeForm(request.POST, cohort=cohort, filled=filled)
    if form.is_valid():
        places = form.cleaned_data["places"]
        try:
            pledge = services.cohort_pledge(cohort=cohort, organisation=organisation, places=places, actor=request.user)
        except CohortRefused as refused:
            form.add_error("places", refused.message)
        else:
            if pledge is None:
                messages.success(request, _("Your pledge for %(cohort)s has been taken back.") % {"cohort": cohort})
            else:
                messages.success(
                    request,
                    ngettext(
                        "You pledge %(places)s place in %(cohort)s. Thank you!",
                        "You pledge %(places)s places in %(cohort)s. Thank you!",
                        pledge.places,
                    )
                    % {"places": pledge.places, "cohort": cohort},
                )
            return redirect("werkgevers:employer_cohort", pk=cohort.pk)
    return _render_employer_cohort(request, pk, pledge_form=form)
