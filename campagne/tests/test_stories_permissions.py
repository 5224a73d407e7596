"""The permission walk over every story URL, for every persona, against one table.

Organisation A in region A has a draft, a submitted and a published story. EXPECTED says what each
persona gets: employers reach /werkgever/verhalen/ (coordinators and administrators: 403) and see
their own organisation's stories only (employer B: 404 on A's); coordinators and administrators reach
/dashboard/verhalen/ (employers: 403) and see the stories of their regions only (coordinator B: 404);
anonymous people get the login page. Each request runs in a savepoint that is rolled back; only a
SAVED answer may change the database, and it must.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from campagne.factories import PublishedStoryFactory, StoryFactory, SubmittedStoryFactory
from campagne.models import Poster, Story, StoryTag
from campagne.views import stories as story_views
from contactpunt.models import Notification, OutboxMail
from contactpunt.testing import log_in

from .story_helpers import poster_of, story_data

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "employer_a", "employer_b", "coordinator_a", "coordinator_b", "administrator")
GET, POST = "GET", "POST"
LOGIN, SAVED, FORM = "login", "saved", "form"


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    target: str  # "-", "draft", "submitted", "published", "published/tile", "draft/original"
    expected: tuple

    def answer(self, persona: str):
        return self.expected[PERSONAS.index(persona)]


def row(name, method, target, *expected) -> Row:
    assert len(expected) == len(PERSONAS)
    return Row(name, method, target, expected)


# fmt: off
EXPECTED = [
    #   URL name                    method target        anon   emp A  emp B  coor A coor B admin
    row("employer_stories",         GET,  "-",           LOGIN, 200,   200,   403,   403,   403),
    row("employer_story_create",    GET,  "-",           LOGIN, 200,   200,   403,   403,   403),
    row("employer_story_create",    POST, "-",           LOGIN, SAVED, SAVED, 403,   403,   403),
    row("employer_story",           GET,  "draft",       LOGIN, 200,   404,   403,   403,   403),
    row("employer_story",           GET,  "published",   LOGIN, 200,   404,   403,   403,   403),
    row("employer_story_edit",      GET,  "draft",       LOGIN, 200,   404,   403,   403,   403),
    row("employer_story_edit",      POST, "draft",       LOGIN, SAVED, 404,   403,   403,   403),
    row("employer_story_edit",      GET,  "submitted",   LOGIN, 302,   404,   403,   403,   403),
    row("employer_story_edit",      POST, "submitted",   LOGIN, 302,   404,   403,   403,   403),
    row("employer_story_submit",    POST, "draft",       LOGIN, SAVED, 404,   403,   403,   403),
    row("employer_story_submit",    POST, "published",   LOGIN, 302,   404,   403,   403,   403),
    row("employer_story_withdraw",  GET,  "published",   LOGIN, 200,   404,   403,   403,   403),
    row("employer_story_withdraw",  POST, "published",   LOGIN, SAVED, 404,   403,   403,   403),
    row("moderation",               GET,  "-",           LOGIN, 403,   403,   200,   200,   200),
    row("coordinator_story_create", GET,  "-",           LOGIN, 403,   403,   200,   200,   200),
    row("coordinator_story_create", POST, "-",           LOGIN, 403,   403,   SAVED, FORM,  SAVED),
    row("coordinator_story",        GET,  "submitted",   LOGIN, 403,   403,   200,   404,   200),
    row("coordinator_story",        GET,  "draft",       LOGIN, 403,   403,   200,   404,   200),
    row("coordinator_story_edit",   GET,  "published",   LOGIN, 403,   403,   200,   404,   200),
    row("coordinator_story_edit",   POST, "published",   LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("story_publish",            POST, "submitted",   LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("story_publish",            POST, "draft",       LOGIN, 403,   403,   302,   404,   302),
    row("story_send_back",          POST, "submitted",   LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("story_send_back",          POST, "published",   LOGIN, 403,   403,   302,   404,   302),
    row("story_unpublish",          POST, "published",   LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("story_unpublish",          POST, "submitted",   LOGIN, 403,   403,   302,   404,   302),
    row("coordinator_story_withdraw", GET,  "submitted", LOGIN, 403,   403,   200,   404,   200),
    row("coordinator_story_withdraw", POST, "submitted", LOGIN, 403,   403,   SAVED, 404,   SAVED),
    row("story_photo",              GET,  "published/tile",    LOGIN, 200, 404, 200, 404, 200),
    row("story_photo",              GET,  "draft/medium",      LOGIN, 200, 404, 200, 404, 200),
    row("story_photo",              GET,  "published/original", LOGIN, 404, 404, 404, 404, 404),
    row("story_photo",              GET,  "published/../x",    404,   404, 404, 404, 404, 404),
]
# fmt: on


@dataclass
class World:
    users: dict
    stories: dict
    organisation_a: object
    region_a: object


@pytest.fixture
def world(employer_a, employer_b, coordinator_a, coordinator_b, administrator, organisation_a, region_a) -> World:
    draft = StoryFactory(organisation=organisation_a, submitted_by=employer_a, first_name="Dewi")
    submitted = SubmittedStoryFactory(organisation=organisation_a, submitted_by=employer_a, first_name="Ilse")
    published = PublishedStoryFactory(organisation=organisation_a, submitted_by=employer_a, first_name="Mirjam")
    poster_of(published)
    users = {
        "anonymous": None,
        "employer_a": employer_a,
        "employer_b": employer_b,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "administrator": administrator,
    }
    return World(users, {"draft": draft, "submitted": submitted, "published": published}, organisation_a, region_a)


def address(world: World, line: Row) -> str:
    if line.target == "-":
        return reverse(f"campagne:{line.name}")
    if line.name == "story_photo":
        kind, variant = line.target.split("/", 1)
        story = world.stories[kind]
        if "/" in variant:  # a variant that is no path segment: not even a URL of ours
            return f"/verhalen/foto/{story.pk}/{variant}/"
        return reverse("campagne:story_photo", args=[story.pk, variant])
    return reverse(f"campagne:{line.name}", args=[world.stories[line.target].pk])


def post_data(world: World, line: Row) -> dict:
    if line.name in ("employer_story_create", "employer_story_edit", "coordinator_story_edit"):
        data = story_data(photo=None) if line.name.endswith("edit") else story_data()
        if line.name == "coordinator_story_edit":
            data["region"] = world.region_a.pk
        return data
    if line.name == "coordinator_story_create":
        return story_data(organisation=world.organisation_a.pk, region=world.region_a.pk)
    if line.name == "story_send_back":
        return {"reason": "De foto is te donker."}
    return {}


def snapshot() -> dict:
    querysets = {
        "stories": Story.objects.order_by("pk").values_list(
            "pk", "status", "quote", "photo", "published_at", "send_back_reason", "region_id"
        ),
        "tags": StoryTag.objects.order_by("pk").values_list("pk"),
        "posters": Poster.objects.order_by("pk").values_list("pk"),
        "outbox": OutboxMail.objects.order_by("pk").values_list("pk"),
        "notifications": Notification.objects.order_by("pk").values_list("pk"),
    }
    with connection.cursor() as cursor:
        result = {}
        for name, queryset in querysets.items():
            cursor.execute(*queryset.query.sql_with_params())
            result[name] = cursor.fetchall()
    return result


def what_is_wrong(response, expected, changed: list[str]) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and location.startswith(reverse("login"))
    if expected == LOGIN:
        if not to_login:
            return f"expected the login page, got {status} {location}".rstrip()
    elif expected == SAVED:
        if status != 302 or to_login:
            return f"expected a redirect after saving, got {status} {location}".rstrip()
        if not changed:
            return "expected the POST to change something, nothing changed"
    elif expected == FORM:
        if status != 200 or "is-invalid" not in response.content.decode():
            return f"expected the form again with a field error, got {status}"
    elif status != expected or to_login:
        return f"expected {expected}, got {status} {location}".rstrip()
    if expected != SAVED and changed:
        return f"answered {status}, but changed: {', '.join(changed)}"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_story_url_answers_every_persona_as_the_table_says(world, persona):
    client = Client()
    if world.users[persona] is not None:
        log_in(client, world.users[persona])
    problems = []
    for line in EXPECTED:
        url = address(world, line)
        with transaction.atomic():
            before = snapshot()
            response = client.post(url, post_data(world, line)) if line.method == POST else client.get(url)
            after = snapshot()
            transaction.set_rollback(True)
        changed = [name for name in before if before[name] != after[name]]
        wrong = what_is_wrong(response, line.answer(persona), changed)
        if wrong is None and persona in ("employer_b", "coordinator_b") and response.status_code == 200:
            body = response.content.decode(errors="replace") if "text/" in response.get("Content-Type", "") else ""
            leaked = [name for name in ("Dewi", "Ilse", "Mirjam") if name in body]
            if leaked:
                wrong = f"shows stories of organisation A: {leaked}"
        if wrong:
            problems.append(f"{line.method} {url} ({line.name}, {line.target}): {wrong}")
    assert not problems, f"{len(problems)} answer(s) to {persona} differ:\n" + "\n".join(problems)


def test_every_story_url_has_a_row():
    names = {pattern.name for pattern in story_views.urlpatterns}
    assert names == {line.name for line in EXPECTED}


@pytest.mark.parametrize("persona", ["employer_a", "coordinator_a"])
def test_the_post_only_urls_take_no_get(world, persona):
    client = Client()
    log_in(client, world.users[persona])
    names = (
        ["employer_story_submit"]
        if persona == "employer_a"
        else ["story_publish", "story_send_back", "story_unpublish"]
    )
    for name in names:
        response = client.get(reverse(f"campagne:{name}", args=[world.stories["submitted"].pk]))
        assert response.status_code == 405
