from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "contactpunt/home.html")


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
