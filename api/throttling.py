from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import PartnerPrincipal


class KeyRateThrottle(SimpleRateThrottle):
    """Requests per key in a sliding window (the partner's own limit, else API_RATE_LIMIT), counted in
    the shared cache so that every web process and host counts together. Over it: 429 with Retry-After."""

    scope = "api_key"

    def get_rate(self) -> str | None:
        return None  # chosen per request, in allow_request

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.user, PartnerPrincipal):
            return True  # refused by authentication anyway
        self.rate = request.user.partner.rate_limit or settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
