"""Campaign views: stories. Employers write them at /werkgever/verhalen/ and submit them; coordinators
moderate at /dashboard/verhalen/ (publish, send back with a reason, take offline) and may write stories
themselves. Either side deletes a story when the person pictured withdraws consent.

Employer users reach the portal views (others: 403) and see their own organisation's stories only;
coordinators and administrators reach the dashboard views (others: 403) and see the stories of their
regions only. Every story is fetched through `Story.objects.visible_to`: anyone else gets 404.
`story_photo` serves a story's picture for previews to whoever may see the story.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contactpunt.access import dashboard_view, employer_view

from .. import services
from ..forms import ModerationFilter, SendBackForm, StoryForm
from ..models import Story

PAGE_SIZE = 25
VARIANTS = ("tile", "medium", "large")
CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Where a refusal of the services belongs on the form.
REFUSAL_FIELDS = {
    "consent_missing": "consent_name",
    "consent_in_future": "consent_given_on",
    "too_many_tags": "tags",
    "region": "region",
    "organisation": "organisation",
}

Status = Story.Status


def _visible(request: HttpRequest):
    return Story.objects.visible_to(request.user)


def _detail_queryset(request: HttpRequest):
    return (
        _visible(request)
        .select_related("organisation", "region", "function", "branch", "submitted_by", "moderated_by")
        .prefetch_related("tags")
    )


def _story(request: HttpRequest, pk: int) -> Story:
    return get_object_or_404(_detail_queryset(request), pk=pk)


def _bound(request: HttpRequest) -> tuple:
    """The form's data on a POST (even an empty one), nothing on a GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _add_refusal(form: StoryForm, refused: services.StoryRefused) -> None:
    field = REFUSAL_FIELDS.get(refused.code)
    form.add_error(field if field in form.fields else None, refused.message)


def _render_form(request: HttpRequest, form: StoryForm, *, story: Story | None, dashboard: bool) -> HttpResponse:
    return render(
        request,
        "campagne/stories/story_form.html",
        {"form": form, "story": story, "dashboard": dashboard},
    )


def _can_publish(story: Story) -> bool:
    if story.status == Status.SUBMITTED:
        return True
    made_on_dashboard = story.submitted_by is not None and story.submitted_by.works_candidates
    return made_on_dashboard and story.editable


# Employers ---------------------------------------------------------------------------------------


@require_GET
@employer_view
def employer_stories(request: HttpRequest) -> HttpResponse:
    """The organisation's stories with their status, the photo's status and why one was sent back."""
    stories = _visible(request).select_related("function", "branch").order_by("-created_at", "-pk")
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campagne/stories/employer_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@employer_view
def employer_story_create(request: HttpRequest) -> HttpResponse:
    form = StoryForm(*_bound(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                organisation=request.user.organisation,
                details=form.details,
                photo=form.cleaned_data["photo"],
                tags=form.cleaned_data["tags"],
                actor=request.user,
            )
            if "submit" in request.POST:
                services.story_submit(story=story, actor=request.user)
        except services.StoryRefused as refused:
            _add_refusal(form, refused)
        else:
            if "submit" in request.POST:
                text = _("Your story has been saved and submitted. The contact point checks it before it appears.")
                messages.success(request, text)
            else:
                messages.success(request, _("Your story has been saved as a draft. Submit it when it is ready."))
            return redirect("campagne:employer_story", story.pk)
    return _render_form(request, form, story=None, dashboard=False)


@require_GET
@employer_view
def employer_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    return render(request, "campagne/stories/employer_detail.html", {"story": story})


@require_http_methods(["GET", "POST"])
@employer_view
def employer_story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    if not story.editable:
        messages.warning(
            request,
            _(
                "This story can no longer be changed: it has the status “%(status)s”. "
                "Ask your contact point if something is wrong."
            )
            % {"status": story.get_status_display().lower()},
        )
        return redirect("campagne:employer_story", story.pk)
    form = StoryForm(*_bound(request), user=request.user, story=story)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                story=story,
                details=form.details,
                photo=form.cleaned_data["photo"],
                tags=form.cleaned_data["tags"],
                actor=request.user,
            )
            if "submit" in request.POST:
                services.story_submit(story=story, actor=request.user)
        except services.StoryRefused as refused:
            if refused.code in REFUSAL_FIELDS:
                _add_refusal(form, refused)
                return _render_form(request, form, story=story, dashboard=False)
            messages.warning(request, refused.message)
            return redirect("campagne:employer_story", story.pk)
        if "submit" in request.POST:
            messages.success(request, _("Your changes have been saved and the story has been submitted."))
        else:
            messages.success(request, _("Your changes have been saved."))
        return redirect("campagne:employer_story", story.pk)
    return _render_form(request, form, story=story, dashboard=False)


@require_POST
@employer_view
def employer_story_submit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    try:
        services.story_submit(story=story, actor=request.user)
    except services.StoryRefused as refused:
        messages.warning(request, refused.message)
    else:
        messages.success(request, _("The story has been submitted. The contact point checks it before it appears."))
    return redirect("campagne:employer_story", story.pk)


def _withdraw(request: HttpRequest, pk: int, *, dashboard: bool) -> HttpResponse:
    story = _story(request, pk)
    if request.method == "POST":
        try:
            services.story_withdraw_consent(story=story, actor=request.user)
        except services.StoryRefused as refused:
            messages.warning(request, refused.message)
        else:
            messages.success(
                request, _("The story, its photos and its posters have been deleted everywhere in the portal.")
            )
        return redirect("campagne:moderation" if dashboard else "campagne:employer_stories")
    context = {
        "story": story,
        "dashboard": dashboard,
        "poster_count": story.posters.count(),
        "action": reverse(
            "campagne:coordinator_story_withdraw" if dashboard else "campagne:employer_story_withdraw", args=[story.pk]
        ),
        "back": reverse("campagne:coordinator_story" if dashboard else "campagne:employer_story", args=[story.pk]),
    }
    return render(request, "campagne/stories/withdraw_confirm.html", context)


@require_http_methods(["GET", "POST"])
@employer_view
def employer_story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The person pictured withdrew consent: ask first (GET), then delete everything (POST)."""
    return _withdraw(request, pk, dashboard=False)


# Coordinators ------------------------------------------------------------------------------------


@require_GET
@dashboard_view
def moderation(request: HttpRequest) -> HttpResponse:
    """The stories of the user's regions; by default those waiting for moderation, oldest first."""
    queryset = _visible(request).select_related("organisation", "region", "function")
    filterset = ModerationFilter(request.GET, queryset=queryset, request=request)
    stories = filterset.qs
    if filterset.form.cleaned_data.get("status") == Status.SUBMITTED:
        stories = stories.order_by(F("submitted_at").asc(nulls_last=True), "pk")
    else:
        stories = stories.order_by("-updated_at", "-pk")
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campagne/stories/moderation.html", {"filter": filterset, "page": page})


@require_http_methods(["GET", "POST"])
@dashboard_view
def coordinator_story_create(request: HttpRequest) -> HttpResponse:
    form = StoryForm(*_bound(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                organisation=form.cleaned_data["organisation"],
                details=form.details,
                photo=form.cleaned_data["photo"],
                tags=form.cleaned_data["tags"],
                actor=request.user,
            )
            if "publish" in request.POST:
                services.story_publish(story=story, actor=request.user)
        except services.StoryRefused as refused:
            _add_refusal(form, refused)
        else:
            if "publish" in request.POST:
                messages.success(request, _("The story has been published. It appears as soon as the photo is ready."))
            else:
                messages.success(request, _("The story has been saved as a draft."))
            return redirect("campagne:coordinator_story", story.pk)
    return _render_form(request, form, story=None, dashboard=True)


def _render_coordinator_story(request: HttpRequest, story: Story, send_back_form: SendBackForm | None = None):
    context = {
        "story": story,
        "send_back_form": send_back_form or SendBackForm(),
        "can_publish": _can_publish(story),
        "can_send_back": story.status == Status.SUBMITTED,
        "can_unpublish": story.status == Status.PUBLISHED,
        "poster_count": story.posters.count(),
    }
    return render(request, "campagne/stories/coordinator_detail.html", context)


@require_GET
@dashboard_view
def coordinator_story(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_coordinator_story(request, _story(request, pk))


@require_http_methods(["GET", "POST"])
@dashboard_view
def coordinator_story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    form = StoryForm(*_bound(request), user=request.user, story=story)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                story=story,
                details=form.details,
                photo=form.cleaned_data["photo"],
                tags=form.cleaned_data["tags"],
                actor=request.user,
            )
        except services.StoryRefused as refused:
            _add_refusal(form, refused)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("campagne:coordinator_story", story.pk)
    return _render_form(request, form, story=story, dashboard=True)


@require_POST
@dashboard_view
def story_publish(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    try:
        services.story_publish(story=story, actor=request.user)
    except services.StoryRefused as refused:
        messages.warning(request, refused.message)
    else:
        messages.success(
            request, _("The story has been published. It appears in the gallery as soon as the photo is ready.")
        )
    return redirect("campagne:coordinator_story", story.pk)


@require_POST
@dashboard_view
def story_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _render_coordinator_story(request, story, send_back_form=form)
    try:
        services.story_send_back(story=story, reason=form.cleaned_data["reason"], actor=request.user)
    except services.StoryRefused as refused:
        messages.warning(request, refused.message)
    else:
        messages.success(request, _("The story has been sent back. The employer gets the reason by e-mail."))
    return redirect("campagne:coordinator_story", story.pk)


@require_POST
@dashboard_view
def story_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    try:
        services.story_unpublish(story=story, actor=request.user)
    except services.StoryRefused as refused:
        messages.warning(request, refused.message)
    else:
        messages.success(
            request,
            _("The story is offline. It waits for moderation again: publish it again or send it back with a reason."),
        )
    return redirect("campagne:coordinator_story", story.pk)


@require_http_methods(["GET", "POST"])
@dashboard_view
def coordinator_story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The person pictured withdrew consent: ask first (GET), then delete everything (POST)."""
    return _withdraw(request, pk, dashboard=True)


# The picture of a story that is not public yet ---------------------------------------------------


@require_GET
def story_photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A variant of the story's photo, or the cleaned original while the variants are being made."""
    if variant not in VARIANTS:
        raise Http404
    story = get_object_or_404(_visible(request).only("pk", "photo", *VARIANTS), pk=pk)
    file = getattr(story, variant)
    if file.name:
        content_type = "image/webp"
    else:
        file = story.photo
        content_type = CONTENT_TYPES.get(file.name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    if not file.name:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response


urlpatterns = [
    path("werkgever/verhalen/", employer_stories, name="employer_stories"),
    path("werkgever/verhalen/nieuw/", employer_story_create, name="employer_story_create"),
    path("werkgever/verhalen/<int:pk>/", employer_story, name="employer_story"),
    path("werkgever/verhalen/<int:pk>/bewerken/", employer_story_edit, name="employer_story_edit"),
    path("werkgever/verhalen/<int:pk>/indienen/", employer_story_submit, name="employer_story_submit"),
    path(
        "werkgever/verhalen/<int:pk>/toestemming-ingetrokken/", employer_story_withdraw, name="employer_story_withdraw"
    ),
    path("dashboard/verhalen/", moderation, name="moderation"),
    path("dashboard/verhalen/nieuw/", coordinator_story_create, name="coordinator_story_create"),
    path("dashboard/verhalen/<int:pk>/", coordinator_story, name="coordinator_story"),
    path("dashboard/verhalen/<int:pk>/bewerken/", coordinator_story_edit, name="coordinator_story_edit"),
    path("dashboard/verhalen/<int:pk>/publiceren/", story_publish, name="story_publish"),
    path("dashboard/verhalen/<int:pk>/terugsturen/", story_send_back, name="story_send_back"),
    path("dashboard/verhalen/<int:pk>/offline/", story_unpublish, name="story_unpublish"),
    path(
        "dashboard/verhalen/<int:pk>/toestemming-ingetrokken/",
        coordinator_story_withdraw,
        name="coordinator_story_withdraw",
    ),
    path("verhalen/foto/<int:pk>/<str:variant>/", story_photo, name="story_photo"),
]
