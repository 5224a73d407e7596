"""No personal data in logs: every logger at DEBUG (django.request, django.security, axes, celery,
the portal's own) plus stdout and stderr, captured through a failed intake, a full intake with its
background tasks run, a coordinator searching, viewing, editing and logging a conversation, an
employer reading the introduction, a wrong login with the candidate's address, and pages that are
refused (404, 403). None of the candidate's name, e-mail, phone, postcode, place or typed answers
may appear anywhere, and no URL that was requested may hold them.

SQL is not logged: django.db.backends logs queries only with DEBUG on (never in production, where
it is also set to WARNING); this test runs with DEBUG off, as production does.
"""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, ConsentPurpose
from kandidaten.tests.test_candidate_edit import form_data
from werkgevers.factories import IntroductionFactory, PlaceOfferFactory

pytestmark = pytest.mark.django_db

TYPED = {
    "first_name": "Gerbrich",
    "last_name": "Wiersma-Hoekstra",
    "email": "gerbrich.hoekstra@voorbeeld.example",
    "phone": "06 41234987",
    "postcode": "9712 HV",
    "place": "Groningen",
    "diplomas": "Verpleegkunde uit Paramaribo",
    "support_needs": "Opvang voor mijn dochter op dinsdag",
    "message": "Ik heb twintig jaar in de horeca gewerkt",
}
TRACES = [
    "Gerbrich",
    "Wiersma",
    "Hoekstra",
    "gerbrich.hoekstra",
    "voorbeeld.example",
    "41234987",
    "06 4123",
    "0641234987",
    "+31641234987",
    "9712",
    "Paramaribo",
    "dochter op dinsdag",
    "horeca",
    "Haren",
    "9751",
    "11122233",
    "Wil graag in de nachtdienst",
]


class _Everything(logging.Handler):
    """Keeps every record, formatted with its arguments, exception and any extra attributes."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = logging.Formatter("%(name)s %(levelname)s %(message)s").format(record)
        standard = {*logging.makeLogRecord({}).__dict__, "message", "asctime"}
        extra = {key: value for key, value in record.__dict__.items() if key not in standard}
        self.lines.append(f"{text} {extra!r}" if extra else text)


@pytest.fixture
def every_log_line():
    handler = _Everything()
    names = [None, *logging.Logger.manager.loggerDict]
    loggers = [logging.getLogger(name) for name in names]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        # On the root and on every logger that does not pass its records up: each record once.
        if logger is loggers[0] or not logger.propagate:
            logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    yield handler.lines
    for logger, level, disabled in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.disabled = disabled


def _leaks(text: str) -> list[str]:
    return sorted({trace for trace in TRACES if trace.lower() in text.lower()})


def test_the_capture_sees_every_logger_at_debug(every_log_line):
    """The check has teeth: a debug line of a logger that does not propagate, and one of a new logger."""
    logging.getLogger("axes").debug("login by %s", TYPED["email"])
    logging.getLogger("kandidaten.some.new.module").debug("extra", extra={"who": TYPED["last_name"]})
    assert _leaks("\n".join(every_log_line)) == [
        "Gerbrich",
        "Hoekstra",
        "Wiersma",
        "gerbrich.hoekstra",
        "voorbeeld.example",
    ]


def test_no_personal_data_in_logs_or_urls(
    every_log_line,
    capfd,
    client_a,
    client_b,
    employer_a_client,
    organisation_a,
    region_a,
    region_b,
    django_capture_on_commit_callbacks,
):
    visitor = Client(REMOTE_ADDR="192.0.2.44")
    urls: list[str] = []

    def get(client, url, **params):
        urls.append(url)
        return client.get(url, params)

    def post(client, url, data):
        urls.append(url)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    # A failed intake (a phone number that is not one), then the real one with its tasks.
    failed = post(visitor, reverse("kandidaten:intake"), intake_form_data(**{**TYPED, "phone": "12"}))
    assert failed.status_code == 200
    assert post(visitor, reverse("kandidaten:intake"), intake_form_data(**TYPED)).status_code == 302
    candidate = Candidate.objects.get()
    get(visitor, reverse("kandidaten:intake_done"))

    # A coordinator searches, opens, edits and logs a conversation; another region gets 404.
    post(client_a, reverse("kandidaten:inbox"), {"q": "Gerbrich Wiersma-Hoekstra 9712"})
    get(client_a, reverse("kandidaten:inbox"))
    page = reverse("kandidaten:candidate", args=[candidate.pk])
    assert get(client_a, page).status_code == 200
    assert get(client_b, page).status_code == 404
    edited = form_data(candidate, phone="06 11122233", postcode="9751 AA", place="Haren")
    assert post(client_a, reverse("kandidaten:candidate_edit", args=[candidate.pk]), edited).status_code == 302
    moment = {
        "channel": "phone",
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Wil graag in de nachtdienst werken",
    }
    post(client_a, reverse("kandidaten:contact_moment_create", args=[candidate.pk]), moment)
    post(client_a, reverse("kandidaten:contact_moment_create", args=[candidate.pk]), {**moment, "channel": "x"})

    # An employer reads the introduction; one without access is refused.
    candidate.consents.filter(purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS).update(granted=True)
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    introduction = IntroductionFactory(offer=offer, candidate=candidate)
    assert get(employer_a_client, reverse("werkgevers:introduction_detail", args=[introduction.pk])).status_code == 200
    assert get(employer_a_client, page).status_code == 403

    # Someone tries to log in with the candidate's address, twice.
    for _ in range(2):
        post(visitor, reverse("login"), {"username": TYPED["email"], "password": "geraden"})
    post(visitor, reverse("password_reset"), {"email": TYPED["email"]})

    output = capfd.readouterr()
    everything = "\n".join([*every_log_line, output.out, output.err, *urls])
    assert every_log_line, "nothing was captured: the capture itself is broken"
    assert any("django.request" in line for line in every_log_line), "the refused pages were not logged"
    assert any("celery.app.trace" in line for line in every_log_line), "the background tasks did not run"
    leaks = _leaks(everything)
    assert leaks == [], "\n".join(
        line for line in everything.splitlines() if any(t.lower() in line.lower() for t in leaks)
    )
