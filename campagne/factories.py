"""Factories for the campaign: stories (with a small real photo), tags and campaign materials."""

import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from contactpunt.models import Branch, Function
from werkgevers.factories import OrganisationFactory

from .models import CampaignMaterial, EducationPath, LifeStage, Story, StoryTag


def jpeg_bytes(size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (40, 120, 140)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, "JPEG", quality=85)
    return output.getvalue()


class StoryTagFactory(DjangoModelFactory):
    class Meta:
        model = StoryTag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class StoryFactory(DjangoModelFactory):
    """A story with a 640×480 JPEG as its photo; its variants are not made (photo_status PENDING)."""

    class Meta:
        model = Story

    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda o: o.organisation.home_region)
    first_name = factory.Sequence(lambda n: f"Sanne{n}")
    function = factory.LazyFunction(lambda: Function.objects.get(slug="vig"))
    branch = factory.LazyFunction(lambda: Branch.objects.get(slug="vvt"))
    education_path = EducationPath.MBO_BBL
    life_stage = LifeStage.MID_CAREER
    quote = "Elke dag maak ik echt verschil."
    text = "Ik werk met veel plezier in de ouderenzorg."
    photo = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="foto.jpg"))
    photo_width = 640
    photo_height = 480
    photo_alt = "Een zorgmedewerker lacht naar de camera."
    consent_name = factory.LazyAttribute(lambda o: f"{o.first_name} de Vries")
    consent_given_on = factory.LazyFunction(timezone.localdate)


class CampaignMaterialFactory(DjangoModelFactory):
    """A small PDF for employers in every region (region None)."""

    class Meta:
        model = CampaignMaterial

    title = factory.Sequence(lambda n: f"Snelstartgids {n}")
    kind = CampaignMaterial.Kind.GUIDE
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%%EOF\n", name="gids.pdf"))
    file_name = "snelstartgids.pdf"
    content_type = "application/pdf"
    size = 15
    region = None
