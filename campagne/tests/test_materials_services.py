"""The services behind campaign materials: who may share and delete, and the file follows the row."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from campagne.factories import CampaignMaterialFactory
from campagne.materials import clean_material, material_delete, material_upload
from campagne.models import CampaignMaterial

from .material_helpers import PDF
from .photo_helpers import upload

pytestmark = pytest.mark.django_db


def _share(actor, region):
    return material_upload(
        title="Snelstartgids",
        description="",
        kind=CampaignMaterial.Kind.GUIDE,
        region=region,
        cleaned=clean_material(upload(PDF, "Snelstartgids.pdf")),
        actor=actor,
    )


def test_a_coordinator_shares_with_their_own_region_only(coordinator_a, region_a, region_b):
    material = _share(coordinator_a, region_a)
    assert material.region == region_a and Path(material.file.path).read_bytes() == PDF

    for region in (region_b, None):
        with pytest.raises(PermissionDenied):
            _share(coordinator_a, region)
    assert CampaignMaterial.objects.count() == 1


def test_employers_and_inactive_users_cannot_share(employer_a, administrator, region_a):
    with pytest.raises(PermissionDenied):
        _share(employer_a, region_a)
    administrator.is_active = False
    with pytest.raises(PermissionDenied):
        _share(administrator, None)


def test_deleting_removes_the_file_after_commit_only(coordinator_a, region_a, django_capture_on_commit_callbacks):
    material = CampaignMaterialFactory(region=region_a)
    path = Path(material.file.path)

    with transaction.atomic():
        material_delete(material=CampaignMaterial.objects.get(pk=material.pk), actor=coordinator_a)
        transaction.set_rollback(True)
    assert path.exists() and CampaignMaterial.objects.filter(pk=material.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        material_delete(material=material, actor=coordinator_a)
    assert not path.exists() and not CampaignMaterial.objects.exists()


def test_a_coordinator_cannot_delete_national_or_other_regions_material(coordinator_a, region_b):
    for region in (None, region_b):
        material = CampaignMaterialFactory(region=region)
        with pytest.raises(PermissionDenied):
            material_delete(material=material, actor=coordinator_a)
    assert CampaignMaterial.objects.count() == 2
