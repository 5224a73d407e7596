from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The hand-off API for partners such as the national welcome panel (landelijk welkomstpanel)."""

    name = "api"
    verbose_name = _("Partner API")

    def ready(self) -> None:
        from . import schema, signals  # noqa: F401
