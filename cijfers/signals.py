"""Changes to candidates, match suggestions, introductions and attendance mark their days stale in the
figures' summaries.

Ordinary saves and deletes come through here; updates made in bulk do not, and the nightly rebuild
(cijfers.tasks) catches those. Branches and target groups change with a save of the candidate (the forms,
the erasure), which marks the day; no m2m_changed receiver, because one makes Django read a list before
adding to it, a query more per list on every intake.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.utils import timezone

from kandidaten.models import Candidate, Match
from werkgevers.models import Introduction
from werkgevers.signals import attendance_recorded

from .summaries import mark_stale


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


# Where a candidate stood when loaded or last saved (a moved sign-up leaves its old day and region too),
# taken from the loaded values without a query: the intake saves a new candidate more than once.
def _place(instance: Candidate) -> tuple:
    values = instance.__dict__
    return values.get("signed_up_at"), values.get("region_id")


@receiver(post_init, sender=Candidate, dispatch_uid="cijfers_candidate_loaded")
def remember_candidate_place(sender, instance: Candidate, **kwargs) -> None:
    instance._summary_place = _place(instance)


@receiver(post_save, sender=Candidate, dispatch_uid="cijfers_candidate_saved")
def candidate_saved(sender, instance: Candidate, created: bool, **kwargs) -> None:
    signed_up_at, region_id = getattr(instance, "_summary_place", (None, None))
    days = {_day(instance.signed_up_at), _day(signed_up_at)}
    if not created and region_id is not None and region_id != instance.region_id:
        # Its decided suggestions counted in the old region.
        days |= {
            _day(moment)
            for moment in instance.matches.filter(decided_at__isnull=False).values_list("decided_at", flat=True)
        }
    mark_stale(days)
    instance._summary_place = _place(instance)


@receiver(post_delete, sender=Candidate, dispatch_uid="cijfers_candidate_deleted")
def candidate_deleted(sender, instance: Candidate, **kwargs) -> None:
    mark_stale({_day(instance.signed_up_at)})


@receiver(post_init, sender=Match, dispatch_uid="cijfers_match_loaded")
def remember_match_day(sender, instance: Match, **kwargs) -> None:
    instance._summary_day = instance.__dict__.get("decided_at")


@receiver(post_save, sender=Match, dispatch_uid="cijfers_match_saved")
def match_saved(sender, instance: Match, **kwargs) -> None:
    mark_stale({_day(instance.decided_at), _day(getattr(instance, "_summary_day", None))})
    instance._summary_day = instance.decided_at


@receiver(post_delete, sender=Match, dispatch_uid="cijfers_match_deleted")
def match_deleted(sender, instance: Match, **kwargs) -> None:
    mark_stale({_day(instance.decided_at)})


@receiver(post_save, sender=Introduction, dispatch_uid="cijfers_introduction_saved")
@receiver(post_delete, sender=Introduction, dispatch_uid="cijfers_introduction_deleted")
def introduction_changed(sender, instance: Introduction, **kwargs) -> None:
    """An answer, an invitation or a start counts on the day the introduction was made."""
    mark_stale({_day(instance.created_at)})


@receiver(attendance_recorded, dispatch_uid="cijfers_attendance_recorded")
def attendance_changed(sender, registration, **kwargs) -> None:
    """Who came counts on the day of the activity (sign-ups for activities to come are counted again at
    every refresh)."""
    mark_stale({_day(registration.offer.starts_at)})
