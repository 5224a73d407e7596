"""The public agenda at /agenda/: activities, sign-up, cancellation and calendar files; and the
employer's list of registrations with attendance at /werkgever/aanbod/<pk>/aanmeldingen/.

Public views are marked `login_not_required`. Employer views are for employer users of an
organisation only (403 otherwise) and fetch every object within that organisation (404 otherwise).
Saving goes through `werkgevers.registrations`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from contactpunt.access import employer_view
from contactpunt.audit import Action, record, record_many
from contactpunt.exports import requested_format
from contactpunt.mail import site_url
from contactpunt.views import rate_limited
from kandidaten.models import Candidate

from .. import exports
from .. import registrations as services
from ..calendar import activity_calendar, domain_of, organisation_calendar
from ..forms.agenda import ActivitySignupForm, AgendaFilter, AttendanceForm
from ..models import Offer, OfferQuerySet, Organisation, Registration

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
# What the page after a sign-up may show: the first name, the outcome and the activity, nothing else.
DONE_SESSION_KEY = "agenda_signup_done"


def _agenda(now=None) -> OfferQuerySet:
    return Offer.objects.public_agenda(now).select_related("organisation", "location", "branch")


def _agenda_offer(pk: int) -> Offer | None:
    """An activity on the public agenda, with what its page shows; None when it is not (or no longer) there."""
    return _agenda().select_related("location__region", "contact_person").filter(pk=pk).first()


def _not_available(request: HttpRequest) -> HttpResponse:
    """One friendly page for an unknown, draft, internal, closed or past activity: nothing is given away."""
    return render(request, "werkgevers/agenda/not_available.html", status=404)


# Public agenda


@login_not_required
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    """Activities to come, filtered by the visitor (GET), soonest first, a page at a time."""
    filterset = AgendaFilter(request.GET or None, queryset=_agenda().order_by("starts_at", "pk"))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "werkgevers/agenda/agenda.html", {"filter": filterset, "page": page})


def _render_activity(
    request: HttpRequest, offer: Offer, form: ActivitySignupForm | None, *, status: int = 200, refusal: str = ""
) -> HttpResponse:
    signup_open = services.open_for_signup(offer)
    context = {
        "offer": offer,
        "form": form if signup_open else None,
        "signup_open": signup_open,
        "refusal": refusal,
    }
    return render(request, "werkgevers/agenda/activity.html", context, status=status)


@login_not_required
@require_GET
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _agenda_offer(pk)
    if offer is None:
        return _not_available(request)
    return _render_activity(request, offer, ActivitySignupForm())


def _signup_rate(group: str, request: HttpRequest) -> str:
    """The limit of the public intake (read at request time, so a test or an operator can change it)."""
    return settings.INTAKE_RATE_LIMIT


@login_not_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_signup_rate, method="POST", block=False)
def activity_signup(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return redirect(reverse("werkgevers:activity", args=[pk]) + "#aanmelden")
    if request.limited:
        logger.warning("Agenda sign-up refused: rate limit reached")
        return rate_limited(request)
    offer = _agenda_offer(pk)
    if offer is None:
        return _not_available(request)
    form = ActivitySignupForm(request.POST)
    if form.is_bot:
        logger.warning("Agenda sign-up refused: the hidden field was filled in")
        return render(request, "werkgevers/agenda/refused.html", {"offer": offer}, status=429)
    if not services.open_for_signup(offer):
        return _render_activity(request, offer, None, refusal=services.Refusal.DEADLINE)
    if not form.is_valid():
        return _render_activity(request, offer, form)
    try:
        result = services.registration_signup(
            offer_id=offer.pk, details=form.details(), consents=form.consents(), site_url=site_url(request)
        )
    except services.SignupRefused as refused:
        if refused.reason == services.Refusal.CLOSED:
            return _not_available(request)
        return _render_activity(request, offer, None, refusal=refused.reason)
    request.session[DONE_SESSION_KEY] = {
        "first_name": result.candidate.first_name,
        "outcome": str(result.outcome),
        "status": result.registration.status,
        "position": result.position,
        "offer": offer.pk,
    }
    return redirect("werkgevers:activity_signup_done")


@login_not_required
@require_GET
@never_cache
def activity_signup_done(request: HttpRequest) -> HttpResponse:
    """The answer to a sign-up: a place, the waiting list, or already signed up. Shown once."""
    done = request.session.pop(DONE_SESSION_KEY, None)
    if not done:
        return redirect("werkgevers:agenda")
    offer = Offer.objects.select_related("organisation", "location").filter(pk=done["offer"]).first()
    context = {
        "first_name": done["first_name"],
        "outcome": done["outcome"],
        "waiting": done["status"] == Registration.Status.WAITING,
        "position": done["position"],
        "offer": offer,
    }
    return render(request, "werkgevers/agenda/signup_done.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The personal cancel link. GET only asks (mail scanners open links); POST cancels."""
    try:
        registration = services.registration_by_token(token)
    except Registration.DoesNotExist:
        return render(request, "werkgevers/agenda/cancel_unknown.html", status=404)
    if request.method == "POST":
        result = services.registration_cancel(token=token, site_url=site_url(request))
        return render(
            request,
            "werkgevers/agenda/cancel_done.html",
            {"registration": result.registration, "offer": result.registration.offer, "outcome": result.outcome},
        )
    offer = registration.offer
    context = {
        "registration": registration,
        "offer": offer,
        "active": registration.status in Registration.ACTIVE,
        "too_late": offer.starts_at is not None and offer.starts_at <= timezone.now(),
    }
    return render(request, "werkgevers/agenda/cancel.html", context)


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_not_required
@require_GET
def activity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity as a calendar file (public: nothing personal in it)."""
    offer = _agenda_offer(pk)
    if offer is None:
        return _not_available(request)
    base = site_url(request)
    url = base + reverse("werkgevers:activity", args=[offer.pk])
    return _calendar_response(activity_calendar(offer, domain=domain_of(base), url=url), f"activiteit-{pk}.ics")


@login_not_required
@require_GET
def organisation_feed(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    """An organisation's public activities as a calendar feed to subscribe to (nothing personal in it)."""
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    offers = _agenda().select_related("contact_person").filter(organisation=organisation).order_by("starts_at", "pk")
    base = site_url(request)
    pairs = ((offer, base + reverse("werkgevers:activity", args=[offer.pk])) for offer in offers)
    name = _("Activities of %(organisation)s") % {"organisation": organisation.name}
    text = organisation_calendar(name, pairs, domain=domain_of(base))
    return _calendar_response(text, f"werkgever-{organisation.pk}.ics")


# Employer portal


@require_GET
@employer_view
def offer_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who signed up for one of the organisation's own activities, and who is waiting."""
    offer = get_object_or_404(
        Offer.objects.dated().filter(organisation_id=request.user.organisation_id).select_related("location"), pk=pk
    )
    with_place, waiting, cancelled = [], [], []
    for registration in offer.registrations.select_related("candidate").order_by("created_at", "pk"):
        if registration.status == Registration.Status.WAITING:
            waiting.append(registration)
        elif registration.status == Registration.Status.CANCELLED:
            cancelled.append(registration)
        else:
            with_place.append(registration)
    context = {
        "offer": offer,
        "with_place": with_place,
        "waiting": waiting,
        "cancelled": cancelled,
        "started": offer.starts_at is not None and offer.starts_at <= timezone.now(),
        "Status": Registration.Status,
    }
    if export := requested_format(request):
        return exports.export_registrations(request, [*with_place, *waiting, *cancelled], export)
    record_many(request, Action.VIEW, [(Candidate, r.candidate_id) for r in (*with_place, *waiting, *cancelled)])
    return render(request, "werkgevers/agenda/offer_registrations.html", context)


@require_POST
@employer_view
def registration_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether a person with a place came to the organisation's activity."""
    registration = get_object_or_404(
        Registration.objects.filter(offer__organisation_id=request.user.organisation_id).select_related(
            "offer__organisation", "candidate"
        ),
        pk=pk,
    )
    back = reverse("werkgevers:offer_registrations", args=[registration.offer_id])
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the person came."))
        return redirect(back)
    try:
        services.registration_record_attendance(
            registration=registration, attended=form.cleaned_data["attended"], actor=request.user
        )
    except services.AttendanceRefused as refused:
        if refused.reason == services.AttendanceRefused.NOT_STARTED:
            messages.error(request, _("You can record attendance once the activity has started."))
        else:
            messages.error(request, _("Attendance can only be recorded for someone with a place."))
        return redirect(back)
    record(request, Action.CHANGE, registration, ["status", "attendance_recorded_by"])
    name = registration.candidate.full_name
    if form.cleaned_data["attended"]:
        messages.success(request, _("Saved: %(name)s attended.") % {"name": name})
    else:
        messages.success(request, _("Saved: %(name)s did not come.") % {"name": name})
    return redirect(back)
