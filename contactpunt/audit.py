"""The audit log: who viewed, changed, exported or erased personal data, when, from roughly where.

Call `record(request, AuditEvent.Action.VIEW, candidate)` in a view (or pass the acting user when
there is no request, e.g. in a task). What is written, and why (ASVS 4.0 L2 V7.1, AVG art. 5 and 32):

* The object as a type and an id ("kandidaten.candidate" 123), never its name: the row stays
  meaningful after the candidate is erased and holds nothing that erasure would have to remove.
* For a change, the names of the fields that changed, never their old or new values (ASVS V7.1.1/
  V7.1.2: no sensitive data in logs). Names are checked against the model, so a value passed by
  mistake is refused instead of stored.
* The actor (a foreign key, emptied when the account is deleted) and their role at the time.
* "From where": the network, not the address. IPv4 with the last octet zeroed (/24), IPv6 cut to
  the /48 a provider hands a site. That still answers the questions an investigation asks ("was
  this the office network, a provider abroad, the same place as the other logins?", ASVS V7.1.3/
  V7.1.4) while no longer pointing at one subscriber's line, which the full address would do
  (an IP address is personal data of the actor under the AVG; truncation is data minimisation).
  The browser as a family and system ("Firefox/Windows"), without versions, which together with
  the address would fingerprint a person.
* Kept AUDIT_LOG_RETENTION_DAYS (two years by default), then deleted by a nightly job
  (`purge_expired`): storage limitation for the actors' data (AVG art. 5(1)(e)).
* A request id (the proxy's X-Request-ID when it is a UUID or hex string, else one made here), so that
  several rows of one request, and a log line or error report of it, can be tied together.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest

from .models import AuditEvent

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)

Action = AuditEvent.Action

# Only an id that looks like one (a UUID or hex string): the header is set by whoever sends the request,
# and free text there could carry a name into the log.
_REQUEST_ID = re.compile(r"^[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$|^[0-9a-fA-F]{16,64}$")
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,59}$")

# Checked in this order: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("SamsungBrowser/", "Samsung"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python", "script"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def network_of(address: str | None) -> str:
    """The network an address belongs to: IPv4 /24 ("203.0.113.0/24"), IPv6 /48; "" if not an address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def user_agent_family(user_agent: str | None) -> str:
    """The browser and system family without versions, e.g. "Firefox/Windows"; "" when unknown."""
    text = user_agent or ""
    if not text:
        return ""
    browser = next((name for marker, name in _BROWSERS if marker in text), "other")
    system = next((name for marker, name in _SYSTEMS if marker in text), "")
    return f"{browser}/{system}" if system else browser


def well_formed_request_id(value: str) -> bool:
    """A proxy's X-Request-ID worth keeping: a UUID or 16 to 64 hexadecimal characters, nothing typed."""
    return bool(_REQUEST_ID.match(value))


def request_id(request: HttpRequest) -> str:
    """One id per request: the proxy's X-Request-ID when well formed, otherwise a fresh one, kept on the request."""
    existing = getattr(request, "_audit_request_id", None)
    if existing:
        return existing
    given = request.headers.get("X-Request-ID", "")
    value = given if well_formed_request_id(given) else uuid.uuid4().hex
    request._audit_request_id = value  # type: ignore[attr-defined]
    return value


def _object_ref(obj: Any) -> tuple[str, int | None]:
    if obj is None:
        return "", None
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, obj.pk
    if isinstance(obj, tuple) and len(obj) == 2:
        label, pk = obj
        if isinstance(label, type) and issubclass(label, models.Model):
            label = label._meta.label_lower
        return str(label), (int(pk) if pk is not None else None)
    raise TypeError("obj must be a model instance, a (model or label, id) pair or None")


def _field_names(obj: Any, fields: Iterable[str]) -> list[str]:
    """Field names only: each must look like a name and, for a model instance, be one of its fields."""
    names = list(dict.fromkeys(fields))
    known: set[str] | None = None
    if isinstance(obj, models.Model):
        known = {field.name for field in obj._meta.get_fields()}
        known |= {field.attname for field in obj._meta.concrete_fields}
    for name in names:
        if not isinstance(name, str) or not _FIELD_NAME.match(name) or (known is not None and name not in known):
            raise ValueError("audit fields must be field names of the object, never values")
    return names


# The role of a row written for a candidate using their personal link (no account, no actor).
CANDIDATE = "candidate"


def origin(request: HttpRequest) -> dict[str, str]:
    """Where a request came from, as an audit row stores it: for work a worker finishes later (a public
    sign-up), so that its row still says from where, without keeping the address itself."""
    return {
        "network": network_of(request.META.get("REMOTE_ADDR")),
        "user_agent": user_agent_family(request.headers.get("User-Agent")),
        "request_id": request_id(request),
    }


def _event(
    request_or_actor: HttpRequest | User | None,
    action: str,
    *,
    by_candidate: bool = False,
    from_origin: dict[str, str] | None = None,
) -> AuditEvent:
    """An unsaved row with who, from where and which request; the object is filled in by the caller."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(action=action)
    if isinstance(request_or_actor, HttpRequest):
        request = request_or_actor
        actor = getattr(request, "user", None)
        from_origin = origin(request)
    else:
        actor = request_or_actor
    if from_origin:
        event.network = from_origin.get("network", "")
        event.user_agent = from_origin.get("user_agent", "")
        event.request_id = from_origin.get("request_id", "")
    if by_candidate:
        # The candidate, with their personal link; a portal user logged in in the same browser is not the actor.
        event.actor_role = CANDIDATE
    elif actor is not None and getattr(actor, "is_authenticated", False):
        event.actor = actor
        event.actor_role = actor.role
    return event


def record(
    request_or_actor: HttpRequest | User | None,
    action: str,
    obj: Any = None,
    fields: Iterable[str] = (),
    *,
    by_candidate: bool = False,
    from_origin: dict[str, str] | None = None,
) -> AuditEvent:
    """Write one audit row. `obj`: a model instance, or (model or "app.model", id) for one already deleted.
    `by_candidate`: the candidate did it themselves, through their personal link. `from_origin`: where
    the request came from (`origin`), when the work is done later, without the request."""
    event = _event(request_or_actor, action, by_candidate=by_candidate, from_origin=from_origin)
    event.object_type, event.object_id = _object_ref(obj)
    event.fields = _field_names(obj, fields)
    event.save()
    return event


def record_many(request_or_actor: HttpRequest | User | None, action: str, objects: Iterable[Any]) -> int:
    """One row per object in one INSERT (a list page that shows several people's data); no fields."""
    template = _event(request_or_actor, action)
    events = []
    for obj in objects:
        object_type, object_id = _object_ref(obj)
        events.append(
            AuditEvent(
                actor=template.actor,
                actor_role=template.actor_role,
                action=action,
                object_type=object_type,
                object_id=object_id,
                network=template.network,
                user_agent=template.user_agent,
                request_id=template.request_id,
                created_at=template.created_at,
            )
        )
    AuditEvent.objects.bulk_create(events)
    return len(events)


def record_export(
    request_or_actor: HttpRequest | User | None, model: type[models.Model], object_ids: Iterable[int | None]
) -> int:
    """A list exported to a file (contactpunt.exports): one EXPORT row per object, in one INSERT.

    Per object, so that "who exported this candidate's data" is answered as "who viewed it" is; the
    rows of one export share its request id, so their number is the size of the export. An object
    counted twice (two introductions of one candidate) is one row. Ids that are None (a list without
    personal data, such as offers), or no ids at all (an empty list), give one row naming the type
    without an id: the export itself is always on record.
    """
    ids = list(dict.fromkeys(pk for pk in object_ids if pk is not None))
    if not ids:
        record(request_or_actor, Action.EXPORT, (model, None))
        return 1
    return record_many(request_or_actor, Action.EXPORT, [(model, pk) for pk in ids])


def _record_own_session(request: HttpRequest | None, action: str, user: User | None) -> None:
    """A login or logout: the user is the actor and the object, whatever request.user says at this moment."""
    if user is None:
        return
    event = _event(request if isinstance(request, HttpRequest) else None, action)
    event.actor, event.actor_role = user, user.role
    event.object_type, event.object_id = _object_ref(user)
    event.save()


PURGE_BATCH = 5000


def purge_expired(now: datetime) -> int:
    """Delete the rows older than AUDIT_LOG_RETENTION_DAYS, a batch at a time (short locks); returns how many."""
    cutoff = now - timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(
            AuditEvent.objects.filter(created_at__lt=cutoff).order_by().values_list("id", flat=True)[:PURGE_BATCH]
        )
        if not ids:
            return deleted
        deleted += AuditEvent.objects.filter(id__in=ids).delete()[0]  # one DELETE: nothing points at a row


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs) -> None:
    _record_own_session(request, Action.LOGIN, user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs) -> None:
    _record_own_session(request, Action.LOGOUT, user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The typed address is not stored: it may be mistyped personal data of someone else.
    record(request, Action.LOGIN_FAILED)
