from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class KandidatenConfig(AppConfig):
    name = "kandidaten"
    verbose_name = _("Candidates")

    def ready(self) -> None:
        from contactpunt.models import Branch, Function, NextStep, TargetGroup

        from .forms import forget_cached_intake_form

        # The cached empty intake form lists these: a change shows on the next visit.
        for model in (Branch, Function, NextStep, TargetGroup):
            post_save.connect(forget_cached_intake_form, sender=model, dispatch_uid=f"intake_form_{model.__name__}")
            post_delete.connect(forget_cached_intake_form, sender=model, dispatch_uid=f"intake_form_{model.__name__}_d")
