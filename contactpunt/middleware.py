from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the person chose another language in the language menu (a cookie).

    The browser's Accept-Language is ignored on purpose: the portal is Dutch, and many Dutch
    coordinators and candidates run browsers set to English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """A view that finds the database down answers 503 with Retry-After (contactpunt.errors), not 500.

    Requests are atomic (ATOMIC_REQUESTS), so whatever the view wrote before the database went away
    is rolled back with it: no partial rows. An error raised outside a view (a middleware loading the
    session) reaches handler500, which answers 503 for it too.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .errors import DATABASE_UNAVAILABLE, service_unavailable

        if isinstance(exception, DATABASE_UNAVAILABLE):
            return service_unavailable(request, exception)
        return None


# Pages a logged-in user may open before entering their code: besides the views marked with
# contactpunt.auth_views.verification_not_required, these of Django's own (by URL name).
VERIFICATION_EXEMPT_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "set_language",
        "healthz",
        "healthz_live",
        "healthz_ready",
    }
)


def _redirect(request, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (which would otherwise swap the target page in)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class TwoFactorMiddleware:
    """Coordinators, administrators and employers with an app reach no page before entering their code.

    After django-otp's OTPMiddleware (it sets `request.user.is_verified()`). One without an app yet,
    whose role requires one, is sent to the setup page.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .auth_views import second_step_url
        from .two_factor import needs_verification

        if getattr(view_func, "verification_not_required", False):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in VERIFICATION_EXEMPT_URL_NAMES:
            return None
        if not needs_verification(request.user):
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        return _redirect(request, second_step_url(request.user, next_url))


IDLE_SESSION_KEY = "last_seen"
# Write the time of the last request at most this often (a session write per request is wasted work).
IDLE_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log coordinators and administrators out after settings.IDLE_TIMEOUT (a timedelta) without a request.

    They see candidates' personal data: a portal left open on an unattended screen closes by itself.
    The session is deleted on the server, as at an ordinary logout.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        timeout = getattr(settings, "IDLE_TIMEOUT", None)
        if timeout and user is not None and user.is_authenticated and user.works_candidates:
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(IDLE_SESSION_KEY)
            if last_seen is not None and now - last_seen > timeout.total_seconds():
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                    % {"minutes": int(timeout.total_seconds() // 60)},
                )
                next_url = request.get_full_path() if request.method == "GET" else ""
                login_url = reverse("login")
                if next_url:
                    login_url += "?" + urlencode({"next": next_url})
                return _redirect(request, login_url)
            if last_seen is None or now - last_seen >= IDLE_RESOLUTION_SECONDS:
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


class PortalOTPMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware without a query of its own on every request.

    The ids of the user's confirmed devices come with the user (contactpunt.backends), so checking
    that the session's device still exists and is confirmed costs nothing; the device itself is
    loaded only if something asks for it.
    """

    def _verify_user_sync(self, request, user):
        if not hasattr(user, "totp_device_pk"):
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if persistent_id:
            from django_otp.plugins.otp_static.models import StaticDevice
            from django_otp.plugins.otp_totp.models import TOTPDevice

            known = {
                f"{TOTPDevice.model_label()}/{user.totp_device_pk}" if user.totp_device_pk else None,
                f"{StaticDevice.model_label()}/{user.recovery_device_pk}" if user.recovery_device_pk else None,
            }
            if persistent_id in known:
                user.otp_device = SimpleLazyObject(lambda: Device.from_persistent_id(persistent_id))
            else:
                del request.session[DEVICE_ID_SESSION_KEY]
        return user
