"""Faults under load: the public intake on gunicorn while PostgreSQL restarts or Redis is down.

A shorter version of `make bench BENCH=load` (bench/load.py, which also measures throughput). The
module starts a stack of its own, on free ports, and removes it afterwards: a PostgreSQL cluster in
a temporary folder (so that restarting it touches no other database, and not the test database),
a redis-server, gunicorn with 2 workers on the production settings (bench.load_settings) and a
Celery worker writing mail to a folder. The load generator is this process: threads, each a visitor
who GETs /aanmelden/ and POSTs a valid intake with an e-mail address and phone number of their own.
What the visitors were told is then compared with the database; once the worker has registered every
sign-up (the request stores it as it came in) and followed it up (its confirmation, the coordinator's
notice), every accepted sign-up must be a candidate and every mail must have gone out exactly once.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from bench import load

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def stack() -> Iterator[load.Stack]:
    if shutil.which("redis-server") is None or not list(load.Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("needs PostgreSQL's initdb and redis-server: the stack of this module is its own")
    with load.stack() as started:
        yield started


@pytest.fixture
def visitors(stack: load.Stack, request: pytest.FixtureRequest) -> load.Visitors:
    from .conftest import attach_log

    attach_log(request, "Logs of the load stack", stack.logs)
    return load.Visitors(stack.portal.port, stack.form)


def test_a_postgresql_restart_in_a_burst_gives_the_503_page_and_loses_no_sign_up(stack, visitors):
    # 15 sign-ups a second for 7 s, the worker following them up; after 2 s PostgreSQL stops (open
    # connections are ended) and starts again 1.5 s later.
    row, mail = load.scenario_postgres_restart(
        stack, visitors, seconds=7, rate=15, clients=8, restart_at=2, pause=1.5, rewind=True
    )
    run = row.run

    refused = [visit for visit in run.visits if visit.outcome != load.ACCEPTED]
    assert refused, "no visit met the restart"
    assert {visit.outcome for visit in refused} == {"503"}, run.outcomes()
    for visit in refused:
        assert visit.retry_after is not None
        assert b'lang="nl"' in visit.body
        assert "tijdelijk niet" in visit.body.decode()  # "Het portaal is tijdelijk niet beschikbaar"
    # The portal recovers by itself once the database is back.
    assert any(visit.outcome == load.ACCEPTED and visit.at > 5 for visit in run.visits)

    # Every visitor who got the thank-you page is stored, with every part of the sign-up; the worker,
    # whose tasks met the restart too, followed every one up once.
    assert row.lost == 0
    assert row.stored.pending == 0  # every one registered as a candidate
    assert row.stored.incomplete == 0
    assert row.stored.follow_ups_pending == 0
    candidates = len(row.stored.emails)
    assert row.stored.notifications == candidates  # the coordinator's notification
    assert row.stored.mails == 2 * candidates  # the confirmation and the mail to the coordinator
    assert mail.queued == 2 * candidates
    assert mail.unsent == 0
    assert mail.missing == 0
    assert mail.duplicates == 0


def test_while_redis_is_down_sign_ups_go_on_and_every_mail_goes_out_once_when_it_is_back(stack, visitors):
    # The worker and the portal warm first; then 5 sign-ups a second (the machine is shared with
    # the rest of the suite), and Redis (broker and cache) stops after 2 s and comes back 6 s later;
    # then the sweeps (of the sign-ups not registered, not followed up, then of the outbox) every 2 s.
    stack.start_worker()
    visitors.run(seconds=1.5, clients=2)
    _before, during, whole, mail = load.scenario_redis_outage(
        stack, visitors, before=2, outage=6, after=2, rate=5, clients=8, rewind=True, sweep_every=2
    )

    assert during.visits
    assert {visit.outcome for visit in whole.visits} == {load.ACCEPTED}, whole.run.outcomes()
    assert whole.lost == 0
    assert whole.stored.pending == 0
    assert whole.stored.incomplete == 0
    assert whole.stored.follow_ups_pending == 0

    candidates = len(whole.stored.emails)
    assert whole.stored.notifications == candidates  # the coordinator's notification, once each
    assert mail.queued == 2 * candidates  # the confirmation and the coordinator's notice
    assert mail.unsent == 0
    assert mail.missing == 0
    assert mail.duplicates == 0
    assert mail.sent == mail.queued
    # Last, so that a slow machine does not hide whether anything was lost or sent twice.
    assert during.latency(0.95) < 1000, f"p95 {during.latency(0.95):.0f} ms while Redis was down"
