from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CijfersConfig(AppConfig):
    """Figures (cijfers) for coordinators: the funnel, supply and demand, exports and the quarterly report."""

    name = "cijfers"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from . import signals  # noqa: F401
