from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .authentication import PartnerPrincipal


class PartnerMay(BasePermission):
    """A partner's key with the view's `required_scope`; without a key the answer is 401."""

    message = _("This API key may not do this.")

    def has_permission(self, request, view) -> bool:
        principal = request.user
        if not isinstance(principal, PartnerPrincipal):
            return False
        return principal.partner.may(view.required_scope)
