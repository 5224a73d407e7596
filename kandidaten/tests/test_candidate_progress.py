"""Progress reported from elsewhere only moves a candidate forward along the pipeline."""

import pytest

from kandidaten.factories import CandidateFactory
from kandidaten.models import Status, StopReason, TimelineEvent
from kandidaten.services import candidate_progress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("current", "reported", "moves"),
    [
        (Status.NEW, Status.REFERRED, True),
        (Status.IN_CONVERSATION, Status.REFERRED, True),
        (Status.REFERRED, Status.REFERRED, False),
        (Status.STARTED, Status.REFERRED, False),
        (Status.REFERRED, Status.STARTED, True),
        (Status.STOPPED, Status.REFERRED, False),
        (Status.STOPPED, Status.STARTED, True),
    ],
)
def test_progress_moves_forward_only(current, reported, moves, coordinator_a):
    reason = StopReason.OTHER if current == Status.STOPPED else ""
    candidate = CandidateFactory(status=current, stop_reason=reason)

    changed = candidate_progress(candidate=candidate, status=reported, actor=coordinator_a, note="introduction")

    candidate.refresh_from_db()
    assert changed is moves
    assert candidate.status == (reported if moves else current)
    events = TimelineEvent.objects.filter(candidate=candidate, kind=TimelineEvent.Kind.STATUS)
    assert events.count() == (1 if moves else 0)
    if moves:
        assert events.get().data == {"from": current, "to": reported, "reason": "", "note": "introduction"}
        assert candidate.stop_reason == ""
