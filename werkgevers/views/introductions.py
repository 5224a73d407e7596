"""Introductions: coordinators introduce candidates and follow them up at /dashboard/voorstellen/;
employers answer at /werkgever/voorstellen/.

Coordinators and administrators reach the dashboard views (others: 403) and see the candidates of
their regions only; employer users reach the portal views (others: 403) and see the introductions to
their own organisation's offers only, with the candidate data the candidate agreed to share.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contactpunt.access import dashboard_view, employer_view
from contactpunt.audit import Action, record
from contactpunt.exports import requested_format
from contactpunt.mail import site_url
from contactpunt.models import User
from contactpunt.workdays import first_contact_cutoff
from kandidaten.models import Candidate, Consent, TimelineEvent
from kandidaten.views.dashboard import _redirect_back, _render_candidate, refuse_if_erased

from .. import exports
from .. import introductions as services
from ..forms.introductions import AnswerForm, IntroductionFilter, IntroductionForm, OutcomeForm, WithdrawForm
from ..models import Introduction

PAGE_SIZE = 25


# The candidate page's panel ---------------------------------------------------------------------


def candidate_panel(request: HttpRequest, candidate: Candidate, form: IntroductionForm | None = None) -> dict:
    """What the candidate page shows about employers: introductions, activity registrations, BBL
    placements and the form to introduce. Four queries, whatever the numbers (the candidate comes with
    branches and next steps prefetched)."""
    introductions = list(
        candidate.introductions.select_related(
            "offer__organisation", "offer__location", "introduced_by", "answered_by"
        ).order_by(services.OPEN_FIRST, "-created_at", "-id")
    )
    taken = {item.offer_id for item in introductions if item.status in Introduction.OPEN}
    return {
        "panel_introductions": introductions,
        "panel_registrations": list(
            candidate.registrations.select_related("offer__organisation").order_by("-created_at", "-id")
        ),
        "panel_placements": list(
            candidate.cohort_placements.select_related("cohort", "pledge__organisation").order_by("-created_at")
        ),
        "introduction_form": form or IntroductionForm(user=request.user, candidate=candidate, taken=taken),
    }


# Coordinators ------------------------------------------------------------------------------------


@require_POST
@dashboard_view
def introduction_create(request: HttpRequest, candidate_pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("region").prefetch_related("branches", "next_steps"),
        pk=candidate_pk,
    )
    if refused := refuse_if_erased(request, candidate):
        return refused
    taken = set(services.open_introductions(candidate).values_list("offer_id", flat=True))
    form = IntroductionForm(request.POST, user=request.user, candidate=candidate, taken=taken)
    if form.is_valid():
        offer = form.cleaned_data["offer"]
        try:
            services.introduction_create(
                candidate=candidate,
                offer=offer,
                note=form.cleaned_data["note"],
                actor=request.user,
                site_url=site_url(request),
            )
        except services.IntroductionRefused as refused:
            form.add_error("offer", refused.message)
        else:
            messages.success(
                request,
                _("%(name)s has been introduced to %(organisation)s for %(offer)s. The contact person gets an e-mail.")
                % {"name": candidate.full_name, "organisation": offer.organisation.name, "offer": offer.title},
            )
            return redirect(f"{reverse('kandidaten:candidate', args=[candidate.pk])}#employers")
    return _render_candidate(request, candidate.pk, introduction_form=form)


@require_GET
@dashboard_view
def coordinator_introductions(request: HttpRequest) -> HttpResponse:
    """The introductions of the user's regions, with filters: status, employer, waiting long."""
    now = timezone.now()
    queryset = services.for_coordinator_list(services.introductions_visible_to(request.user))
    filterset = IntroductionFilter(request.GET or None, queryset=queryset, request=request, now=now)
    waiting_cutoff = first_contact_cutoff(now, services.WAITING_LONG_WORKING_DAYS)
    if export := requested_format(request):
        return exports.export_coordinator_introductions(request, filterset.qs, export, waiting_cutoff=waiting_cutoff)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "now": now,
        "waiting_cutoff": waiting_cutoff,
        "waiting_days": services.WAITING_LONG_WORKING_DAYS,
    }
    return render(request, "werkgevers/introductions/coordinator_list.html", context)


@require_POST
@dashboard_view
def introduction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(
        services.introductions_visible_to(request.user).select_related("offer__organisation", "candidate"), pk=pk
    )
    if refused := refuse_if_erased(request, introduction.candidate):
        return refused
    back = reverse("kandidaten:candidate", args=[introduction.candidate_id]) + "#employers"
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []):
            messages.error(request, error)
        return _redirect_back(request, back)
    try:
        result = services.introduction_withdraw(
            introduction=introduction,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            site_url=site_url(request),
        )
    except services.IntroductionRefused as refused:
        messages.warning(request, refused.message)
        return _redirect_back(request, back)
    text = _("The introduction to %(organisation)s for %(offer)s has been withdrawn; the employer has been told.") % {
        "organisation": introduction.offer.organisation.name,
        "offer": introduction.offer.title,
    }
    if result.back_in_conversation:
        text += " " + _("No introduction is open any more: the candidate is back to In conversation.")
    messages.success(request, text)
    return _redirect_back(request, back)


# Employers ---------------------------------------------------------------------------------------


def _own(request: HttpRequest):
    return Introduction.objects.filter(offer__organisation_id=request.user.organisation_id)


@require_GET
@employer_view
def employer_introductions(request: HttpRequest) -> HttpResponse:
    """The organisation's introductions, open ones first."""
    queryset = services.for_employer_list(_own(request).select_related("offer"))
    if export := requested_format(request):
        return exports.export_employer_introductions(request, queryset, export)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _own(request).filter(status__in=Introduction.OPEN).count()
    return render(
        request,
        "werkgevers/introductions/employer_list.html",
        {"page": page, "open_count": counts, "now": timezone.now()},
    )


def _render_detail(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    candidates = Candidate.objects.select_related("region").prefetch_related(
        "branches",
        "functions",
        "next_steps",
        Prefetch("consents", queryset=Consent.objects.order_by("-recorded_at", "-id")),
    )
    introduction = get_object_or_404(
        _own(request)
        .select_related("offer__location", "offer__contact_person", "introduced_by", "answered_by")
        .prefetch_related(Prefetch("candidate", queryset=candidates)),
        pk=pk,
    )
    history = TimelineEvent.objects.filter(
        candidate_id=introduction.candidate_id,
        kind=TimelineEvent.Kind.INTRODUCTION,
        data__introduction_id=introduction.pk,
    ).select_related("actor")
    context = {
        "introduction": introduction,
        "offer": introduction.offer,
        "profile": services.shared_profile(introduction.candidate),
        "history": [_history_line(event, request.user.organisation_id) for event in history],
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "can_answer": introduction.status == Introduction.Status.PROPOSED,
        "can_record_outcome": introduction.status == Introduction.Status.INVITED,
    }
    record(request, Action.VIEW, (Candidate, introduction.candidate_id))
    return render(request, "werkgevers/introductions/employer_detail.html", context)


def _history_line(event: TimelineEvent, organisation_id: int) -> dict:
    """A step of this introduction as the employer sees it: what, when, by whom, why. A step taken
    by someone of another employer ("started elsewhere") does not say who: that would tell where."""
    data = event.data or {}
    status = data.get("event", "")
    try:
        label = Introduction.Status(status).label
    except ValueError:
        label = status
    if status == Introduction.Status.PROPOSED:
        label = _("Introduced by the coordinator")
    actor = event.actor
    if actor is None or (actor.role == User.Role.EMPLOYER and actor.organisation_id != organisation_id):
        who = _("the portal")
    elif actor.role == User.Role.COORDINATOR:
        who = _("%(name)s (coordinator)") % {"name": actor}
    else:
        who = str(actor)
    return {"label": label, "at": event.created_at, "who": who, "reason": data.get("reason", "")}


@require_GET
@employer_view
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


def _detail_url(introduction: Introduction) -> str:
    return reverse("werkgevers:introduction_detail", args=[introduction.pk])


@require_POST
@employer_view
def introduction_answer(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(_own(request), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, answer_form=form)
    try:
        result = services.introduction_answer(
            introduction=introduction,
            invite=form.invite,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            site_url=site_url(request),
        )
    except services.IntroductionRefused as refused:
        messages.warning(request, refused.message)
        return redirect(_detail_url(introduction))
    record(request, Action.CHANGE, result.introduction, ["status"])
    if form.invite:
        text = _("You have invited the candidate. The coordinator has been told.")
    else:
        text = _("You have answered that the candidate is not suitable. The coordinator has been told.")
    messages.success(request, text)
    return redirect(_detail_url(result.introduction))


@require_POST
@employer_view
def introduction_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(_own(request), pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, outcome_form=form)
    try:
        services.introduction_outcome(
            introduction=introduction,
            started=form.started,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            site_url=site_url(request),
        )
    except services.IntroductionRefused as refused:
        messages.warning(request, refused.message)
        return redirect(_detail_url(introduction))
    record(request, Action.CHANGE, introduction, ["status"])
    if form.started:
        text = _("You have recorded that the candidate has started. Welcome to your new colleague!")
    else:
        text = _("You have recorded that the candidate did not start. The coordinator has been told.")
    messages.success(request, text)
    return redirect(_detail_url(introduction))
