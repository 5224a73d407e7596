"""A status change reaches the partner's webhook as a signed POST; failures are tried again later."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.utils import timezone

from api import webhooks
from api.models import Handoff, WebhookDelivery
from kandidaten import services
from kandidaten.models import Candidate, Channel, Status, StopReason

from .conftest import URL, hand_off_body

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's webhook endpoint on loopback that answers with `status`."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/contactpunt"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def candidate(panel, welcome_panel, receiver, django_capture_on_commit_callbacks):
    partner = welcome_panel[0]
    partner.webhook_url = receiver.url
    webhooks.ensure_secret(partner)
    partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        panel.post(URL, hand_off_body(partner_reference="WP-7"))
    return Candidate.objects.get()


def _call(candidate, coordinator, capture):
    with capture(execute=True):
        services.contact_moment_log(
            candidate=candidate, actor=coordinator, details={"channel": Channel.PHONE, "summary": "Gebeld."}
        )


def test_a_status_change_is_posted_signed_and_without_personal_details(
    candidate, receiver, welcome_panel, coordinator_a, django_capture_on_commit_callbacks
):
    _call(candidate, coordinator_a, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = json.loads(body)
    assert payload["event"] == "handoff.status_changed"
    assert payload["handoff"] == {
        "id": str(Handoff.objects.get().public_id),
        "partner_reference": "WP-7",
        "status": "contacted",
        "status_label": "Contact gehad",
    }
    assert b"Sanne" not in body and b"sanne" not in body
    timestamp, signed = (part.split("=", 1)[1] for part in headers["X-Contactpunt-Signature"].split(","))
    secret = welcome_panel[0].webhook_secret.encode()
    expected = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signed, expected)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)


def test_a_save_without_a_status_change_sends_nothing(candidate, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate.message = "Nog een vraag"
        candidate.save()

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_failed_delivery_is_tried_again_after_a_pause_and_gives_up_in_the_end(
    candidate, receiver, coordinator_a, django_capture_on_commit_callbacks
):
    receiver.status = 503
    _call(candidate, coordinator_a, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)

    # Not before the pause is over.
    webhooks.sweep()
    assert WebhookDelivery.objects.get().attempts == 1

    moment = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(moment):
        webhooks.sweep()
    assert WebhookDelivery.objects.get().attempts == 2

    for pause in webhooks.WEBHOOK_RETRY_MINUTES[1:]:
        moment += timedelta(minutes=pause + 1)
        with time_machine.travel(moment):
            webhooks.sweep()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.attempts == len(webhooks.WEBHOOK_RETRY_MINUTES) + 1
    assert len(receiver.received) == delivery.attempts

    receiver.status = 200
    with time_machine.travel(moment + timedelta(days=1)):
        webhooks.sweep()
    assert WebhookDelivery.objects.get().attempts == delivery.attempts  # given up: not sent again


def test_the_sweep_finds_a_change_made_in_bulk(candidate, receiver):
    Candidate.objects.filter(pk=candidate.pk).update(status=Status.STOPPED, stop_reason=StopReason.MOVED)

    webhooks.sweep()

    assert [json.loads(body)["handoff"]["status"] for _headers, body in receiver.received] == ["closed"]
    assert Handoff.objects.get().reported_status == "closed"
    webhooks.sweep()
    assert len(receiver.received) == 1


def test_an_erased_person_is_reported_closed_once(candidate, receiver):
    Candidate.objects.filter(pk=candidate.pk).update(erased_at=timezone.now())

    webhooks.sweep()
    webhooks.sweep()

    assert [json.loads(body)["handoff"]["status"] for _headers, body in receiver.received] == ["closed"]
    assert webhooks.reconcile() == 0
