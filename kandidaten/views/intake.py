"""The public sign-up form at /aanmelden/ and the coordinators' phone intake.

Both validate with a form and save through `kandidaten.services.candidate_register`.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from contactpunt.audit import Action, origin, record
from contactpunt.phones import normalize_phone
from contactpunt.postcodes import normalize_postcode
from contactpunt.views import rate_limited

from ..forms import IntakeForm, PhoneIntakeForm, intake_initial
from ..models import Candidate
from ..public_signup import AcceptedSignup, accept_signup
from ..services import SignupChannel, candidate_register, email_key, likely_duplicates

logger = logging.getLogger(__name__)

# What the thank-you page may show after the redirect (the first name and the region, nothing else), in
# a short-lived signed cookie: a visitor who signs up needs no session, which saves the busiest page two
# database round trips and a session row per sign-up.
DONE_COOKIE = "intake_done"
DONE_COOKIE_SALT = "kandidaten.intake_done"
DONE_COOKIE_MAX_AGE = 600


def _intake_rate(group: str, request: HttpRequest) -> str:
    """Read at request time, so that a test or an operator can change the limit."""
    return settings.INTAKE_RATE_LIMIT


def _record_signup(request: HttpRequest, registration) -> None:
    """A new candidate is created; a repeat sign-up changes the known one (the timeline lists what)."""
    record(request, Action.CREATE if registration.created else Action.CHANGE, registration.candidate)


@login_not_required
@transaction.non_atomic_requests  # a sign-up is one INSERT (kandidaten.public_signup.accept_signup)
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_intake_rate, method="POST", block=False)
def intake(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.limited:
            logger.warning("Intake refused: rate limit reached")
            return rate_limited(request)
        form = IntakeForm(request.POST)
        if form.is_bot:
            # 429 like the rate limit: to a bot both say "stop"; a person reads the same friendly page.
            logger.warning("Intake refused: the hidden field was filled in")
            return render(request, "kandidaten/intake/refused.html", status=429)
        if form.is_valid():
            signup = accept_signup(
                details=form.details(),
                consents=form.consents(),
                source_tag=form.cleaned_data.get("source_tag", ""),
                origin=origin(request),
            )
            return _to_thank_you_page(signup)
    else:
        # A link from a story or a poster: its branch and function ticked, its campaign tag carried along.
        form = IntakeForm(initial=intake_initial(request.GET))
    return render(request, "kandidaten/intake/form.html", {"form": form})


def _to_thank_you_page(signup: AcceptedSignup) -> HttpResponse:
    response = redirect("kandidaten:intake_done")
    done = {"first_name": signup.first_name, "region": signup.region_name}
    response.set_signed_cookie(
        DONE_COOKIE,
        json.dumps(done),
        salt=DONE_COOKIE_SALT,
        max_age=DONE_COOKIE_MAX_AGE,
        path=reverse("kandidaten:intake_done"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _thank_you_details(request: HttpRequest) -> dict:
    value = request.get_signed_cookie(DONE_COOKIE, default=None, salt=DONE_COOKIE_SALT, max_age=DONE_COOKIE_MAX_AGE)
    try:
        done = json.loads(value) if value else {}
    except ValueError:
        return {}
    return done if isinstance(done, dict) else {}


@login_not_required
@require_GET
@never_cache
def intake_done(request: HttpRequest) -> HttpResponse:
    """What happens next. Shown once with the first name; a reload or a bookmark shows it without."""
    done = _thank_you_details(request)
    response = render(
        request,
        "kandidaten/intake/done.html",
        {
            "first_name": done.get("first_name", ""),
            "region_name": done.get("region", ""),
            "working_days": settings.FIRST_CONTACT_WORKING_DAYS,
        },
    )
    response.delete_cookie(DONE_COOKIE, path=reverse("kandidaten:intake_done"), samesite="Lax")
    return response


def _require_candidate_worker(request: HttpRequest) -> None:
    if not request.user.works_candidates:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def phone_intake(request: HttpRequest) -> HttpResponse:
    """A coordinator registers someone during a call; the sign-up is recorded with them as the actor."""
    _require_candidate_worker(request)
    duplicates: list[tuple[Candidate, list[str]]] = []
    checked = False
    if request.method == "POST":
        form = PhoneIntakeForm(request.POST)
        if form.is_valid():
            registration = candidate_register(
                details=form.details(),
                consents=form.consents(),
                channel=SignupChannel.PHONE,
                actor=request.user,
            )
            _record_signup(request, registration)
            candidate = registration.candidate
            if Candidate.objects.visible_to(request.user).filter(pk=candidate.pk).exists():
                if registration.created:
                    messages.success(request, _("The sign-up has been saved."))
                else:
                    messages.info(
                        request,
                        _("This person had signed up before. Their details have been updated and the call is added."),
                    )
                return redirect("kandidaten:candidate", pk=candidate.pk)
            # Routed outside the coordinator's regions: say where it went, then a fresh form for the next call.
            if candidate.region:
                message = _("The sign-up has been saved and passed to contact point %(region)s.") % {
                    "region": candidate.region.name
                }
            else:
                message = _(
                    "The sign-up has been saved. No contact point serves this postcode, so it is in the "
                    "national queue; an administrator passes it on."
                )
            messages.success(request, message)
            return redirect("kandidaten:phone_intake")
        duplicates, checked = _duplicates_for(request, request.POST)
    else:
        form = PhoneIntakeForm()
    return render(
        request, "kandidaten/intake/phone_intake.html", {"form": form, "duplicates": duplicates, "checked": checked}
    )


@require_POST
def phone_intake_duplicates(request: HttpRequest) -> HttpResponse:
    """The htmx partial under the phone intake: candidates the coordinator may see who look the same."""
    _require_candidate_worker(request)
    duplicates, checked = _duplicates_for(request, request.POST)
    return render(request, "kandidaten/intake/_duplicates.html", {"duplicates": duplicates, "checked": checked})


def _duplicates_for(request: HttpRequest, data) -> tuple[list[tuple[Candidate, list[str]]], bool]:
    """Likely duplicates within what the user may see, each with the reasons they look alike.

    The flag says whether anything usable was typed to check against.
    """
    typed = {
        "first_name": data.get("first_name", "").strip()[:100],
        "last_name": data.get("last_name", "").strip()[:100],
        "email": data.get("email", "").strip().lower()[:254],
        "phone": normalize_phone(data.get("phone", "")[:25]) or "",
        "postcode": normalize_postcode(data.get("postcode", "")[:12]) or "",
    }
    if not any(typed.values()):
        return [], False
    candidates = likely_duplicates(scope=Candidate.objects.visible_to(request.user), **typed)
    return [(candidate, _duplicate_reasons(candidate, typed)) for candidate in candidates], True


def _duplicate_reasons(candidate: Candidate, typed: dict[str, str]) -> list[str]:
    reasons = []
    if typed["phone"] and candidate.phone == typed["phone"]:
        reasons.append(_("same phone number"))
    if typed["email"] and "@" in typed["email"]:
        if candidate.email.lower() == typed["email"] or candidate.email_key == email_key(typed["email"]):
            reasons.append(_("same e-mail address"))
        else:
            local = email_key(typed["email"]).split("@", 1)[0]
            if candidate.email_key.startswith(f"{local}@"):
                reasons.append(_("similar e-mail address"))
    if (
        typed["postcode"]
        and candidate.postcode == typed["postcode"]
        and candidate.first_name.lower() == typed["first_name"].lower()
        and candidate.last_name.lower() == typed["last_name"].lower()
    ):
        reasons.append(_("same name and postcode"))
    return reasons
