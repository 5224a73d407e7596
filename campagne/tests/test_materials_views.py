"""Campaign materials on the dashboard and in the employer portal: who sees, shares, deletes and
downloads what; bad uploads; a fixed number of queries per list."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from campagne.factories import CampaignMaterialFactory
from campagne.models import CampaignMaterial
from contactpunt.testing import log_in
from werkgevers.factories import EmployerFactory, LocationFactory

from .material_helpers import PDF, office
from .photo_helpers import exif_with_gps, has_no_metadata, jpeg, upload

pytestmark = pytest.mark.django_db

LIST = reverse("campagne:coordinator_materials")
EMPLOYER_LIST = reverse("campagne:employer_materials")


def _delete_url(material) -> str:
    return reverse("campagne:material_delete", args=[material.pk])


def _download_url(material) -> str:
    return reverse("campagne:material_download", args=[material.pk])


@pytest.fixture
def shared(region_a, region_b, coordinator_a, coordinator_b, administrator):
    """One material for every region and one for each of the two regions."""
    return {
        "national": CampaignMaterialFactory(title="Snelstartgids landelijk", region=None, uploaded_by=administrator),
        "a": CampaignMaterialFactory(
            title="Logo Noord",
            kind=CampaignMaterial.Kind.LOGO,
            region=region_a,
            uploaded_by=coordinator_a,
            file=ContentFile(PDF, name="x.pdf"),
            file_name="Logo Noord.pdf",
        ),
        "b": CampaignMaterialFactory(title="Sjabloon Utrecht", kind=CampaignMaterial.Kind.TEMPLATE, region=region_b),
    }


def _post(client: Client, region, data: bytes = PDF, name: str = "Snelstartgids.pdf", **fields):
    form = {"title": "Snelstartgids", "description": "Hoe je begint.", "kind": "guide", **fields}
    if region is not None:
        form["region"] = region.pk
    if data is not None:
        form["file"] = upload(data, name, "application/pdf")
    return client.post(LIST, form)


# Who may open what ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["list", "delete", "employer", "download"])
def test_anonymous_visitors_are_sent_to_the_login_page(shared, url):
    target = {
        "list": LIST,
        "delete": _delete_url(shared["a"]),
        "employer": EMPLOYER_LIST,
        "download": _download_url(shared["national"]),
    }[url]

    response = Client().get(target)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_coordinator_sees_the_materials_for_every_region_and_their_own(client_a, shared):
    response = client_a.get(LIST)

    assert response.status_code == 200
    assert "Snelstartgids landelijk" in response.text and "Logo Noord" in response.text
    assert "Sjabloon Utrecht" not in response.text
    assert "Alle regio&#x27;s" in response.text or "Alle regio's" in response.text
    # Deleting: only their own region's material, not the national one.
    assert _delete_url(shared["a"]) in response.text
    assert _delete_url(shared["national"]) not in response.text


def test_the_other_coordinator_sees_their_own_region(client_b, shared):
    response = client_b.get(LIST)

    assert "Sjabloon Utrecht" in response.text and "Logo Noord" not in response.text
    assert _delete_url(shared["b"]) in response.text


def test_an_administrator_sees_and_may_delete_everything(administrator_client, shared):
    response = administrator_client.get(LIST)

    for material in shared.values():
        assert material.title in response.text
        assert _delete_url(material) in response.text


@pytest.mark.parametrize("url", [LIST, "delete"])
def test_employers_may_not_open_the_dashboard_pages(employer_a_client, shared, url):
    response = employer_a_client.get(_delete_url(shared["a"]) if url == "delete" else url)
    assert response.status_code == 403


@pytest.mark.parametrize("client_fixture", ["client_a", "administrator_client"])
def test_coordinators_may_not_open_the_employer_page(request, shared, client_fixture):
    assert request.getfixturevalue(client_fixture).get(EMPLOYER_LIST).status_code == 403


def test_an_employer_sees_the_materials_of_their_region_grouped_by_kind(employer_a_client, shared):
    response = employer_a_client.get(EMPLOYER_LIST)

    assert response.status_code == 200
    text = response.text
    assert "Snelstartgids landelijk" in text and "Logo Noord" in text and "Sjabloon Utrecht" not in text
    assert text.index("Handleiding") < text.index("Snelstartgids landelijk") < text.index("Logo Noord")
    assert "15\xa0bytes" in text and "toegevoegd op" in text
    assert _download_url(shared["a"]) in text


def test_the_other_employer_sees_the_other_region(employer_b_client, shared):
    text = employer_b_client.get(EMPLOYER_LIST).text
    assert "Sjabloon Utrecht" in text and "Logo Noord" not in text


def test_an_employer_of_a_location_in_another_region_sees_that_region_too(employer_a, shared, region_b):
    LocationFactory(organisation=employer_a.organisation, postcode="3511 AA", place="Utrecht", region=region_b)
    client = Client()
    log_in(client, employer_a)

    assert "Sjabloon Utrecht" in client.get(EMPLOYER_LIST).text


def test_an_employer_without_an_organisation_is_refused(shared):
    client = Client()
    log_in(client, EmployerFactory(organisation=None))

    assert client.get(EMPLOYER_LIST).status_code == 403
    assert client.get(_download_url(shared["national"])).status_code == 404


def test_an_empty_list_says_so(employer_a_client, client_a):
    assert "nog geen campagnemateriaal gedeeld" in employer_a_client.get(EMPLOYER_LIST).text
    assert "Nog geen campagnemateriaal gedeeld" in client_a.get(LIST).text


# Downloading ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_fixture", "material", "status"),
    [
        ("client_a", "national", 200),
        ("client_a", "a", 200),
        ("client_a", "b", 404),
        ("client_b", "a", 404),
        ("client_b", "b", 200),
        ("employer_a_client", "a", 200),
        ("employer_a_client", "national", 200),
        ("employer_a_client", "b", 404),
        ("employer_b_client", "a", 404),
        ("employer_b_client", "b", 200),
        ("administrator_client", "a", 200),
        ("administrator_client", "b", 200),
    ],
)
def test_a_download_for_whoever_may_see_the_material_and_404_for_others(
    request, shared, client_fixture, material, status
):
    response = request.getfixturevalue(client_fixture).get(_download_url(shared[material]))

    assert response.status_code == status


def test_the_download_is_an_attachment_with_the_original_name_and_no_sniffing(employer_a_client, shared):
    response = employer_a_client.get(_download_url(shared["a"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Logo Noord.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_download_whose_file_is_gone_is_a_404(employer_a_client, shared):
    shared["a"].file.storage.delete(shared["a"].file.name)

    assert employer_a_client.get(_download_url(shared["a"])).status_code == 404


def test_a_download_of_a_material_that_does_not_exist_is_a_404(client_a):
    assert client_a.get(reverse("campagne:material_download", args=[999999])).status_code == 404


# Sharing ----------------------------------------------------------------------------------------


def test_a_coordinator_shares_a_file_with_their_region(client_a, coordinator_a, region_a):
    response = _post(client_a, region_a, data=office("docx"), name="Sjabloon vacaturetekst.docx", kind="template")

    assert response.status_code == 302 and response.url == LIST
    material = CampaignMaterial.objects.get()
    assert (material.title, material.kind, material.region, material.uploaded_by) == (
        "Snelstartgids",
        "template",
        region_a,
        coordinator_a,
    )
    assert material.file_name == "Sjabloon vacaturetekst.docx"
    assert material.content_type.endswith("wordprocessingml.document")
    assert material.size == len(office("docx"))
    assert "Sjabloon" not in material.file.name and material.file.name.endswith(".docx")
    assert "is nu beschikbaar voor werkgevers" in client_a.get(LIST).text


def test_a_shared_image_is_stored_without_gps(client_a, region_a):
    _post(client_a, region_a, data=jpeg(exif=exif_with_gps()), name="logo.jpg", kind="logo")

    material = CampaignMaterial.objects.get()
    assert material.content_type == "image/jpeg"
    assert has_no_metadata(material.file.read())


def test_a_coordinator_cannot_share_with_another_region_or_every_region(client_a, region_b):
    response = _post(client_a, region_b)
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden uit de lijst." in response.text

    response = _post(client_a, None)
    assert response.status_code == 400
    assert "Alle regio" not in response.context["form"]["region"].as_widget()
    assert not CampaignMaterial.objects.exists()


def test_a_coordinator_chooses_only_from_their_own_regions(client_a, region_a, region_b):
    field = client_a.get(LIST).context["form"]["region"]

    assert [choice.data["label"] for choice in field.subwidgets] == ["Noord-Nederland"]


def test_an_administrator_shares_with_every_region(administrator_client, administrator, region_a, region_b):
    field = administrator_client.get(LIST).context["form"]["region"]
    assert [choice.data["label"] for choice in field.subwidgets] == ["Alle regio's", "Noord-Nederland", "Utrecht"]

    response = _post(administrator_client, None)

    assert response.status_code == 302
    material = CampaignMaterial.objects.get()
    assert material.region is None and material.uploaded_by == administrator


@pytest.mark.parametrize(
    ("data", "name", "fields", "field", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.svg", {}, "file", "Dit soort bestand kun je hier niet"),
        (b"<html><body>Hallo</body></html>", "gids.pdf", {}, "file", "Dit soort bestand kun je hier niet"),
        (b"MZ\x90\x00" + b"\x00" * 60, "gids.exe", {}, "file", "Dit soort bestand kun je hier niet"),
        (b"%PDF-" + b"0" * (25 * 1024 * 1024 + 1), "groot.pdf", {}, "file", "groter dan 25 MB"),
        (b"", "leeg.pdf", {}, "file", "leeg"),
        (None, "", {}, "file", "Kies het bestand dat je wilt delen."),
        (PDF, "gids.pdf", {"title": ""}, "title", "Dit veld is verplicht."),
        (PDF, "gids.pdf", {"title": "<script>alert(1)</script>"}, "title", "Laat HTML of code weg"),
        (PDF, "gids.pdf", {"kind": "virus"}, "kind", "Kies een van de mogelijkheden uit de lijst."),
    ],
    ids=["svg", "html-as-pdf", "exe", "too-large", "empty", "no-file", "no-title", "markup", "bad-kind"],
)
def test_bad_input_gets_a_dutch_error_at_the_field_and_keeps_what_was_typed(
    client_a, region_a, settings, data, name, fields, field, message
):
    response = _post(client_a, region_a, data=data, name=name, description="Mijn uitleg", **fields)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message.replace("'", "&#x27;") in response.text or message in response.text
    assert "Mijn uitleg" in response.text
    assert not CampaignMaterial.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "campagne").exists()  # nothing stored


# Deleting ---------------------------------------------------------------------------------------


def test_a_coordinator_is_asked_first_and_then_deletes_their_regions_material(
    client_a, shared, django_capture_on_commit_callbacks
):
    material = shared["a"]
    path = Path(material.file.path)

    response = client_a.get(_delete_url(material))
    assert response.status_code == 200
    assert "“Logo Noord” verwijderen? Werkgevers kunnen het dan niet meer downloaden." in response.text
    assert CampaignMaterial.objects.filter(pk=material.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(_delete_url(material))

    assert response.status_code == 302 and response.url == LIST
    assert not CampaignMaterial.objects.filter(pk=material.pk).exists()
    assert not path.exists()
    assert "is verwijderd" in client_a.get(LIST).text


@pytest.mark.parametrize(
    ("client_fixture", "material"),
    [("client_a", "national"), ("client_a", "b"), ("client_b", "a"), ("client_b", "national")],
)
def test_a_coordinator_cannot_delete_another_regions_or_the_national_material(
    request, shared, client_fixture, material
):
    client = request.getfixturevalue(client_fixture)

    assert client.get(_delete_url(shared[material])).status_code == 404
    assert client.post(_delete_url(shared[material])).status_code == 404
    assert CampaignMaterial.objects.filter(pk=shared[material].pk).exists()


def test_an_administrator_deletes_the_national_material(administrator_client, shared):
    response = administrator_client.post(_delete_url(shared["national"]))

    assert response.status_code == 302
    assert not CampaignMaterial.objects.filter(pk=shared["national"].pk).exists()


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_the_coordinator_list_runs_a_fixed_number_of_queries(
    client_a, coordinator_a, region_a, django_assert_max_num_queries, count
):
    CampaignMaterialFactory.create_batch(count, region=region_a, uploaded_by=coordinator_a)
    CampaignMaterialFactory.create_batch(count, region=None)

    # Session, user, savepoint, materials (with region and uploader), the user's regions (which they may
    # delete), the region choices (rendered twice by the form field), release savepoint.
    with django_assert_max_num_queries(8):
        response = client_a.get(LIST)
    assert response.status_code == 200 and response.text.count("Snelstartgids") >= 2 * count


@pytest.mark.parametrize("count", [1, 25])
def test_the_employer_list_runs_a_fixed_number_of_queries(
    employer_a_client, region_a, django_assert_max_num_queries, count
):
    CampaignMaterialFactory.create_batch(count, region=region_a, kind=CampaignMaterial.Kind.LOGO)
    CampaignMaterialFactory.create_batch(count, region=None)

    # Session, user, savepoint, the organisation, materials (the regions in a subquery), release savepoint.
    with django_assert_max_num_queries(6):
        response = employer_a_client.get(EMPLOYER_LIST)
    assert response.status_code == 200 and response.text.count("Snelstartgids") >= 2 * count
