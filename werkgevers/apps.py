from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WerkgeversConfig(AppConfig):
    name = "werkgevers"
    verbose_name = _("Employers")
