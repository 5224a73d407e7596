"""The public story gallery: its filters, the Dutch full-text search and the search vectors behind it.

On PostgreSQL each story keeps a weighted vector in the `dutch` configuration (`Story.search_vector`,
GIN-indexed): the quote and the first name weigh most (A), then the function, branch, organisation
and tags (B), then the story text (C). A search uses `websearch_to_tsquery('dutch', q)`, so visitors
may type words, "a phrase" or -leave-out, and is ranked with `ts_rank`, then newest first. SQLite has
no full-text search of this kind: there every word must appear in one of the fields (icontains) and the
newest stories come first.

`refresh_search_vector(s)` must run after a story is published or edited (campagne.services does that)
and after stories are made in bulk (the demo, the benchmark).
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, Function, Region
from werkgevers.models import Organisation

from .models import EducationPath, LifeStage, Story

SEARCH_CONFIG = "dutch"
SEARCH_MAX_LENGTH = 100
# Updating in slices keeps each statement short (locks, WAL) while staying one round trip per slice.
REFRESH_BATCH = 5000


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _name_of(model, field: str) -> Subquery:
    return Subquery(model.objects.filter(pk=OuterRef(field)).order_by().values("name")[:1])


def _tag_names() -> Subquery:
    """The story's tag names in one string (a correlated subquery on the M2M table's story index)."""
    from django.contrib.postgres.aggregates import StringAgg

    through = Story.tags.through
    return Subquery(
        through.objects.filter(story_id=OuterRef("pk"))
        .order_by()
        .values("story_id")
        .annotate(names=StringAgg("storytag__name", delimiter=" "))
        .values("names")[:1]
    )


def search_vector_expression() -> SearchVector:
    """Quote and first name (A), function, branch, organisation and tags (B), the story text (C)."""
    return (
        SearchVector("quote", "first_name", weight="A", config=SEARCH_CONFIG)
        + SearchVector(
            _name_of(Function, "function_id"),
            _name_of(Branch, "branch_id"),
            _name_of(Organisation, "organisation_id"),
            _tag_names(),
            weight="B",
            config=SEARCH_CONFIG,
        )
        + SearchVector("text", weight="C", config=SEARCH_CONFIG)
    )


def refresh_search_vectors(story_ids: Iterable[int] | None = None) -> int:
    """Recompute the search vector of the given stories (all stories when None); the number updated.

    One UPDATE per slice of stories, the related names read by correlated subqueries in the database:
    20,000 stories take about a second. A no-op returning 0 on SQLite.
    """
    if not _is_postgresql():
        return 0
    expression = search_vector_expression()
    if story_ids is None:
        return Story.objects.update(search_vector=expression)
    ids = sorted({int(pk) for pk in story_ids})
    updated = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        updated += Story.objects.filter(pk__in=ids[start : start + REFRESH_BATCH]).update(search_vector=expression)
    return updated


def refresh_search_vector(story_id: int) -> None:
    """Recompute one story's search vector (after it was published or edited); nothing on SQLite."""
    refresh_search_vectors([story_id])


# The gallery ---------------------------------------------------------------------------------------


def gallery_stories() -> QuerySet[Story]:
    """Published stories with what a card shows, newest first (the partial index `story_gallery`)."""
    return (
        Story.objects.published()
        .select_related("function", "branch", "organisation", "region")
        .order_by("-published_at", "-pk")
    )


def search_stories(queryset: QuerySet[Story], text: str) -> QuerySet[Story]:
    """The stories matching what a visitor typed: ranked Dutch full-text on PostgreSQL, words in any
    field on SQLite. An empty text leaves the queryset as it is."""
    text = " ".join(text.split())[:SEARCH_MAX_LENGTH]
    if not text:
        return queryset
    if _is_postgresql():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-pk")
        )
    for word in text.replace('"', " ").split():
        word = word.lstrip("-")
        if not word:
            continue
        tagged = Story.tags.through.objects.filter(storytag__name__icontains=word).values("story_id")
        queryset = queryset.filter(
            Q(quote__icontains=word)
            | Q(text__icontains=word)
            | Q(first_name__icontains=word)
            | Q(function__name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(pk__in=tagged)
        )
    return queryset


def _choose(field: forms.Field) -> None:
    field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")


class SlugChoiceFilter(django_filters.ChoiceFilter):
    """A reference list chosen by slug in the URL (?branch=vvt), filtered on the primary key.

    The choices are read in one query when the form is built; the slug is mapped to its key without
    another query, so the filter costs one query whether or not it is used.
    """

    def __init__(self, *args, model, **kwargs):
        self.reference_model = model
        self.pk_by_slug: dict[str, int] = {}
        super().__init__(*args, **kwargs)

    def load_choices(self) -> list[tuple[str, str]]:
        queryset = self.reference_model.objects.all()
        if any(field.name == "active" for field in self.reference_model._meta.fields):
            queryset = queryset.filter(active=True)
        rows = list(queryset.order_by("name").values_list("pk", "slug", "name"))
        self.pk_by_slug = {slug: pk for pk, slug, _name in rows}
        return [(slug, name) for _pk, slug, name in rows]

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(**{f"{self.field_name}_id": self.pk_by_slug[value]})


class GalleryFilter(django_filters.FilterSet):
    """What a visitor narrows the gallery down by. GET parameters only, nothing personal."""

    q = django_filters.CharFilter(
        label=_("Search the stories"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("For example: nachtdienst, ouderen or wijkverpleging."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    branch = SlugChoiceFilter(model=Branch, label=_("Branch"), empty_label=_("All branches"))
    function = SlugChoiceFilter(model=Function, label=_("Function"), empty_label=_("All functions"))
    region = SlugChoiceFilter(model=Region, label=_("Region"), empty_label=_("All regions"))
    education = django_filters.ChoiceFilter(
        label=_("Education path"),
        field_name="education_path",
        choices=EducationPath.choices,
        empty_label=_("All education paths"),
    )
    life_stage = django_filters.ChoiceFilter(
        label=_("Life stage"), choices=LifeStage.choices, empty_label=_("All life stages")
    )
    side_entrant = django_filters.BooleanFilter(
        label=_("Only side entrants (zij-instromers)"),
        method="filter_side_entrant",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Story
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else gallery_stories(), **kwargs)
        for name, field in self.form.fields.items():
            choice_filter = self.filters[name]
            if isinstance(choice_filter, SlugChoiceFilter):
                field.choices = choice_filter.load_choices()
            _choose(field)

    @property
    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(value not in (None, "", False) for value in self.form.cleaned_data.values())

    @property
    def search_text(self) -> str:
        if not self.is_bound:
            return ""
        self.form.is_valid()
        return (self.form.cleaned_data.get("q") or "").strip()

    def filter_search(self, queryset: QuerySet[Story], name: str, value: str) -> QuerySet[Story]:
        return search_stories(queryset, value)

    def filter_side_entrant(self, queryset: QuerySet[Story], name: str, value: bool | None) -> QuerySet[Story]:
        return queryset.filter(side_entrant=True) if value else queryset


def recent_stories(count: int = 3) -> list[Story]:
    """The newest published stories, for the home page: one query."""
    return list(gallery_stories()[:count])
