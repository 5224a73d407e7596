"""The public story gallery at /verhalen/ and a story's own page at /verhalen/<pk>/.

Both are public (`login_not_required`) and show only published stories whose photo is ready; any other
story, or one that does not exist, gets the same friendly 404 page. The gallery pages with "meer laden":
with htmx the next cards are appended (the partial `_cards.html`), without JavaScript the same link opens
the next page. Every page runs the same small number of queries whatever the number of stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from werkgevers.models import Offer

from ..models import Story, StoryTag
from ..photos import LARGE_BOX, MEDIUM_BOX, TILE_SIZE
from ..search import GalleryFilter, gallery_stories

PAGE_SIZE = 24
# "Meer laden" a thousand times is more than anyone does; beyond it the page number is not believed.
MAX_PAGE = 1000
NEXT_ACTIVITIES = 3
# The gallery counts the stories that match up to this many; more reads "more than 1,000 stories".
COUNT_CAP = 1000


@dataclass(frozen=True)
class GalleryPage:
    """One page of cards, known to have a next page by fetching one story more than it shows."""

    stories: list[Story]
    number: int
    has_next: bool

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page_number(value: str | None) -> int:
    """The requested page; anything that is not a page number from 1 to MAX_PAGE is page 1."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def _tags() -> Prefetch:
    return Prefetch("tags", queryset=StoryTag.objects.only("pk", "name", "slug").order_by("name"))


def _fit(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """The size of a variant fitted within `box` (as campagne.photos makes it), never enlarged."""
    if width <= 0 or height <= 0:
        return box
    scale = min(box[0] / width, box[1] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _not_available(request: HttpRequest) -> HttpResponse:
    """One page for an unknown, unpublished or withdrawn story: nothing is given away."""
    return render(request, "campagne/gallery/not_available.html", status=404)


def _page_stories(queryset, start: int) -> tuple[list[Story], bool]:
    """The stories of a page and whether there is a next one.

    First the keys of the page (plus one, to know whether more follow) in the gallery's order, from a
    narrow query without joins: a ranked search sorts only keys and ranks, never whole rows. Then those
    stories with what a card shows, and their tags: three queries for any page.
    """
    keys = list(queryset.values_list("pk", flat=True)[start : start + PAGE_SIZE + 1])
    shown = keys[:PAGE_SIZE]
    by_key = gallery_stories().prefetch_related(_tags()).in_bulk(shown) if shown else {}
    return [by_key[key] for key in shown if key in by_key], len(keys) > PAGE_SIZE


@login_not_required
@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    filterset = GalleryFilter(request.GET or None)
    number = _page_number(request.GET.get("page"))
    start = (number - 1) * PAGE_SIZE
    stories, has_next = _page_stories(filterset.qs, start)
    page = GalleryPage(stories=stories, number=number, has_next=has_next)
    context = {"filter": filterset, "page": page, "tile_size": TILE_SIZE, "count_cap": COUNT_CAP}
    if request.htmx:
        response = render(request, "campagne/gallery/_cards.html", context)
    else:
        # How many match, on a full load of the first page only (never on "meer laden"), counted up to
        # COUNT_CAP + 1: beyond that the page says "more than 1,000", so a broad search stays cheap.
        if number == 1:
            counted = filterset.qs.order_by().values("pk")[: COUNT_CAP + 1].count() if has_next else len(stories)
            context["count"] = counted
        response = render(request, "campagne/gallery/gallery.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _share_links(story_url: str, story: Story) -> list[tuple[str, str]]:
    """Plain links to share a story with #ikzorg: no scripts, images or requests to the networks."""
    hashtag = settings.CAMPAIGN_HASHTAG
    quoted = f"“{story.quote}” – {story.first_name}"
    message = f"{quoted} {story_url} #{hashtag}"
    subject = _("The story of %(first_name)s, %(function)s") % {
        "first_name": story.first_name,
        "function": story.function.name,
    }
    return [
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": story_url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": story_url})),
        (
            "X (Twitter)",
            "https://twitter.com/intent/tweet?" + urlencode({"text": quoted, "url": story_url, "hashtags": hashtag}),
        ),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": message})),
        (_("E-mail"), "mailto:?" + urlencode({"subject": subject, "body": message}, quote_via=quote)),
    ]


def intake_link(story: Story) -> str:
    """The intake form with the story's branch and function ticked, tagged with the story it came from."""
    query = {"branche": story.branch.slug, "functie": story.function.slug, "bron": f"verhaal-{story.pk}"}
    return reverse("kandidaten:intake") + "?" + urlencode(query)


@login_not_required
@require_GET
def story(request: HttpRequest, pk: int) -> HttpResponse:
    story = gallery_stories().prefetch_related(_tags()).filter(pk=pk).first()
    if story is None:
        return _not_available(request)
    activities = list(
        Offer.objects.public_agenda()
        .filter(organisation_id=story.organisation_id)
        .select_related("location")
        .order_by("starts_at", "pk")[:NEXT_ACTIVITIES]
    )
    story_url = request.build_absolute_uri(reverse("campagne:story", args=[story.pk]))
    large_size = _fit(story.photo_width, story.photo_height, LARGE_BOX)
    medium_width = _fit(story.photo_width, story.photo_height, MEDIUM_BOX)[0]
    srcset = [f"{story.large.url} {large_size[0]}w"]
    if medium_width < large_size[0]:
        srcset.insert(0, f"{story.medium.url} {medium_width}w")
    context = {
        "story": story,
        "tags": list(story.tags.all()),
        "activities": activities,
        "story_url": story_url,
        "image_url": request.build_absolute_uri(story.large.url),
        "large_size": large_size,
        "srcset": ", ".join(srcset),
        "share_links": _share_links(story_url, story),
        "hashtag": settings.CAMPAIGN_HASHTAG,
        "intake_url": intake_link(story),
    }
    return render(request, "campagne/gallery/story.html", context)


urlpatterns = [
    path("verhalen/", gallery, name="gallery"),
    path("verhalen/<int:pk>/", story, name="story"),
]
