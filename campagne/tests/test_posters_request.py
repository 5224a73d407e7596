"""Asking for a poster (`campagne.posters.poster_request`): from a story or an upload, what is checked,
the poster's own tag, the task queued after commit; and the sign-ups counted through that tag."""

from __future__ import annotations

import pytest

from campagne import posters
from campagne.factories import PosterFactory, PublishedStoryFactory, StoryFactory
from campagne.models import Poster, Story
from campagne.photos import clean_photo
from kandidaten.factories import CandidateFactory
from kandidaten.services import clean_source_tag, is_campaign_tag

from .poster_helpers import photo_upload

pytestmark = pytest.mark.django_db


def _ask(actor, **overrides) -> Poster:
    arguments = {
        "story": None,
        "photo": None,
        "quote": "",
        "person_name": "",
        "function_name": "",
        "organisation_name": "",
        "colour_scheme": "portaal",
    }
    arguments.update(overrides)
    return posters.poster_request(actor=actor, **arguments)


def test_from_a_story_the_name_and_function_come_from_the_story(
    employer_a, organisation_a, django_capture_on_commit_callbacks
):
    story = PublishedStoryFactory(organisation=organisation_a, first_name="Anouk", quote="Ik zorg met hart en ziel.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        poster = _ask(employer_a, story=story, person_name="Iemand anders")
    assert len(callbacks) == 1  # the task, queued after commit (eager here: drawn at once)
    poster.refresh_from_db()
    assert (poster.story, poster.organisation, poster.created_by) == (story, organisation_a, employer_a)
    assert poster.person_name == "Anouk"
    assert poster.function_name == story.function.name
    assert poster.quote == "Ik zorg met hart en ziel."
    assert poster.organisation_name == "Zorggroep Noord"
    assert not poster.photo  # the story's own photo is used
    assert poster.status == Poster.Status.DONE


def test_the_employer_may_shorten_the_storys_quote(employer_a, organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a, quote="Ik zorg met hart en ziel, elke dag weer.")
    poster = _ask(employer_a, story=story, quote="  Ik zorg met hart   en ziel. ")
    assert poster.quote == "Ik zorg met hart en ziel."
    assert poster.status == Poster.Status.QUEUED  # not drawn before commit


def test_from_an_upload_the_employers_organisation_is_on_it(employer_a, organisation_a, organisation_b):
    photo = clean_photo(photo_upload())
    poster = _ask(
        employer_a,
        photo=photo,
        quote="Zorg is teamwerk.",
        person_name="Sem",
        function_name="Helpende",
        organisation=organisation_b,  # ignored: an employer's poster is for their own organisation
    )
    assert poster.organisation == organisation_a
    assert poster.organisation_name == "Zorggroep Noord"
    assert poster.photo.name.startswith("campagne/poster-fotos/")
    assert (poster.person_name, poster.function_name, poster.story) == ("Sem", "Helpende", None)


def test_a_coordinator_makes_one_for_an_organisation_of_their_regions(coordinator_a, organisation_a, organisation_b):
    photo = clean_photo(photo_upload())
    poster = _ask(coordinator_a, photo=photo, quote="Zorg is teamwerk.", person_name="Sem", organisation=organisation_a)
    assert poster.organisation == organisation_a
    with pytest.raises(posters.PosterRefused) as refused:
        _ask(coordinator_a, photo=photo, quote="Zorg is teamwerk.", person_name="Sem", organisation=organisation_b)
    assert refused.value.field == "organisation"
    with pytest.raises(posters.PosterRefused):
        _ask(coordinator_a, photo=photo, quote="Zorg is teamwerk.", person_name="Sem")


def test_each_poster_gets_its_own_tag_that_the_intake_accepts(employer_a):
    photo = clean_photo(photo_upload())
    tags = {_ask(employer_a, photo=photo, quote="Ik zorg.", person_name="Sem").source_tag for _ in range(5)}
    assert len(tags) == 5
    for tag in tags:
        assert tag.startswith("poster-") and len(tag) == len("poster-") + 8
        assert clean_source_tag(tag) == tag and is_campaign_tag(tag)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({}, "story"),  # neither a story nor a photo
        ({"quote": "x" * 201, "person_name": "Sem"}, "quote"),
        ({"quote": "", "person_name": "Sem"}, "quote"),
        ({"quote": "Ik zorg.", "person_name": "  "}, "person_name"),
        ({"quote": "Ik zorg.", "person_name": "Sem", "colour_scheme": "regenboog"}, "colour_scheme"),
    ],
)
def test_bad_requests_are_refused_at_their_field(employer_a, overrides, field):
    if overrides:
        overrides = {"photo": clean_photo(photo_upload()), **overrides}
    with pytest.raises(posters.PosterRefused) as refused:
        _ask(employer_a, **overrides)
    assert refused.value.field == field
    assert refused.value.message  # in Dutch, for the form
    assert not Poster.objects.exists()


def test_a_story_and_a_photo_together_are_refused(employer_a, organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a)
    with pytest.raises(posters.PosterRefused):
        _ask(employer_a, story=story, photo=clean_photo(photo_upload()), quote="Ik zorg.")


@pytest.mark.parametrize("kind", ["other_organisation", "unpublished"])
def test_a_story_that_is_not_the_employers_published_story_is_refused(employer_a, organisation_a, organisation_b, kind):
    if kind == "other_organisation":
        story = PublishedStoryFactory(organisation=organisation_b)
    else:
        story = StoryFactory(organisation=organisation_a, status=Story.Status.SUBMITTED)
    with pytest.raises(posters.PosterRefused) as refused:
        _ask(employer_a, story=story)
    assert refused.value.field == "story"


def test_a_coordinator_uses_the_stories_of_their_regions_only(coordinator_a, organisation_a, organisation_b):
    own = PublishedStoryFactory(organisation=organisation_a)
    other = PublishedStoryFactory(organisation=organisation_b)
    assert _ask(coordinator_a, story=own).organisation == organisation_a
    with pytest.raises(posters.PosterRefused):
        _ask(coordinator_a, story=other)


def test_sign_ups_are_counted_by_the_posters_tag(organisation_a):
    poster = PosterFactory(organisation=organisation_a)
    other = PosterFactory(organisation=organisation_a)
    empty = PosterFactory(organisation=organisation_a)
    CandidateFactory.create_batch(3, source_tag=poster.source_tag)
    CandidateFactory(source_tag=other.source_tag)
    CandidateFactory(source_tag="")

    assert posters.signups_via(poster) == 3
    assert posters.signups_via(other) == 1
    assert posters.signups_via(empty) == 0
    counted = {p.pk: p.signup_count for p in posters.with_signup_counts(Poster.objects.all())}
    assert counted == {poster.pk: 3, other.pk: 1, empty.pk: 0}


def test_deleting_a_poster_deletes_its_files_after_commit(employer_a, django_capture_on_commit_callbacks):
    from .poster_helpers import poster_files

    with django_capture_on_commit_callbacks(execute=True):
        poster = _ask(employer_a, photo=clean_photo(photo_upload()), quote="Ik zorg.", person_name="Sem")
    poster.refresh_from_db()
    photo_name = poster.photo.name
    assert len(poster_files()) == 4
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        posters.poster_delete(poster=poster, actor=employer_a)
    assert len(poster_files()) == 4  # not before the commit
    for callback in callbacks:
        callback()
    assert poster_files() == []
    assert not poster.photo.storage.exists(photo_name)
    assert not Poster.objects.exists()
