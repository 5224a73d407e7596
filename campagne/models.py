"""The campaign (campagne): stories of the region's care workers with their photos, posters made
from them, and campaign materials that coordinators share with employers."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, Function, Region


def _random_name(prefix: str, extension: str) -> str:
    """A path nobody can guess and that says nothing about the person: uploads are never named after them."""
    return f"{prefix}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}.{extension}"


def original_photo_path(story: Story, filename: str) -> str:
    return _random_name("campagne/originelen", filename.rsplit(".", 1)[-1])


def variant_path(story: Story, filename: str) -> str:
    return _random_name("campagne/verhalen", "webp")


def poster_photo_path(poster: Poster, filename: str) -> str:
    return _random_name("campagne/poster-fotos", filename.rsplit(".", 1)[-1])


def poster_output_path(poster: Poster, filename: str) -> str:
    return _random_name("campagne/posters", filename.rsplit(".", 1)[-1])


def material_path(material: CampaignMaterial, filename: str) -> str:
    return _random_name("campagne/materialen", filename.rsplit(".", 1)[-1])


class EducationPath(models.TextChoices):
    """How the person pictured got into care (opleidingsroute)."""

    MBO_BOL = "mbo_bol", _("mbo, at school (BOL)")
    MBO_BBL = "mbo_bbl", _("mbo, learning on the job (BBL)")
    HBO = "hbo", _("hbo or university")
    RETRAINING = "retraining", _("Retraining or a course")
    PRACTICE_ROUTE = "practice_route", _("Practice route (praktijkverklaring)")
    FOREIGN_DIPLOMA = "foreign_diploma", _("Diploma from abroad, recognised here")
    NO_TRAINING = "no_training", _("No training needed")


class LifeStage(models.TextChoices):
    PUPIL = "pupil", _("At secondary school")
    STUDENT = "student", _("Student")
    STARTER = "starter", _("Just started working")
    MID_CAREER = "mid_career", _("In the middle of working life")
    FIFTY_PLUS = "fifty_plus", _("Over fifty")
    RETIRED = "retired", _("Retired, still active")


class StoryTag(models.Model):
    """A free word under a story (#nachtdienst, #wijkzorg), for search and filtering."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class StoryQuerySet(QuerySet["Story"]):
    def published(self) -> StoryQuerySet:
        """What the public gallery shows: published stories whose photo is ready."""
        return self.filter(status=Story.Status.PUBLISHED, photo_status=Story.PhotoStatus.READY)

    def visible_to(self, user) -> StoryQuerySet:
        """Administrators: all; coordinators: the stories of their regions; employers: their organisation's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            return self.filter(region__in=user.regions.all())
        if user.is_employer and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Story(models.Model):
    """A care worker's photo and story (verhaal), shown in the gallery once a coordinator published it.

    The person pictured gave consent, recorded with their name and the date. When they withdraw it,
    the story and every image made from it are deleted (`campagne.services.story_withdraw_consent`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for moderation")
        SENT_BACK = "sent_back", _("Sent back")
        PUBLISHED = "published", _("Published")

    class PhotoStatus(models.TextChoices):
        PENDING = "pending", _("Being processed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be processed")

    organisation = models.ForeignKey(
        "werkgevers.Organisation", on_delete=models.CASCADE, related_name="stories", verbose_name=_("organisation")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="stories", verbose_name=_("region"))
    first_name = models.CharField(_("first name"), max_length=60)
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="stories", verbose_name=_("function"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="stories", verbose_name=_("branch"))
    education_path = models.CharField(_("education path"), max_length=30, choices=EducationPath)
    side_entrant = models.BooleanField(
        _("side entrant (zij-instromer)"), default=False, help_text=_("Came to care from another line of work.")
    )
    life_stage = models.CharField(_("life stage"), max_length=30, choices=LifeStage)
    quote = models.CharField(_("quote"), max_length=200)
    text = models.TextField(_("story"), max_length=5000)
    tags = models.ManyToManyField(StoryTag, blank=True, related_name="stories", verbose_name=_("tags"))

    # The photo as uploaded, checked by content and stripped of EXIF/GPS in the request; the
    # variants are made from it by a Celery task (campagne.photos).
    photo = models.FileField(_("photo"), upload_to=original_photo_path, max_length=200)
    photo_orientation = models.PositiveSmallIntegerField(default=1)
    photo_width = models.PositiveIntegerField(default=0)
    photo_height = models.PositiveIntegerField(default=0)
    photo_alt = models.CharField(
        _("photo description"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    photo_status = models.CharField(max_length=10, choices=PhotoStatus, default=PhotoStatus.PENDING)
    tile = models.FileField(upload_to=variant_path, max_length=200, blank=True)
    medium = models.FileField(upload_to=variant_path, max_length=200, blank=True)
    large = models.FileField(upload_to=variant_path, max_length=200, blank=True)

    consent_name = models.CharField(_("name of the person pictured"), max_length=200)
    consent_given_on = models.DateField(_("consent given on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    send_back_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="submitted_stories"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # PostgreSQL only: the Dutch full-text vector, kept by campagne.search (GIN index in a migration).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published", photo_status="ready"),
                name="story_gallery",
            ),
            models.Index(fields=["region", "status"], name="story_region_status"),
            models.Index(fields=["organisation", "status"], name="story_organisation_status"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name}, {self.function}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def editable(self) -> bool:
        """Employers change a story until it is submitted, and again after it was sent back."""
        return self.status in (self.Status.DRAFT, self.Status.SENT_BACK)


class PosterQuerySet(QuerySet["Poster"]):
    def visible_to(self, user) -> PosterQuerySet:
        """Employers: their organisation's posters; coordinators: the posters they made and those of
        stories in their regions; administrators: all."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            return self.filter(Q(created_by=user) | Q(story__region__in=user.regions.all())).distinct()
        if user.is_employer and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Poster(models.Model):
    """A campaign poster made from a published story or from an uploaded photo with a quote.

    A Celery task draws four files: an A4 poster as PDF and PNG, a 820×312 Facebook header and a
    1080×1080 square. Each carries a QR code to the intake form with `source_tag`, so that sign-ups
    show which poster brought them.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        WORKING = "working", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "werkgevers.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="posters"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, null=True, blank=True, related_name="posters")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    photo = models.FileField(upload_to=poster_photo_path, max_length=200, blank=True)
    photo_orientation = models.PositiveSmallIntegerField(default=1)
    quote = models.CharField(_("quote"), max_length=200)
    person_name = models.CharField(_("name"), max_length=100)
    function_name = models.CharField(_("function"), max_length=100, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    colour_scheme = models.CharField(_("colours"), max_length=30)
    source_tag = models.SlugField(max_length=40, unique=True)

    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)
    pdf = models.FileField(upload_to=poster_output_path, max_length=200, blank=True)
    png = models.FileField(upload_to=poster_output_path, max_length=200, blank=True)
    facebook = models.FileField(upload_to=poster_output_path, max_length=200, blank=True)
    square = models.FileField(upload_to=poster_output_path, max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a worker claimed the rendering (status WORKING); a claim older than the task's hard time
    # limit belongs to a worker that died, and may be taken over.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PosterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("poster")
        verbose_name_plural = _("posters")

    def __str__(self) -> str:
        return f"{self.person_name}: {self.quote[:40]}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class CampaignMaterialQuerySet(QuerySet["CampaignMaterial"]):
    def visible_to(self, user) -> CampaignMaterialQuerySet:
        """Materials for every region, and those of the regions a user works in (employers: the
        regions of their organisation and its locations)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            return self.filter(Q(region__isnull=True) | Q(region__in=user.regions.all()))
        if user.is_employer and user.organisation_id:
            organisation = user.organisation
            regions = Region.objects.filter(
                Q(organisations=organisation) | Q(locations__organisation=organisation)
            ).values("pk")
            return self.filter(Q(region__isnull=True) | Q(region__in=regions))
        return self.none()


class CampaignMaterial(models.Model):
    """A file coordinators share with employers: a quick guide, logos, templates (campagnemateriaal)."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        LOGO = "logo", _("Logo")
        TEMPLATE = "template", _("Template")
        IMAGE = "image", _("Image")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="campaign_materials",
        verbose_name=_("region"),
        help_text=_("Empty: for employers in every region."),
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignMaterialQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")

    def __str__(self) -> str:
        return self.title
