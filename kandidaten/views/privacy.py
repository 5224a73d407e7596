"""A candidate's own pages at /mijn-gegevens/ (no account: a personal link), and the coordinators'
erasure requests on the dashboard. Thin: the logic is in kandidaten.privacy.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage

from contactpunt import audit
from contactpunt.mail import site_url

from .. import privacy
from ..models import Candidate, ErasureRequest, RetentionSettings
from ..privacy_forms import (
    CONSENT_LABELS,
    ConsentForm,
    CoordinatorEraseForm,
    CorrectionForm,
    EraseConfirmForm,
    LinkRequestForm,
)
from ..services import email_key

logger = logging.getLogger(__name__)


def _no_store(response: HttpResponse) -> HttpResponse:
    """Personal pages stay out of shared caches and the browser's back-forward cache."""
    response["Cache-Control"] = "no-store"
    return response


def _limit_reached(request: HttpRequest, email: str) -> tuple[str, int] | None:
    """Per IP, and per address (whoever asks for it): a mailbox is not flooded, addresses not probed.

    Both are counted on every request. Returns which limit refuses this one ("address" before
    "connection") and the seconds until every limit that refuses it opens again; None if none does.
    The address limit counts whether or not the address is known, so saying so tells nothing.
    """
    usages = {
        "connection": get_usage(
            request, group="privacy_link_ip", key="ip", rate=settings.PERSONAL_LINK_RATE_LIMIT_IP, increment=True
        ),
        "address": get_usage(
            request,
            group="privacy_link_email",
            key=lambda group, request: email_key(email),
            rate=settings.PERSONAL_LINK_RATE_LIMIT_EMAIL,
            increment=True,
        ),
    }
    refused = {name: max(1, usage["time_left"]) for name, usage in usages.items() if usage and usage["should_limit"]}
    if not refused:
        return None
    return ("address" if "address" in refused else "connection"), max(refused.values())


def _too_many_link_requests(request: HttpRequest, reason: str, seconds: int) -> HttpResponse:
    """The 429 of the personal-link limits: what happened, that a sent link still works, and from when.

    No error code: nothing went wrong that anyone has to look up. No "call the contact point": a
    public page has no contact details to call.
    """
    # django-ratelimit's window still counts in its last second; "from 14:35" must mean that 14:35 works.
    seconds += 1
    opens = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    opens = opens.replace(second=0, microsecond=0) + timedelta(minutes=1)
    context = {
        "reason": reason,
        "until": opens.strftime("%H:%M"),
        "tomorrow": opens.date() > timezone.localdate(),
        "hours": RetentionSettings.current().link_hours,
    }
    response = render(request, "kandidaten/privacy/too_many.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return _no_store(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def link_request(request: HttpRequest) -> HttpResponse:
    """Type your address, get a link if we know it. The answer is the same either way."""
    if request.method == "POST":
        form = LinkRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            limit = _limit_reached(request, email)
            if limit is not None:
                logger.warning("Personal link refused: rate limit reached (%s)", limit[0])
                return _too_many_link_requests(request, *limit)
            privacy.request_link(email=email, site_url=site_url(request))
            return redirect("kandidaten:privacy_sent")
    else:
        form = LinkRequestForm()
    return render(request, "kandidaten/privacy/request.html", {"form": form})


@login_not_required
@require_GET
def link_sent(request: HttpRequest) -> HttpResponse:
    hours = RetentionSettings.current().link_hours
    return render(request, "kandidaten/privacy/sent.html", {"hours": hours})


@login_not_required
@require_GET
@never_cache
def link_arrive(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: park the token in the session and move on to a URL without it.

    Nothing is used up by a GET (mail scanners open links too); the button on the next page is.
    """
    if privacy.valid_token_shape(token):
        request.session[privacy.PENDING_TOKEN_KEY] = token
    return redirect("kandidaten:privacy_open")


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def link_open(request: HttpRequest) -> HttpResponse:
    token = request.session.get(privacy.PENDING_TOKEN_KEY, "")
    if request.method == "POST":
        request.session.pop(privacy.PENDING_TOKEN_KEY, None)
        candidate = privacy.redeem_link(token=token) if isinstance(token, str) else None
        if candidate is None:
            return _no_store(render(request, "kandidaten/privacy/link_invalid.html", status=410))
        privacy.open_session(request.session, candidate)
        return redirect("kandidaten:privacy_overview")
    # A used, expired or made-up link says so at once, not only after the button.
    if not isinstance(token, str) or not privacy.link_is_usable(token=token):
        return _no_store(render(request, "kandidaten/privacy/link_invalid.html", status=410))
    return _no_store(render(request, "kandidaten/privacy/open.html"))


def _candidate_or_none(request: HttpRequest) -> Candidate | None:
    return privacy.session_candidate(request.session)


def _session_expired(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "kandidaten/privacy/session_ended.html", status=403))


@login_not_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    candidate = _candidate_or_none(request)
    if candidate is None:
        return _session_expired(request)
    step = privacy.plain_status(candidate)
    consents_now = privacy.current_consents(candidate)
    context = {
        "candidate": candidate,
        "step": step,
        "steps": privacy.STEPS,
        "consent_rows": [(CONSENT_LABELS[purpose], granted) for purpose, granted in consents_now.items()],
        "registrations": privacy.registrations_for(candidate),
        "introductions": privacy.introductions_for(candidate),
    }
    return _no_store(render(request, "kandidaten/privacy/overview.html", context))


@login_not_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest) -> HttpResponse:
    candidate = _candidate_or_none(request)
    if candidate is None:
        return _session_expired(request)
    if request.method == "POST":
        form = CorrectionForm(request.POST, instance=Candidate.objects.get(pk=candidate.pk))
        if form.is_valid():
            # The unsaved instance carries the new values; the service compares with a fresh copy.
            changed = privacy.correct_details(candidate=Candidate.objects.get(pk=candidate.pk), details=form.details())
            audit.record(request, audit.Action.CHANGE, candidate, fields=changed, by_candidate=True)
            if changed:
                messages.success(request, _("Thank you: your details have been corrected."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("kandidaten:privacy_overview")
        status = 200  # the form again, with the errors at the fields (as the intake does)
    else:
        form = CorrectionForm(instance=candidate)
        status = 200
    return _no_store(render(request, "kandidaten/privacy/correct.html", {"form": form}, status=status))


@login_not_required
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest) -> HttpResponse:
    candidate = _candidate_or_none(request)
    if candidate is None:
        return _session_expired(request)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            changed = privacy.set_consents(candidate=candidate, answers=form.answers())
            if changed:
                audit.record(request, audit.Action.CHANGE, candidate, fields=["consents"], by_candidate=True)
                messages.success(request, _("Your choices have been saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("kandidaten:privacy_overview")
    else:
        form = ConsentForm(initial=privacy.current_consents(candidate))
    return _no_store(render(request, "kandidaten/privacy/consents.html", {"form": form}))


@login_not_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    candidate = _candidate_or_none(request)
    if candidate is None:
        return _session_expired(request)
    data = privacy.export_data(candidate)
    audit.record(request, audit.Action.EXPORT, candidate, by_candidate=True)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"'
    return _no_store(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    """Erase my details, after a confirmation; the e-mail confirming it goes out before the address goes."""
    candidate = _candidate_or_none(request)
    if candidate is None:
        return _session_expired(request)
    if request.method == "POST":
        form = EraseConfirmForm(request.POST)
        if form.is_valid():
            privacy.erase_candidate(
                candidate=candidate,
                via=ErasureRequest.Via.PERSONAL_LINK,
                site_url=site_url(request),
                http_request=request,
            )
            privacy.close_session(request.session)
            return redirect("kandidaten:privacy_erased")
        status = 200  # the form again, with the errors at the fields (as the intake does)
    else:
        form = EraseConfirmForm()
        status = 200
    return _no_store(render(request, "kandidaten/privacy/erase.html", {"form": form}, status=status))


@login_not_required
@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "kandidaten/privacy/erased.html")


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:  # a portal user keeps their login; only a candidate session ends
        request.session.pop(privacy.SESSION_KEY, None)
    else:
        privacy.close_session(request.session)
    messages.info(request, _("You have logged out of My details."))
    return redirect("kandidaten:privacy_request")


# Coordinators ---------------------------------------------------------------------------------------


def _require_candidate_worker(request: HttpRequest) -> None:
    if not request.user.works_candidates:
        raise PermissionDenied


def _visible_candidate(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.visible_to(request.user).select_related("region"), pk=pk)


@require_POST
def erasure_request_record(request: HttpRequest, pk: int) -> HttpResponse:
    """'Erasure request received': recorded with a deadline of one month."""
    _require_candidate_worker(request)
    candidate = _visible_candidate(request, pk)
    try:
        erasure = privacy.record_erasure_request(candidate=candidate, actor=request.user)
    except privacy.PrivacyRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(
            request,
            _("Erasure request recorded. Carry it out before %(date)s.")
            % {"date": erasure.due_on.strftime("%d-%m-%Y")},
        )
    return redirect("kandidaten:candidate", pk=candidate.pk)


@require_http_methods(["GET", "POST"])
def erasure_carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    _require_candidate_worker(request)
    candidate = _visible_candidate(request, pk)
    if candidate.is_erased:
        messages.info(request, _("Already done: the details of this candidate have been erased."))
        return redirect("kandidaten:candidate", pk=candidate.pk)
    open_request = ErasureRequest.objects.open().filter(candidate=candidate).first()
    if request.method == "POST":
        form = CoordinatorEraseForm(request.POST)
        if form.is_valid():
            try:
                privacy.erase_candidate(
                    candidate=candidate,
                    via=ErasureRequest.Via.COORDINATOR,
                    actor=request.user,
                    site_url=site_url(request),
                    http_request=request,
                )
            except privacy.PrivacyRefused as refused:
                messages.info(request, refused.message)
            else:
                messages.success(request, _("The candidate's details have been erased."))
            return redirect("kandidaten:candidate", pk=candidate.pk)
        status = 200  # the form again, with the errors at the fields (as the intake does)
    else:
        form = CoordinatorEraseForm()
        status = 200
    context = {"candidate": candidate, "form": form, "erasure_request": open_request}
    return render(request, "kandidaten/privacy/coordinator_erase.html", context, status=status)


@require_GET
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """The open erasure requests of the coordinator's regions, nearest deadline first."""
    _require_candidate_worker(request)
    requests = list(privacy.open_erasure_requests(request.user)[:200])
    today = timezone.localdate()
    return render(request, "kandidaten/privacy/erasure_requests.html", {"requests": requests, "today": today})
