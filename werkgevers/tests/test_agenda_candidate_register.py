"""What the agenda needs from kandidaten.services.candidate_register: no intake mail (`confirm=False`),
values for a new candidate only (`new_only`), and consents not asked (None) that keep the earlier answer."""

import pytest
from django.core import mail

from contactpunt.models import EducationLevel
from kandidaten.models import Candidate, Consent, ConsentPurpose, Situation, Source
from kandidaten.services import SignupChannel, candidate_register

pytestmark = pytest.mark.django_db

DETAILS = {
    "first_name": "Noor",
    "last_name": "Hendriks",
    "email": "noor@example.org",
    "phone": "+31611223344",
    "postcode": "9711 AB",
}
NEW_ONLY = {"situation": Situation.OTHER, "education_level": EducationLevel.NONE, "source": Source.EMPLOYER}


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def test_without_confirmation_no_intake_mail_is_sent(region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate_register(
            details=DETAILS, consents={"contact": True}, channel=SignupChannel.AGENDA, new_only=NEW_ONLY, confirm=False
        )

    assert mail.outbox == []


def test_by_default_the_intake_mail_is_still_sent(region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate_register(details={**DETAILS, **NEW_ONLY}, consents={"contact": True}, channel=SignupChannel.INTAKE)

    assert len(mail.outbox) == 1


def test_new_only_values_fill_in_a_new_candidate(region_a):
    candidate = candidate_register(
        details=DETAILS, consents={"contact": True}, channel=SignupChannel.AGENDA, new_only=NEW_ONLY, confirm=False
    ).candidate

    assert (candidate.situation, candidate.education_level, candidate.source) == (
        Situation.OTHER,
        EducationLevel.NONE,
        Source.EMPLOYER,
    )


def test_new_only_values_never_overwrite_a_known_candidate(region_a):
    candidate_register(
        details={
            **DETAILS,
            "situation": Situation.RETURNER,
            "education_level": EducationLevel.MBO4,
            "source": "school",
        },
        consents={"contact": True},
        channel=SignupChannel.INTAKE,
    )

    result = candidate_register(
        details={**DETAILS, "last_name": "Hendriks-de Wit"},
        consents={"contact": True},
        channel=SignupChannel.AGENDA,
        new_only=NEW_ONLY,
        confirm=False,
    )

    assert result.created is False
    candidate = Candidate.objects.get()
    assert candidate.last_name == "Hendriks-de Wit"  # what the person typed now does count
    assert (candidate.situation, candidate.education_level, candidate.source) == (
        Situation.RETURNER,
        EducationLevel.MBO4,
        "school",
    )


def test_a_consent_not_asked_keeps_the_earlier_answer(region_a):
    candidate_register(
        details={**DETAILS, **NEW_ONLY},
        consents={ConsentPurpose.CONTACT: True, ConsentPurpose.CAMPAIGN_NEWS: True},
        channel=SignupChannel.INTAKE,
    )

    candidate_register(
        details=DETAILS,
        consents={
            ConsentPurpose.CONTACT: True,
            ConsentPurpose.SHARE_WITH_EMPLOYERS: False,
            ConsentPurpose.CAMPAIGN_NEWS: None,
        },
        channel=SignupChannel.AGENDA,
        new_only=NEW_ONLY,
        confirm=False,
    )

    news = Consent.objects.filter(purpose=ConsentPurpose.CAMPAIGN_NEWS)
    assert news.count() == 1
    assert news.get().granted is True
    assert Consent.objects.filter(purpose=ConsentPurpose.CONTACT).count() == 2
