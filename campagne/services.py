"""Writes of the campaign's stories: submission by employers and coordinators, moderation, and the
consent of the person pictured and its withdrawal.

The lifecycle of a story (`Story.Status`):

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                 │   ▲                    │
      │              send back  └────unpublish───┘
      │                 ▼
      └──(edit)──── sent_back ──submit──▶ submitted

- Employers write a story for their own organisation and change it while it is a draft or sent back
  (`Story.editable`); then they submit it. Coordinators moderate the stories of their regions: they
  publish a submitted story or send it back with a reason (the submitter gets that reason by
  e-mail). A story a coordinator (or administrator) wrote needs no second pair of eyes: they may
  publish it straight from draft.
- Unpublishing takes a story offline and puts it back in the moderation queue as "waiting for
  moderation" (submitted), not "sent back": taking a story offline is the coordinator's call (a
  mistake to correct, a complaint to look into), the employer has nothing to do for it. The
  coordinator corrects it and publishes it again, or sends it back with a reason if the employer
  must change something.
- Coordinators may also correct a published story; its search vector is refreshed after commit.
- When the person pictured withdraws consent, the story, its posters and every image file (the
  original, the variants and the poster files) are deleted after commit, and the in-app
  notifications that led to the story go too. Nothing about the person stays: the log line says
  which story number and which user, no names.

Every transition is one conditional UPDATE on the status it starts from: of two coordinators who
publish at the same moment, one publishes and the submitter is told once; the other hears that it
was already done (`StoryRefused`, code "already_done"). Edits lock the row (`select_for_update`).
Notifications are written in the same transaction (`contactpunt.notifications.notify`), so they
leave with the change or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contactpunt.models import Notification, Region, User
from contactpunt.notifications import Recipient, StoryPublished, StorySentBack, StorySubmitted, notify
from werkgevers.models import Organisation

from .models import Poster, Story, StoryTag
from .photos import VARIANT_FIELDS, CleanPhoto, delete_story_files, queue_story_photo

logger = logging.getLogger(__name__)

Status = Story.Status

MAX_TAGS = 8
TAG_MAX_LENGTH = 40
SEND_BACK_REASON_MAX = 1000

# What `details` holds for `story_create` and `story_update` (region: coordinators only, optional).
DETAIL_FIELDS = (
    "first_name",
    "function",
    "branch",
    "education_path",
    "side_entrant",
    "life_stage",
    "quote",
    "text",
    "photo_alt",
    "consent_name",
    "consent_given_on",
)
CONSENT_FIELDS = ("consent_name", "consent_given_on")
POSTER_FILE_FIELDS = ("photo", "pdf", "png", "facebook", "square")


class StoryRefused(Exception):
    """What was asked cannot be done (already done, not allowed now); `message` says why in Dutch."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Helpers ----------------------------------------------------------------------------------------


def normalise_tags(words: Iterable[str]) -> list[tuple[str, str]]:
    """Free words as (name, slug): without '#', lower case, at most 40 characters, each slug once,
    empty ones left out. The caller decides what to do with more than MAX_TAGS."""
    seen: dict[str, str] = {}
    for word in words:
        name = " ".join(str(word).replace("#", " ").split()).lower()[:TAG_MAX_LENGTH].strip()
        slug = slugify(name)[:TAG_MAX_LENGTH].strip("-")
        if name and slug and slug not in seen:
            seen[slug] = name
    return [(name, slug) for slug, name in seen.items()]


def _tags(words: Iterable[str]) -> list[StoryTag]:
    """The StoryTag rows for these words, made when new (two stories at once may add the same word)."""
    normalised = normalise_tags(words)
    if len(normalised) > MAX_TAGS:
        raise StoryRefused(_("Use at most %(count)d tags.") % {"count": MAX_TAGS}, "too_many_tags")
    if not normalised:
        return []
    existing = {tag.slug: tag for tag in StoryTag.objects.filter(slug__in=[slug for _name, slug in normalised])}
    tags = []
    for name, slug in normalised:
        tag = existing.get(slug)
        if tag is None:
            try:
                with transaction.atomic():
                    tag = StoryTag.objects.create(name=name, slug=slug)
            except IntegrityError:  # made meanwhile, or the same name under another slug
                tag = StoryTag.objects.filter(Q(slug=slug) | Q(name=name)).first()
                if tag is None:
                    continue
        tags.append(tag)
    return tags


def _check_consent(details: Mapping[str, Any]) -> None:
    name = str(details.get("consent_name") or "").strip()
    given_on = details.get("consent_given_on")
    if not name or not isinstance(given_on, date):
        raise StoryRefused(
            _("Record the name of the person in the photo and the date they gave consent."), "consent_missing"
        )
    if given_on > timezone.localdate():
        raise StoryRefused(_("The date of consent cannot be in the future."), "consent_in_future")


def _moderator(actor: User) -> bool:
    return actor.is_authenticated and actor.works_candidates


def _may_see(story: Story, actor: User) -> bool:
    return Story.objects.visible_to(actor).filter(pk=story.pk).exists()


def _region_for(*, organisation: Organisation, region: Region | None, actor: User) -> Region:
    """The organisation's home region, unless a coordinator chose one of their own regions."""
    if actor.is_employer:
        if organisation.pk != actor.organisation_id:
            raise StoryRefused(_("You can only add stories for your own organisation."), "not_allowed")
        return organisation.home_region
    if not _moderator(actor):
        raise StoryRefused(_("You cannot add stories."), "not_allowed")
    if not Organisation.objects.visible_to(actor).filter(pk=organisation.pk).exists():
        raise StoryRefused(_("Choose an employer of your own region."), "organisation")
    chosen = region or organisation.home_region
    if not actor.is_administrator and not actor.regions.filter(pk=chosen.pk).exists():
        raise StoryRefused(_("Choose one of your own regions."), "region")
    return chosen


def _set_photo(story: Story, photo: CleanPhoto) -> None:
    story.photo = photo.content
    story.photo_width = photo.width
    story.photo_height = photo.height
    story.photo_orientation = photo.orientation
    for field in VARIANT_FIELDS:
        setattr(story, field, "")
    story.photo_status = Story.PhotoStatus.PENDING


def _forget_new_file_on_error(story: Story, storage: Storage, name_before: str) -> None:
    """A photo saved in this call whose transaction fails must not stay behind in storage."""
    name = story.photo.name
    if name and name != name_before:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Story photo of a failed save could not be deleted")


def _refresh_search_on_commit(story_id: int) -> None:
    def refresh() -> None:
        from . import search

        try:
            search.refresh_search_vector(story_id)
        except Exception:  # the gallery still finds it on the next refresh; the change itself is saved
            logger.exception("Search vector of story %s not refreshed", story_id)

    transaction.on_commit(refresh)


def _story_paths(story_id: int) -> list[str]:
    """The portal paths that lead to a story: in-app notifications with these links go with it."""
    return [
        reverse("campagne:employer_story", args=[story_id]),
        reverse("campagne:coordinator_story", args=[story_id]),
    ]


def _submitter_recipients(story: Story, actor: User) -> list[Recipient]:
    """Who hears about a moderation: the submitter; when they left, the organisation's other users."""
    submitter = story.submitted_by
    if submitter is not None and submitter.is_active:
        return [] if submitter.pk == actor.pk else [submitter]
    return list(User.objects.filter(organisation_id=story.organisation_id, is_active=True).exclude(pk=actor.pk))


def _coordinators_of(story: Story, actor: User) -> list[Recipient]:
    """The active coordinators of the story's region (not the one who submitted); when the region has
    none at all, its contact point's mailbox."""
    coordinators = list(User.objects.coordinators().filter(regions=story.region_id))
    others: list[Recipient] = [user for user in coordinators if user.pk != actor.pk]
    if others:
        return others
    if not coordinators and story.region.email:
        return [story.region.email]
    return []


def _reload(story_id: int) -> Story:
    return Story.objects.select_related("organisation", "region", "function", "branch", "submitted_by").get(pk=story_id)


def _label(status: str) -> dict[str, str]:
    return {"status": str(Status(status).label).lower()}


def _refusal(story_id: int, target: str) -> StoryRefused:
    """Why a transition to `target` did not happen: the story changed meanwhile, or it is gone."""
    current = Story.objects.filter(pk=story_id).values_list("status", flat=True).first()
    if current is None:
        return StoryRefused(_("This story no longer exists."), "gone")
    if current == target:
        return StoryRefused(
            _("Already done: this story has the status “%(status)s”.") % _label(current), "already_done"
        )
    return StoryRefused(
        _("This is not possible now: the story has the status “%(status)s”. Perhaps someone else just changed it.")
        % _label(current),
        "not_possible",
    )


def _transition(story: Story, sources: Iterable[str], target: str, **values: Any) -> Story:
    """Move the story from one of `sources` to `target` with one conditional UPDATE, or refuse."""
    now = timezone.now()
    updated = Story.objects.filter(pk=story.pk, status__in=list(sources)).update(
        status=target, updated_at=now, **values
    )
    if updated != 1:
        raise _refusal(story.pk, target)
    return _reload(story.pk)


# Writing a story --------------------------------------------------------------------------------


@transaction.atomic
def story_create(
    *, organisation: Organisation, details: dict[str, Any], photo: CleanPhoto, tags: list[str], actor: User
) -> Story:
    """Save a new story as a draft with its cleaned photo; the photo's variants are queued.

    `details` holds DETAIL_FIELDS (and, from a coordinator, an optional `region` of theirs). The
    consent of the person pictured (name and date, not in the future) is required and recorded with
    the user who recorded it.
    """
    region = _region_for(organisation=organisation, region=details.get("region"), actor=actor)
    _check_consent(details)
    tag_rows = _tags(tags)
    story = Story(
        organisation=organisation,
        region=region,
        status=Status.DRAFT,
        submitted_by=actor,
        consent_recorded_by=actor,
        **{field: details[field] for field in DETAIL_FIELDS},
    )
    _set_photo(story, photo)
    storage = story.photo.storage
    try:
        story.save()
        story.tags.set(tag_rows)
        queue_story_photo(story)
    except BaseException:
        _forget_new_file_on_error(story, storage, "")
        raise
    logger.info("Story %s created by user %s", story.pk, actor.pk)
    return story


@transaction.atomic
def story_update(
    *, story: Story, details: dict[str, Any], photo: CleanPhoto | None, tags: list[str], actor: User
) -> Story:
    """Change a story: employers while it is a draft or sent back, coordinators at any time.

    A new photo replaces the old one: the old original and variants are deleted after commit and the
    new photo's variants are queued. A published story changed by a coordinator gets its search
    vector refreshed after commit.
    """
    locked = Story.objects.select_for_update().select_related("region").get(pk=story.pk)
    if actor.is_employer:
        if locked.organisation_id != actor.organisation_id:
            raise StoryRefused(_("You can only change your own organisation's stories."), "not_allowed")
        if not locked.editable:
            raise StoryRefused(
                _("This story can no longer be changed: it has the status “%(status)s”.") % _label(locked.status),
                "not_editable",
            )
    elif not _moderator(actor):
        raise StoryRefused(_("You cannot change this story."), "not_allowed")
    _check_consent(details)
    if _moderator(actor) and details.get("region") is not None and details["region"].pk != locked.region_id:
        locked.region = _region_for(organisation=locked.organisation, region=details["region"], actor=actor)
    consent_changed = any(getattr(locked, field) != details[field] for field in CONSENT_FIELDS)
    for field in DETAIL_FIELDS:
        setattr(locked, field, details[field])
    if consent_changed:
        locked.consent_recorded_by = actor
    tag_rows = _tags(tags)
    storage = locked.photo.storage
    name_before = locked.photo.name
    if photo is not None:
        delete_story_files(locked)  # the old names, deleted after commit
        _set_photo(locked, photo)
    try:
        locked.save()
        locked.tags.set(tag_rows)
        if photo is not None:
            queue_story_photo(locked)
    except BaseException:
        if photo is not None:
            _forget_new_file_on_error(locked, storage, name_before)
        raise
    if locked.status == Status.PUBLISHED:
        _refresh_search_on_commit(locked.pk)
    logger.info("Story %s changed by user %s", locked.pk, actor.pk)
    return locked


# Moderation -------------------------------------------------------------------------------------


@transaction.atomic
def story_submit(*, story: Story, actor: User) -> Story:
    """Hand a draft (or a story that was sent back) to the coordinators of its region, who are told."""
    if actor.is_employer and story.organisation_id != actor.organisation_id:
        raise StoryRefused(_("You can only submit your own organisation's stories."), "not_allowed")
    now = timezone.now()
    story = _transition(
        story,
        (Status.DRAFT, Status.SENT_BACK),
        Status.SUBMITTED,
        submitted_by=actor,
        submitted_at=now,
        send_back_reason="",
    )
    notify(
        StorySubmitted,
        recipients=_coordinators_of(story, actor),
        context={"story": story, "organisation": story.organisation, "region": story.region},
    )
    logger.info("Story %s submitted by user %s", story.pk, actor.pk)
    return story


def _made_on_dashboard(story: Story) -> bool:
    submitter = story.submitted_by
    return submitter is not None and submitter.works_candidates


@transaction.atomic
def story_publish(*, story: Story, actor: User) -> Story:
    """Publish a submitted story (or a coordinator's own draft); the submitter is told.

    The gallery shows it as soon as its photo is ready. Publishing twice tells nobody twice: the
    second call is refused as already done.
    """
    if not _moderator(actor):
        raise StoryRefused(_("Only coordinators publish stories."), "not_allowed")
    current = Story.objects.select_related("submitted_by").get(pk=story.pk)
    sources = [Status.SUBMITTED]
    if _made_on_dashboard(current):
        sources += [Status.DRAFT, Status.SENT_BACK]
    now = timezone.now()
    story = _transition(
        current, sources, Status.PUBLISHED, published_at=now, moderated_by=actor, moderated_at=now, send_back_reason=""
    )
    notify(
        StoryPublished,
        recipients=_submitter_recipients(story, actor),
        context={"story": story, "organisation": story.organisation, "moderator": actor},
    )
    _refresh_search_on_commit(story.pk)
    logger.info("Story %s published by user %s", story.pk, actor.pk)
    return story


@transaction.atomic
def story_send_back(*, story: Story, reason: str, actor: User) -> Story:
    """Send a submitted story back to the submitter with a reason; they get it by e-mail (always)."""
    if not _moderator(actor):
        raise StoryRefused(_("Only coordinators send stories back."), "not_allowed")
    reason = reason.strip()
    if not reason:
        raise StoryRefused(_("Write why the story goes back, so the employer knows what to change."), "reason")
    reason = reason[:SEND_BACK_REASON_MAX]
    now = timezone.now()
    story = _transition(
        story, (Status.SUBMITTED,), Status.SENT_BACK, send_back_reason=reason, moderated_by=actor, moderated_at=now
    )
    notify(
        StorySentBack,
        recipients=_submitter_recipients(story, actor),
        context={"story": story, "organisation": story.organisation, "moderator": actor, "reason": reason},
    )
    logger.info("Story %s sent back by user %s", story.pk, actor.pk)
    return story


@transaction.atomic
def story_unpublish(*, story: Story, actor: User) -> Story:
    """Take a published story offline: it waits for moderation again (see the module's docstring)."""
    if not _moderator(actor):
        raise StoryRefused(_("Only coordinators take stories offline."), "not_allowed")
    now = timezone.now()
    updated = Story.objects.filter(pk=story.pk, status=Status.PUBLISHED).update(
        status=Status.SUBMITTED, published_at=None, moderated_by=actor, moderated_at=now, updated_at=now
    )
    if updated != 1:
        current = Story.objects.filter(pk=story.pk).values_list("status", flat=True).first()
        if current is None:
            raise StoryRefused(_("This story no longer exists."), "gone")
        raise StoryRefused(
            _("Already done: this story is not published (status “%(status)s”).") % _label(current), "already_done"
        )
    logger.info("Story %s taken offline by user %s", story.pk, actor.pk)
    return _reload(story.pk)


# Consent withdrawn ------------------------------------------------------------------------------


def _delete_files_on_commit(storage: Storage, names: list[str]) -> None:
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("A file of a deleted story could not be deleted; it is left behind")

    transaction.on_commit(delete)


@transaction.atomic
def story_withdraw_consent(*, story: Story, actor: User) -> int:
    """The person pictured withdrew consent: delete the story, its posters and every image file.

    Employers of the story's organisation and coordinators of its region may do it, in any status.
    The rows go in this transaction; the files (original, variants, every poster file) once it
    commits. Returns the id the story had.
    """
    locked = Story.objects.select_for_update().filter(pk=story.pk).first()
    if locked is None:
        raise StoryRefused(_("Already done: this story has been deleted."), "already_done")
    if not _may_see(locked, actor):
        raise StoryRefused(_("You cannot delete this story."), "not_allowed")
    story_id = locked.pk
    delete_story_files(locked)
    posters = list(Poster.objects.select_for_update().filter(story_id=story_id))
    for poster in posters:
        storage = poster.pdf.storage
        _delete_files_on_commit(storage, [getattr(poster, field).name for field in POSTER_FILE_FIELDS])
    Poster.objects.filter(pk__in=[poster.pk for poster in posters]).delete()
    Notification.objects.filter(url__in=_story_paths(story_id)).delete()
    locked.delete()
    logger.info(
        "Story %s deleted with %s poster(s): consent withdrawn, recorded by user %s", story_id, len(posters), actor.pk
    )
    return story_id
