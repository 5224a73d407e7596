"""Django admin for the employer side: every model is registered, lists search and filter, and a
location saved there gets its region from the postcode like everywhere else."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from kandidaten.factories import CandidateFactory
from werkgevers import models
from werkgevers.factories import (
    CohortPledgeFactory,
    ContactPersonFactory,
    IntroductionFactory,
    RegistrationFactory,
)
from werkgevers.models import AccessRequest, Invitation, Location, new_token

pytestmark = pytest.mark.django_db

MODELS = [
    models.Organisation,
    models.Location,
    models.ContactPerson,
    models.Invitation,
    models.AccessRequest,
    models.Offer,
    models.Registration,
    models.Introduction,
    models.Cohort,
    models.CohortPledge,
    models.CohortPlacement,
]


@pytest.fixture
def rows(organisation_a, region_a, coordinator_a):
    location = organisation_a.locations.get()
    contact = ContactPersonFactory(organisation=organisation_a)
    RegistrationFactory(offer__organisation=organisation_a, offer__location=location, offer__contact_person=contact)
    IntroductionFactory(offer__organisation=organisation_a, offer__location=location, offer__contact_person=contact)
    pledge = CohortPledgeFactory(organisation=organisation_a, cohort__region=region_a)
    models.CohortPlacement.objects.create(
        pledge=pledge, cohort=pledge.cohort, candidate=CandidateFactory(region=region_a), placed_by=coordinator_a
    )
    Invitation.objects.create(
        organisation=organisation_a,
        email="sanne@zorg.example",
        token_hash=new_token()[1],
        invited_by=coordinator_a,
        expires_at=organisation_a.created_at,
    )
    AccessRequest.objects.create(
        organisation_name="Het Wad",
        kvk_number="12345678",
        contact_name="Fenna",
        email="fenna@hetwad.example",
        phone="+31612345678",
        postcode="9712 CD",
        region=region_a,
    )


def test_every_werkgevers_model_is_registered():
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_list_search_and_change_pages_open(administrator_client, rows, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")

    assert administrator_client.get(changelist).status_code == 200
    assert administrator_client.get(changelist, {"q": "zorg"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    page = administrator_client.get(change)
    assert page.status_code == 200
    assert "token_hash" not in page.content.decode()


def test_invitations_are_not_made_in_the_admin(administrator_client):
    assert administrator_client.get(reverse("admin:werkgevers_invitation_add")).status_code == 403


def test_a_location_saved_in_the_admin_gets_its_region_from_the_postcode(
    administrator_client, organisation_a, region_b
):
    location = organisation_a.locations.get()
    url = reverse("admin:werkgevers_location_change", args=[location.pk])

    response = administrator_client.post(
        url,
        {
            "organisation": organisation_a.pk,
            "name": "De Linde",
            "street": "Domplein 1",
            "postcode": "3512 JC",
            "place": "Utrecht",
            "active": "on",
        },
    )

    assert response.status_code == 302
    location.refresh_from_db()
    assert location.region == region_b


def test_coordinators_and_employers_have_no_admin(client_a, employer_a_client):
    url = reverse("admin:werkgevers_organisation_changelist")
    assert client_a.get(url).status_code == 302
    assert employer_a_client.get(url).status_code == 302
    assert Location.objects.count() == 1
