from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampagneConfig(AppConfig):
    name = "campagne"
    verbose_name = _("Campaign")
