"""Leftovers of withdrawn consent: image files no story or poster refers to any more.

`campagne.services.story_withdraw_consent` deletes a story's rows at once and its files after commit;
a file whose deletion failed then (a disk error, a worker that died) is left behind. The nightly
retention job (kandidaten.privacy.apply_retention) removes such files here.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.files.storage import default_storage

from .models import Poster, Story

logger = logging.getLogger(__name__)

# The folders of story photos, their variants and the posters (campagne.models *_path).
IMAGE_FOLDERS = ("campagne/originelen", "campagne/verhalen", "campagne/poster-fotos", "campagne/posters")
# A file this young may belong to an upload whose row is not committed yet.
GRACE = timedelta(days=1)


def referenced_files() -> set[str]:
    names: set[str] = set()
    for row in Story.objects.values_list("photo", "tile", "medium", "large"):
        names.update(name for name in row if name)
    for row in Poster.objects.values_list("photo", "pdf", "png", "facebook", "square"):
        names.update(name for name in row if name)
    return names


def orphan_files_delete(*, now: datetime, storage=default_storage) -> int:
    """Delete image files older than a day that no story or poster refers to; returns how many."""
    keep = referenced_files()
    deleted = 0
    for folder in IMAGE_FOLDERS:
        for name in _files_under(storage, folder):
            if name in keep:
                continue
            try:
                if storage.get_modified_time(name) > now - GRACE:
                    continue
                storage.delete(name)
                deleted += 1
            except OSError:
                logger.warning("A left-behind campaign file could not be deleted")
    return deleted


def _files_under(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for file_name in files:
        yield f"{folder}/{file_name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")
