"""The audit log never has to be erased: after a sign-up, an edit, a status change, a conversation, a
view by a coordinator and by an employer, no row holds the candidate's name, e-mail, phone, postcode,
place or anything they typed."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import AuditEvent
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, ConsentPurpose, Status
from kandidaten.tests.test_candidate_edit import form_data
from werkgevers.factories import IntroductionFactory, PlaceOfferFactory

pytestmark = pytest.mark.django_db

TYPED = {
    "first_name": "Wilhelmina",
    "last_name": "Oosterhuis-Brandsma",
    "email": "w.oosterhuis@voorbeeld.example",
    "phone": "06 41234987",
    "postcode": "9712 HV",
    "place": "Groningen",
    "diplomas": "Verpleegkunde niveau 4 uit Suriname",
    "support_needs": "Kinderopvang op woensdag",
    "message": "Bel mij liever niet op maandag",
}
TRACES = [
    "Wilhelmina",
    "Oosterhuis",
    "Brandsma",
    "oosterhuis@",
    "voorbeeld.example",
    "41234987",
    "0641234987",
    "+31641234987",
    "9712",
    "Suriname",
    "Kinderopvang",
    "maandag",
    "Haren",
    "9751",
    "Heeft interesse in de VVT",
]


def every_audit_value() -> str:
    """Every column of every audit row as the database holds it (raw SQL: no model conversion)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM contactpunt_auditevent")
        return "\n".join(" | ".join(str(value) for value in row) for row in cursor.fetchall())


def test_a_full_intake_edit_and_views_leave_no_personal_data_in_the_audit_log(
    client, client_a, employer_a_client, organisation_a, region_a
):
    response = client.post(reverse("kandidaten:intake"), intake_form_data(**TYPED))
    assert response.status_code == 302, response.context["form"].errors
    candidate = Candidate.objects.get()
    page = reverse("kandidaten:candidate", args=[candidate.pk])

    assert client_a.get(page).status_code == 200
    edited = form_data(
        candidate,
        phone="06 11122233",
        postcode="9751 AA",
        place="Haren",
        functions=[item.pk for item in candidate.functions.all()],
        next_steps=[item.pk for item in candidate.next_steps.all()],
    )
    assert client_a.post(reverse("kandidaten:candidate_edit", args=[candidate.pk]), edited).status_code == 302
    client_a.post(
        reverse("kandidaten:contact_moment_create", args=[candidate.pk]),
        {
            "channel": "phone",
            "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Heeft interesse in de VVT, Wilhelmina belt terug",
        },
    )
    client_a.post(reverse("kandidaten:candidate_status", args=[candidate.pk]), {"status": Status.REFERRED})
    candidate.consents.filter(purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS).update(granted=True)
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    introduction = IntroductionFactory(offer=offer, candidate=candidate)
    assert employer_a_client.get(reverse("werkgevers:introduction_detail", args=[introduction.pk])).status_code == 200

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"create", "view", "change"} <= actions
    changes = list(
        AuditEvent.objects.filter(object_id=candidate.pk, action="change")
        .order_by("id")
        .values_list("fields", flat=True)
    )
    assert changes == [["phone", "postcode", "place"], ["contact_moments"], ["status", "stop_reason"]]
    stored = every_audit_value()
    leaks = [trace for trace in TRACES if trace.lower() in stored.lower()]
    assert leaks == [], stored
