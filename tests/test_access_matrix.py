"""The access-control matrix: EVERY URL pattern of the project × every persona, against one table.

Personas (columns of MATRIX, in this order):

    anon    nobody logged in
    cand    a candidate whose only credential is a personal link (a token in a URL). Until the
            candidate's personal pages exist this client holds no session, so it answers like
            `anon` everywhere except where a row's target carries the candidate's own token
            (the cancellation link of their registration). When personal-link pages land, make
            `candidate_client` below open the candidate's link, and add rows for those URLs.
    emp_a   an employer user of organisation A (region X)
    emp_b   an employer user of organisation B (region Y)
    coor_x  the coordinator of region X (conftest `client_a`)
    coor_y  the coordinator of region Y (conftest `client_b`)
    admin   an administrator

The world (`world` below) holds one of each object, all of organisation A / region X: candidates,
a match, offers, a registration, introductions, a BBL class, a story, a poster, a campaign
material, invitations, an access request, a notification of coordinator X, a password-reset link.

Answers: a number is that status code (a 302 must NOT go to the login page); LOGIN is a 302 to the
login page. Every request runs in a savepoint that is rolled back (and the client's cookies are put
back), so every request meets the same world. A request that is refused (LOGIN, 403, 404, 405, 410)
must not write to the database (but for the session, the audit log and login-attempt records).
The candidates of region X must never be named on a page that anonymous people, employer B or
coordinator Y can read; employer A never sees the one candidate that has nothing to do with
organisation A.

Django admin (every /admin/ pattern) is covered by a rule instead of rows: on the changelist of
every registered model and the change page of one object of each (the add page where there is no
object, and the user's): administrators 200 (or a redirect to another admin page), everyone else a
redirect to a login page (the admin's, or the portal's for anonymous people).

HOW TO ADD A ROW (a new URL pattern without one fails `test_every_url_pattern_has_a_row`):

1. Add `row("<namespace:name>", GET or POST, "<target>", anon, cand, emp_a, emp_b, coor_x, coor_y,
   admin)` to MATRIX, in the block of its app. At least one row per pattern; for a view that takes
   POST, add a POST row too (for a POST-only view the GET row says 405). POSTs send POST_DATA[name]
   (default: an empty form), enough to show who gets past the permission check.
2. `target` names the objects the URL is built with: "-" for a URL without arguments, else a key
   of `world.targets` (a dict of reverse() kwargs), e.g. "candidate X", "offer A". If you need an
   object that is not there, create it in `world` and add a key.
3. Run `DATABASE_URL=sqlite:////tmp/<you>.sqlite3 REDIS_URL= .venv/bin/pytest -q -p no:cacheprovider
   tests/test_access_matrix.py`; the failure message lists every answer that differs.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from api.factories import PartnerFactory
from api.models import Handoff
from campagne.factories import CampaignMaterialFactory, PublishedStoryFactory, jpeg_bytes
from campagne.tests.story_helpers import poster_of
from cijfers.models import QuarterlyReport
from contactpunt.factories import NotificationFactory
from kandidaten.factories import CandidateFactory, MatchFactory
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    ContactPersonFactory,
    OfferFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import AccessRequest, Introduction, Invitation, OfferKind, new_token

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "cand", "emp_a", "emp_b", "coor_x", "coor_y", "admin")
GET, POST = "GET", "POST"
LOGIN = "login"  # 302 to the login page
REFUSED = {LOGIN, 401, 403, 404, 405, 410}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    target: str
    expected: tuple

    def answer(self, persona: str):
        return self.expected[PERSONAS.index(persona)]


def row(name: str, method: str, target: str, *expected) -> Row:
    assert len(expected) == len(PERSONAS), f"{name} {method} {target}: one answer per persona"
    return Row(name, method, target, expected)


L = LOGIN

# fmt: off
MATRIX = [
    #   URL name                                method target              anon cand emp_a emp_b coor_x coor_y admin
    # contactpunt: public pages, notifications, accounts, language.
    row("home",                                 GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("landing",                              GET,  "-",                 L,   L,   302, 302, 302, 302, 302),
    row("about",                                GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("privacy",                              GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("healthz",                              GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("healthz_live",                         GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("healthz_ready",                        GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("public_media",                         GET,  "logo",              200, 200, 200, 200, 200, 200, 200),
    row("public_media",                         GET,  "private upload",    404, 404, 404, 404, 404, 404, 404),
    row("audit_log",                            GET,  "-",                 L,   L,   403, 403, 403, 403, 200),
    row("audit_log",                            POST, "-",                 L,   L,   405, 405, 405, 405, 405),
    row("notifications",                        GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("notification_open",                    GET,  "notification X",    L,   L,   405, 405, 405, 405, 405),
    row("notification_open",                    POST, "notification X",    L,   L,   404, 404, 302, 404, 404),
    row("notifications_read_all",               GET,  "-",                 L,   L,   405, 405, 405, 405, 405),
    row("notifications_read_all",               POST, "-",                 L,   L,   302, 302, 302, 302, 302),
    row("notification_preferences",             GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("notification_preferences",             POST, "-",                 L,   L,   200, 200, 200, 200, 200),
    row("login",                                GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("login",                                POST, "-",                 200, 200, 200, 200, 200, 200, 200),
    row("logout",                               GET,  "-",                 L,   L,   405, 405, 405, 405, 405),
    row("logout",                               POST, "-",                 L,   L,   302, 302, 302, 302, 302),
    row("password_change",                      GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("password_change",                      POST, "-",                 L,   L,   200, 200, 200, 200, 200),
    row("password_change_done",                 GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("password_reset",                       GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("password_reset",                       POST, "-",                 200, 200, 200, 200, 200, 200, 200),
    row("password_reset_done",                  GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("password_reset_confirm",               GET,  "reset link",        302, 302, 302, 302, 302, 302, 302),
    row("password_reset_confirm",               GET,  "bad reset link",    200, 200, 200, 200, 200, 200, 200),
    row("password_reset_complete",              GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    # Two-step verification and the account (contactpunt.auth_views). Every logged-in persona here
    # is verified already (or, for employers, has no app), so the code page sends them on.
    row("two_factor_verify",                    GET,  "-",                 L,   L,   302, 302, 302, 302, 302),
    row("two_factor_verify",                    POST, "-",                 L,   L,   302, 302, 302, 302, 302),
    row("two_factor_setup",                     GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("two_factor_setup",                     POST, "-",                 L,   L,   200, 200, 200, 200, 200),
    row("two_factor_recovery_codes",            GET,  "-",                 L,   L,   302, 302, 302, 302, 302),
    row("two_factor_recovery_codes",            POST, "-",                 L,   L,   405, 405, 405, 405, 405),
    row("account_two_factor",                   GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("account_two_factor",                   POST, "-",                 L,   L,   405, 405, 405, 405, 405),
    row("two_factor_new_recovery_codes",        GET,  "-",                 L,   L,   405, 405, 405, 405, 405),
    row("two_factor_new_recovery_codes",        POST, "-",                 L,   L,   302, 302, 302, 302, 302),
    row("two_factor_switch_off",                GET,  "-",                 L,   L,   405, 405, 405, 405, 405),
    row("two_factor_switch_off",                POST, "-",                 L,   L,   302, 302, 302, 302, 302),
    row("account_email",                        GET,  "-",                 L,   L,   200, 200, 200, 200, 200),
    row("account_email",                        POST, "-",                 L,   L,   200, 200, 200, 200, 200),
    row("set_language",                         POST, "-",                 302, 302, 302, 302, 302, 302, 302),
    # kandidaten: the public intake; the coordinator dashboard (another region's candidate: 404).
    row("kandidaten:intake",                    GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:intake",                    POST, "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:intake_done",               GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:inbox",                     GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:inbox",                     POST, "-",                 L,   L,   403, 403, 302, 302, 302),
    row("kandidaten:phone_intake",              GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:phone_intake",              POST, "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:phone_intake_duplicates",   GET,  "-",                 L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:phone_intake_duplicates",   POST, "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:duplicates",                GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:national_queue",            GET,  "-",                 L,   L,   403, 403, 403, 403, 200),
    row("kandidaten:candidate",                 GET,  "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("kandidaten:candidate_edit",            GET,  "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("kandidaten:candidate_edit",            POST, "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("kandidaten:candidate_assign",          GET,  "candidate X",       L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:candidate_assign",          POST, "candidate X",       L,   L,   403, 403, 302, 404, 302),
    row("kandidaten:candidate_status",          GET,  "candidate X",       L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:candidate_status",          POST, "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("kandidaten:contact_moment_create",     GET,  "candidate X",       L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:contact_moment_create",     POST, "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("kandidaten:candidate_merge",           GET,  "two candidates X",  L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:candidate_merge",           POST, "two candidates X",  L,   L,   403, 403, 302, 404, 302),
    row("kandidaten:candidate_hand_over",       GET,  "candidate X",       L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:candidate_hand_over",       POST, "candidate X",       L,   L,   403, 403, 403, 404, 302),
    row("kandidaten:new_matches",               GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:match_accept",              GET,  "match X",           L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:match_accept",              POST, "match X",           L,   L,   403, 403, 302, 404, 302),
    row("kandidaten:match_reject",              GET,  "match X",           L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:match_reject",              POST, "match X",           L,   L,   403, 403, 200, 404, 200),
    # kandidaten: the candidate's own pages through the personal link (kandidaten.privacy); only `cand`
    # has opened one. Coordinators' erasure requests.
    row("kandidaten:privacy_request",           GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:privacy_request",           POST, "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:privacy_sent",              GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:privacy_link",              GET,  "unknown token",     302, 302, 302, 302, 302, 302, 302),
    row("kandidaten:privacy_open",              GET,  "-",                 410, 410, 410, 410, 410, 410, 410),
    row("kandidaten:privacy_open",              POST, "-",                 410, 410, 410, 410, 410, 410, 410),
    row("kandidaten:privacy_overview",          GET,  "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_correct",           GET,  "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_correct",           POST, "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_consents",          GET,  "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_consents",          POST, "-",                 403, 302, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_download",          GET,  "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_erase",             GET,  "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_erase",             POST, "-",                 403, 200, 403, 403, 403, 403, 403),
    row("kandidaten:privacy_erased",            GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("kandidaten:privacy_sign_out",          GET,  "-",                 405, 405, 405, 405, 405, 405, 405),
    row("kandidaten:privacy_sign_out",          POST, "-",                 302, 302, 302, 302, 302, 302, 302),
    row("kandidaten:erasure_requests",          GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("kandidaten:erasure_requests",          POST, "-",                 L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:erasure_request_record",    GET,  "candidate X",       L,   L,   405, 405, 405, 405, 405),
    row("kandidaten:erasure_request_record",    POST, "candidate X",       L,   L,   403, 403, 302, 404, 302),
    row("kandidaten:erasure_carry_out",         GET,  "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("kandidaten:erasure_carry_out",         POST, "candidate X",       L,   L,   403, 403, 200, 404, 200),
    # werkgevers: the public agenda and links; the employer portal; the coordinators' side.
    row("werkgevers:agenda",                    GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:activity",                  GET,  "activity A",        200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:activity_signup",           GET,  "activity A",        302, 302, 302, 302, 302, 302, 302),
    row("werkgevers:activity_signup",           POST, "activity A",        200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:activity_signup_done",      GET,  "-",                 302, 302, 302, 302, 302, 302, 302),
    row("werkgevers:registration_cancel",       GET,  "cancel link",       200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:registration_cancel",       GET,  "unknown token",     404, 404, 404, 404, 404, 404, 404),
    row("werkgevers:activity_ics",              GET,  "activity A",        200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:organisation_feed",         GET,  "organisation A",    200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:access_request",            GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:access_request",            POST, "-",                 200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:access_request_done",       GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("werkgevers:invitation_accept",         GET,  "invitation",        302, 302, 302, 302, 302, 302, 302),
    row("werkgevers:invitation_accept",         GET,  "unknown token",     404, 404, 404, 404, 404, 404, 404),
    row("werkgevers:employer_home",             GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:organisation_edit",         GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:organisation_edit",         POST, "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:location_create",           GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:location_edit",             GET,  "location A",        L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:location_edit",             POST, "location A",        L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:contact_person_create",     GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:contact_person_edit",       GET,  "contact person A",  L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:contact_person_edit",       POST, "contact person A",  L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:employer_offers",           GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:offer_create",              GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:offer_detail",              GET,  "offer A",           L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:offer_edit",                GET,  "offer A",           L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:offer_edit",                POST, "offer A",           L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:offer_status",              GET,  "offer A",           L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:offer_status",              POST, "offer A",           L,   L,   302, 404, 403, 403, 403),
    row("werkgevers:offer_copy",                GET,  "offer A",           L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:offer_copy",                POST, "offer A",           L,   L,   302, 404, 403, 403, 403),
    row("werkgevers:offer_registrations",       GET,  "activity A",        L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:registration_attendance",   GET,  "registration A",    L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:registration_attendance",   POST, "registration A",    L,   L,   302, 404, 403, 403, 403),
    row("werkgevers:employer_introductions",    GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:introduction_detail",       GET,  "introduction A",    L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:introduction_answer",       GET,  "introduction A",    L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:introduction_answer",       POST, "introduction A",    L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:introduction_outcome",      GET,  "introduction A",    L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:introduction_outcome",      POST, "introduction A",    L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:employer_cohorts",          GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("werkgevers:employer_cohort",           GET,  "class X",           L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:cohort_pledge",             GET,  "class X",           L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:cohort_pledge",             POST, "class X",           L,   L,   200, 404, 403, 403, 403),
    row("werkgevers:organisations",             GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:organisations",             POST, "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:organisation_detail",       GET,  "organisation A",    L,   L,   403, 403, 200, 404, 200),
    row("werkgevers:invitation_create",         GET,  "organisation A",    L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:invitation_create",         POST, "organisation A",    L,   L,   403, 403, 200, 404, 200),
    row("werkgevers:access_requests",           GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:access_request_decide",     GET,  "access request X",  L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:access_request_decide",     POST, "access request X",  L,   L,   403, 403, 200, 404, 200),
    row("werkgevers:coordinator_offers",        GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:coordinator_offer",         GET,  "offer A",           L,   L,   403, 403, 200, 404, 200),
    row("werkgevers:introduction_create",       GET,  "candidate X",       L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:introduction_create",       POST, "candidate X",       L,   L,   403, 403, 200, 404, 200),
    row("werkgevers:coordinator_introductions", GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:introduction_withdraw",     GET,  "introduction A",    L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:introduction_withdraw",     POST, "introduction A",    L,   L,   403, 403, 302, 404, 302),
    row("werkgevers:cohorts",                   GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:cohort_create",             GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("werkgevers:cohort_detail",             GET,  "class X",           L,   L,   403, 403, 200, 404, 200),
    row("werkgevers:cohort_place",              GET,  "class X",           L,   L,   405, 405, 405, 405, 405),
    row("werkgevers:cohort_place",              POST, "class X",           L,   L,   403, 403, 200, 404, 200),
    # campagne: the public gallery; stories, posters and materials of organisation A / region X.
    row("campagne:gallery",                     GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("campagne:story",                       GET,  "story A",           200, 200, 200, 200, 200, 200, 200),
    row("campagne:story_photo",                 GET,  "story A tile",      L,   L,   200, 404, 200, 404, 200),
    row("campagne:employer_stories",            GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("campagne:employer_story_create",       GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("campagne:employer_story",              GET,  "story A",           L,   L,   200, 404, 403, 403, 403),
    row("campagne:employer_story_edit",         GET,  "story A",           L,   L,   302, 404, 403, 403, 403),
    row("campagne:employer_story_submit",       GET,  "story A",           L,   L,   405, 405, 405, 405, 405),
    row("campagne:employer_story_submit",       POST, "story A",           L,   L,   302, 404, 403, 403, 403),
    row("campagne:employer_story_withdraw",     GET,  "story A",           L,   L,   200, 404, 403, 403, 403),
    row("campagne:moderation",                  GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("campagne:coordinator_story_create",    GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("campagne:coordinator_story",           GET,  "story A",           L,   L,   403, 403, 200, 404, 200),
    row("campagne:coordinator_story_edit",      GET,  "story A",           L,   L,   403, 403, 200, 404, 200),
    row("campagne:story_publish",               GET,  "story A",           L,   L,   405, 405, 405, 405, 405),
    row("campagne:story_publish",               POST, "story A",           L,   L,   403, 403, 302, 404, 302),
    row("campagne:story_send_back",             GET,  "story A",           L,   L,   405, 405, 405, 405, 405),
    row("campagne:story_send_back",             POST, "story A",           L,   L,   403, 403, 200, 404, 200),
    row("campagne:story_unpublish",             GET,  "story A",           L,   L,   405, 405, 405, 405, 405),
    row("campagne:story_unpublish",             POST, "story A",           L,   L,   403, 403, 302, 404, 302),
    row("campagne:coordinator_story_withdraw",  GET,  "story A",           L,   L,   403, 403, 200, 404, 200),
    row("campagne:employer_posters",            GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("campagne:poster_create",               GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("campagne:coordinator_posters",         GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("campagne:coordinator_poster_create",   GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("campagne:poster_detail",               GET,  "poster A",          L,   L,   200, 404, 200, 404, 200),
    row("campagne:poster_progress",             GET,  "poster A",          L,   L,   200, 404, 200, 404, 200),
    row("campagne:poster_download",             GET,  "poster A pdf",      L,   L,   200, 404, 200, 404, 200),
    row("campagne:poster_delete",               GET,  "poster A",          L,   L,   405, 405, 405, 405, 405),
    row("campagne:poster_delete",               POST, "poster A",          L,   L,   302, 404, 302, 404, 302),
    row("campagne:coordinator_materials",       GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("campagne:coordinator_materials",       POST, "-",                 L,   L,   403, 403, 400, 400, 400),
    row("campagne:material_delete",             GET,  "material X",        L,   L,   403, 403, 200, 404, 200),
    row("campagne:material_delete",             POST, "material X",        L,   L,   403, 403, 302, 404, 302),
    row("campagne:employer_materials",          GET,  "-",                 L,   L,   200, 200, 403, 403, 403),
    row("campagne:material_download",           GET,  "material X",        L,   L,   200, 404, 200, 404, 200),
    # Figures (cijfers)
    row("cijfers:figures",                      GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("cijfers:figures",                      POST, "-",                 L,   L,   405, 405, 405, 405, 405),
    row("cijfers:reports",                      GET,  "-",                 L,   L,   403, 403, 200, 200, 200),
    row("cijfers:reports",                      POST, "-",                 L,   L,   403, 403, 200, 200, 200),
    row("cijfers:report_download",              GET,  "report X pdf",      L,   L,   403, 403, 200, 404, 200),
    row("cijfers:report_download",              POST, "report X pdf",      L,   L,   405, 405, 405, 405, 405),
    # Partner API: a key, never a portal login, opens it (api/tests walk the keys and scopes).
    row("api:documentation",                    GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("api:schema",                           GET,  "-",                 200, 200, 200, 200, 200, 200, 200),
    row("api:handoff_create",                   GET,  "-",                 401, 401, 401, 401, 401, 401, 401),
    row("api:handoff_create",                   POST, "-",                 401, 401, 401, 401, 401, 401, 401),
    row("api:handoff_status",                   GET,  "hand-off X",        401, 401, 401, 401, 401, 401, 401),
    row("api:activity_list",                    GET,  "-",                 401, 401, 401, 401, 401, 401, 401),
]
# fmt: on

# What a POST row sends (default: nothing, an empty form). Enough to pass the permission check and
# reach the view's own handling; the app's own walks test that a valid POST saves.
POST_DATA = {
    "set_language": lambda world: {"language": "en", "next": "/"},
}


# The world -------------------------------------------------------------------------------------


@pytest.fixture
def candidate_client():
    """The candidate persona: no account, only links with a token. The world opens the candidate's
    personal link with it (kandidaten.privacy), so it holds that candidate's short session."""
    return Client()


def open_personal_link(client: Client, candidate) -> None:
    """Through the real pages: the link from the e-mail, then the button that trades it for a session."""
    from kandidaten.models import PersonalLink
    from kandidaten.privacy import hash_token

    token = "matrix-" + "k" * 40
    PersonalLink.objects.create(
        candidate=candidate, token_hash=hash_token(token), expires_at=timezone.now() + timezone.timedelta(hours=1)
    )
    client.get(reverse("kandidaten:privacy_link", args=[token]))
    assert client.post(reverse("kandidaten:privacy_open")).status_code == 302


@pytest.fixture
def world(
    region_a,
    region_b,
    coordinator_a,
    administrator,
    organisation_a,
    organisation_b,
    employer_a,
    employer_b,
    client_a,
    client_b,
    administrator_client,
    employer_a_client,
    employer_b_client,
    candidate_client,
):
    now = timezone.now()
    location = organisation_a.locations.get()
    contact = ContactPersonFactory(organisation=organisation_a, name="Petra Veenstra", email="petra@noord.example")
    common = {"organisation": organisation_a, "location": location, "contact_person": contact}

    def candidate(first_name: str, last_name: str, **fields):
        return CandidateFactory(first_name=first_name, last_name=last_name, region=region_a, **fields)

    the_candidate = candidate("Anouk", "Vermeulen")  # the candidate persona
    open_personal_link(candidate_client, the_candidate)
    activity = OfferFactory(**common, kind=OfferKind.OPEN_HUIS, title="Open huis De Linde", registered_count=1)
    place = PlaceOfferFactory(**common, kind=OfferKind.BBL_PLEK, title="BBL-plek VIG")
    cancel_token, cancel_hash = new_token()
    registration = RegistrationFactory(offer=activity, candidate=the_candidate, cancel_token_hash=cancel_hash)
    introduced = candidate("Cor", "Smit")
    introduction = Introduction.objects.create(
        offer=place, candidate=introduced, introduced_by=coordinator_a, note="Past goed."
    )
    twin = candidate("Bram", "Kuipers")
    twin_too = candidate("Bram", "Kuipers", email=f"ander.{twin.email}")
    stranger = candidate("Hidde", "Visser")  # nothing to do with organisation A
    match = MatchFactory(candidate=stranger, offer=place)
    cohort = CohortFactory(name="BBL-klas De Linde 2027", region=region_a)
    CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4, pledged_by=employer_a)
    invitation_token, invitation_hash = new_token()
    Invitation.objects.create(
        organisation=organisation_a,
        email="nieuw@noord.example",
        token_hash=invitation_hash,
        invited_by=coordinator_a,
        expires_at=now + Invitation.VALID_FOR,
    )
    access_request = AccessRequest.objects.create(
        organisation_name="Thuiszorg Stad",
        kvk_number="33333333",
        contact_name="Fenna Dijkstra",
        email="fenna@thuiszorg.example",
        phone="+31612345678",
        postcode="9712 CD",
        region=region_a,
    )
    notification = NotificationFactory(user=coordinator_a, url="/dashboard/")
    story = PublishedStoryFactory(organisation=organisation_a, submitted_by=employer_a, first_name="Mirjam")
    poster = poster_of(story, with_files=True)
    material = CampaignMaterialFactory(region=region_a)
    report = QuarterlyReport.objects.create(
        region=region_a, year=2026, quarter=2, status=QuarterlyReport.Status.READY, pdf=b"%PDF-1.4", workbook=b"PK"
    )
    handoff = Handoff.objects.create(partner=PartnerFactory(), candidate=the_candidate, request_hash="0" * 64)
    logo = default_storage.save("logos/zorggroep-noord.jpg", ContentFile(jpeg_bytes()))
    private = default_storage.save("campagne/posters/niet-openbaar.jpg", ContentFile(jpeg_bytes()))

    targets = {
        "-": {},
        "logo": {"path": logo},
        "private upload": {"path": private},
        "notification X": {"pk": notification.pk},
        "reset link": {
            "uidb64": urlsafe_base64_encode(force_bytes(employer_a.pk)),
            "token": default_token_generator.make_token(employer_a),
        },
        "bad reset link": {"uidb64": urlsafe_base64_encode(force_bytes(employer_a.pk)), "token": "abc-123"},
        "candidate X": {"pk": the_candidate.pk},
        "two candidates X": {"pk": twin.pk, "other_pk": twin_too.pk},
        "match X": {"pk": match.pk},
        "activity A": {"pk": activity.pk},
        "cancel link": {"token": cancel_token},
        "unknown token": {"token": "dit-is-geen-geldige-link"},
        "organisation A": {"pk": organisation_a.pk},
        "invitation": {"token": invitation_token},
        "location A": {"pk": location.pk},
        "contact person A": {"pk": contact.pk},
        "offer A": {"pk": place.pk},
        "registration A": {"pk": registration.pk},
        "introduction A": {"pk": introduction.pk},
        "class X": {"pk": cohort.pk},
        "access request X": {"pk": access_request.pk},
        "story A": {"pk": story.pk},
        "story A tile": {"pk": story.pk, "variant": "tile"},
        "poster A": {"pk": poster.pk},
        "poster A pdf": {"pk": poster.pk, "output": "pdf"},
        "material X": {"pk": material.pk},
        "report X pdf": {"pk": report.pk, "kind": "pdf"},
        "hand-off X": {"public_id": str(handoff.public_id)},
    }
    # Some URLs name their argument differently.
    renamed = {
        ("werkgevers:organisation_feed", "organisation A"): {"organisation_pk": organisation_a.pk},
        ("werkgevers:introduction_create", "candidate X"): {"candidate_pk": the_candidate.pk},
    }
    people = [the_candidate, introduced, twin, twin_too, stranger]

    def personal(person) -> list[str]:
        return [person.full_name, person.email, person.phone]

    media = Path(settings.MEDIA_ROOT)
    files = {path: path.read_bytes() for path in media.rglob("*") if path.is_file()}
    return SimpleNamespace(
        files=files,
        clients={
            "anon": Client(),
            "cand": candidate_client,
            "emp_a": employer_a_client,
            "emp_b": employer_b_client,
            "coor_x": client_a,
            "coor_y": client_b,
            "admin": administrator_client,
        },
        targets=targets,
        renamed=renamed,
        # What each persona must never read: personal data of region X's candidates.
        never_shown={
            "anon": [text for person in people for text in personal(person) if text],
            "cand": [text for person in people if person != the_candidate for text in personal(person) if text],
            "emp_a": [text for text in personal(stranger) if text],
            "emp_b": [text for person in people for text in personal(person) if text],
            "coor_y": [text for person in people for text in personal(person) if text],
        },
        administrator=administrator,
    )


# The walk --------------------------------------------------------------------------------------

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def url_of(world, line: Row) -> str:
    kwargs = world.renamed.get((line.name, line.target), world.targets[line.target])
    return reverse(line.name, kwargs=kwargs)


# Tables a refused request may write: the session, the audit log (refusals may be recorded),
# django-axes' records of login attempts and the record of API calls.
MAY_WRITE_WHEN_REFUSED = ("django_session", "auditevent", "axes_", "api_apicall")


def writes(queries) -> list[str]:
    """The statements that changed a table other than those a refusal may write."""
    return [
        q["sql"][:120]
        for q in queries
        if WRITE.match(q["sql"]) and not any(table in q["sql"] for table in MAY_WRITE_WHEN_REFUSED)
    ]


def request(world, client: Client, method: str, url: str, data: dict):
    """One request in a savepoint that is rolled back, with the client's cookies and the world's files
    put back after it."""
    cookies = copy.deepcopy(client.cookies)
    cache.clear()  # rate limits count per test, not per walk
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, data) if method == POST else client.get(url)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        for path, content in world.files.items():
            if not path.exists():  # a delete removed it; the rolled-back row still names it
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    return response, queries.captured_queries


def what_is_wrong(response, expected, login_url: str) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and location.startswith(login_url)
    if expected == LOGIN:
        if not to_login:
            return f"expected the login page, got {status} {location}".rstrip()
    elif status != expected or to_login:
        return f"expected {expected}, got {status} {location}".rstrip()
    return None


def body_of(response) -> str:
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith(("text/", "application/json")):
        return ""
    return response.content.decode(errors="replace")


def test_every_url_answers_every_persona_as_the_matrix_says(world):
    login_url = reverse("login")
    problems = []
    for line in MATRIX:
        url = url_of(world, line)
        data = POST_DATA.get(line.name, lambda world: {})(world) if line.method == POST else None
        for persona, client in world.clients.items():
            expected = line.answer(persona)
            where = f"{persona}: {line.method} {url} ({line.name}, {line.target})"
            try:
                response, queries = request(world, client, line.method, url, data)
            except Exception as error:
                problems.append(f"{where}: raised {type(error).__name__}: {error}")
                continue
            wrong = what_is_wrong(response, expected, login_url)
            if wrong is None and expected in REFUSED and writes(queries):
                wrong = f"refused ({response.status_code}), but wrote: {writes(queries)}"
            if wrong is None and response.status_code == 200:
                body = body_of(response)
                leaked = [t for t in world.never_shown.get(persona, []) if t in body or escape(t) in body]
                if leaked:
                    wrong = f"shows personal data it must not: {leaked}"
            if wrong:
                problems.append(f"{where}: {wrong}")
    assert not problems, f"{len(problems)} answer(s) differ from MATRIX:\n" + "\n".join(problems)


# Every pattern has a row ---------------------------------------------------------------------------


def project_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, qualified name) of every URL pattern the project defines, admin included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from project_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None


def is_admin(route: str) -> bool:
    return route.startswith("admin/")


def test_every_url_pattern_has_a_row():
    """A URL pattern without a row fails here; so does a row for a URL name that no longer exists."""
    patterns = [(route, name) for route, name in project_patterns() if not is_admin(route)]
    unnamed = [route for route, name in patterns if name is None]
    assert not unnamed, f"URL patterns without a name (give them one, then a row): {unnamed}"
    in_matrix = {line.name for line in MATRIX}
    missing = sorted({name for _route, name in patterns} - in_matrix)
    assert not missing, "\n".join(f"add a row for {name} to tests/test_access_matrix.py" for name in missing)
    gone = sorted(in_matrix - {name for _route, name in patterns})
    assert not gone, f"rows for URL names that no longer exist: {gone}"


def test_every_row_is_there_once():
    keys = [(line.name, line.method, line.target) for line in MATRIX]
    doubles = sorted({key for key in keys if keys.count(key) > 1})
    assert not doubles, f"rows that appear twice in MATRIX: {doubles}"


def test_every_admin_pattern_belongs_to_the_admin_site():
    """The admin rule covers /admin/ only because everything there is the admin site's own."""
    admin_names = {name for route, name in project_patterns() if is_admin(route)}
    assert admin_names, "the admin is mounted"
    assert all(name is None or name.startswith("admin:") for name in admin_names), sorted(
        name for name in admin_names if name and not name.startswith("admin:")
    )


def admin_urls(world) -> list[str]:
    """The admin index, and for every registered model its changelist and one object's page; the add
    page of the user model (its own form) and of every model without an object in the world."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        wants_add = obj is None or model is get_user_model()
        if wants_add and model_admin.has_add_permission(SimpleNamespace(user=world.administrator)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    return urls


def test_the_admin_answers_administrators_only(world):
    logins = (reverse("admin:login"), reverse("login"))
    problems = []
    for url in admin_urls(world):
        for persona, client in world.clients.items():
            try:
                response, queries = request(world, client, GET, url, None)
            except Exception as error:
                problems.append(f"{persona}: GET {url}: raised {type(error).__name__}: {error}")
                continue
            status, location = response.status_code, response.get("Location", "")
            if persona == "admin":
                # 200, or a redirect to another admin page (a singleton's list opens its one object).
                inside = status == 302 and location.startswith("/admin/") and not location.startswith(logins)
                if status != 200 and not inside:
                    problems.append(f"{persona}: GET {url}: expected 200, got {status} {location}".rstrip())
            elif not (status == 302 and location.startswith(logins)):
                problems.append(f"{persona}: GET {url}: expected a login page, got {status} {location}".rstrip())
            elif writes(queries):
                problems.append(f"{persona}: GET {url}: refused, but wrote: {writes(queries)}")
    assert not problems, f"{len(problems)} admin answer(s) differ from the rule:\n" + "\n".join(problems)
