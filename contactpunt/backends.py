"""Logging in with an e-mail address and password (Django's ModelBackend), and loading the user of
each request together with their number of unread notifications, for the menu: one query, not two."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
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


class PortalBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        try:
            user = with_unread_count(User._default_manager.all()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
