"""Campaign views: posters. Employers make them at /werkgever/posters/ from their published stories
or an uploaded photo; coordinators at /dashboard/posters/ from the stories of their regions or an
upload for an organisation of their regions. The poster page shows the progress while Celery draws
(an htmx partial polled until it is finished, a plain "Vernieuwen" link without JavaScript), then
the previews, the four downloads and how many people signed up through the poster's QR code.

Every poster is fetched through `Poster.objects.visible_to`: anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contactpunt.access import dashboard_view, employer_view

from .. import posters
from ..forms_posters import PosterForm
from ..models import Poster

PAGE_SIZE = 25
# Output → (file name start, extension, content type).
DOWNLOADS = {
    "pdf": ("poster-a4", "pdf", "application/pdf"),
    "png": ("poster-a4", "png", "image/png"),
    "facebook": ("facebook-omslag", "png", "image/png"),
    "square": ("vierkant", "png", "image/png"),
}


def _visible(request: HttpRequest):
    return Poster.objects.visible_to(request.user)


def _poster(request: HttpRequest, pk: int) -> Poster:
    return get_object_or_404(_visible(request).select_related("story", "organisation"), pk=pk)


def _list(request: HttpRequest, *, dashboard: bool) -> HttpResponse:
    visible = _visible(request).select_related("organisation").order_by("-created_at", "-pk")
    page = Paginator(posters.with_signup_counts(visible), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campagne/posters/poster_list.html", {"page": page, "dashboard": dashboard})


def _initial(request: HttpRequest) -> dict:
    """`?verhaal=<pk>` chooses one of the user's published stories and fills in its quote."""
    initial: dict = {}
    if request.user.is_employer and request.user.organisation_id:
        initial["organisation_name"] = request.user.organisation.name
    story_id = request.GET.get("verhaal", "")
    if story_id.isdigit():
        story = (
            posters.stories_for_posters(request.user)
            .select_related("organisation", "function")
            .filter(pk=int(story_id))
            .first()
        )
        if story is not None:
            initial.update(story=story.pk, quote=story.quote, organisation_name=story.organisation.name)
    return initial


def _create(request: HttpRequest, *, dashboard: bool) -> HttpResponse:
    if request.method == "POST":
        form = PosterForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                poster = posters.poster_request(actor=request.user, **form.request_kwargs())
            except posters.PosterRefused as refused:
                form.add_error(refused.field if refused.field in form.fields else None, refused.message)
            else:
                messages.success(request, _("Your poster is being made. This takes a few seconds."))
                return redirect("campagne:poster_detail", poster.pk)
        status = 400
    else:
        form = PosterForm(user=request.user, initial=_initial(request))
        status = 200
    photo_lost = bool(form.is_bound and form.errors and request.FILES.get("photo"))
    return render(
        request,
        "campagne/posters/poster_form.html",
        {"form": form, "dashboard": dashboard, "photo_lost": photo_lost},
        status=status,
    )


@require_GET
@employer_view
def employer_posters(request: HttpRequest) -> HttpResponse:
    """The organisation's posters with their status and the sign-ups through each."""
    return _list(request, dashboard=False)


@require_http_methods(["GET", "POST"])
@employer_view
def poster_create(request: HttpRequest) -> HttpResponse:
    return _create(request, dashboard=False)


@require_GET
@dashboard_view
def coordinator_posters(request: HttpRequest) -> HttpResponse:
    """The posters of stories in the coordinator's regions and those they made themselves."""
    return _list(request, dashboard=True)


@require_http_methods(["GET", "POST"])
@dashboard_view
def coordinator_poster_create(request: HttpRequest) -> HttpResponse:
    return _create(request, dashboard=True)


def _detail_context(request: HttpRequest, poster: Poster) -> dict:
    return {
        "poster": poster,
        "signups": posters.signups_via(poster),
        "intake_url": posters.intake_url(poster),
        "dashboard": request.user.works_candidates,
        "downloads": [
            (output, _download_name(poster, output)) for output in posters.OUTPUTS if getattr(poster, output).name
        ],
    }


@require_GET
def poster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poster = _poster(request, pk)
    return render(request, "campagne/posters/poster_detail.html", _detail_context(request, poster))


@transaction.non_atomic_requests  # read only, polled every 1.5 s
@require_GET
def poster_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx partial: polls itself while the poster is being made, and stops once it is finished."""
    poster = _poster(request, pk)
    return render(request, "campagne/posters/_progress.html", _detail_context(request, poster))


def _download_name(poster: Poster, output: str) -> str:
    start, extension, _content_type = DOWNLOADS[output]
    first_name = slugify(poster.person_name.split(" ")[0] if poster.person_name else "") or "ikzorg"
    return f"{start}-{first_name}.{extension}"


@transaction.non_atomic_requests  # read only: parallel previews need no write lock each (SQLite)
@require_GET
def poster_download(request: HttpRequest, pk: int, output: str) -> FileResponse:
    """One of the four files as an attachment (also the source of the previews), once it is made."""
    if output not in DOWNLOADS:
        raise Http404
    poster = get_object_or_404(_visible(request).only("pk", "person_name", "status", output), pk=pk)
    if poster.status != Poster.Status.DONE:
        raise Http404
    try:
        file = posters.open_output(poster, output)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=_download_name(poster, output), content_type=DOWNLOADS[output][2]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response


@require_POST
def poster_delete(request: HttpRequest, pk: int) -> HttpResponse:
    poster = _poster(request, pk)
    posters.poster_delete(poster=poster, actor=request.user)
    messages.success(request, _("The poster has been deleted."))
    if request.user.works_candidates:
        return redirect("campagne:coordinator_posters")
    return redirect("campagne:employer_posters")


urlpatterns = [
    path("werkgever/posters/", employer_posters, name="employer_posters"),
    path("werkgever/posters/nieuw/", poster_create, name="poster_create"),
    path("dashboard/posters/", coordinator_posters, name="coordinator_posters"),
    path("dashboard/posters/nieuw/", coordinator_poster_create, name="coordinator_poster_create"),
    path("posters/<int:pk>/", poster_detail, name="poster_detail"),
    path("posters/<int:pk>/voortgang/", poster_progress, name="poster_progress"),
    path("posters/<int:pk>/download/<str:output>/", poster_download, name="poster_download"),
    path("posters/<int:pk>/verwijderen/", poster_delete, name="poster_delete"),
]
