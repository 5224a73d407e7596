from functools import cache

from django.conf import settings

from .notifications import unread_count
from .two_factor import needs_verification


def portal(request):
    # Always set: a failed template lookup is logged with the whole context, personal data included.
    context = {"privacy_statement_version": settings.PRIVACY_STATEMENT_VERSION, "verification_pending": False}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # The user of a request comes with the count (contactpunt.backends); a user who logged in
        # during this request does not, and is counted once, only when the menu shows it.
        known = getattr(user, "unread_notification_count", None)
        context["unread_notifications"] = known if known is not None else cache(lambda: unread_count(user))
        # Logged in with the password, the code still to come: the menu offers only logging out.
        context["verification_pending"] = needs_verification(user)
    return context
