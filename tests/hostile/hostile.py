"""What the hostile-input tests share: hostile values, a post built from a valid one by breaking it,
and a snapshot of every table, to show that a refused post saved nothing.

A form post is taken apart the way an attacker or a broken client would: fields left out, fields
sent twice or more, values replaced by huge strings, control characters and NUL bytes, unicode edge
cases, numbers out of range, dates that do not exist, SQL and HTML fragments, template syntax,
files where text is expected, and fields the form does not have (ids, foreign keys, status).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.models import model_to_dict
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

PROJECT_APPS = ("contactpunt", "kandidaten", "werkgevers", "campagne")
# Written on purpose by any request, refused or not: the audit log (a login, a view), login attempts.
ALWAYS_WRITTEN = {"contactpunt.auditevent"}

SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 50,
    "\r\n\r\n",
    "\t\x0b\x0c\x1b[31m",
    "\x7f\x80\x9f",
    "\u202eevil\u202c",
    "\u200b\u200c\u200d\ufeff",
    "e\u0301\u0301\u0301",
    "\U0001d518\U0001d52b\U0001d526",
    "\U0001f469\u200d\u2695\ufe0f",
    "\uffff\ufffe",
    "İıß ﬃ Ω",
    "ＡＢＣ１２３",
    "'; DROP TABLE kandidaten_candidate; --",
    "' OR '1'='1",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ request.user.password }}",
    "{% debug %}",
    "${7*7}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "0",
    "1e309",
    "9" * 40,
    "-9223372036854775809",
    "18446744073709551616",
    "0x10",
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "31-12-99999",
    "25:61",
    "true",
    "on",
    "null",
    "None",
    "[]",
    "{}",
    "06 12345678",
    "9711 AB",
    "a@b",
    "a" * 255 + "@example.org",
]
_BIG = ["a", "é", "\x00", "<", "9", "\U0001f469\u200d\u2695\ufe0f", "ab\r\n"]

hostile_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.builds(lambda piece, times: piece * times, st.sampled_from(_BIG), st.integers(300, 60_000)),
)
hostile_file = st.builds(
    lambda name, content, kind: SimpleUploadedFile(name, content, content_type=kind),
    st.sampled_from(["x.txt", "foto.jpg", "../../evil.jpg", "a\x00b.png", "é" * 300 + ".jpg", ""]).filter(bool),
    st.one_of(st.binary(max_size=300), st.just(b"\xff\xd8\xff\xe0" + b"\x00" * 100)),
    st.sampled_from(["image/jpeg", "text/plain", "application/octet-stream"]),
)
hostile_value = st.one_of(
    hostile_text,
    st.lists(hostile_text, min_size=2, max_size=4),  # the field sent more than once
    hostile_file,
)
EXTRA_FIELDS = ["id", "pk", "organisation", "region", "status", "role", "is_staff", "candidate", "owner", "actor"]


@st.composite
def broken(draw, base: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The valid post `base()` with some fields left out, some replaced, some sent twice, some added."""
    data = base()
    names = sorted(data)
    for name in draw(st.sets(st.sampled_from(names), max_size=3)):
        del data[name]
    targets = st.sampled_from(names + EXTRA_FIELDS)
    data.update(draw(st.dictionaries(targets, hostile_value, min_size=1, max_size=4)))
    return data


def snapshot(*objects) -> dict[str, Any]:
    """The number of rows of every table of the project (but the ones every request may write), and
    the stored values of `objects` (the things an edit form would change)."""
    counts = {
        model._meta.label_lower: model._default_manager.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label_lower not in ALWAYS_WRITTEN and not model._meta.proxy
    }
    for obj in objects:
        fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
        counts[f"{obj._meta.label_lower}:{obj.pk}"] = model_to_dict(fresh) if fresh else None
    return counts


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        key: (before.get(key), after.get(key)) for key in set(before) | set(after) if before.get(key) != after.get(key)
    }


@contextmanager
def fresh_world():
    """One example: what it writes is rolled back, and rate limits start from zero."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


def post_and_check(client, url: str, data: dict, *, watch: Iterable = (), saved: Callable[[], bool] | None = None):
    """Post `data`; never a server error; a refused post changes nothing; an accepted one saved.

    Accepted means a redirect (every form here redirects after saving). `saved`, if given, says
    whether the accepted post's object is there, complete.
    """
    watch = list(watch)
    before = snapshot(*watch)
    response = client.post(url, data)
    if currently_in_test_context():
        event(f"status {response.status_code}")  # shown with --hypothesis-show-statistics
    assert response.status_code < 500, response.status_code
    after = snapshot(*watch)
    if response.status_code in (301, 302, 303):
        if saved is not None:
            assert saved(), "accepted but not saved"
    else:
        assert response.status_code in (200, 400, 403, 404, 405, 409, 410, 413, 429), response.status_code
        assert changed(before, after) == {}, f"refused ({response.status_code}) but saved"
    return response
