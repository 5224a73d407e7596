"""Notifications: kinds as classes in a registry, sent in-app and by e-mail through the outbox.

Every kind says who it is for (roles), whether a user may switch it off, which channels it uses,
its e-mail templates (`<template>_subject.txt`, `.txt`, `.html`) and its in-app text
(`<template>_in_app.txt`) and link. `notify()` runs inside the transaction of the event: the in-app
rows and the outbox mails are written together with what happened, or not at all. A `dedupe_key`
makes a periodic job that runs twice (or in two workers at once) send nothing twice.

Users choose per kind on /account/meldingen/ (NotificationPreference); without a choice the kind's
defaults hold. Kinds that may not be switched off ignore any stored choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .mail import queue_mail
from .models import Notification, NotificationPreference, NotificationStamp, OutboxMail, User

EMAIL = "email"
IN_APP = "in_app"

Role = User.Role


@dataclass(frozen=True)
class Choice:
    """What one user gets of one kind: by e-mail, in the portal, and whether e-mail waits for the digest."""

    email: bool
    in_app: bool
    digest: bool = False


class NotificationKind:
    """A kind of notification. Subclass, fill in the class attributes and decorate with `@register`."""

    name: ClassVar[str]
    label: ClassVar[Promise]
    description: ClassVar[Promise]
    # Roles whose users receive it (and see it on the preferences page); empty: e-mail addresses only.
    roles: ClassVar[frozenset[str]] = frozenset()
    can_disable: ClassVar[bool] = True
    channels: ClassVar[frozenset[str]] = frozenset({EMAIL, IN_APP})
    # The user may choose to get the e-mail in the daily digest instead of at once.
    digestible: ClassVar[bool] = False
    default_email: ClassVar[bool] = True
    default_in_app: ClassVar[bool] = True
    template: ClassVar[str]
    in_app_template: ClassVar[str | None] = None

    def applies_to(self, user: User) -> bool:
        role = Role.ADMINISTRATOR if user.is_administrator else user.role
        return role in self.roles

    def default_choice(self) -> Choice:
        return Choice(
            email=EMAIL in self.channels and self.default_email, in_app=IN_APP in self.channels and self.default_in_app
        )

    def choice(self, preference: NotificationPreference | None) -> Choice:
        if not self.can_disable or preference is None:
            return self.default_choice()
        return Choice(
            email=EMAIL in self.channels and preference.email,
            in_app=IN_APP in self.channels and preference.in_app,
            digest=self.digestible
            and preference.email
            and preference.delivery == NotificationPreference.Delivery.DIGEST,
        )

    def link(self, context: Mapping[str, Any], user: User | None) -> str:
        """The path the notification leads to, for this recipient (None: an e-mail address without account)."""
        return ""

    def extra_context(self) -> dict[str, Any]:
        """Values every message of this kind needs besides the event's context."""
        return {}

    def title(self, context: Mapping[str, Any]) -> str:
        """The in-app text, one line (plain text: the list page escapes it)."""
        name = self.in_app_template or f"{self.template}_in_app.txt"
        text = engines["django"].from_string(_PLAIN).render({**context, "template_name": name})
        return " ".join(text.split())[:300]


# Renders a template without HTML escaping: in-app texts are stored as plain text.
_PLAIN = "{% autoescape off %}{% include template_name %}{% endautoescape %}"


REGISTRY: dict[str, NotificationKind] = {}


def register(cls: type[NotificationKind]) -> type[NotificationKind]:
    if cls.name in REGISTRY:
        raise ValueError(f"Notification kind {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def get_kind(kind: str | type[NotificationKind] | NotificationKind) -> NotificationKind:
    name = kind if isinstance(kind, str) else kind.name
    return REGISTRY[name]


def kinds_for(user: User) -> list[NotificationKind]:
    """The kinds a user can receive, in the order of the registry (the preferences page)."""
    return [kind for kind in REGISTRY.values() if kind.applies_to(user)]


def absolute(path: str) -> str:
    """A link for an e-mail: background jobs have no request, so the address comes from SITE_URL."""
    return f"{settings.SITE_URL}{path}" if path else ""


# The kinds ----------------------------------------------------------------------------------------


@register
class NewCandidate(NotificationKind):
    name = "new_candidate"
    label = _("New candidate in my region")
    description = _("Someone signed up in one of your regions, or signed up again after stopping.")
    roles = frozenset({Role.COORDINATOR})
    digestible = True
    template = "emails/notifications/new_candidate"

    def extra_context(self):
        return {"working_days": settings.FIRST_CONTACT_WORKING_DAYS}

    def link(self, context, user):
        return reverse("kandidaten:candidate", args=[context["candidate"].pk]) if user else ""


@register
class DailyDigest(NotificationKind):
    name = "daily_digest"
    label = _("Daily digest")
    description = _(
        "Every working day at 8:00: new matches, candidates waiting too long for a first contact, and the new "
        "candidates you chose to get in the digest. Not sent when there is nothing to report."
    )
    roles = frozenset({Role.COORDINATOR})
    channels = frozenset({EMAIL})
    template = "emails/notifications/daily_digest"

    def link(self, context, user):
        return reverse("kandidaten:inbox")


@register
class IntroductionUpdate(NotificationKind):
    name = "introduction_update"
    label = _("An employer answered my introduction")
    description = _("The employer invited the candidate, found them not suitable, or recorded whether they started.")
    roles = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
    template = "werkgevers/email/introduction_update"
    in_app_template = "werkgevers/email/introduction_update_lines.txt"

    def link(self, context, user):
        return reverse("kandidaten:candidate", args=[context["introduction"].candidate_id])


@register
class IntroductionEscalated(NotificationKind):
    name = "introduction_escalated"
    label = _("An introduction has had no answer for 10 working days")
    description = _(
        "The employer did not answer your introduction in time. Make sure the candidate is not left without an "
        "answer. This notification cannot be switched off."
    )
    roles = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
    can_disable = False
    template = "emails/notifications/introduction_escalated"

    def link(self, context, user):
        return reverse("kandidaten:candidate", args=[context["introduction"].candidate_id])


@register
class CohortBelowMinimum(NotificationKind):
    name = "cohort_below_minimum"
    label = _("A BBL class is below its minimum")
    description = _("Four weeks before the start a BBL class has fewer participants than its minimum.")
    roles = frozenset({Role.COORDINATOR, Role.EMPLOYER})
    template = "emails/notifications/cohort_below_minimum"

    def link(self, context, user):
        cohort = context["cohort"]
        if user is not None and user.is_employer:
            return reverse("werkgevers:employer_cohort", args=[cohort.pk])
        return reverse("werkgevers:cohort_detail", args=[cohort.pk])


@register
class IntroductionReminder(NotificationKind):
    name = "introduction_reminder"
    label = _("An introduction is waiting for your answer")
    description = _("A reminder when a coordinator's introduction has had no answer for 5 working days.")
    roles = frozenset({Role.EMPLOYER})
    template = "emails/notifications/introduction_reminder"

    def link(self, context, user):
        return reverse("werkgevers:introduction_detail", args=[context["introduction"].pk])


@register
class ActivityTomorrow(NotificationKind):
    name = "activity_tomorrow"
    label = _("Your activity is tomorrow")
    description = _("The day before an activity of your organisation: who has signed up.")
    roles = frozenset({Role.EMPLOYER})
    template = "emails/notifications/activity_tomorrow"

    def link(self, context, user):
        return reverse("werkgevers:offer_registrations", args=[context["offer"].pk])


@register
class OfferExpiring(NotificationKind):
    name = "offer_expiring"
    label = _("An offer is about to expire")
    description = _(
        "A place or vacancy is open for another 7 days at most, or an activity starts within 3 days and nobody "
        "has signed up."
    )
    roles = frozenset({Role.EMPLOYER})
    template = "emails/notifications/offer_expiring"

    def link(self, context, user):
        return reverse("werkgevers:offer_detail", args=[context["offer"].pk])


@register
class ActivityReminder(NotificationKind):
    """To a candidate (an e-mail address, no account): your activity is tomorrow."""

    name = "activity_reminder"
    label = _("Reminder of an activity tomorrow")
    description = _("To a person signed up for an activity, the day before.")
    channels = frozenset({EMAIL})
    template = "emails/notifications/activity_reminder"

    def link(self, context, user):
        return reverse("werkgevers:activity", args=[context["offer"].pk])


def _story_link(context, user) -> str:
    """Employers open a story in their portal; coordinators, administrators and mailboxes on the dashboard."""
    story_id = context["story"].pk
    if user is not None and user.is_employer:
        return reverse("campagne:employer_story", args=[story_id])
    return reverse("campagne:coordinator_story", args=[story_id])


@register
class StorySubmitted(NotificationKind):
    name = "story_submitted"
    label = _("A story is waiting for moderation")
    description = _("An employer submitted a story with a photo in one of your regions.")
    roles = frozenset({Role.COORDINATOR})
    template = "campagne/email/story_submitted"

    def link(self, context, user):
        return _story_link(context, user)


@register
class StoryPublished(NotificationKind):
    name = "story_published"
    label = _("My story has been published")
    description = _("A coordinator published a story you submitted in the story gallery.")
    roles = frozenset({Role.EMPLOYER, Role.COORDINATOR, Role.ADMINISTRATOR})
    template = "campagne/email/story_published"

    def link(self, context, user):
        return _story_link(context, user)


@register
class StorySentBack(NotificationKind):
    name = "story_sent_back"
    label = _("My story has been sent back")
    description = _(
        "A coordinator sent a story you submitted back, with the reason. This notification cannot be switched off."
    )
    roles = frozenset({Role.EMPLOYER, Role.COORDINATOR, Role.ADMINISTRATOR})
    can_disable = False
    template = "campagne/email/story_sent_back"

    def link(self, context, user):
        return _story_link(context, user)


# Sending ------------------------------------------------------------------------------------------


@dataclass
class Delivered:
    """What `notify` wrote: in-app rows and outbox mails."""

    notifications: list[Notification]
    mails: list[OutboxMail]


Recipient = User | str


def recipient_key(recipient: Recipient) -> str:
    return f"user:{recipient.pk}" if isinstance(recipient, User) else recipient.strip().lower()


def _unique(recipients: Iterable[Recipient]) -> tuple[list[User], list[str]]:
    """Users once each (active ones only); addresses once each, leaving out those of user recipients."""
    users: dict[int, User] = {}
    addresses: dict[str, str] = {}
    for recipient in recipients:
        if isinstance(recipient, User):
            if recipient.is_active:
                users.setdefault(recipient.pk, recipient)
        elif recipient and recipient.strip():
            addresses.setdefault(recipient.strip().lower(), recipient.strip())
    user_addresses = {user.email.lower() for user in users.values()}
    return list(users.values()), [address for key, address in addresses.items() if key not in user_addresses]


def claim(kind: NotificationKind, key: str, recipients: Iterable[Recipient], now=None) -> set[str]:
    """Stamp (kind, key) for each recipient not stamped yet; the recipient keys this call stamped.

    The unique constraint decides: of two jobs at the same moment, the second waits for the first
    to commit and then finds the stamp taken.
    """
    keys = {recipient_key(recipient) for recipient in recipients}
    if not keys:
        return set()
    taken = set(
        NotificationStamp.objects.filter(kind=kind.name, key=key, recipient__in=keys).values_list(
            "recipient", flat=True
        )
    )
    claimed = set()
    for recipient in sorted(keys - taken):
        try:
            with transaction.atomic():
                NotificationStamp.objects.create(
                    kind=kind.name, key=key, recipient=recipient, created_at=now or timezone.now()
                )
        except IntegrityError:
            continue
        claimed.add(recipient)
    return claimed


def load_preferences(users: Iterable[User]) -> None:
    """Fetch every choice of these users in one query and keep it on them, for a batch job that
    asks about several kinds per user (the digest)."""
    users = list(users)
    stored: dict[int, dict[str, NotificationPreference]] = {user.pk: {} for user in users}
    for pref in NotificationPreference.objects.filter(user__in=users):
        stored[pref.user_id][pref.kind] = pref
    for user in users:
        user._notification_preferences = stored[user.pk]


def preferences(kind: NotificationKind, users: Iterable[User]) -> dict[int, NotificationPreference]:
    """The stored choices for this kind of these users, by user id (from `load_preferences` when done)."""
    users = list(users)
    if not users or not kind.can_disable:
        return {}
    if all(hasattr(user, "_notification_preferences") for user in users):
        return {
            user.pk: user._notification_preferences[kind.name]
            for user in users
            if kind.name in user._notification_preferences
        }
    ids = [user.pk for user in users]
    return {pref.user_id: pref for pref in NotificationPreference.objects.filter(kind=kind.name, user_id__in=ids)}


# Part of the event's transaction (no savepoint of its own): a failure undoes the event too.
@transaction.atomic(savepoint=False)
def notify(
    kind: str | type[NotificationKind] | NotificationKind,
    *,
    recipients: Iterable[Recipient],
    context: Mapping[str, Any],
    dedupe_key: str | None = None,
    now=None,
) -> Delivered:
    """Tell the recipients (users, or e-mail addresses of people without an account) about an event.

    Call it inside the event's transaction. Users get an in-app row and/or an e-mail as they chose;
    addresses get the e-mail. With `dedupe_key`, a recipient who had this kind with this key before
    gets nothing.
    """
    kind = get_kind(kind)
    context = {**kind.extra_context(), **context}
    users, addresses = _unique(recipients)
    if dedupe_key is not None:
        claimed = claim(kind, dedupe_key, [*users, *addresses], now=now)
        users = [user for user in users if recipient_key(user) in claimed]
        addresses = [address for address in addresses if recipient_key(address) in claimed]
    delivered = Delivered([], [])
    if not users and not addresses:
        return delivered
    chosen = preferences(kind, users)
    title = ""
    for user in users:
        choice = kind.choice(chosen.get(user.pk))
        path = kind.link(context, user)
        if choice.in_app:
            if not title:
                with translation.override(settings.LANGUAGE_CODE):
                    title = kind.title(context)
            delivered.notifications.append(
                Notification(user=user, kind=kind.name, title=title, url=path, created_at=now or timezone.now())
            )
        if choice.email and not choice.digest:
            delivered.mails.append(_mail(kind, user.email, context, recipient=user, path=path))
    if EMAIL in kind.channels:
        for address in addresses:
            delivered.mails.append(_mail(kind, address, context, recipient=None, path=kind.link(context, None)))
    Notification.objects.bulk_create(delivered.notifications)
    return delivered


def _mail(kind: NotificationKind, to: str, context: Mapping[str, Any], *, recipient: User | None, path: str):
    return queue_mail(
        to=to,
        template=kind.template,
        context={**context, "recipient": recipient, "link": absolute(path), "site_url": settings.SITE_URL},
    )


# Preferences --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceRow:
    kind: NotificationKind
    choice: Choice


def preference_rows(user: User) -> list[PreferenceRow]:
    """Each kind the user can receive with what they get now (one query)."""
    kinds = kinds_for(user)
    stored = {pref.kind: pref for pref in NotificationPreference.objects.filter(user=user)}
    return [PreferenceRow(kind, kind.choice(stored.get(kind.name))) for kind in kinds]


@transaction.atomic
def preferences_save(*, user: User, choices: Mapping[str, Choice]) -> None:
    """Store the user's choices for the kinds that apply to them and may be switched off."""
    for kind in kinds_for(user):
        if not kind.can_disable or kind.name not in choices:
            continue
        choice = choices[kind.name]
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=kind.name,
            defaults={
                "email": choice.email if EMAIL in kind.channels else False,
                "in_app": choice.in_app if IN_APP in kind.channels else False,
                "delivery": NotificationPreference.Delivery.DIGEST
                if kind.digestible and choice.digest
                else NotificationPreference.Delivery.IMMEDIATELY,
            },
        )


def wants_digest(user: User, kind: str | type[NotificationKind]) -> bool:
    """Whether the user chose to get this kind's e-mails in the daily digest."""
    kind = get_kind(kind)
    if not kind.digestible:
        return False
    return kind.choice(preferences(kind, [user]).get(user.pk)).digest


# In-app list --------------------------------------------------------------------------------------


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user).unread().count()


def notification_open(*, user: User, notification_id: int) -> Notification:
    """Mark the user's notification read (DoesNotExist for anyone else's) and return it."""
    notification = Notification.objects.get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
