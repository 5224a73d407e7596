"""API keys in the Authorization header (`Bearer cp_…`) for Django REST framework."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .keys import key_for, note_use
from .models import ApiKey, Partner


class PartnerPrincipal:
    """Who calls: a partner through one of its keys. Not a portal user: no session, no roles."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, key: ApiKey):
        self.key = key
        self.partner: Partner = key.partner

    def __str__(self) -> str:
        return str(self.partner)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _space, presented = header.partition(" ")
        key = key_for(presented.strip()) if keyword == self.keyword else None
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is unknown, revoked or expired."))
        note_use(key)
        return PartnerPrincipal(key), key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
