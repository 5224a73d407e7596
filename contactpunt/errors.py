"""Error pages (400, 403, 404, 429, 500, 503) in the portal's style, in Dutch, without stack traces.

Each page shows a short random error id, and the same id goes into one log line with the status,
the method and the URL pattern (never the path itself: a path may hold a token), so support can
find the request a person calls about. Nothing personal is in the id or in the line.

500 and 503 (and 400, where the host itself may be what is wrong) are rendered without the request:
no context processors run, so the page needs neither the database nor the session.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django_ratelimit.exceptions import Ratelimited

logger = logging.getLogger("contactpunt.errors")

# A database that does not answer (PostgreSQL down or restarting, too many connections).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a browser or monitor should wait before trying again after a 503 or a 429.
RETRY_AFTER_UNAVAILABLE = 30
RETRY_AFTER_RATE_LIMITED = 60 * 60


def new_error_id() -> str:
    """Eight hexadecimal characters, e.g. 3F9A2C1B: easy to read out on the phone."""
    return secrets.token_hex(4).upper()


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "-"


def log_error(request: HttpRequest, status: int, exception: BaseException | None = None) -> str:
    """Log one line for an error answer and return its new error id (for the page)."""
    error_id = new_error_id()
    level = logging.ERROR if status >= 500 else logging.WARNING
    # The same fields once more as keys of their own, for the JSON log lines (DJANGO_LOG_FORMAT=json).
    fields = {
        "error_id": error_id,
        "status": status,
        "method": request.method,
        "route": _route(request),
        "exception": type(exception).__name__ if exception is not None else "-",
    }
    line = "error_id=%(error_id)s status=%(status)s method=%(method)s route=%(route)s exception=%(exception)s"
    logger.log(level, line, fields, extra=fields)
    return error_id


def error_page(
    request: HttpRequest,
    status: int,
    *,
    exception: BaseException | None = None,
    with_request: bool = True,
    retry_after: int | None = None,
) -> HttpResponse:
    """The page for `status` (templates/errors/<status>.html), logged with a fresh error id."""
    error_id = log_error(request, status, exception)
    context = {"error_id": error_id, "status": status}
    template = loader.get_template(f"errors/{status}.html")
    content = template.render(context, request if with_request else None)
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store"
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 400, exception=exception, with_request=False)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """403, or 429 when django-ratelimit refused the request (its Ratelimited is a PermissionDenied)."""
    if isinstance(exception, Ratelimited):
        return too_many_requests(request, exception)
    return error_page(request, 403, exception=exception)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 404, exception=exception)


def too_many_requests(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 429, exception=exception, retry_after=RETRY_AFTER_RATE_LIMITED)


def service_unavailable(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """503 with Retry-After: the database does not answer. Touches neither the database nor the session."""
    return error_page(request, 503, exception=exception, with_request=False, retry_after=RETRY_AFTER_UNAVAILABLE)


def server_error(request: HttpRequest) -> HttpResponse:
    """500; or 503 when the error is the database not answering, also where it was raised outside a
    view (loading the session in a middleware), which DatabaseUnavailableMiddleware cannot see."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return service_unavailable(request, exception)
    return error_page(request, 500, exception=exception, with_request=False)
