"""A story's own page at /verhalen/<pk>/: what it shows, OpenGraph, share links, the organisation's next
activities, the call to action, the friendly 404 for anything not in the gallery, and its queries."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from campagne.factories import PublishedStoryFactory, StoryFactory
from campagne.models import EducationPath, LifeStage, Story
from contactpunt.models import Branch, Function
from contactpunt.testing import log_in
from werkgevers.factories import OfferFactory, PlaceOfferFactory
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db


def url(story) -> str:
    return f"/verhalen/{story.pk}/"


@pytest.fixture
def story(organisation_a):
    return PublishedStoryFactory(
        organisation=organisation_a,
        first_name="Sanne",
        quote="Elke nacht weet ik waarom ik dit doe.",
        text="Ik begon als zij-instromer.\n\nNu werk ik in de nachtdienst.",
        branch=Branch.objects.get(slug="vvt"),
        function=Function.objects.get(slug="vig"),
        education_path=EducationPath.MBO_BBL,
        life_stage=LifeStage.MID_CAREER,
        side_entrant=True,
        tags=["nachtdienst", "dementie"],
    )


def _meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, key
    return unescape(match.group(1))


def _links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a [^>]*href="([^"]+)"', html)]


def test_the_page_shows_the_story(client, story):
    response = client.get(url(story))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="story-heading">Sanne</h1>' in html
    assert "“Elke nacht weet ik waarom ik dit doe.”" in html
    assert "<p>Ik begon als zij-instromer.</p>" in html and "<p>Nu werk ik in de nachtdienst.</p>" in html
    assert "Verzorgende IG (VIG) bij Zorggroep Noord" in html
    for text in ("VVT / ouderenzorg", "Noord-Nederland", "mbo, leren en werken (BBL)", "zij-instromer"):
        assert text in html
    assert "Midden in het werkende leven" in html
    assert "#nachtdienst" in html and "#dementie" in html
    assert f'alt="{story.photo_alt}"' in html


def test_the_large_image_has_a_srcset_with_medium_and_large(client, organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a, photo_width=4000, photo_height=3000)

    html = client.get(url(story)).content.decode()

    img = re.search(r'<img class="img-fluid rounded w-100"[^>]*>', html).group(0)
    assert f'src="{story.large.url}"' in img
    assert f"{story.medium.url} 960w, {story.large.url} 1600w" in img
    assert 'width="1600" height="1200"' in img
    assert "sizes=" in img


@pytest.mark.parametrize("user", [None, "coordinator_a", "coordinator_b", "employer_b", "administrator"])
def test_everyone_sees_a_published_story(client, story, request, user):
    if user:
        log_in(client, request.getfixturevalue(user))

    assert client.get(url(story)).status_code == 200


@pytest.mark.parametrize(
    ("status", "photo_status"),
    [
        (Story.Status.DRAFT, Story.PhotoStatus.READY),
        (Story.Status.SUBMITTED, Story.PhotoStatus.READY),
        (Story.Status.SENT_BACK, Story.PhotoStatus.READY),
        (Story.Status.PUBLISHED, Story.PhotoStatus.PENDING),
        (Story.Status.PUBLISHED, Story.PhotoStatus.FAILED),
    ],
)
@pytest.mark.parametrize("user", [None, "employer_a", "coordinator_a"])
def test_a_story_not_in_the_gallery_gets_a_friendly_404(client, organisation_a, request, status, photo_status, user):
    hidden = StoryFactory(organisation=organisation_a, status=status, photo_status=photo_status, first_name="Geheim")
    if user:
        log_in(client, request.getfixturevalue(user))

    response = client.get(url(hidden))

    html = response.content.decode()
    assert response.status_code == 404
    assert "Dit verhaal is niet beschikbaar" in html
    assert "Geheim" not in html
    assert 'href="/verhalen/"' in html


def test_an_unknown_story_gets_the_same_404(client):
    response = client.get("/verhalen/999999/")

    assert response.status_code == 404
    assert "Dit verhaal is niet beschikbaar" in response.content.decode()


def test_opengraph_and_twitter_tags(client, story):
    html = client.get(url(story)).content.decode()

    head = html.split("</head>")[0]
    assert _meta(head, "og:type") == "article"
    assert _meta(head, "og:title") == "Sanne, Verzorgende IG (VIG) bij Zorggroep Noord"
    assert _meta(head, "og:description") == story.quote
    assert _meta(head, "og:url") == f"http://testserver/verhalen/{story.pk}/"
    assert _meta(head, "og:image") == f"http://testserver{story.large.url}"
    assert _meta(head, "og:image:alt") == story.photo_alt
    assert _meta(head, "twitter:card") == "summary_large_image"
    assert _meta(head, "twitter:image") == f"http://testserver{story.large.url}"
    assert _meta(head, "twitter:description") == story.quote
    assert f'<link rel="canonical" href="http://testserver/verhalen/{story.pk}/">' in head


def test_a_quote_with_quotes_and_markup_is_escaped_in_the_meta_tags(client, organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a, quote='Zorg is "echt" <b>mooi</b> & zinvol')

    html = client.get(url(story)).content.decode()

    escaped = "Zorg is &quot;echt&quot; &lt;b&gt;mooi&lt;/b&gt; &amp; zinvol"
    assert f'<meta property="og:description" content="{escaped}">' in html
    assert "<b>mooi</b>" not in html


def test_share_links_are_plain_links_with_ikzorg(client, story):
    html = client.get(url(story)).content.decode()

    story_url = f"http://testserver/verhalen/{story.pk}/"
    links = _links(html)
    networks = ("www.facebook.com", "www.linkedin.com", "twitter.com", "wa.me", "mailto")
    shares = {urlsplit(link).netloc or urlsplit(link).scheme: link for link in links}
    shares = {key: link for key, link in shares.items() if key in networks}
    assert set(shares) == set(networks)
    assert parse_qs(urlsplit(shares["www.facebook.com"]).query)["u"] == [story_url]
    assert parse_qs(urlsplit(shares["www.linkedin.com"]).query)["url"] == [story_url]
    twitter = parse_qs(urlsplit(shares["twitter.com"]).query)
    assert twitter["hashtags"] == ["ikzorg"] and twitter["url"] == [story_url]
    whatsapp = parse_qs(urlsplit(shares["wa.me"]).query)["text"][0]
    assert "#ikzorg" in whatsapp and story_url in whatsapp
    mail = parse_qs(urlsplit(shares["mailto"]).query)
    assert "#ikzorg" in mail["body"][0] and mail["subject"] == ["Het verhaal van Sanne, Verzorgende IG (VIG)"]
    assert "Deel dit verhaal met #ikzorg" in html


def test_no_third_party_scripts_images_or_styles(client, story):
    html = client.get(url(story)).content.decode()

    for tag in re.findall(r"<(?:script|img|link|iframe|source)\b[^>]*>", html):
        for address in re.findall(r'(?:src|href|srcset)="([^"]*)"', tag):
            third_party = address.startswith(("http://", "https://", "//")) and not address.startswith(
                "http://testserver/"
            )
            assert not third_party, tag
    assert "<iframe" not in html
    assert "facebook.net" not in html and "platform.twitter.com" not in html


def test_the_call_to_action_opens_the_prefilled_intake(client, story):
    html = client.get(url(story)).content.decode()

    assert "Ook aan de slag in de zorg?" in html
    link = re.search(r'<a class="btn btn-brand btn-lg" href="([^"]+)">Meld je aan</a>', html).group(1)
    link = unescape(link)
    parts = urlsplit(link)
    assert parts.path == "/aanmelden/"
    assert parse_qs(parts.query) == {"branche": ["vvt"], "functie": ["vig"], "bron": [f"verhaal-{story.pk}"]}

    intake = client.get(link).content.decode()
    vvt = Branch.objects.get(slug="vvt").pk
    assert re.search(rf'<input[^>]*name="branches" value="{vvt}"[^>]*checked', intake)
    assert f'value="verhaal-{story.pk}"' in intake


def test_the_organisations_next_public_activities_only(client, story, organisation_a, organisation_b):
    now = timezone.now()
    soon = OfferFactory(organisation=organisation_a, title="Meeloopdag nachtdienst", starts_at=now + timedelta(days=2))
    later = OfferFactory(
        organisation=organisation_a,
        title="Open huis De Linde",
        kind=OfferKind.OPEN_HUIS,
        starts_at=now + timedelta(days=20),
    )
    full = OfferFactory(
        organisation=organisation_a, title="Speeddate vol", status=Offer.Status.FULL, starts_at=now + timedelta(days=9)
    )
    hidden = [
        OfferFactory(organisation=organisation_b, title="Andere werkgever", starts_at=now + timedelta(days=1)),
        OfferFactory(organisation=organisation_a, title="Al geweest", starts_at=now - timedelta(days=1)),
        OfferFactory(
            organisation=organisation_a,
            title="Alleen coordinatoren",
            visibility=Offer.Visibility.COORDINATORS,
            starts_at=now + timedelta(days=3),
        ),
        OfferFactory(organisation=organisation_a, title="Nog concept", status=Offer.Status.DRAFT),
        OfferFactory(organisation=organisation_a, title="Gesloten", status=Offer.Status.CLOSED),
        PlaceOfferFactory(organisation=organisation_a, title="BBL-plek zonder datum"),
    ]

    html = client.get(url(story)).content.decode()

    assert "Maak kennis met Zorggroep Noord" in html
    shown = re.findall(r'<a href="/agenda/(\d+)/">([^<]+)</a>', html)
    assert shown == [(str(soon.pk), soon.title), (str(full.pk), full.title), (str(later.pk), later.title)]
    for offer in hidden:
        assert offer.title not in html


def test_at_most_three_activities_the_soonest_first(client, story, organisation_a):
    now = timezone.now()
    offers = [OfferFactory(organisation=organisation_a, starts_at=now + timedelta(days=days)) for days in (9, 3, 5, 1)]

    html = client.get(url(story)).content.decode()

    shown = [int(pk) for pk in re.findall(r'<a href="/agenda/(\d+)/">', html)]
    assert shown == [offers[3].pk, offers[1].pk, offers[2].pk]


def test_no_activities_points_to_the_agenda(client, story):
    html = client.get(url(story)).content.decode()

    assert "Zorggroep Noord heeft nu geen activiteiten in de agenda." in html
    assert 'href="/agenda/"' in html


# A story page:
#  1. SAVEPOINT (ATOMIC_REQUESTS)
#  2. the story with function, branch, organisation and region
#  3. its tags
#  4. the organisation's next three public activities with their location
#  5. RELEASE SAVEPOINT
STORY_QUERIES = 5


@pytest.mark.parametrize("activities", [0, 8])
def test_the_story_page_runs_a_fixed_number_of_queries(
    client, story, organisation_a, activities, django_assert_num_queries
):
    for day in range(activities):
        OfferFactory(organisation=organisation_a, starts_at=timezone.now() + timedelta(days=day + 1))

    with django_assert_num_queries(STORY_QUERIES):
        response = client.get(url(story))

    assert response.status_code == 200


def test_the_story_page_only_answers_get(client, story):
    assert client.post(url(story)).status_code == 405
