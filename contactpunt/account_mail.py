"""E-mails to a user about changes to their own account, so that someone else's change does not go unseen.

Sent through the outbox (contactpunt.mail) after the change is committed. They hold no secret and no
link that changes anything: only what changed, when, and what to do if it was not you.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .mail import queue_mail
from .models import User

TEMPLATES = "emails/account"


def _context(user: User, **extra) -> dict:
    return {
        "user": user,
        "changed_at": timezone.localtime(),
        "site_url": settings.SITE_URL,
        **extra,
    }


def notify_password_changed(user: User) -> None:
    queue_mail(to=user.email, template=f"{TEMPLATES}/password_changed", context=_context(user))


def notify_email_changed(user: User, *, old_email: str) -> None:
    """To the old address (the one someone who took over the account wants to get rid of) and the new one."""
    context = _context(user, old_email=old_email, new_email=user.email)
    queue_mail(to=old_email, template=f"{TEMPLATES}/email_changed", context=context)
    queue_mail(to=user.email, template=f"{TEMPLATES}/email_changed", context=context)


def notify_two_factor_changed(user: User, *, switched_on: bool) -> None:
    queue_mail(
        to=user.email,
        template=f"{TEMPLATES}/two_factor_changed",
        context=_context(user, switched_on=switched_on),
    )
