"""Access requests: the public page, routing by postcode, e-mails, and a coordinator's decision."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import User
from werkgevers.models import AccessRequest, Invitation, Location, Organisation

pytestmark = pytest.mark.django_db

URL = reverse("werkgevers:access_request")
LIST = reverse("werkgevers:access_requests")


def typed(**changes) -> dict:
    data = {
        "organisation_name": "Thuiszorg Het Wad",
        "kvk_number": "1234 5678",
        "contact_name": "Fenna Dijkstra",
        "email": "Fenna@HetWad.example",
        "phone": "06 12345678",
        "postcode": "9712cd",
        "message": "Wij willen graag meeloopdagen aanbieden.",
        "website": "",
    }
    data.update(changes)
    return data


def submit(client, capture, **changes):
    with capture(execute=True):
        return client.post(URL, typed(**changes))


def pending_request(region, **fields) -> AccessRequest:
    values = {
        "organisation_name": "Thuiszorg Het Wad",
        "kvk_number": "12345678",
        "contact_name": "Fenna Dijkstra",
        "email": "fenna@hetwad.example",
        "phone": "+31612345678",
        "postcode": "9712 CD",
        "region": region,
    }
    values.update(fields)
    return AccessRequest.objects.create(**values)


def decide(client, item, capture, decision, **fields):
    data = {f"request-{item.pk}-decision": decision}
    data.update({f"request-{item.pk}-{name}": value for name, value in fields.items()})
    with capture(execute=True):
        return client.post(reverse("werkgevers:access_request_decide", args=[item.pk]), data)


# The public page ----------------------------------------------------------------------------------


def test_the_page_explains_in_dutch(client):
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Toegang aanvragen voor werkgevers" in html
    assert "Postcode van de hoofdlocatie" in html
    assert "novalidate" in html


def test_a_request_is_routed_by_postcode_and_both_sides_get_an_e_mail(
    client, region_a, coordinator_a, coordinator_b, django_capture_on_commit_callbacks
):
    colleague = CoordinatorFactory(email="collega.a@contactpunt.example", regions=[region_a])

    response = submit(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:access_request_done")
    item = AccessRequest.objects.get()
    assert (item.kvk_number, item.email, item.phone, item.postcode, item.region) == (
        "12345678",
        "fenna@hetwad.example",
        "+31612345678",
        "9712 CD",
        region_a,
    )
    assert item.status == AccessRequest.Status.PENDING
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([coordinator_a.email, colleague.email, "fenna@hetwad.example"])
    to_coordinator = next(m for m in mail.outbox if m.to == [coordinator_a.email])
    assert to_coordinator.subject == "Nieuwe toegangsaanvraag: Thuiszorg Het Wad"
    assert "contactpunt Noord-Nederland" in to_coordinator.body
    assert "http://testserver/dashboard/toegangsaanvragen/" in to_coordinator.body
    to_requester = next(m for m in mail.outbox if m.to == ["fenna@hetwad.example"])
    assert to_requester.subject == "We hebben je aanvraag voor toegang ontvangen"
    assert to_requester.body.startswith("Hallo Fenna Dijkstra,")
    assert "Een coördinator van contactpunt Noord-Nederland leest je aanvraag" in to_requester.body

    done = client.get(response["Location"]).content.decode()
    assert "Je aanvraag is verstuurd" in done
    assert "We hebben de aanvraag van Thuiszorg Het Wad ontvangen." in done
    assert "Noord-Nederland" in done
    again = client.get(response["Location"]).content.decode()
    assert "Thuiszorg Het Wad" not in again


def test_a_postcode_no_region_serves_goes_to_the_administrators(
    client, region_a, administrator, coordinator_a, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, postcode="1011 AB")

    item = AccessRequest.objects.get()
    assert item.region is None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([administrator.email, "fenna@hetwad.example"])
    assert (
        "Geen contactpunt bedient de postcode, dus een beheerder beslist."
        in next(m for m in mail.outbox if m.to == [administrator.email]).body
    )


def test_a_filled_honeypot_saves_nothing(client, region_a, django_capture_on_commit_callbacks):
    response = submit(client, django_capture_on_commit_callbacks, website="https://spam.example")

    assert response.status_code == 429
    assert "Je formulier is niet verstuurd" in response.content.decode()
    assert AccessRequest.objects.count() == 0
    assert mail.outbox == []


def test_the_rate_limit_stops_the_next_post(client, region_a, settings, django_capture_on_commit_callbacks):
    settings.ACCESS_REQUEST_RATE_LIMIT = "2/h"
    submit(client, django_capture_on_commit_callbacks)
    assert client.post(URL, {}).status_code == 200

    response = submit(client, django_capture_on_commit_callbacks, kvk_number="87654321")

    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert AccessRequest.objects.count() == 1
    assert client.get(URL).status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.77").post(URL, typed(kvk_number="87654321")).status_code == 302


# Deciding -----------------------------------------------------------------------------------------


def test_coordinators_see_the_pending_requests_of_their_regions(client_a, client_b, region_a, region_b):
    pending_request(region_a)
    pending_request(region_b, organisation_name="Zorg aan de Vecht", kvk_number="87654321")

    html_a = client_a.get(LIST).content.decode()
    html_b = client_b.get(LIST).content.decode()

    assert "Thuiszorg Het Wad" in html_a and "Zorg aan de Vecht" not in html_a
    assert "Zorg aan de Vecht" in html_b and "Thuiszorg Het Wad" not in html_b
    assert "Goedkeuren en uitnodigen" in html_a


def test_approving_registers_the_organisation_with_a_location_and_invites_the_requester(
    client_a, coordinator_a, region_a, django_capture_on_commit_callbacks
):
    item = pending_request(region_a)

    response = decide(client_a, item, django_capture_on_commit_callbacks, "approve")

    organisation = Organisation.objects.get(kvk_number="12345678")
    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:organisation_detail", args=[organisation.pk])
    assert (organisation.name, organisation.home_region) == ("Thuiszorg Het Wad", region_a)
    location = Location.objects.get(organisation=organisation)
    assert (location.postcode, location.region) == ("9712 CD", region_a)
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.organisation) == (
        AccessRequest.Status.APPROVED,
        coordinator_a,
        organisation,
    )
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.first_name, invitation.last_name) == (
        "fenna@hetwad.example",
        "Fenna",
        "Dijkstra",
    )
    (message,) = mail.outbox
    assert message.to == ["fenna@hetwad.example"]
    assert "Je aanvraag voor toegang tot het portaal voor Thuiszorg Het Wad is goedgekeurd." in message.body
    page = client_a.get(response["Location"]).content.decode()
    assert "Goedgekeurd. Thuiszorg Het Wad is geregistreerd en fenna@hetwad.example is uitgenodigd." in page

    # The requester follows the link and works in the portal of the new organisation.
    link = re.search(r"http://testserver/werkgever/uitnodiging/\S+/", message.body).group(0)
    requester = Client()
    form_url = requester.get(link)["Location"]
    password = "Wadden-Zorg-2026!"
    assert requester.post(form_url, {"new_password1": password, "new_password2": password}).status_code == 302
    assert User.objects.get(email="fenna@hetwad.example").organisation == organisation
    assert "Thuiszorg Het Wad" in requester.get(reverse("werkgevers:employer_home")).content.decode()


def test_a_decided_request_cannot_be_decided_again(client_a, region_a, django_capture_on_commit_callbacks):
    item = pending_request(region_a)
    decide(client_a, item, django_capture_on_commit_callbacks, "approve")

    response = decide(client_a, item, django_capture_on_commit_callbacks, "decline", reason="Toch niet.")

    assert response.status_code == 302
    page = client_a.get(response["Location"]).content.decode()
    assert "Over deze aanvraag is al besloten: Goedgekeurd." in page
    assert AccessRequest.objects.get().status == AccessRequest.Status.APPROVED
    assert Organisation.objects.filter(kvk_number="12345678").count() == 1
    assert Invitation.objects.count() == 1


def test_approving_links_the_registered_organisation_the_coordinator_sees(
    client_a, region_a, organisation_a, django_capture_on_commit_callbacks
):
    item = pending_request(region_a, kvk_number=organisation_a.kvk_number, organisation_name="Zorggroep Noord BV")

    response = decide(client_a, item, django_capture_on_commit_callbacks, "approve")

    assert response["Location"] == reverse("werkgevers:organisation_detail", args=[organisation_a.pk])
    assert Organisation.objects.filter(kvk_number=organisation_a.kvk_number).count() == 1
    assert organisation_a.locations.count() == 1
    assert Invitation.objects.get().organisation == organisation_a


def test_an_organisation_of_another_region_is_an_error(
    client_a, region_a, organisation_b, django_capture_on_commit_callbacks
):
    item = pending_request(region_a, kvk_number=organisation_b.kvk_number)

    response = decide(client_a, item, django_capture_on_commit_callbacks, "approve")

    assert response.status_code == 302
    page = client_a.get(response["Location"]).content.decode()
    assert "Er is al een organisatie met dit KvK-nummer geregistreerd bij een ander contactpunt." in page
    item.refresh_from_db()
    assert item.status == AccessRequest.Status.PENDING and item.decided_by is None
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_an_address_of_a_coordinator_is_an_error_and_nothing_is_saved(
    client_a, region_a, coordinator_b, django_capture_on_commit_callbacks
):
    item = pending_request(region_a, email=coordinator_b.email)

    response = decide(client_a, item, django_capture_on_commit_callbacks, "approve")

    page = client_a.get(response["Location"]).content.decode()
    assert "Dit e-mailadres hoort al bij een coördinator of beheerder van het portaal." in page
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    assert not Organisation.objects.filter(kvk_number="12345678").exists()
    assert not Location.objects.filter(postcode="9712 CD").exists()


def test_declining_needs_a_reason(client_a, region_a, django_capture_on_commit_callbacks):
    item = pending_request(region_a)

    response = decide(client_a, item, django_capture_on_commit_callbacks, "decline", reason="   ")

    assert response.status_code == 200
    assert "Schrijf waarom je de aanvraag afwijst; de aanvrager leest dit." in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    assert mail.outbox == []


def test_declining_tells_the_requester_why(client_a, coordinator_a, region_a, django_capture_on_commit_callbacks):
    region_a.email = "noord@contactpunt.example"
    region_a.save()
    item = pending_request(region_a)

    response = decide(
        client_a, item, django_capture_on_commit_callbacks, "decline", reason="Geen zorgorganisatie in onze regio."
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decline_reason, item.decided_by) == (
        AccessRequest.Status.DECLINED,
        "Geen zorgorganisatie in onze regio.",
        coordinator_a,
    )
    (message,) = mail.outbox
    assert message.to == ["fenna@hetwad.example"]
    assert message.subject == "Je aanvraag voor toegang tot het portaal"
    assert "Helaas kunnen we je geen toegang geven." in message.body
    assert "Geen zorgorganisatie in onze regio." in message.body
    assert "noord@contactpunt.example" in message.body
    assert not Organisation.objects.filter(kvk_number="12345678").exists()
    page = client_a.get(LIST).content.decode()
    assert "De aanvraag van Thuiszorg Het Wad is afgewezen; de aanvrager heeft bericht gekregen." in page
    assert "Er wachten geen aanvragen." in page
    assert "Afgewezen" in page


def test_an_unknown_decision_is_a_form_error(client_a, region_a, django_capture_on_commit_callbacks):
    item = pending_request(region_a)

    response = decide(client_a, item, django_capture_on_commit_callbacks, "maybe")

    assert response.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING


def test_administrators_decide_requests_without_a_region_and_choose_one(
    administrator_client, client_a, region_a, region_b, django_capture_on_commit_callbacks
):
    item = pending_request(None, postcode="1011 AB")
    assert "Thuiszorg Het Wad" not in client_a.get(LIST).content.decode()
    assert "Thuiszorg Het Wad" in administrator_client.get(LIST).content.decode()

    without = decide(administrator_client, item, django_capture_on_commit_callbacks, "approve")
    assert without.status_code == 200
    assert "Kies het contactpunt waar de organisatie bij hoort." in without.content.decode()
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING

    response = decide(administrator_client, item, django_capture_on_commit_callbacks, "approve", region=region_b.pk)

    assert response.status_code == 302
    organisation = Organisation.objects.get(kvk_number="12345678")
    assert organisation.home_region == region_b
    location = organisation.locations.get()
    assert location.postcode == "1011 AB" and location.region is None


def test_a_request_for_a_registered_kvk_number_says_so(client_a, region_a, organisation_a):
    pending_request(region_a, kvk_number=organisation_a.kvk_number)

    html = client_a.get(LIST).content.decode()

    assert "Er staat al een organisatie met dit KvK-nummer in het portaal." in html


# The list, for an administrator with requests with and without a region:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. the pending requests, with their region and whether the KvK number is registered
#  5. the regions to choose from, read once for every request without a region
#  6. the last 20 decisions, with region, decider and organisation
#  7. RELEASE SAVEPOINT
REQUEST_LIST_QUERIES = 7


@pytest.mark.parametrize("count", [4, 40])
def test_the_request_list_runs_a_fixed_number_of_queries(
    administrator_client, coordinator_a, region_a, count, django_assert_num_queries
):
    for number in range(count):
        item = pending_request(region_a if number % 2 else None, kvk_number=f"{20000000 + number}")
        if number % 4 == 0:
            AccessRequest.objects.filter(pk=item.pk).update(
                status=AccessRequest.Status.DECLINED, decided_by=coordinator_a
            )

    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        response = administrator_client.get(LIST)

    assert len(response.context["rows"]) == count - count // 4


def test_the_login_page_leads_employers_without_an_account_here(client):
    html = client.get(reverse("login")).content.decode()

    assert "Werkgever zonder account?" in html
    assert f'href="{URL}"' in html
