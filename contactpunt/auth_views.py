"""Logging in: password, then (for coordinators, administrators and employers who chose it) a code.

Also the account pages that belong to it: two-step verification, a new e-mail address, and the
password pages with per-IP limits and a mail to the user after each change.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from functools import wraps

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_ratelimit.core import is_ratelimited

from . import two_factor
from .account_mail import notify_email_changed, notify_password_changed, notify_two_factor_changed
from .auth_forms import CodeForm, EmailChangeForm, LoginForm, OwnPasswordChangeForm, SetupCodeForm
from .views import rate_limited

logger = logging.getLogger(__name__)

NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def wrong_code_message() -> str:
    return _("This code is not right, or it has been used already. Try the code the app shows now.")


def verification_not_required(view):
    """Mark a view a logged-in user may open before entering their code (TwoFactorMiddleware)."""
    view.verification_not_required = True
    return view


def login_rate(group, request) -> str:
    return settings.LOGIN_RATE_LIMIT


def _reset_ip_rate(group, request) -> str:
    return settings.PASSWORD_RESET_RATE_LIMIT


def _reset_address_rate(group, request) -> str:
    return settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT


def _reset_address(group, request) -> str:
    return (request.POST.get("email") or "").strip().lower()


def safe_next(request: HttpRequest, fallback: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_step_url(user, next_url: str) -> str:
    """Where a logged-in user who still has to verify goes: the code page, or the setup page without an app."""
    if two_factor.has_two_factor(user):
        return _with_next("two_factor_verify", next_url)
    return _with_next("two_factor_setup", next_url)


class LoginView(auth_views.LoginView):
    """Django's login (a new session key at login) with a per-IP limit; then on to the code if needed.

    Failed passwords per account are counted by django-axes (AxesStandaloneBackend and middleware).
    """

    form_class = LoginForm

    def post(self, request, *args, **kwargs):
        if is_ratelimited(request, group="login", key="ip", rate=login_rate, method="POST", increment=True):
            logger.warning("Login refused: per-IP rate limit reached")
            return rate_limited(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if two_factor.requires_two_factor(user) or two_factor.has_two_factor(user):
            return HttpResponseRedirect(second_step_url(user, self.get_success_url()))
        return response


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only, the session deleted on the server), and a word that it happened.

    The idle logout (IdleTimeoutMiddleware) says so too; a message, not a signal, so that it says
    only one thing.
    """

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.info(request, _("You are logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset (the same answer whether or not the address is known), limited per IP and per address.

    Too many requests from one connection get the 'too many attempts' page; too many for one address
    get the ordinary 'check your mail' answer without another mail, so the limit tells nothing either.
    """

    def post(self, request, *args, **kwargs):
        if is_ratelimited(
            request, group="password_reset_ip", key="ip", rate=_reset_ip_rate, method="POST", increment=True
        ):
            logger.warning("Password reset refused: per-IP rate limit reached")
            return rate_limited(request)
        if is_ratelimited(
            request,
            group="password_reset_address",
            key=_reset_address,
            rate=_reset_address_rate,
            method="POST",
            increment=True,
        ):
            logger.info("Password reset mail not sent again: per-address limit reached")
            return HttpResponseRedirect(self.get_success_url())
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        # Whoever can read the mailbox may log in again at once: a lockout by someone else ends here.
        axes_reset(username=user.email)
        notify_password_changed(user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        notify_password_changed(form.user)
        return response


def lockout_ends_at(request: HttpRequest, credentials=None) -> datetime | None:
    """When django-axes lets this account log in again, or None if the handler does not tell.

    axes counts the failures of the attempts whose last failure is less than the cool-off ago; a
    try during the lockout is not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT). So the
    lock opens when, the oldest attempts dropping off one by one, fewer failures than the limit are
    left: a cool-off after the last failure of the attempt that drops off last before that.
    """
    handler = AxesProxyHandler.get_implementation()
    cool_off = get_cool_off(request)
    if not isinstance(handler, AxesDatabaseHandler) or not cool_off:
        return None
    limit = get_failure_limit(request, credentials)
    ends = []
    for attempts in handler.get_user_attempts(request, credentials):
        rows = list(attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start"))
        left = sum(failures for _, failures in rows)
        for attempt_time, failures in rows:
            if left < limit:
                break
            left -= failures
            if left < limit:
                ends.append(attempt_time + cool_off)
    return max(ends, default=None)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes shows after too many wrong passwords for one account (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "until": None, "tomorrow": False}
    ends = lockout_ends_at(request, credentials)
    if ends is not None and ends >= timezone.now():
        # The lock opens just after `ends` (axes still counts an attempt exactly a cool-off old), and
        # "until 14:35" must mean that 14:35 works: the next whole minute.
        local = timezone.localtime(ends).replace(second=0, microsecond=0) + timedelta(minutes=1)
        context["until"] = local.strftime("%H:%M")
        context["tomorrow"] = local.date() > timezone.localdate()
    return render(request, "registration/locked_out.html", context, status=429)


# The second step -----------------------------------------------------------------------------


@verification_not_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request)
    if not two_factor.needs_verification(user):
        return redirect(next_url)
    if not two_factor.has_two_factor(user):
        return redirect(_with_next("two_factor_setup", next_url))
    form = CodeForm(request.POST or None)
    status = 200  # a form with errors is shown again with 200, as everywhere in the portal
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify_code(user, form.cleaned_data["code"])
        except two_factor.Throttled as throttled:
            seconds = max(1, math.ceil((throttled.locked_until - timezone.now()).total_seconds()))
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second and try again.",
                    "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                    seconds,
                )
                % {"seconds": seconds},
            )
            status = 429
        else:
            if device is None:
                form.add_error(
                    "code", _("This code is not right, or it has been used already. Try the code the app shows now.")
                )
            else:
                two_factor.mark_verified(request, device)
                if device.__class__.__name__ == "StaticDevice":
                    left = two_factor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _("You used a recovery code; %(left)d left. Make new ones on your two-step verification page.")
                        % {"left": left},
                    )
                return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url}, status=status)


@verification_not_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Add the authenticator app: a QR code and the secret as text, confirmed with a code from the app.

    Without a verified session only a first setup is possible: whoever has an app already must
    prove it first (someone with just the password cannot swap in their own phone).
    """
    user = request.user
    next_url = safe_next(request, fallback=reverse("account_two_factor"))
    if not user.is_verified() and two_factor.has_two_factor(user):
        return redirect(_with_next("two_factor_verify", next_url))
    device = two_factor.start_setup(user)
    form = SetupCodeForm(request.POST or None)
    status = 200  # a form with errors is shown again with 200, as everywhere in the portal
    if request.method == "POST" and form.is_valid():
        replacing = two_factor.has_two_factor(user)
        confirmed = two_factor.confirm_setup(user, form.cleaned_data["code"])
        if confirmed is None:
            form.add_error("code", _("This code is not right. Type the six digits the app shows now."))
        else:
            device, codes = confirmed
            two_factor.mark_verified(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            if not replacing:
                notify_two_factor_changed(user, switched_on=True)
            return redirect(_with_next("two_factor_recovery_codes", next_url))
    context = {
        "form": form,
        "next": next_url,
        "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_for_people(device),
        "required": two_factor.requires_two_factor(user),
        "replacing": two_factor.has_two_factor(user),
    }
    return render(request, "registration/two_factor_setup.html", context, status=status)


def verified_view(view):
    """Pages that change two-step verification itself: only in a session verified with a code."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if two_factor.has_two_factor(request.user) and not request.user.is_verified():
            return redirect(_with_next("two_factor_verify", request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_http_methods(["GET"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: they are taken out of the session as the page is made."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account_two_factor")
    context = {
        "codes": [two_factor.format_recovery_code(code) for code in codes],
        "next": safe_next(request, fallback=reverse("account_two_factor")),
    }
    return render(request, "registration/two_factor_recovery_codes.html", context)


@never_cache
@require_http_methods(["GET"])
def account_two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = two_factor.app_device(user)
    context = {
        "device": device,
        "required": two_factor.requires_two_factor(user),
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
        "form": CodeForm(),
    }
    return render(request, "contactpunt/account/two_factor.html", context)


@require_POST
@verified_view
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_two_factor(request.user):
        return redirect("account_two_factor")
    request.session[NEW_CODES_SESSION_KEY] = two_factor.new_recovery_codes(request.user)
    return redirect("two_factor_recovery_codes")


@sensitive_post_parameters("code")
@require_POST
def switch_off(request: HttpRequest) -> HttpResponse:
    """Employers may switch it off again, with a current code (not with a stolen session alone)."""
    user = request.user
    if two_factor.requires_two_factor(user):
        messages.error(request, _("Two-step verification is required for your role; it cannot be switched off."))
        return redirect("account_two_factor")
    if not two_factor.has_two_factor(user):
        return redirect("account_two_factor")
    form = CodeForm(request.POST)
    device = None
    error = wrong_code_message()
    if form.is_valid():
        try:
            device = two_factor.verify_code(user, form.cleaned_data["code"])
        except two_factor.Throttled:
            error = _("Too many wrong codes. Wait a minute and try again.")
    if device is None:
        form.add_error("code", error)
        context = {
            "device": two_factor.app_device(user),
            "required": False,
            "codes_left": two_factor.recovery_codes_left(user),
            "form": form,
        }
        return render(request, "contactpunt/account/two_factor.html", context)
    two_factor.switch_off(user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    notify_two_factor_changed(user, switched_on=False)
    messages.success(request, _("Two-step verification is off. You log in with your password only."))
    return redirect("account_two_factor")


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EmailChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_email = user.email
        user.email = form.cleaned_data["email"]
        user.save(update_fields=["email"])
        notify_email_changed(user, old_email=old_email)
        messages.success(request, _("Your e-mail address is changed. You log in with the new address from now on."))
        return redirect("account_email")
    return render(request, "contactpunt/account/email.html", {"form": form})
