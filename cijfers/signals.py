"""Changes to candidates, match suggestions, introductions and attendance mark their days stale in the
figures' summaries.

Ordinary saves, deletes and many-to-many changes come through here; updates made in bulk do not, and
the nightly rebuild (cijfers.tasks) catches those.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from kandidaten.models import Candidate, Match
from werkgevers.models import Introduction
from werkgevers.signals import attendance_recorded

from .summaries import mark_stale

# The fields that place a candidate on a day and in a region of the summaries.
PLACING_FIELDS = {"signed_up_at", "region", "region_id"}


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


def _places_differently(update_fields) -> bool:
    return update_fields is None or bool(PLACING_FIELDS & set(update_fields))


@receiver(pre_save, sender=Candidate, dispatch_uid="cijfers_candidate_before")
def remember_candidate_place(sender, instance: Candidate, update_fields=None, **kwargs) -> None:
    """A moved sign-up (another region, or a merge that dates it earlier) leaves its old day too."""
    instance._summary_place = None
    if instance.pk and not instance._state.adding and _places_differently(update_fields):
        instance._summary_place = (
            Candidate.objects.filter(pk=instance.pk).values_list("signed_up_at", "region_id").first()
        )


@receiver(post_save, sender=Candidate, dispatch_uid="cijfers_candidate_saved")
def candidate_saved(sender, instance: Candidate, created: bool, **kwargs) -> None:
    days = {_day(instance.signed_up_at)}
    before = getattr(instance, "_summary_place", None)
    if before is not None:
        days.add(_day(before[0]))
        if before[1] != instance.region_id:
            # Its decided suggestions counted in the old region.
            days |= {
                _day(moment)
                for moment in instance.matches.filter(decided_at__isnull=False).values_list("decided_at", flat=True)
            }
    mark_stale(days)


@receiver(post_delete, sender=Candidate, dispatch_uid="cijfers_candidate_deleted")
def candidate_deleted(sender, instance: Candidate, **kwargs) -> None:
    mark_stale({_day(instance.signed_up_at)})


def _candidates_changed(field: str):
    """A receiver for the candidates' many-to-many `field`, changed from either side."""

    def changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear"):
                mark_stale({_day(instance.signed_up_at)})
            return
        if action in ("post_add", "post_remove") and pk_set:
            candidates = Candidate.objects.filter(pk__in=pk_set)
        elif action == "pre_clear":
            candidates = Candidate.objects.filter(**{field: instance})
        else:
            return
        mark_stale({_day(moment) for moment in candidates.values_list("signed_up_at", flat=True)})

    return changed


for _field in ("branches", "target_groups"):
    m2m_changed.connect(
        _candidates_changed(_field),
        sender=getattr(Candidate, _field).through,
        weak=False,
        dispatch_uid=f"cijfers_{_field}",
    )


@receiver(pre_save, sender=Match, dispatch_uid="cijfers_match_before")
def remember_match_day(sender, instance: Match, **kwargs) -> None:
    instance._summary_day = None
    if instance.pk and not instance._state.adding:
        instance._summary_day = Match.objects.filter(pk=instance.pk).values_list("decided_at", flat=True).first()


@receiver(post_save, sender=Match, dispatch_uid="cijfers_match_saved")
def match_saved(sender, instance: Match, **kwargs) -> None:
    mark_stale({_day(instance.decided_at), _day(getattr(instance, "_summary_day", None))})


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
