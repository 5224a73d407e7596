"""The picture of a story that is not public yet: a variant, or the cleaned original while the variants
are being made, for whoever may see the story; 404 for anyone else and for unknown variants."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from campagne.factories import PublishedStoryFactory, StoryFactory

pytestmark = pytest.mark.django_db


def photo(story, variant: str) -> str:
    return reverse("campagne:story_photo", args=[story.pk, variant])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_variant_is_served_as_webp(employer_a_client, organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a)

    response = employer_a_client.get(photo(story, "tile"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    with Image.open(io.BytesIO(body(response))) as image:
        assert image.format == "WEBP"
        assert image.size == (480, 360)


def test_while_the_variants_are_made_the_cleaned_original_is_served(client_a, organisation_a):
    story = StoryFactory(organisation=organisation_a)

    for variant in ("tile", "medium", "large"):
        response = client_a.get(photo(story, variant))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(body(response))) as image:
            assert image.format == "JPEG"


@pytest.mark.parametrize("variant", ["original", "photo", "TILE", "tile.webp", "x" * 300])
def test_unknown_variants_are_404(employer_a_client, organisation_a, variant):
    story = PublishedStoryFactory(organisation=organisation_a)

    assert employer_a_client.get(photo(story, variant)).status_code == 404


def test_a_missing_file_is_404_not_500(employer_a_client, organisation_a):
    story = StoryFactory(organisation=organisation_a)
    story.photo.storage.delete(story.photo.name)

    assert employer_a_client.get(photo(story, "medium")).status_code == 404


def test_a_story_that_does_not_exist_is_404(administrator_client):
    assert administrator_client.get(reverse("campagne:story_photo", args=[999999, "tile"])).status_code == 404
