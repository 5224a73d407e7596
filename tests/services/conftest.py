"""A real Celery worker, run as a subprocess against Redis and the PostgreSQL test database.

The tests here are marked `services`; `make test-services` runs them. Without REDIS_URL or
without PostgreSQL (the embedded default of `make test`) they are skipped, with the reason.
"""

from __future__ import annotations

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings

from contactpunt.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
READY_TIMEOUT = 45.0
REDIS_SERVER = shutil.which("redis-server")


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


# Logs of the processes a test used, attached to its report when it fails: (title, read the log).
_LOGS = pytest.StashKey[list[tuple[str, Callable[[], str]]]]()


def attach_log(request: pytest.FixtureRequest, title: str, read: Callable[[], str]) -> None:
    request.node.stash.setdefault(_LOGS, []).append((title, read))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing test that used a worker (or a private Redis) shows their logs of that test."""
    report = yield
    if report.failed:
        for title, read in item.stash.get(_LOGS, []):
            try:
                report.sections.append((title, read()))
            except OSError as error:
                report.sections.append((title, f"(log not readable: {error})"))
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

    @property
    def state(self) -> str:
        return "running" if self.process.poll() is None else f"exited with {self.process.returncode}"

    def kill(self) -> None:
        """SIGKILL (its pool processes too): no warm shutdown, nothing acknowledged or given back."""
        if self.process.poll() is not None:
            return
        children = self.pool_processes()
        os.kill(self.process.pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        self.process.wait(timeout=10)

    def pool_processes(self) -> list[int]:
        """The pids of the worker's child processes (the prefork pool), from /proc."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:  # the process ended meanwhile
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children


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


def launch_worker(
    *,
    folder: Path,
    mail_dir: Path,
    name: str,
    broker_url: str,
    env: dict[str, str] | None = None,
    pool: str = "solo",
) -> Worker:
    """Start `celery worker`, by default with the solo pool: the worker process runs the tasks itself.

    (With `pool="prefork"` one pool process runs them: `Worker.pool_processes()`.)
    """
    log_path = folder / f"{name.partition('@')[0]}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.services.worker_settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": broker_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        str(CELERY),
        "-A",
        "contactpunt",
        "worker",
        f"--pool={pool}",
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
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    return Worker(process=process, name=name, log_path=log_path, mail_dir=mail_dir)


def wait_until_ready(worker: Worker, timeout: float = READY_TIMEOUT) -> None:
    """Until the worker answers a ping through the broker the test process uses now."""
    deadline = time.monotonic() + timeout
    while not celery_app.control.ping(destination=[worker.name], timeout=0.5):
        if worker.process.poll() is not None or time.monotonic() > deadline:
            state = worker.state if worker.process.poll() is not None else "did not answer"
            pytest.fail(f"The Celery worker {state} within {timeout:.0f} s. Its log:\n{worker.log()}")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory) -> Iterator[Worker]:
    """One `celery worker` for the whole session, reading the test database and Redis."""
    folder = tmp_path_factory.mktemp("celery-worker")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    declare_task_queue()
    celery_app.control.purge()  # nothing left over from an earlier, interrupted run
    worker = launch_worker(
        folder=folder, mail_dir=mail_dir, name=f"services-test-{os.getpid()}@localhost", broker_url=settings.REDIS_URL
    )
    try:
        wait_until_ready(worker)
        yield worker
    finally:
        _stop(worker.process)


@pytest.fixture
def worker(
    celery_worker: Worker, transactional_db, django_db_serialized_rollback, request: pytest.FixtureRequest
) -> Iterator[Worker]:
    """The session's worker, with an empty mail folder; tasks leave this process through Redis."""
    for old in celery_worker.mail_dir.iterdir():
        old.unlink()
    since = celery_worker.log_size()
    attach_log(
        request,
        f"Celery worker log ({celery_worker.name})",
        lambda: f"[{celery_worker.state}]\n{celery_worker.log(since)}",
    )
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


@pytest.fixture
def start_worker(
    transactional_db, django_db_serialized_rollback, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Worker]]:
    """Start workers of this test only, on the broker the test process uses at that moment.

    `start_worker(env={...})` gives a ready worker; all of them write to one mail folder and are
    killed when the test ends (what they did has been checked), before the database is flushed.
    """
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    started: list[Worker] = []

    def start(*, env: dict[str, str] | None = None, pool: str = "solo") -> Worker:
        worker = launch_worker(
            folder=tmp_path,
            mail_dir=mail_dir,
            name=f"services-test-{os.getpid()}-{len(started) + 1}@localhost",
            broker_url=celery_app.conf.broker_url,
            env=env,
            pool=pool,
        )
        started.append(worker)
        attach_log(request, f"Celery worker log ({worker.name})", lambda: f"[{worker.state}]\n{worker.log()}")
        wait_until_ready(worker)
        return worker

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for worker in started:
            worker.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RedisServer:
    """A redis-server of one test only, without persistence: stopping it loses what it held."""

    port: int
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 10.0) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--daemonize", "no"]
        with self.log_path.open("a", encoding="utf-8") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server on port {self.port} did not start:\n{self.log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def pending(self) -> dict[str, int]:
        """Task messages the broker still holds: waiting in the queue, and delivered but not acknowledged."""
        client = redis.Redis(port=self.port)
        queues = client.scan_iter(match=f"{celery_app.conf.task_default_queue}*", _type="list")
        queued = sum(client.llen(key) for key in queues)
        return {"queued": queued, "unacknowledged": client.hlen("unacked")}


@pytest.fixture
def private_redis(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[RedisServer]:
    """A redis-server on a free port, so that a test can stop its broker without touching anything else;
    the test process's Celery app, cache and REDIS_URL point at it (as one REDIS_URL does in production)."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed: this test starts and stops a Redis of its own")
    server = None
    for _attempt in range(3):  # a port found free may be taken before redis-server binds it
        candidate = RedisServer(port=free_port(), log_path=tmp_path / "redis.log")
        try:
            candidate.start()
        except RuntimeError:
            continue
        server = candidate
        break
    if server is None:
        pytest.fail(f"No private redis-server could be started:\n{(tmp_path / 'redis.log').read_text()}")
    attach_log(request, f"redis-server log (port {server.port})", server.log)
    working_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = server.url
    reset_broker_connections()
    cache = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": server.url}}
    try:
        with override_settings(REDIS_URL=server.url, CACHES=cache):
            yield server
    finally:
        server.stop()
        celery_app.conf.broker_url = working_broker
        reset_broker_connections()


def sent_messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every message the file backend wrote, one by one (a file holds the messages of one connection)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages
