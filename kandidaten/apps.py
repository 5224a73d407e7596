from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class KandidatenConfig(AppConfig):
    name = "kandidaten"
    verbose_name = _("Candidates")

    def ready(self) -> None:
        from contactpunt.models import Branch, Function, NextStep, TargetGroup

        from .forms import forget_cached_intake_form, forget_reference_lines

        # The cached empty intake form lists these, and the forms check ticks against the cached lines:
        # a change shows on the next visit.
        for model in (Branch, Function, NextStep, TargetGroup):
            for forget in (forget_cached_intake_form, forget_reference_lines):
                uid = f"{forget.__name__}_{model.__name__}"
                post_save.connect(forget, sender=model, dispatch_uid=uid)
                post_delete.connect(forget, sender=model, dispatch_uid=f"{uid}_deleted")
