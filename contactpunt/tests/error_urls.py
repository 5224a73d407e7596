"""The portal's URLs plus views that fail on purpose, for the error page and header tests
(`@pytest.mark.urls("contactpunt.tests.error_urls")`). The handlers are the portal's own."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path
from django_ratelimit.exceptions import Ratelimited

from contactpunt.models import Region
from contactpunt.urls import handler400, handler403, handler404, handler500  # noqa: F401
from contactpunt.urls import urlpatterns as portal_urlpatterns

# What a failing view's exception says: it must never reach the page.
SECRET_DETAIL = "geheime-details-uit-de-fout"


@login_not_required
def crash(request):
    raise RuntimeError(SECRET_DETAIL)


@login_not_required
def suspicious(request):
    raise SuspiciousOperation(SECRET_DETAIL)


@login_not_required
def forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


@login_not_required
def rate_limited(request):
    raise Ratelimited(SECRET_DETAIL)


@login_not_required
def database_down(request):
    raise OperationalError(f"could not connect to server: Connection refused ({SECRET_DETAIL})")


@login_not_required
def write_then_database_down(request):
    """Saves a row, then loses the database: the request is atomic, so the row must not stay."""
    Region.objects.create(name="Half opgeslagen", slug="half-opgeslagen")
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test-fouten/crash/", crash, name="test_crash"),
    path("test-fouten/verdacht/", suspicious, name="test_suspicious"),
    path("test-fouten/verboden/", forbidden, name="test_forbidden"),
    path("test-fouten/te-vaak/", rate_limited, name="test_rate_limited"),
    path("test-fouten/database-weg/", database_down, name="test_database_down"),
    path("test-fouten/half-opgeslagen/", write_then_database_down, name="test_write_then_database_down"),
    *portal_urlpatterns,
]
