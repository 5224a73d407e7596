"""Who may open a page: decorators per role. Objects are scoped in the views (outsiders get 404)."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def dashboard_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Coordinators and administrators only; anonymous people were sent to the login page already."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.works_candidates:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def employer_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Employer users of an organisation only; anonymous people were sent to the login page already."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_employer and request.user.organisation_id):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
