from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "contactpunt/home.html")


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
    return render(request, "contactpunt/privacy.html")


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
def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "contactpunt/rate_limited.html", status=429)


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
    return render(request, "contactpunt/csrf_failure.html", {"retry_url": retry_url}, status=403)
