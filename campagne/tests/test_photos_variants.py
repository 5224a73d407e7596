"""Making a story photo's WebP variants (the Celery task): upright, sized, without metadata, the tile
within 60 kB; safe to run twice, and a photo that cannot be decoded is marked as failed."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from campagne import photos
from campagne.factories import StoryFactory
from campagne.models import Story
from campagne.photos import clean_photo, process_story_photo

from .photo_helpers import (
    camera_like_image,
    exif_with_gps,
    has_no_metadata,
    jpeg,
    marked_image,
    noise_image,
    png,
    upload,
    webp,
)

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 20), (20, 40, 200)


def _story(data: bytes, name: str = "foto.jpg", **fields) -> Story:
    cleaned = clean_photo(upload(data, name))
    return StoryFactory(
        photo=cleaned.content,
        photo_orientation=cleaned.orientation,
        photo_width=cleaned.width,
        photo_height=cleaned.height,
        **fields,
    )


def _variant(story: Story, field: str) -> tuple[Image.Image, bytes]:
    data = getattr(story, field).read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data


def _media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _near(pixel, colour) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_three_webp_variants_without_any_metadata(caplog):
    story = _story(jpeg(camera_like_image((2400, 1800)), exif=exif_with_gps()), first_name="Fenna")

    assert process_story_photo(story.pk) is True

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.READY
    sizes = {}
    for field in ("tile", "medium", "large"):
        assert getattr(story, field).name.endswith(".webp")
        image, data = _variant(story, field)
        assert image.format == "WEBP" and image.mode == "RGB"
        assert has_no_metadata(data), field
        sizes[field] = image.size
    assert sizes == {"tile": (480, 360), "medium": (960, 720), "large": (1600, 1200)}
    assert len(story.tile.read()) <= 60 * 1024
    assert "Fenna" not in caplog.text


def test_a_small_photo_is_never_made_larger():
    story = _story(jpeg(marked_image((700, 500))))

    process_story_photo(story.pk)

    story.refresh_from_db()
    assert _variant(story, "large")[0].size == (700, 500)
    assert _variant(story, "medium")[0].size == (700, 500)
    assert _variant(story, "tile")[0].size == (480, 360)


def test_a_portrait_photo_keeps_its_proportions():
    story = _story(jpeg(camera_like_image((1800, 2700))))

    process_story_photo(story.pk)

    story.refresh_from_db()
    assert _variant(story, "large")[0].size == (1600, 2400)
    assert _variant(story, "medium")[0].size == (960, 1440)
    assert _variant(story, "tile")[0].size == (480, 360)


@pytest.mark.parametrize(
    ("orientation", "size", "red_at"),
    [
        (1, (800, 600), (0.25, 0.25)),
        (3, (800, 600), (0.75, 0.75)),  # upside down
        (6, (600, 800), (0.75, 0.25)),  # a phone held upright: turned a quarter clockwise
        (8, (600, 800), (0.25, 0.75)),
    ],
)
def test_the_stored_orientation_is_applied_to_every_variant(orientation, size, red_at):
    story = _story(jpeg(marked_image((800, 600)), exif=exif_with_gps(orientation=orientation)))
    assert story.photo_orientation == orientation
    assert (story.photo_width, story.photo_height) == size

    process_story_photo(story.pk)

    story.refresh_from_db()
    large, data = _variant(story, "large")
    assert large.size == size
    assert has_no_metadata(data)  # no orientation tag left to apply a second time
    x, y = int(red_at[0] * size[0]), int(red_at[1] * size[1])
    assert _near(large.getpixel((x, y)), RED)
    assert _near(large.getpixel((size[0] - 1 - x, size[1] - 1 - y)), BLUE)


def test_the_tile_of_a_noisy_photo_stays_within_60_kb():
    story = _story(png(noise_image((1600, 1200))), "ruis.png")

    process_story_photo(story.pk)

    story.refresh_from_db()
    tile, data = _variant(story, "tile")
    assert tile.size == (480, 360)
    assert len(data) <= 60 * 1024


def test_pure_noise_at_the_tile_size_still_fits():
    data = photos.tile_bytes(noise_image((480, 360), seed=7))
    assert len(data) <= 60 * 1024


def test_a_transparent_png_and_a_webp_become_rgb_on_white():
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    image.paste((220, 20, 20, 255), (0, 0, 400, 300))
    for data, name in ((png(image), "logo.png"), (webp(image, lossless=True), "logo.webp")):
        story = _story(data, name)

        process_story_photo(story.pk)

        story.refresh_from_db()
        large, _ = _variant(story, "large")
        assert large.mode == "RGB"
        assert _near(large.getpixel((100, 100)), RED)
        assert _near(large.getpixel((700, 500)), (255, 255, 255))


def test_a_cmyk_jpeg_is_converted():
    story = _story(jpeg(marked_image().convert("CMYK")))

    process_story_photo(story.pk)

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.READY
    large, _ = _variant(story, "large")
    assert large.mode == "RGB" and _near(large.getpixel((100, 100)), RED)


def test_processing_twice_changes_nothing(settings):
    story = _story(jpeg())
    assert process_story_photo(story.pk) is True
    story.refresh_from_db()
    names = [story.tile.name, story.medium.name, story.large.name]
    files = _media_files(settings)

    assert process_story_photo(story.pk) is False

    story.refresh_from_db()
    assert [story.tile.name, story.medium.name, story.large.name] == names
    assert _media_files(settings) == files


def test_a_story_that_is_gone_is_skipped():
    story = _story(jpeg())
    story_id = story.pk
    story.delete()

    assert process_story_photo(story_id) is False


def test_a_photo_that_cannot_be_decoded_is_marked_as_failed(caplog):
    story = StoryFactory(first_name="Jorien", photo=ContentFile(b"\xff\xd8\xff\xe0 not really a photo", name="x.jpg"))

    assert process_story_photo(story.pk) is False

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.FAILED
    assert not story.tile and not story.medium and not story.large
    assert f"Story {story.pk}" in caplog.text and "Jorien" not in caplog.text and story.photo.name not in caplog.text


def test_a_missing_photo_file_is_marked_as_failed():
    story = _story(jpeg())
    story.photo.storage.delete(story.photo.name)

    assert process_story_photo(story.pk) is False

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.FAILED


def test_a_storage_error_is_raised_so_that_the_task_retries():
    story = _story(jpeg())

    with (
        mock.patch("django.core.files.storage.FileSystemStorage.open", side_effect=PermissionError("busy")),
        pytest.raises(OSError),
    ):
        process_story_photo(story.pk)

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.PENDING


def test_a_new_photo_replaces_the_old_variants_and_their_files_go(settings, django_capture_on_commit_callbacks):
    story = _story(jpeg(marked_image((900, 600))))
    with django_capture_on_commit_callbacks(execute=True):
        process_story_photo(story.pk)
    story.refresh_from_db()
    old = [story.tile.name, story.medium.name, story.large.name]

    cleaned = clean_photo(upload(jpeg(marked_image((1200, 800)))))
    with django_capture_on_commit_callbacks(execute=True):
        photos.delete_story_files(story)  # the old original and variants go once the new photo is saved
        story.photo = cleaned.content
        story.save(update_fields=["photo"])
        photos.queue_story_photo(story)  # runs the task (no broker in tests) after commit

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.READY
    assert _variant(story, "large")[0].size == (1200, 800)
    files = _media_files(settings)
    assert not set(old) & files
    assert {story.photo.name, story.tile.name, story.medium.name, story.large.name} == files


def test_variants_of_a_photo_replaced_meanwhile_are_thrown_away(settings, django_capture_on_commit_callbacks):
    story = _story(jpeg())
    render = photos.render_variants

    def replaced_meanwhile(image):
        Story.objects.filter(pk=story.pk).update(photo="campagne/originelen/nieuw.jpg")
        return render(image)

    with (
        mock.patch.object(photos, "render_variants", replaced_meanwhile),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert process_story_photo(story.pk) is False

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.PENDING  # the new photo's own task makes its variants
    assert not story.tile and not story.medium and not story.large
    assert not any(name.startswith("campagne/verhalen/") for name in _media_files(settings))
