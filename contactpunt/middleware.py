from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
