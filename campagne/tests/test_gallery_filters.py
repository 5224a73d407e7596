"""The public gallery at /verhalen/: who may see it, what it shows, and each filter on its own."""

import pytest

from campagne.factories import PublishedStoryFactory, StoryFactory
from campagne.models import EducationPath, LifeStage, Story
from contactpunt.models import Branch, Function
from contactpunt.testing import log_in

from .gallery_helpers import GALLERY, story_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(organisation_a, organisation_b, region_a, region_b):
    """Three published stories that differ in every filter."""
    return {
        "vig": PublishedStoryFactory(
            organisation=organisation_a,
            first_name="Sanne",
            branch=Branch.objects.get(slug="vvt"),
            function=Function.objects.get(slug="vig"),
            education_path=EducationPath.MBO_BBL,
            life_stage=LifeStage.MID_CAREER,
            side_entrant=False,
        ),
        "ggz": PublishedStoryFactory(
            organisation=organisation_b,
            first_name="Mohammed",
            branch=Branch.objects.get(slug="ggz"),
            function=Function.objects.get(slug="begeleider"),
            education_path=EducationPath.HBO,
            life_stage=LifeStage.STUDENT,
            side_entrant=True,
        ),
        "kinderopvang": PublishedStoryFactory(
            organisation=organisation_a,
            first_name="Ineke",
            branch=Branch.objects.get(slug="kinderopvang"),
            function=Function.objects.get(slug="pedagogisch-medewerker"),
            education_path=EducationPath.RETRAINING,
            life_stage=LifeStage.FIFTY_PLUS,
            side_entrant=True,
        ),
    }


def _shown(client, **query) -> list[int]:
    response = client.get(GALLERY, query)
    assert response.status_code == 200
    return story_ids(response.content.decode())


def test_anyone_sees_the_gallery_without_logging_in(client, stories):
    response = client.get(GALLERY)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Verhalen van mensen in zorg en welzijn" in html
    assert sorted(story_ids(html)) == sorted(story.pk for story in stories.values())
    assert "3 verhalen" in html


def test_a_card_shows_tile_name_function_organisation_and_quote(client, stories):
    story = stories["vig"]

    html = client.get(GALLERY).content.decode()

    assert f'src="{story.tile.url}"' in html
    assert 'width="480" height="360"' in html
    assert f'alt="{story.photo_alt}"' in html
    assert "Sanne" in html
    assert "Verzorgende IG (VIG) · Zorggroep Noord" in html
    assert f"“{story.quote}”" in html


@pytest.mark.parametrize("user", ["coordinator_a", "employer_a", "administrator"])
def test_logged_in_users_see_the_same_gallery(client, stories, request, user):
    log_in(client, request.getfixturevalue(user))

    assert sorted(_shown(client)) == sorted(story.pk for story in stories.values())


def test_newest_stories_first(client, organisation_a):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = PublishedStoryFactory(organisation=organisation_a, published_at=now - timedelta(days=3))
    new = PublishedStoryFactory(organisation=organisation_a, published_at=now)
    middle = PublishedStoryFactory(organisation=organisation_a, published_at=now - timedelta(days=1))

    assert _shown(client) == [new.pk, middle.pk, old.pk]


@pytest.mark.parametrize(
    ("status", "photo_status"),
    [
        (Story.Status.DRAFT, Story.PhotoStatus.READY),
        (Story.Status.SUBMITTED, Story.PhotoStatus.READY),
        (Story.Status.SENT_BACK, Story.PhotoStatus.READY),
        (Story.Status.PUBLISHED, Story.PhotoStatus.PENDING),
        (Story.Status.PUBLISHED, Story.PhotoStatus.FAILED),
    ],
)
def test_stories_not_published_with_a_ready_photo_are_never_shown(client, organisation_a, status, photo_status):
    shown = PublishedStoryFactory(organisation=organisation_a)
    StoryFactory(organisation=organisation_a, status=status, photo_status=photo_status, first_name="Verborgen")

    html = client.get(GALLERY).content.decode()

    assert story_ids(html) == [shown.pk]
    assert "Verborgen" not in html


def test_filter_by_branch(client, stories):
    assert _shown(client, branch="ggz") == [stories["ggz"].pk]
    assert _shown(client, branch="jeugdzorg") == []


def test_filter_by_function(client, stories):
    assert _shown(client, function="vig") == [stories["vig"].pk]


def test_filter_by_region(client, stories, region_b):
    assert _shown(client, region=region_b.slug) == [stories["ggz"].pk]


def test_filter_by_education_path(client, stories):
    assert _shown(client, education=EducationPath.RETRAINING) == [stories["kinderopvang"].pk]


def test_filter_by_life_stage(client, stories):
    assert _shown(client, life_stage=LifeStage.STUDENT) == [stories["ggz"].pk]


def test_filter_side_entrants_only(client, stories):
    assert sorted(_shown(client, side_entrant="on")) == sorted([stories["ggz"].pk, stories["kinderopvang"].pk])
    # Unticked: every story.
    assert len(_shown(client, side_entrant="")) == 3


def test_filters_combine(client, stories, region_a):
    assert _shown(client, region=region_a.slug, side_entrant="on") == [stories["kinderopvang"].pk]
    assert _shown(client, branch="vvt", life_stage=LifeStage.STUDENT) == []


def test_no_match_says_so_in_dutch(client, stories):
    html = client.get(GALLERY, {"branch": "jeugdzorg"}).content.decode()

    assert "Er zijn geen verhalen die passen bij je keuze." in html
    assert "0 verhalen" in html


def test_every_filter_has_a_label(client, stories):
    html = client.get(GALLERY).content.decode()

    for name in ("q", "branch", "function", "region", "education", "life_stage", "side_entrant"):
        assert f'for="id_{name}"' in html, name
        assert f'id="id_{name}"' in html, name


def test_filters_open_and_keep_their_values_when_used(client, stories):
    html = client.get(GALLERY, {"branch": "ggz", "side_entrant": "on"}).content.decode()

    assert '<details class="gallery-filters" open>' in html
    assert '<option value="ggz" selected>' in html
    assert "checked" in html.split('name="side_entrant"')[1].split(">")[0] or 'checked id="id_side_entrant"' in html
    assert "Filters wissen" in html


def test_the_choices_show_active_reference_items_only(client, stories):
    Branch.objects.filter(slug="huisartsenzorg").update(active=False)

    html = client.get(GALLERY).content.decode()

    assert 'value="huisartsenzorg"' not in html
    assert 'value="ggz"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"branch": "bestaat-niet"},
        {"function": "<script>"},
        {"region": "1"},
        {"education": "phd"},
        {"life_stage": "baby"},
        {"branch": "x" * 3000},
    ],
)
def test_an_unknown_choice_gets_a_dutch_error_at_the_field_and_no_server_error(client, stories, query):
    response = client.get(GALLERY, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in html
    assert "is-invalid" in html
    # The bad filter is not applied: every story still shows.
    assert len(story_ids(html)) == 3
    assert "<script>" not in html.split("<main")[1].replace("&lt;script&gt;", "")


def test_the_gallery_only_answers_get(client):
    assert client.post(GALLERY).status_code == 405
