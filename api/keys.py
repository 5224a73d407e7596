"""Partner keys: made, rotated and revoked by administrators; found by prefix, checked by hash.

A key reads `cp_<prefix>_<secret>`. The prefix finds the row (and names the key in lists and in the
log of calls); the secret is 256 random bits, so a plain SHA-256 of it is as good as a slow password
hash and costs nothing per call. The key is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ApiKey, Partner

KEY_START = "cp_"


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # the whole key as the partner uses it; not stored anywhere


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(partner: Partner, *, by=None, name: str = "") -> IssuedKey:
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(partner=partner, name=name, prefix=prefix, secret_hash=_hash(secret), created_by=by)
    return IssuedKey(key, f"{KEY_START}{prefix}_{secret}")


@transaction.atomic
def rotate_key(key: ApiKey, *, by=None) -> IssuedKey:
    """A new key for the same partner; the old one keeps working for API_KEY_ROTATION_GRACE_HOURS."""
    ends = timezone.now() + timedelta(hours=settings.API_KEY_ROTATION_GRACE_HOURS)
    if key.expires_at is None or key.expires_at > ends:
        key.expires_at = ends
        key.save(update_fields=["expires_at"])
    return issue_key(key.partner, by=by, name=key.name)


def revoke_key(key: ApiKey) -> None:
    """At once: the next call with it gets 401."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def key_for(presented: str) -> ApiKey | None:
    """The usable key a request presents, or None (unknown, malformed, revoked, expired, partner off)."""
    start, _, rest = presented.partition(KEY_START)
    prefix, _, secret = rest.partition("_")
    if start or len(prefix) != 8 or not secret or len(presented) > 100:
        return None
    key = ApiKey.objects.select_related("partner").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)) or not key.is_usable():
        return None
    return key


# Once a minute per key at most: a write per call would double the cost of the status endpoint.
LAST_USED_PRECISION = timedelta(minutes=1)


def note_use(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
