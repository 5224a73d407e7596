"""Offers (aanbod): the employer's own at /werkgever/aanbod/, and every offer of their regions for
coordinators at /dashboard/aanbod/.

Employers: employer users with an organisation only (others 403), offers fetched within their own
organisation (others 404). Coordinators and administrators: `Offer.objects.visible_to(user)`
without drafts (others 404).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contactpunt.access import dashboard_view, employer_view
from contactpunt.exports import requested_format
from contactpunt.mail import site_url

from .. import exports
from .. import offers as services
from ..filters import COORDINATOR_STATUSES, CoordinatorOfferFilter, EmployerOfferFilter
from ..forms.offers import CopyForm, OfferForm, StatusForm
from ..models import DATED_KINDS, PLACE_KINDS, VACANCY_KINDS, Offer, OfferKind, OfferQuerySet, Registration

PAGE_SIZE = 25
Status = Offer.Status


def _own(request: HttpRequest) -> OfferQuerySet:
    """The offers of the employer's own organisation."""
    return Offer.objects.filter(organisation_id=request.user.organisation_id)


def _with_details(queryset: OfferQuerySet) -> OfferQuerySet:
    now = timezone.now()
    queryset = services.with_shown_status(queryset.with_introductions_this_week(now), now)
    return queryset.select_related(
        "organisation", "branch", "location__region", "contact_person", "created_by"
    ).prefetch_related("functions", "target_groups")


def _label(offers: Iterable[Offer]) -> None:
    """Status label and introductions left this week, for the templates."""
    for offer in offers:
        offer.shown_label = Status(offer.shown_status).label
        offer.introductions_left_now = offer.introductions_left(offer.introductions_this_week)


def _waiting(offer: Offer) -> int:
    """How many people are on the waiting list of a dated activity."""
    if not offer.is_dated:
        return 0
    return offer.registrations.filter(status=Registration.Status.WAITING).count()


# Employers


@require_GET
@employer_view
def employer_offers(request: HttpRequest) -> HttpResponse:
    """The organisation's offers, in tabs by status, with sign-ups against capacity for dated activities."""
    # Queries (fixed, whatever the number of offers): session, user, SAVEPOINT, the counts per tab
    # (one aggregate), COUNT for the paginator, the page of offers with branch and location,
    # RELEASE SAVEPOINT. See werkgevers/tests/test_offers_queries.py.
    now = timezone.now()
    scope = _own(request)
    filterset = EmployerOfferFilter(request.GET or None, queryset=scope, now=now)
    offers = services.with_shown_status(filterset.qs, now).select_related("branch", "location")
    if export := requested_format(request):
        return exports.export_employer_offers(request, offers, export)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    _label_status(page.object_list)
    counts = scope.aggregate(
        all=Count("pk"),
        **{status: Count("pk", filter=services.shown_status_q(status, now)) for status in Status.values},
    )
    tabs = [("", _("All"), counts["all"])] + [(value, label, counts[value]) for value, label in Status.choices]
    context = {"filter": filterset, "page": page, "tabs": tabs, "current": request.GET.get("status", "")}
    return render(request, "werkgevers/offers/employer_offers.html", context)


def _label_status(offers: Iterable[Offer]) -> None:
    for offer in offers:
        offer.shown_label = Status(offer.shown_status).label


def _kind_groups() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The choice page: (heading, [(kind, label, explanation)]) grouped the way employers think of them."""
    explanations = {
        OfferKind.MEELOOPDAG: _("Someone spends a day (or part of one) with one of your colleagues."),
        OfferKind.OPEN_HUIS: _("Visitors see your organisation and meet the people who work there."),
        OfferKind.SPEEDDATE: _("Short conversations between candidates and your recruiters."),
        OfferKind.INFORMATIEBIJEENKOMST: _("A meeting that explains the work and how to get started."),
        OfferKind.BBL_PLEK: _("Paid work and learning at the same time, towards a diploma."),
        OfferKind.STAGEPLEK: _("An internship for a student."),
        OfferKind.WERKERVARINGSPLEK: _("A place to gain work experience, for example next to a benefit."),
        OfferKind.OPLEIDING: _("A training course your organisation offers."),
        OfferKind.STERK_IN_JE_WERK: _("Career coaching for people who think about working in care."),
        OfferKind.VACATURE: _("A job with a contract."),
    }

    def kinds(group: frozenset) -> list[tuple[str, str, str]]:
        return [(kind.value, kind.label, explanations[kind]) for kind in OfferKind if kind in group]

    return [
        (_("Activities on a date"), kinds(DATED_KINDS)),
        (_("Places: work and learn, internships, training, coaching"), kinds(PLACE_KINDS)),
        (_("Vacancies"), kinds(VACANCY_KINDS)),
    ]


@require_http_methods(["GET", "POST"])
@employer_view
def offer_create(request: HttpRequest) -> HttpResponse:
    """First the kind (`?soort=`), then the form with the fields of that kind; saved as a draft."""
    kind = request.GET.get("soort", "")
    if kind not in OfferKind.values:
        return render(request, "werkgevers/offers/choose_kind.html", {"groups": _kind_groups()})
    organisation = request.user.organisation
    form = OfferForm(request.POST or None, organisation=organisation, kind=kind)
    if request.method == "POST" and form.is_valid():
        offer = services.offer_create(organisation=organisation, kind=kind, details=form.details(), actor=request.user)
        messages.success(request, _("The offer is saved as a draft. Publish it when it is ready."))
        return redirect("werkgevers:offer_detail", offer.pk)
    context = {"form": form, "kind": OfferKind(kind), "organisation": organisation}
    return render(request, "werkgevers/offers/offer_form.html", context)


@require_GET
@employer_view
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(_with_details(_own(request)), pk=pk)
    _label([offer])
    context = {
        "offer": offer,
        "problems": services.publish_problems(offer) if offer.status in (Status.DRAFT, Status.EXPIRED) else [],
        "can_publish": offer.status in (Status.DRAFT, Status.EXPIRED),
        "can_unpublish": offer.status == Status.PUBLISHED and not offer.registered_count,
        "can_close": offer.status in (*services.LIVE, Status.EXPIRED),
        "can_edit": offer.status != Status.CLOSED,
        "copy_form": CopyForm(offer=offer),
        "waiting": _waiting(offer),
    }
    return render(request, "werkgevers/offers/offer_detail.html", context)


@require_http_methods(["GET", "POST"])
@employer_view
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(_own(request).select_related("organisation"), pk=pk)
    if offer.status == Status.CLOSED:
        messages.info(request, _("A closed offer cannot be changed. Make a copy to offer it again."))
        return redirect("werkgevers:offer_detail", offer.pk)
    # The form works on a copy: validating a ModelForm writes into its instance.
    form = OfferForm(request.POST or None, instance=copy.copy(offer), organisation=offer.organisation, kind=offer.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(offer=offer, details=form.details(), actor=request.user, site_url=site_url(request))
        except services.CapacityBelowRegistrations as error:
            form.add_error(
                "capacity",
                _("%(count)s people have signed up already: the number of places cannot be lower.")
                % {"count": error.registered},
            )
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("werkgevers:offer_detail", offer.pk)
    context = {"form": form, "offer": offer, "kind": OfferKind(offer.kind), "organisation": offer.organisation}
    return render(request, "werkgevers/offers/offer_form.html", context)


def _status_error(error: services.OfferStatusError, offer: Offer) -> str:
    if error.code == "incomplete":
        return " ".join([_("The offer cannot be published yet."), *(str(problem) for problem in error.problems)])
    if error.code == "has_registrations":
        return _(
            "People have signed up already, so the offer cannot go back to draft. Close it if it does not go ahead."
        )
    if error.code == "already":
        return _("Already done: the offer is %(status)s.") % {"status": offer.get_status_display()}
    return _("That is not possible: the offer is %(status)s.") % {"status": offer.get_status_display()}


@require_POST
@employer_view
def offer_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, back to draft, or close; an impossible step says why."""
    offer = get_object_or_404(_own(request), pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("werkgevers:offer_detail", offer.pk)
    action = form.cleaned_data["action"]
    change = {
        StatusForm.PUBLISH: services.offer_publish,
        StatusForm.UNPUBLISH: services.offer_unpublish,
        StatusForm.CLOSE: services.offer_close,
    }[action]
    try:
        offer = change(offer=offer, actor=request.user)
    except services.OfferStatusError as error:
        offer.refresh_from_db(fields=["status"])
        (messages.info if error.code == "already" else messages.error)(request, _status_error(error, offer))
        return redirect("werkgevers:offer_detail", offer.pk)
    if action == StatusForm.PUBLISH:
        if offer.is_dated and offer.visibility == Offer.Visibility.PUBLIC:
            messages.success(request, _("The offer is published: it is in the public agenda and coordinators see it."))
        else:
            messages.success(request, _("The offer is published: coordinators of the region see it."))
    elif action == StatusForm.UNPUBLISH:
        messages.success(request, _("The offer is a draft again: only your organisation sees it."))
    else:
        messages.success(request, _("The offer is closed."))
    return redirect("werkgevers:offer_detail", offer.pk)


@require_POST
@employer_view
def offer_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft with the same fields (a recurring open day); the next page is its edit form."""
    offer = get_object_or_404(_own(request), pk=pk)
    form = CopyForm(request.POST, offer=offer)
    if not form.is_valid():
        messages.error(request, _("Choose one of the options for the dates of the copy."))
        return redirect("werkgevers:offer_detail", offer.pk)
    new = services.offer_copy(offer=offer, actor=request.user, weeks=form.cleaned_data["weeks"])
    if offer.is_dated and not form.cleaned_data["weeks"]:
        messages.success(request, _("A copy is made as a draft. Choose its dates and save."))
    else:
        messages.success(request, _("A copy is made as a draft. Check it and save."))
    return redirect("werkgevers:offer_edit", new.pk)


# Coordinators and administrators


def _coordinator_scope(request: HttpRequest) -> OfferQuerySet:
    return Offer.objects.visible_to(request.user).filter(status__in=COORDINATOR_STATUSES)


@require_GET
@dashboard_view
def coordinator_offers(request: HttpRequest) -> HttpResponse:
    """Every offer of the user's regions (administrators: all) with filters and open capacity.

    Queries (fixed, whatever the number of offers; see werkgevers/tests/test_offers_queries.py):
    session, user, SAVEPOINT, the regions for the region filter, COUNT for the paginator, the page of
    offers (organisation, location, region, branch; introductions this week and the shown status
    annotated), their functions (prefetch), branches and functions for the filter form, RELEASE SAVEPOINT.
    """
    now = timezone.now()
    filterset = CoordinatorOfferFilter(
        request.GET or None, queryset=_coordinator_scope(request), request=request, now=now
    )
    offers = services.with_shown_status(filterset.qs.with_introductions_this_week(now), now)
    offers = offers.select_related("organisation", "location__region", "branch").prefetch_related("functions")
    if export := requested_format(request):
        return exports.export_coordinator_offers(request, offers, export)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    _label(page.object_list)
    context = {"filter": filterset, "page": page, "show_region": "region" in filterset.filters}
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "werkgevers/offers/_coordinator_results.html", context)
    else:
        response = render(request, "werkgevers/offers/coordinator_offers.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@dashboard_view
def coordinator_offer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(_with_details(_coordinator_scope(request)), pk=pk)
    _label([offer])
    context = {"offer": offer, "waiting": _waiting(offer)}
    return render(request, "werkgevers/offers/coordinator_offer.html", context)
