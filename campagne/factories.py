"""Factories for the campaign: stories (with a small real photo), tags and campaign materials."""

import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from contactpunt.models import Branch, Function
from werkgevers.factories import OrganisationFactory

from .models import CampaignMaterial, EducationPath, LifeStage, Poster, Story, StoryTag


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


def webp_bytes(size: tuple[int, int], colour: tuple[int, int, int] = (40, 120, 140)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, "WEBP", quality=60)
    return output.getvalue()


# Made once: a plain colour compresses to a few hundred bytes, so every story may have its own copy.
_VARIANT_BYTES: dict[str, bytes] = {}


def _variant(field: str, size: tuple[int, int]) -> ContentFile:
    if field not in _VARIANT_BYTES:
        _VARIANT_BYTES[field] = webp_bytes(size)
    return ContentFile(_VARIANT_BYTES[field], name=f"{field}.webp")


class PublishedStoryFactory(StoryFactory):
    """A story in the gallery: published, photo READY with small real WebP variants (tile 480×360,
    medium and large 640×480, as made from the factory's 640×480 photo)."""

    class Meta:
        skip_postgeneration_save = True

    status = Story.Status.PUBLISHED
    photo_status = Story.PhotoStatus.READY
    tile = factory.LazyFunction(lambda: _variant("tile", (480, 360)))
    medium = factory.LazyFunction(lambda: _variant("medium", (640, 480)))
    large = factory.LazyFunction(lambda: _variant("large", (640, 480)))
    published_at = factory.LazyFunction(timezone.now)
    moderated_at = factory.SelfAttribute("published_at")

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        """PublishedStoryFactory(tags=["nachtdienst", ...]): tags (or their names, made when missing)."""
        if create and extracted:
            self.tags.set(
                [tag if isinstance(tag, StoryTag) else StoryTagFactory(name=tag, slug=tag.lower()) for tag in extracted]
            )
        if create:
            # As the services do after publishing: the Dutch search vector (PostgreSQL only).
            from .search import refresh_search_vector

            refresh_search_vector(self.pk)


def bulk_published_stories(count: int, *, organisation, tags: list[StoryTag] = (), **fields) -> list[Story]:
    """`count` published stories: one made by the factory (with real files), the others inserted in one
    go sharing its file names (for query counts: pages only read the names). Oldest first."""
    from .search import refresh_search_vectors

    now = timezone.now()
    shared = PublishedStoryFactory(
        organisation=organisation, published_at=now - timedelta(minutes=count), tags=list(tags), **fields
    )
    rows = [
        Story(
            organisation=organisation,
            region=shared.region,
            first_name=f"Verteller{number}",
            function=shared.function,
            branch=shared.branch,
            education_path=shared.education_path,
            life_stage=shared.life_stage,
            side_entrant=shared.side_entrant,
            quote=shared.quote,
            text=shared.text,
            photo=shared.photo.name,
            photo_width=shared.photo_width,
            photo_height=shared.photo_height,
            photo_alt=shared.photo_alt,
            photo_status=Story.PhotoStatus.READY,
            tile=shared.tile.name,
            medium=shared.medium.name,
            large=shared.large.name,
            consent_name=shared.consent_name,
            consent_given_on=shared.consent_given_on,
            status=Story.Status.PUBLISHED,
            published_at=now - timedelta(minutes=count - number),
        )
        for number in range(1, count)
    ]
    created = Story.objects.bulk_create(rows)
    if tags:
        Story.tags.through.objects.bulk_create(
            [Story.tags.through(story_id=story.pk, storytag_id=tag.pk) for story in created for tag in tags]
        )
    refresh_search_vectors([story.pk for story in created])
    return [shared, *created]


class PosterFactory(DjangoModelFactory):
    """A poster from an uploaded 640×480 JPEG, waiting to be drawn (status QUEUED, no output files).
    `PosterFactory(story=story, photo="")` makes one from a story."""

    class Meta:
        model = Poster

    story = None
    organisation = factory.Maybe(
        "story",
        yes_declaration=factory.SelfAttribute("story.organisation"),
        no_declaration=factory.SubFactory(OrganisationFactory),
    )
    photo = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(colour=(200, 60, 40)), name="foto.jpg"))
    quote = "Ik zorg, omdat elke dag anders is."
    person_name = factory.Sequence(lambda n: f"Fatima{n}")
    function_name = "Verzorgende IG"
    organisation_name = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "Zorggroep")
    colour_scheme = "portaal"
    source_tag = factory.Sequence(lambda n: f"poster-test{n:05d}")


class SubmittedStoryFactory(StoryFactory):
    """A story an employer of its organisation submitted, waiting for moderation (pass `submitted_by`)."""

    status = Story.Status.SUBMITTED
    submitted_by = None
    submitted_at = factory.LazyFunction(timezone.now)
    consent_recorded_by = factory.SelfAttribute("submitted_by")
