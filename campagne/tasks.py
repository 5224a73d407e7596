"""Celery tasks of the campaign: thin wrappers that take ids and call plain functions.

Both are idempotent: a photo that is already processed, or a poster that is already made, is left
as it is, so a retry or a second delivery does no harm.
"""

from celery import shared_task

IMAGE_WORK = {
    "autoretry_for": (OSError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": 120,
    "time_limit": 150,
}


@shared_task(**IMAGE_WORK)
def process_story_photo(story_id: int) -> bool:
    from . import photos

    return photos.process_story_photo(story_id)


@shared_task(**IMAGE_WORK)
def render_poster(poster_id: int) -> bool:
    from . import posters

    return posters.render_poster(poster_id)


@shared_task
def sweep_image_work() -> int:
    """Queue again the photos and posters whose task never ran or died (broker down, worker killed)."""
    from . import photos, posters

    photo_ids = photos.stale_story_ids()
    for story_id in photo_ids:
        process_story_photo.delay(story_id)
    poster_ids = posters.stale_poster_ids()
    for poster_id in poster_ids:
        render_poster.delay(poster_id)
    return len(photo_ids) + len(poster_ids)
