import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campagne.photos import TILE_SIZE
from campagne.search import recent_stories

from . import errors, notifications
from .forms import NotificationPreferencesForm
from .health import broker_status, database_status, migrations_status
from .models import Notification


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The front door: what the contact point does, the sign-up, and three recent stories (one query)."""
    return render(request, "contactpunt/home.html", {"stories": recent_stories(3), "tile_size": TILE_SIZE})


def landing(request: HttpRequest) -> HttpResponse:
    """Where a user goes after logging in: coordinators and administrators to their inbox."""
    if request.user.works_candidates:
        return redirect("kandidaten:inbox")
    if request.user.is_employer:
        return redirect("werkgevers:employer_home")
    return redirect("home")


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "contactpunt/about.html")


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    from kandidaten.models import RetentionSettings  # kandidaten builds on this app

    return render(request, "contactpunt/privacy.html", {"retention": RetentionSettings.current()})


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; the broker is reported but does not fail liveness."""
    database = database_status()
    body = {"database": database, "broker": broker_status()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz_live(request: HttpRequest) -> JsonResponse:
    """200 while this process answers, touching neither the database nor Redis: a liveness probe
    must not restart every web process because the database is away for a moment."""
    return JsonResponse({"status": "ok"})


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """200 when this process can serve: the database answers and has this code's migrations.

    Redis is reported but does not count: without it sign-ups are still stored, and swept into the
    queue once it is back; taking every web process out of the load balancer would turn them away.
    """
    database = database_status()
    migrations = migrations_status() if database == "ok" else "unknown"
    body = {"database": database, "migrations": migrations, "broker": broker_status()}
    ready = database == "ok" and migrations == "ok"
    return JsonResponse(body, status=200 if ready else 503)


@login_not_required
def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page (with Retry-After and an error id); also django-ratelimit's RATELIMIT_VIEW."""
    return errors.too_many_requests(request, exception)


# Forms whose page can simply be opened again after a CSRF failure.
_RETRYABLE_FORMS = {"kandidaten:intake", "kandidaten:phone_intake", "login"}


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was too old (or opened elsewhere): say so in plain words; nothing sent is kept or shown."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    retry_url = request.path if match and match.view_name in _RETRYABLE_FORMS else ""
    context = {"retry_url": retry_url, "error_id": errors.log_error(request, 403)}
    return render(request, "contactpunt/csrf_failure.html", context, status=403)


# Notifications (meldingen): every logged-in user has their own list and preferences.

NOTIFICATIONS_PER_PAGE = 25


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; unread ones are marked."""
    page = Paginator(notifications.notifications_of(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "contactpunt/notifications/list.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own notifications read and follow its link (anyone else's: 404)."""
    try:
        notification = notifications.notification_open(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications")
    return redirect(target)


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    if notifications.notifications_mark_all_read(user=request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")


@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """What the user receives, per kind of notification that applies to their role."""
    form = NotificationPreferencesForm(request.POST or None, rows=notifications.preference_rows(request.user))
    if request.method == "POST" and form.is_valid():
        notifications.preferences_save(user=request.user, choices=form.choices())
        messages.success(request, _("Your choices have been saved."))
        return redirect("notification_preferences")
    return render(request, "contactpunt/notifications/preferences.html", {"form": form})


# Public uploads: only these folders are served to anyone; every other upload (original photos,
# posters, campaign materials) goes through a view that checks who asks.
PUBLIC_MEDIA_PREFIXES = ("logos/", "campagne/verhalen/")


@login_not_required
@require_GET
def public_media(request: HttpRequest, path: str) -> FileResponse:
    """Logos and the gallery's photo variants, from whatever storage holds them (a shared folder by
    default). Their names are random and never reused, so browsers may keep them for a year."""
    if ".." in path.split("/") or not path.startswith(PUBLIC_MEDIA_PREFIXES):
        raise Http404
    try:
        file = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type, _encoding = mimetypes.guess_type(path)
    response = FileResponse(file, content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
