"""The security headers are on every kind of response (OWASP ASVS 4.0.3 V14.4, V3.4).

A public page, a form, the candidate intake, a dashboard page, an employer page, JSON, an htmx
partial, files (calendar, PDF download, a logo from /media/), a static file served by whitenoise,
a redirect, a 404 and a 500. Cookies are HttpOnly and SameSite; HSTS is sent over HTTPS when set.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from campagne.factories import CampaignMaterialFactory, PublishedStoryFactory, jpeg_bytes
from campagne.tests.story_helpers import poster_of
from werkgevers.factories import OfferFactory
from werkgevers.models import OfferKind

pytestmark = pytest.mark.django_db

POWERFUL_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "serial")


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def header_problems(response) -> list[str]:
    """What is missing or too weak among the security headers of one response."""
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        directives = csp_directives(csp)
        if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
            problems.append(f"CSP allows inline or eval: {csp}")
        if directives.get("default-src") == ["'none'"]:
            pass  # a file's own, stricter policy (campaign downloads): nothing may load at all
        else:
            expected = {
                "default-src": ["'self'"],
                "object-src": ["'none'"],
                "base-uri": ["'self'"],
                "form-action": ["'self'"],
                "frame-ancestors": ["'none'"],
                "script-src": ["'self'"],
                "style-src": ["'self'"],
            }
            for name, values in expected.items():
                if directives.get(name) != values:
                    problems.append(f"CSP {name} is {directives.get(name)}, not {values}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {response.get('X-Frame-Options')}")
    if response.get("Referrer-Policy") not in ("same-origin", "strict-origin-when-cross-origin"):
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')}")
    if response.get("Cross-Origin-Opener-Policy") != "same-origin":
        problems.append(f"Cross-Origin-Opener-Policy is {response.get('Cross-Origin-Opener-Policy')}")
    policy = response.get("Permissions-Policy", "")
    for feature in POWERFUL_FEATURES:
        if f"{feature}=()" not in policy:
            problems.append(f"Permissions-Policy does not switch off {feature}: {policy!r}")
    return problems


@pytest.fixture
def world(organisation_a, employer_a, region_a):
    activity = OfferFactory(organisation=organisation_a, kind=OfferKind.OPEN_HUIS, title="Open huis")
    story = PublishedStoryFactory(organisation=organisation_a, submitted_by=employer_a)
    poster = poster_of(story, with_files=True)
    material = CampaignMaterialFactory(region=region_a)
    logo = default_storage.save("logos/zorggroep.jpg", ContentFile(jpeg_bytes()))
    return {"activity": activity, "poster": poster, "material": material, "logo": logo}


def page_types(world):
    """(what, persona, method, url, extra request arguments, status)."""
    poster, activity = world["poster"], world["activity"]
    return [
        ("public page", "anonymous", "get", reverse("home"), {}, 200),
        ("form page", "anonymous", "get", reverse("werkgevers:access_request"), {}, 200),
        ("login form", "anonymous", "get", reverse("login"), {}, 200),
        ("candidate intake", "anonymous", "get", reverse("kandidaten:intake"), {}, 200),
        ("intake with errors", "anonymous", "post", reverse("kandidaten:intake"), {}, 200),
        ("dashboard page", "coordinator", "get", reverse("kandidaten:inbox"), {}, 200),
        ("employer page", "employer", "get", reverse("werkgevers:employer_home"), {}, 200),
        ("JSON", "anonymous", "get", reverse("healthz"), {}, 200),
        (
            "htmx partial",
            "employer",
            "get",
            reverse("campagne:poster_progress", args=[poster.pk]),
            {"HTTP_HX_REQUEST": "true"},
            200,
        ),
        ("calendar file", "anonymous", "get", reverse("werkgevers:activity_ics", args=[activity.pk]), {}, 200),
        (
            "PDF download",
            "employer",
            "get",
            reverse("campagne:poster_download", args=[poster.pk, "pdf"]),
            {},
            200,
        ),
        (
            "material download",
            "employer",
            "get",
            reverse("campagne:material_download", args=[world["material"].pk]),
            {},
            200,
        ),
        ("public upload", "anonymous", "get", reverse("public_media", args=[world["logo"]]), {}, 200),
        ("static file (whitenoise)", "anonymous", "get", "/static/css/portal.css", {}, 200),
        ("redirect to login", "anonymous", "get", reverse("kandidaten:inbox"), {}, 302),
        ("redirect after login", "coordinator", "get", reverse("landing"), {}, 302),
        ("403", "employer", "get", reverse("kandidaten:inbox"), {}, 403),
        ("404", "anonymous", "get", "/bestaat-niet/", {}, 404),
        ("405", "anonymous", "put", reverse("healthz"), {}, 405),
    ]


def test_every_kind_of_response_carries_the_security_headers(world, client_a, employer_a_client):
    clients = {"anonymous": Client(), "coordinator": client_a, "employer": employer_a_client}
    problems = []
    for what, persona, method, url, extra, status in page_types(world):
        response = getattr(clients[persona], method)(url, **extra)
        if response.status_code != status:
            problems.append(f"{what} ({url}): status {response.status_code}, expected {status}")
        problems += [f"{what} ({url}): {problem}" for problem in header_problems(response)]
    assert not problems, "\n".join(problems)


def test_a_file_download_keeps_its_own_sandbox_policy(world, employer_a_client):
    """The middleware does not loosen the stricter policy a download sets itself."""
    response = employer_a_client.get(reverse("campagne:material_download", args=[world["material"].pk]))

    assert response.status_code == 200
    assert csp_directives(response["Content-Security-Policy"]) == {"default-src": ["'none'"], "sandbox": []}
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.urls("contactpunt.tests.error_urls")
def test_a_server_error_carries_the_security_headers(db):
    response = Client(raise_request_exception=False).get("/test-fouten/crash/")

    assert response.status_code == 500
    assert header_problems(response) == []


def test_the_static_files_are_served_by_whitenoise_not_a_view():
    response = Client().get("/static/css/portal.css")

    assert response.status_code == 200
    assert response.get("Content-Type", "").startswith("text/css")
    assert type(response).__module__.startswith("whitenoise")


def test_hsts_over_https_when_it_is_set(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    secure = Client().get(reverse("home"), secure=True)
    plain = Client().get(reverse("home"))

    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in plain  # browsers ignore it over HTTP; Django does not send it


def test_cookies_are_http_only_and_same_site(employer_a):
    client = Client()
    client.get(reverse("login"))  # the CSRF cookie
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # the language cookie
    client.post(reverse("login"), {"username": employer_a.email, "password": "een-lang-wachtwoord-42"})

    names = {"sessionid", "csrftoken", "django_language"}
    assert names <= set(client.cookies), sorted(client.cookies)
    for name in names:
        cookie = client.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_no_inline_scripts_or_styles_in_the_page_templates():
    """A strict CSP (no 'unsafe-inline') holds only when no page template has inline code.

    E-mail templates are not pages (mail clients need inline styles) and are left out."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    root = Path(settings.BASE_DIR) / "templates"
    found = []
    for path in root.rglob("*.html"):
        relative = path.relative_to(root).as_posix()
        if "email" in relative.split("/")[0] or "/email/" in relative or relative.startswith("emails/"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if inline.search(line):
                found.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert not found, "inline script or style in a page template:\n" + "\n".join(found)
