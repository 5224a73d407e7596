"""The campaign demo: fictional published stories over every branch, function, region and demo
organisation, with drawn pictures whose files carry no metadata; stories waiting for a coordinator,
one sent back; campaign materials; and a second run that creates nothing.

It runs on a small demo (80 stories, 12 pictures) on the demo's regions, users and organisations
(made here without their offers and candidates, so the module stays fast). `manage.py demo` itself,
with its 600 stories, is covered by contactpunt/tests/test_demo.py (with fewer stories).
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from campagne.demo import (
    FIRST_NAMES,
    MODERATION,
    STORY_COUNT,
    StoryPlanner,
    build_campaign,
)
from campagne.models import CampaignMaterial, EducationPath, LifeStage, Story, StoryTag
from contactpunt.demo import FUNCTIONS_BY_BRANCH, REGIONS, ensure_regions, ensure_users
from contactpunt.models import Branch, Notification, OutboxMail, User
from werkgevers.demo import ORGANISATIONS, kvk_number
from werkgevers.models import Organisation

from .photo_helpers import has_no_metadata

pytestmark = pytest.mark.django_db

COUNT = 80


def _organisations(regions) -> None:
    branches = {branch.slug: branch for branch in Branch.objects.all()}
    for index, spec in enumerate(ORGANISATIONS):
        organisation = Organisation.objects.create(
            name=spec.name, kvk_number=kvk_number(index), home_region=regions[spec.region]
        )
        organisation.branches.set([branches[slug] for slug in spec.branches])
        if spec.login:
            User.objects.filter(email=spec.login).update(organisation=organisation)


def _files() -> int:
    from django.conf import settings

    return sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two runs of the campaign demo, rolled back at the end so other modules never see them."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        regions = ensure_regions()
        users = ensure_users(regions)
        _organisations(regions)
        now = timezone.now()
        first = build_campaign(regions=regions, users=users, started=now, now=now, count=COUNT)
        counts = (Story.objects.count(), StoryTag.objects.count(), CampaignMaterial.objects.count(), _files())
        second = build_campaign(regions=regions, users=users, started=timezone.now(), now=now, count=COUNT)
        counts_after = (Story.objects.count(), StoryTag.objects.count(), CampaignMaterial.objects.count(), _files())
        yield {"first": first, "second": second, "counts": counts, "counts_after": counts_after, "media": media}
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def media(campaign, settings):
    settings.MEDIA_ROOT = campaign["media"]


def _published():
    return Story.objects.filter(status=Story.Status.PUBLISHED).select_related("organisation", "region", "function")


def test_the_published_stories_are_in_the_gallery(campaign):
    assert campaign["first"].stories == campaign["first"].stories_created == COUNT
    assert Story.objects.published().count() == COUNT == _published().count()


def test_a_second_run_creates_nothing(campaign):
    assert campaign["counts_after"] == campaign["counts"]
    second = campaign["second"]
    assert (second.stories, second.stories_created, second.materials_created) == (COUNT, 0, 0)
    assert (second.waiting, second.sent_back, second.materials) == (7, 1, 5)


def test_every_branch_region_organisation_function_education_path_and_life_stage(campaign):
    stories = list(_published())

    assert {story.branch.slug for story in stories} == set(FUNCTIONS_BY_BRANCH)
    assert {story.function.slug for story in stories} == {
        slug for slugs in FUNCTIONS_BY_BRANCH.values() for slug in slugs
    }
    assert {story.region.slug for story in stories} == {spec.slug for spec in REGIONS}
    assert {story.organisation.kvk_number for story in stories} == {kvk_number(i) for i in range(len(ORGANISATIONS))}
    assert {story.education_path for story in stories} == set(EducationPath.values)
    assert {story.life_stage for story in stories} == set(LifeStage.values)
    side_entrants = [story for story in stories if story.side_entrant]
    assert 0.15 * COUNT < len(side_entrants) < 0.6 * COUNT


def test_the_stories_read_as_fictional_care_workers(campaign):
    for story in _published().prefetch_related("tags"):
        assert story.first_name in FIRST_NAMES
        assert story.consent_name.startswith(story.first_name + " ")
        assert story.region_id == story.organisation.home_region_id
        assert story.function.slug in FUNCTIONS_BY_BRANCH[story.branch.slug]
        assert story.quote.endswith(".") and len(story.quote) <= 200
        assert story.organisation.name in story.text and 300 < len(story.text) <= 5000
        assert "{" not in story.quote + story.text and "  " not in story.text
        assert 2 <= story.tags.count() <= 8
        assert story.photo_alt.startswith("Illustratie: ")
    assert len({story.text for story in _published()}) == COUNT


def test_the_stories_are_dated_in_the_past_in_order(campaign):
    now = timezone.now()
    for story in _published():
        assert story.created_at <= story.submitted_at <= story.published_at == story.moderated_at < now
        assert story.consent_given_on <= timezone.localdate(story.created_at)
        assert story.moderated_by.regions.filter(pk=story.region_id).exists()
    oldest = _published().order_by("published_at").first()
    assert oldest.published_at < now - timedelta(days=300)


def test_every_file_exists_without_metadata_and_the_tiles_fit(campaign, media):
    for story in _published():
        original = story.photo.read()
        assert has_no_metadata(original)
        with Image.open(io.BytesIO(original)) as image:
            assert image.format == "JPEG" and image.size == (story.photo_width, story.photo_height)
        for field in ("tile", "medium", "large"):
            data = getattr(story, field).read()
            assert has_no_metadata(data), field
            with Image.open(io.BytesIO(data)) as image:
                assert image.format == "WEBP"
                if field == "tile":
                    assert image.size == (480, 360)
        assert len(story.tile.read()) <= 60 * 1024
    names = [story.photo.name for story in _published()]
    assert len(set(names)) == len(names)  # each story its own copy: deleting one leaves the others


def test_stories_wait_for_the_coordinators_of_every_region_and_one_was_sent_back(campaign):
    waiting = Story.objects.filter(status=Story.Status.SUBMITTED).select_related("region", "submitted_by")
    assert waiting.count() == len(MODERATION) - 1
    assert {story.region.slug for story in waiting} == {spec.slug for spec in REGIONS}
    assert all(story.submitted_by.is_employer and story.photo_status == Story.PhotoStatus.READY for story in waiting)
    sent_back = Story.objects.get(status=Story.Status.SENT_BACK)
    assert sent_back.organisation.name == "Zorggroep Kwelderhof" and "hoofdletter" in sent_back.send_back_reason
    assert sent_back.submitted_by.email == "werkgever@contactpunt.example"
    assert sent_back.moderated_by.regions.filter(slug="noord-nederland").exists()
    # The coordinators were told in the portal; no demo mail waits to be delivered.
    for spec in REGIONS:
        coordinator = User.objects.get(email=spec.coordinators[0][0])
        assert Notification.objects.filter(user=coordinator).exists(), spec.slug
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
    now = timezone.now()
    assert all(story.submitted_at < now - timedelta(hours=12) for story in waiting)


def test_campaign_materials_for_every_region_and_each_region(campaign, media):
    materials = {material.title: material for material in CampaignMaterial.objects.select_related("region")}
    assert len(materials) == 5
    guide = materials["Snelstartgids Ik Zorg-campagne"]
    assert guide.region is None and guide.content_type == "application/pdf"
    assert guide.uploaded_by.is_administrator and guide.created_at < timezone.now() - timedelta(days=10)
    reader = PdfReader(io.BytesIO(guide.file.read()))
    assert len(reader.pages) == 2 and "Snelstartgids #ikzorg" in reader.pages[0].extract_text()
    logo = materials["Logo #ikzorg"]
    with Image.open(io.BytesIO(logo.file.read())) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
    for spec in REGIONS:
        regional = materials[f"Werkwijze contactpunt {spec.name}"]
        assert regional.region.slug == spec.slug and regional.uploaded_by.regions.filter(slug=spec.slug).exists()
        assert spec.email in PdfReader(io.BytesIO(regional.file.read())).pages[0].extract_text()
    employer = User.objects.get(email="werkgever@contactpunt.example")
    visible = set(CampaignMaterial.objects.visible_to(employer).values_list("title", flat=True))
    assert visible == {"Snelstartgids Ik Zorg-campagne", "Logo #ikzorg", "Werkwijze contactpunt Noord-Nederland"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors exist on PostgreSQL only")
def test_the_search_vectors_are_filled(campaign):
    assert not Story.objects.filter(status=Story.Status.PUBLISHED, search_vector__isnull=True).exists()


def test_the_plan_is_the_same_people_every_time():
    first, again = StoryPlanner().plan(STORY_COUNT), StoryPlanner().plan(STORY_COUNT)

    assert [(plan.consent_name, plan.text, plan.quote) for plan in first] == [
        (plan.consent_name, plan.text, plan.quote) for plan in again
    ]
    assert len({plan.consent_name for plan in first}) == STORY_COUNT
    assert {plan.organisation for plan in first} == set(range(len(ORGANISATIONS)))
