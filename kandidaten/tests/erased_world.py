"""A candidate erased through the real erasure function, and what must stay as it is after an action.

Shared by kandidaten/tests/test_erased_candidate_is_read_only.py and
werkgevers/tests/test_erased_candidate_introductions.py.
"""

from __future__ import annotations

import re

from django.urls import reverse

from contactpunt.models import Branch, NextStep, Notification, OutboxMail
from kandidaten import privacy
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, ContactMoment, ErasureRequest, Match, TimelineEvent
from werkgevers.models import CohortPlacement, Introduction, Registration

REFUSED = "De gegevens van deze kandidaat zijn verwijderd; er kan niets meer aan worden gewijzigd."


def text(response) -> str:
    """The page as a person reads it: tags dropped, white space collapsed."""
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def candidate_url(candidate: Candidate) -> str:
    return reverse("kandidaten:candidate", args=[candidate.pk])


def erased_candidate(*, region, actor, capture) -> Candidate:
    """Anna, with a branch and a wish for BBL, erased by `actor` (the confirmation mail is sent)."""
    candidate = CandidateFactory(
        region=region,
        first_name="Anna",
        last_name="Zwaagstra",
        email="anna.zwaagstra@example.org",
        phone="+31612345678",
        postcode="9711 AB",
        place="Groningen",
    )
    candidate.branches.add(Branch.objects.get(slug="vvt"))
    candidate.next_steps.add(NextStep.objects.get(slug="bbl"))
    with capture(execute=True):
        privacy.erase_candidate(candidate=candidate, via=ErasureRequest.Via.COORDINATOR, actor=actor)
    candidate.refresh_from_db()
    assert candidate.is_erased
    return candidate


def state(candidate: Candidate) -> dict:
    """Everything an action could add or change for the candidate (and mail it could queue)."""
    return {
        "row": Candidate.objects.filter(pk=candidate.pk).values().get(),
        "branches": sorted(candidate.branches.values_list("pk", flat=True)),
        "next_steps": sorted(candidate.next_steps.values_list("pk", flat=True)),
        "target_groups": sorted(candidate.target_groups.values_list("pk", flat=True)),
        "candidates": sorted(Candidate.objects.values_list("pk", "updated_at")),
        "timeline": sorted(TimelineEvent.objects.values_list("pk", "candidate_id", "kind")),
        "contact_moments": ContactMoment.objects.count(),
        "matches": sorted(Match.objects.values_list("pk", "status", "decided_by_id", "reject_reason")),
        "introductions": sorted(Introduction.objects.values_list("pk", "status", "candidate_id")),
        "registrations": Registration.objects.count(),
        "placements": CohortPlacement.objects.count(),
        "outbox": OutboxMail.objects.count(),
        "notifications": Notification.objects.count(),
    }


def assert_refused(client, response, candidate: Candidate) -> None:
    """Back to the candidate page, which says in Dutch that nothing can be changed."""
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == candidate_url(candidate)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert REFUSED in text(page)
