from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactpuntConfig(AppConfig):
    name = "contactpunt"
    verbose_name = _("Contact point")

    def ready(self) -> None:
        from . import audit, lookups  # noqa: F401 (audit connects the login signals)

        lookups.register()
