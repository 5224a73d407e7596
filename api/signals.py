"""A candidate's status change tells the partners who handed them off (api.webhooks), after commit; a merge
takes their hand-offs along."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from kandidaten.models import Candidate
from kandidaten.signals import candidates_merged


def _seen(instance: Candidate) -> tuple:
    # From the loaded values, without a query (a deferred field stays unloaded).
    values = instance.__dict__
    return values.get("status"), values.get("erased_at")


@receiver(post_init, sender=Candidate, dispatch_uid="api_candidate_loaded")
def remember_status(sender, instance: Candidate, **kwargs) -> None:
    instance._handoff_seen = _seen(instance)


@receiver(post_save, sender=Candidate, dispatch_uid="api_candidate_saved")
def status_saved(sender, instance: Candidate, created: bool, **kwargs) -> None:
    before = getattr(instance, "_handoff_seen", (None, None))
    instance._handoff_seen = _seen(instance)
    if created or before[0] is None or before == instance._handoff_seen:
        return
    from .webhooks import queue_for_candidate

    candidate_id = instance.pk
    transaction.on_commit(lambda: queue_for_candidate(candidate_id))


@receiver(candidates_merged, dispatch_uid="api_candidates_merged")
def follow_the_merge(sender, keep: Candidate, remove: Candidate, **kwargs) -> None:
    """A hand-off of a duplicate follows the person to the record that is kept."""
    from .models import Handoff

    Handoff.objects.filter(candidate=remove).update(candidate=keep)
