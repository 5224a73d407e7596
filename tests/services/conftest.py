"""A real Celery worker, run as a subprocess against Redis and the PostgreSQL test database.

The tests here are marked `services`; `make test-services` runs them. Without REDIS_URL or
without PostgreSQL (the embedded default of `make test`) they are skipped, with the reason.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from contactpunt.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
READY_TIMEOUT = 45.0


def _why_no_services() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set: the services tests need PostgreSQL and Redis (make test-services)"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL is not PostgreSQL: a Celery worker cannot share the in-memory SQLite test database"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _why_no_services()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("services"):
            item.add_marker(pytest.mark.skip(reason=reason))


_LOG_START = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing test that used the worker shows the worker's log of that test."""
    report = yield
    worker = getattr(item, "funcargs", {}).get("worker")
    if report.failed and isinstance(worker, Worker) and _LOG_START in item.stash:
        state = "running" if worker.process.poll() is None else f"exited with {worker.process.returncode}"
        report.sections.append((f"Celery worker log ({state})", worker.log(item.stash[_LOG_START])))
    return report


@dataclass
class Worker:
    process: subprocess.Popen
    name: str
    log_path: Path
    mail_dir: Path

    def log(self, since: int = 0) -> str:
        with self.log_path.open(encoding="utf-8", errors="replace") as log:
            log.seek(since)
            return log.read()

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def sent_mail_files(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.log"))


def _test_database_url() -> str:
    """The pytest-django test database (test_…) as a URL, for the worker's DATABASE_URL."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{db['NAME']}"


def reset_broker_connections() -> None:
    """Let the next publish look up its connection pool again, so a changed `broker_url` takes effect.

    (kombu keeps one pool per broker URL: the pool of the working broker is reused afterwards.)
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def declare_task_queue() -> None:
    """(Re)declare the task queue on the broker.

    Every test clears the cache, which shares REDIS_URL with the broker: that flush also removes
    kombu's routing table, and a publish would then fail. Declaring the queue puts it back.
    """
    with celery_app.connection_for_write() as broker:
        celery_app.amqp.queues[celery_app.conf.task_default_queue].bind(broker.default_channel).declare()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: finishes the task at hand
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory) -> Iterator[Worker]:
    """One `celery worker` for the whole session, reading the test database and Redis."""
    folder = tmp_path_factory.mktemp("celery-worker")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    log_path = folder / "worker.log"
    name = f"services-test-{os.getpid()}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.services.worker_settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "PYTHONUNBUFFERED": "1",
    }
    declare_task_queue()
    celery_app.control.purge()  # nothing left over from an earlier, interrupted run
    command = [
        str(CELERY),
        "-A",
        "contactpunt",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        "celery",
        "-n",
        name,
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
    ]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    worker = Worker(process=process, name=name, log_path=log_path, mail_dir=mail_dir)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not celery_app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                state = f"exited with {process.returncode}" if process.poll() is not None else "did not answer"
                pytest.fail(f"The Celery worker {state} within {READY_TIMEOUT:.0f} s. Its log:\n{worker.log()}")
        yield worker
    finally:
        _stop(process)


@pytest.fixture
def worker(
    celery_worker: Worker, transactional_db, django_db_serialized_rollback, request: pytest.FixtureRequest
) -> Iterator[Worker]:
    """The session's worker, with an empty mail folder; tasks leave this process through Redis."""
    for old in celery_worker.mail_dir.iterdir():
        old.unlink()
    request.node.stash[_LOG_START] = celery_worker.log_size()
    reset_broker_connections()
    declare_task_queue()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield celery_worker
    finally:
        celery_app.conf.task_always_eager = eager
        reset_broker_connections()


def wait_for(condition, *, timeout: float = 20.0, interval: float = 0.1) -> bool:
    """Poll until `condition()` is true; False when the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())
