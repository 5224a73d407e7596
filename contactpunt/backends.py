"""Logging in with an e-mail address and password (Django's ModelBackend), and loading the user of
each request together with their number of unread notifications (for the menu) and their two-step
verification devices (contactpunt.two_factor): one query, not three."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import BigIntegerField, Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification, User


def with_unread_count(users):
    """Annotate `unread_notification_count` on a User queryset (a subquery on the partial index)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return users.annotate(unread_notification_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0))


def with_two_factor_devices(users):
    """Annotate `totp_device_pk` and `recovery_device_pk`: the user's confirmed devices (one of each at most)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def newest(model):
        devices = model.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("-pk").values("pk")[:1]
        return Subquery(devices, output_field=BigIntegerField())

    return users.annotate(totp_device_pk=newest(TOTPDevice), recovery_device_pk=newest(StaticDevice))


class PortalBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        try:
            user = with_two_factor_devices(with_unread_count(User._default_manager.all())).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def lockout_username(request, credentials) -> str | None:
    """The account django-axes counts failures for: the address as login finds it (trimmed, lower case)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password. Only logins through a request are counted: the login
    page and the admin's login pass one; `authenticate()` without one (a
    management command, the test client's `login()`) is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
