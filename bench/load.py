"""Load and fault benchmark of the public intake and the partner API's hand-offs on gunicorn + PostgreSQL +
Redis: `make bench BENCH=load`.

Everything it uses is its own, on free ports, and removed afterwards (nothing shared is restarted):
- a PostgreSQL cluster in a temporary folder (initdb + pg_ctl, as the user postgres when run as root);
- a redis-server without persistence: broker and cache, one REDIS_URL as in production;
- gunicorn with 2 workers on bench.load_settings (the production settings; see that module);
- after the intake rows and for the faults, a Celery worker (solo pool) sending mail to a folder.

The load generator runs in this process: threads with http.client from the standard library, so that
it takes little of the two cores it shares with the server (its own CPU time is in the table). Each
simulated visitor GETs /aanmelden/ (the CSRF cookie and token), then POSTs a valid intake with an
e-mail address, phone number and first name of its own; a 302 to /aanmelden/bedankt/ is an accepted
sign-up. The request stores the sign-up as it came in (one kandidaten.PendingSignup row) and queues one
Celery task on commit, kandidaten.tasks.register_signup: the worker then registers it (the duplicate
rules, the route, the candidate with its consents and sign-up event, the audit row), queues the
confirmation mail and the coordinator's notice (a notification and its mail) and schedules matching.
Afterwards the database is compared with what the visitors were told: every accepted e-mail address
must be stored (as a pending sign-up, or as a candidate with its consent and its sign-up event); once
the worker has registered and followed up every sign-up, every accepted address must be a candidate and
every queued mail (two per sign-up) must have been sent exactly once.

A hand-off is a partner's system (the welcome panel) POSTing JSON to /api/v1/aanmeldingen/ with its key
(`Authorization: Bearer`, a partner made by the seeding step with a rate limit the run cannot reach) and a
fresh Idempotency-Key per request; a 201 with status "received" is an accepted hand-off. Unlike the public
intake it registers the candidate in the request (api.handoffs.hand_off: the Handoff row claiming the key,
kandidaten.services.candidate_register with its consents and sign-up event, the partner's notes as a
contact moment, the audit row, and the ApiCall row of every call) and queues the same follow-up on commit.
Afterwards every 201 must be one Handoff row with one candidate of its own, and no Handoff row may be
missing from the 201s (0 lost, 0 duplicates); once the worker has followed them up, every mail once.

Scenarios (each prints a row; the columns are explained under the table):
1. intake, C visitors at once (closed loop) for D seconds, with no Celery worker running: first the POST
   alone (each visitor's connection GETs the form once, then POSTs intakes back to back, a new identity
   each), then GET + POST. Then the worker starts and works through the tasks both left in Redis: how
   long until every sign-up is registered and followed up and every mail sent, each exactly once;
2. hand-offs through the API, C partner connections at once (closed loop) for D seconds, with no Celery
   worker running, each POST a new person; then the worker follows them up, as after the intake;
3. the trivial page /over/ the same way (the same template base, no form, no writes): the ratios;
4. PostgreSQL restarted (pg_ctl restart -m fast) in the middle of a burst at a fixed rate: visitors get
   the 503 page while it is down, no sign-up is half stored, and the worker (whose tasks meet the
   restart too) still registers and follows up every sign-up and sends every mail once;
5. Redis stopped for 60 s in the middle of a burst at a fixed rate: sign-ups go on (p95 under 1 s), and
   once Redis is back the sweeps (sent here every 10 s instead of beat's 2 minutes: the sign-ups not
   registered, kandidaten.tasks.sweep_pending_signups, those not followed up,
   kandidaten.tasks.sweep_signup_follow_ups, then contactpunt.tasks.sweep_outbox) register and follow
   up every sign-up left behind and send every mail, each exactly once.

Usage: python bench/load.py [--duration 30] [--clients 8] [--worker-class sync] [--threads 1]
       [--fault-rate 8] [--outage 60] [--only intake,handoff,trivial,postgres,redis]
"""

from __future__ import annotations

import argparse
import contextlib
import email
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SETTINGS = "bench.load_settings"
INTAKE = "/aanmelden/"
DONE = "/aanmelden/bedankt/"
TRIVIAL = "/over/"
HANDOFF = "/api/v1/aanmeldingen/"
# What the welcome panel sends (api.serializers.HandoffRequestSerializer); each hand-off its own identity.
HANDOFF_BODY = {
    "last_name": "de Vries",
    "postcode": "9711 AB",
    "situation": "job_seeker",
    "education_level": 40,
    "max_travel_km": 15,
    "consent_contact": True,
    "conversation_notes": "Belde het welkomstpanel.",
}
# The bench partner's own limit (the default, API_RATE_LIMIT, is 120/min per key): out of the run's reach,
# but the throttle still counts every call in Redis.
PARTNER_RATE_LIMIT = "1000000/min"
# Every simulated visitor comes from 127.0.0.1: the per-IP limit is raised (but still counted in Redis).
RATE_LIMIT = "1000000/m"
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


# CPU time of process trees, from /proc -----------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds of the process and of its children it has reaped)."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        table[int(stat.parent.name)] = (int(fields[1]), ticks / TICK)
    return table


def tree_cpu(root_pid: int | None) -> float:
    """CPU seconds used so far by a process and all its descendants (ended ones once reaped)."""
    if root_pid is None:
        return 0.0
    table = _proc_table()
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
            todo.extend(child for child, (parent, _cpu) in table.items() if parent == pid)
    return total


# The services of a run -------------------------------------------------------------------------


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found is None:
        raise RuntimeError("initdb not found: the load benchmark starts a PostgreSQL cluster of its own")
    return Path(found).parent


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: then the cluster belongs to the user postgres."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A PostgreSQL cluster of this run only, in `folder`, on a free port of 127.0.0.1 (trust auth)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.log_path = folder / "postgres.log"
        self.port = 0
        self.bin = _postgres_bin()

    def _run(self, *arguments: str, timeout: float = 60) -> None:
        command = _as_postgres([str(self.bin / arguments[0]), *arguments[1:]])
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)  # noqa: S603
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}")

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        self.port = free_port()
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options, "-w", "-t", "30", "start")

    def restart(self, pause: float = 0.0) -> None:
        """A fast shutdown (open connections are ended) and a start with the same options; with
        `pause`, the server stays down that many seconds in between."""
        if pause:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")
            time.sleep(pause)
            options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options, "-w", "start")
            return
        # -l again: without it the new server would write to pg_ctl's own output (and keep it open).
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-m", "fast", "-w", "-t", "30", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, name: str = "postgres"):
        import psycopg

        return psycopg.connect(self.url(name), autocommit=True)

    def create_database(self, name: str) -> str:
        with self.connect() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    @property
    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            return None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class PrivateRedis:
    """A redis-server of this run only, without persistence: stopping it loses what it held."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.log_path = folder / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("redis-server not found: the load benchmark starts a Redis of its own")
        command = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        if not wait_for(self.answers, timeout=10, interval=0.05):
            raise RuntimeError(f"redis-server on port {self.port} did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def portal_environment(*, database_url: str, redis_url: str, mail_dir: Path) -> dict[str, str]:
    """The environment of the server, the worker and the seeding step (production settings)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_URL=f"filemail:///{mail_dir}",
        INTAKE_RATE_LIMIT=RATE_LIMIT,
        PYTHONUNBUFFERED="1",
    )
    return environment


def seed(environment: dict[str, str]) -> dict:
    """Migrate the database and add a region with a coordinator for the postcode the visitors give, and
    a partner with an API key for the hand-offs.

    Runs this file with `seed` in a subprocess (Django set up on the portal's environment) and returns
    {"form": the intake form data of kandidaten.factories.intake_form_data, which the visitors vary,
    "partner_key": the partner's key, as it goes in the Authorization header}.
    """
    result = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "seed"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )
    if result.returncode:
        raise RuntimeError(f"Seeding the load database failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _seed_here() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from api.factories import partner_key
    from contactpunt.factories import CoordinatorFactory, RegionFactory, RegionPostcodeRangeFactory
    from kandidaten.factories import intake_form_data

    call_command("migrate", verbosity=0)
    region = RegionFactory(name="Noord-Nederland", slug="noord-nederland")
    RegionPostcodeRangeFactory(region=region, start="9000", end="9999")
    CoordinatorFactory(email="coordinator@contactpunt.example", regions=[region])
    _partner, secret = partner_key(name="Welkomstpanel", slug="welkomstpanel", rate_limit=PARTNER_RATE_LIMIT)
    print(json.dumps({"form": intake_form_data(), "partner_key": secret}))


class ManagedProcess:
    """A subprocess of the run (`process`) writing to `folder`/`log_name`: stopped with SIGTERM, then
    killed if it has not ended after 15 s. The dataclasses below give it `folder` and `process`."""

    log_name: ClassVar[str]
    folder: Path
    process: subprocess.Popen | None

    @property
    def log_path(self) -> Path:
        return self.folder / self.log_name

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Portal(ManagedProcess):
    """gunicorn serving the portal (contactpunt.wsgi) with `workers` processes."""

    log_name: ClassVar[str] = "gunicorn.log"

    folder: Path
    environment: dict[str, str]
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        self.port = free_port()
        command = [
            str(BIN / "gunicorn"),
            "contactpunt.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--worker-class={self.worker_class}",
            f"--threads={self.threads}",
            "--graceful-timeout=5",
            "--error-logfile=-",
        ]
        with self.log_path.open("a") as log:  # the portal's own log lines (stderr) go there too
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT
            )
        if not wait_for(self._answers, timeout=60, interval=0.2):
            self.stop()
            raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log()}")

    def _answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False


@dataclass
class CeleryWorker(ManagedProcess):
    """`celery worker` with the solo pool on the run's Redis and database, mail into `mail_dir`."""

    log_name: ClassVar[str] = "celery.log"

    folder: Path
    environment: dict[str, str]
    mail_dir: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        command = [
            str(BIN / "celery"),
            "-A",
            "contactpunt",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            "celery",
            "-n",
            f"load-{os.getpid()}@localhost",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
        ]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT
            )
        if not wait_for(lambda: " ready." in self.log() or self.process.poll() is not None, timeout=60):
            raise RuntimeError(f"The Celery worker did not start:\n{self.log()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"The Celery worker exited:\n{self.log()}")


SWEEPS = (
    "kandidaten.tasks.sweep_pending_signups",
    "kandidaten.tasks.sweep_signup_follow_ups",
    "contactpunt.tasks.sweep_outbox",
)


def send_sweep(redis_url: str) -> None:
    """What Celery beat does every two minutes: queue the sweep of the sign-ups no worker registered
    (kandidaten.tasks.sweep_pending_signups), of those whose follow-up never ran
    (kandidaten.tasks.sweep_signup_follow_ups) and then the outbox sweep (contactpunt.tasks.sweep_outbox).
    The sign-ups first: a sign-up registered or followed up again queues its own mails on commit."""
    from celery import Celery

    with Celery(broker=redis_url) as app:
        for name in SWEEPS:
            app.send_task(name, serializer="json")


def sent_messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every message the file backend wrote (a file holds the messages of one connection)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


@dataclass
class Stack:
    """The run's PostgreSQL, Redis, portal and (on demand) Celery worker."""

    folder: Path
    postgres: PrivatePostgres
    redis: PrivateRedis
    portal: Portal
    environment: dict[str, str]
    form: dict
    mail_dir: Path
    worker: CeleryWorker | None = None
    partner_key: str = ""  # the seeded partner's API key (Authorization: Bearer …)

    def start_worker(self) -> CeleryWorker:
        """The run's worker: started now, or the one already running."""
        if self.worker is None or self.worker.pid is None:
            self.worker = CeleryWorker(self.folder, self.environment, self.mail_dir)
            self.worker.start()
        return self.worker

    def connect(self):
        return self.postgres.connect("load")

    def logs(self) -> str:
        parts = [("gunicorn", self.portal.log()), ("postgres", self.postgres.log()), ("redis", self.redis.log())]
        if self.worker:
            parts.append(("celery", self.worker.log()))
        return "\n".join(f"--- {name} (last 3000 characters) ---\n{text[-3000:]}" for name, text in parts)


@contextlib.contextmanager
def stack(*, worker_class: str = "sync", threads: int = 1, workers: int = 2) -> Iterator[Stack]:
    """Start PostgreSQL, Redis and gunicorn of this run; stop them and remove their folder afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="contactpunt-load-"))
    folder.chmod(0o755)  # the cluster's folder inside belongs to the user postgres, who must reach it
    postgres = PrivatePostgres(folder / "postgres")
    redis = PrivateRedis(folder)
    portal = None
    worker = None
    try:
        postgres.start()
        redis.start()
        mail_dir = folder / "mail"
        mail_dir.mkdir()
        environment = portal_environment(
            database_url=postgres.create_database("load"), redis_url=redis.url, mail_dir=mail_dir
        )
        seeded = seed(environment)
        portal = Portal(folder, environment, workers=workers, worker_class=worker_class, threads=threads)
        portal.start()
        current = Stack(
            folder, postgres, redis, portal, environment, seeded["form"], mail_dir, partner_key=seeded["partner_key"]
        )
        try:
            yield current
        finally:
            worker = current.worker
    finally:
        for service in (worker, portal, redis):
            if service is not None:
                service.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


# The load generator ----------------------------------------------------------------------------

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCEPTED = "accepted"


@dataclass
class Visit:
    at: float  # seconds since the start of the run (the scheduled time in a run at a fixed rate)
    latency: float  # the whole visit: GET the form, POST it (from the scheduled time at a fixed rate)
    outcome: str  # "accepted", or the HTTP status / error of the step that failed
    step: str = ""  # "form" (GET) or "submit" (POST): where it failed
    email: str = ""
    submit_latency: float = 0.0  # the POST alone
    body: bytes = b""  # the first 2 kB of a failure's page
    retry_after: str | None = None  # a failure's Retry-After header
    handoff_id: str = ""  # an accepted hand-off: the id of the 201's body


@dataclass(frozen=True)
class Form:
    """What a GET of the intake gave a visitor: the cookies to send back and the form's CSRF token."""

    cookies: str
    token: str


def _letters(number: int) -> str:
    """0 → "a", 25 → "z", 26 → "ba": names of letters only, as the form wants them."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
        if not number:
            return text


class Visitors:
    """Simulated visitors of one portal; every sign-up gets a number, and with it its own identity.
    With `partner_key` they can also be a partner's system handing people off through the API."""

    def __init__(self, port: int, form: dict, partner_key: str = "") -> None:
        self.port = port
        self.form = form
        self.partner_key = partner_key
        self._numbers = iter(range(10**8))
        self._lock = threading.Lock()

    def number(self) -> int:
        with self._lock:
            return next(self._numbers)

    def identity(self, number: int) -> dict[str, str]:
        return {
            "first_name": f"Anna{_letters(number)}",
            "email": f"load.{number}@example.org",
            "phone": f"06 {10_000_000 + number:08d}"[-11:],
        }

    def handoff_identity(self, number: int) -> dict[str, str]:
        """As the API wants them: a phone number without spaces (api.serializers)."""
        return {
            "first_name": f"Sanne{_letters(number)}",
            "email": f"handoff.{number}@example.org",
            "phone": f"06{20_000_000 + number:08d}"[-10:],
            "partner_reference": f"WP-{number}",
        }

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def fetch_form(self, connection: http.client.HTTPConnection, at: float, started: float, email: str) -> Form | Visit:
        """GET the form: the cookies it set and its CSRF token, or the failed visit (`at`, `started` and
        `email` of the visit it is part of)."""
        try:
            connection.request("GET", INTAKE)
            response = connection.getresponse()
            page = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return Visit(at, time.perf_counter() - started, type(error).__name__, "", email)
        # The cookies the form page set (the CSRF cookie, whatever its name), sent back with the POST.
        cookies = "; ".join(header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie", []))
        token = _TOKEN.search(page)
        if response.status != 200 or "csrf" not in cookies or token is None:
            outcome = str(response.status) if response.status != 200 else "no CSRF token"
            retry = response.headers.get("Retry-After")
            latency = time.perf_counter() - started
            return Visit(at, latency, outcome, "form", email, body=page[:2000], retry_after=retry)
        return Form(cookies, token.group(1).decode())

    def submit(
        self, connection: http.client.HTTPConnection, form: Form, identity: dict[str, str], at: float, started: float
    ) -> Visit:
        """POST a valid intake with `identity`, with the cookies and token of `form`."""
        body = urlencode({**self.form, **identity, "csrfmiddlewaretoken": form.token}, doseq=True)
        posted = time.perf_counter()
        try:
            connection.request(
                "POST",
                INTAKE,
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": form.cookies},
            )
            response = connection.getresponse()
            page = response.read()
            done = time.perf_counter()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return Visit(at, time.perf_counter() - started, type(error).__name__, "", identity["email"])
        if response.status == 302 and response.headers.get("Location") == DONE:
            return Visit(at, done - started, ACCEPTED, "", identity["email"], done - posted)
        retry = response.headers.get("Retry-After")
        return Visit(
            at, done - started, str(response.status), "submit", identity["email"], done - posted, page[:2000], retry
        )

    def sign_up(self, connection: http.client.HTTPConnection, at: float, started: float) -> Visit:
        """GET the form, POST a valid intake; `started`: perf_counter of the (scheduled) start."""
        identity = self.identity(self.number())
        form = self.fetch_form(connection, at, started, identity["email"])
        if isinstance(form, Visit):
            return form
        return self.submit(connection, form, identity, at, started)

    def hand_off(self, connection: http.client.HTTPConnection, at: float, started: float) -> Visit:
        """POST one hand-off to the API with the partner's key and a fresh Idempotency-Key, as the
        welcome panel does; a 201 with status "received" is accepted."""
        identity = self.handoff_identity(self.number())
        body = json.dumps({**HANDOFF_BODY, **identity}).encode()
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {self.partner_key}",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        try:
            connection.request("POST", HANDOFF, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read()
            done = time.perf_counter()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return Visit(at, time.perf_counter() - started, type(error).__name__, "", identity["email"])
        handoff_id = ""
        if response.status == 201:
            with contextlib.suppress(ValueError, AttributeError):
                answer = json.loads(page)
                if answer.get("status") == "received":
                    handoff_id = str(answer.get("id") or "")
        if handoff_id:
            return Visit(at, done - started, ACCEPTED, "", identity["email"], done - started, handoff_id=handoff_id)
        outcome = str(response.status) if response.status != 201 else "201 without an id"
        retry = response.headers.get("Retry-After")
        return Visit(at, done - started, outcome, "hand-off", identity["email"], done - started, page[:2000], retry)

    def open_page(self, connection: http.client.HTTPConnection, at: float, started: float, path: str) -> Visit:
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            page = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return Visit(at, time.perf_counter() - started, type(error).__name__)
        outcome = ACCEPTED if response.status == 200 else str(response.status)
        return Visit(at, time.perf_counter() - started, outcome, body=b"" if outcome == ACCEPTED else page[:2000])

    def run(
        self,
        *,
        seconds: float,
        clients: int,
        rate: float | None = None,
        path: str | None = None,
        post_only: bool = False,
        handoff: bool = False,
        events: list[tuple[float, Callable[[], None]]] = (),
    ) -> Run:
        """`clients` threads for `seconds`: back to back (closed loop), or at `rate` visits per second
        (open loop, latency from the scheduled time, so a stall shows in full). `path`: GET that page
        instead of signing up. `post_only`: each thread (a connection) GETs the form once and then only
        POSTs, a new identity each time; a visit is the POST alone (a failed GET, or the GET again after
        a 403, is part of the visit it comes before). `handoff`: a visit is one hand-off POSTed to the API
        (`hand_off`). `events`: (seconds after the start, action) run in a thread of their own.
        """
        visits: list[Visit] = []
        lock = threading.Lock()
        slots = iter(range(10**9))
        start = time.perf_counter()
        end = start + seconds

        def client() -> None:
            connection = self.connection()
            mine = []
            form: Form | None = None
            while True:
                if rate:
                    with lock:
                        slot = next(slots)
                    scheduled = start + slot / rate
                    if scheduled >= end:
                        break
                    delay = scheduled - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                else:
                    scheduled = time.perf_counter()
                    if scheduled >= end:
                        break
                at = scheduled - start
                if path is not None:
                    mine.append(self.open_page(connection, at, scheduled, path))
                elif handoff:
                    mine.append(self.hand_off(connection, at, scheduled))
                elif post_only:
                    if form is None:
                        fetched = self.fetch_form(connection, at, scheduled, "")
                        if isinstance(fetched, Visit):
                            mine.append(fetched)
                            continue
                        form = fetched
                        if not mine and not rate:  # closed loop: the thread's first GET is no part of a visit
                            scheduled = time.perf_counter()
                    visit = self.submit(connection, form, self.identity(self.number()), at, scheduled)
                    if visit.outcome == "403":  # the token or its cookie refused: GET the form again
                        form = None
                    mine.append(visit)
                else:
                    mine.append(self.sign_up(connection, at, scheduled))
            connection.close()
            with lock:
                visits.extend(mine)

        happened: list[tuple[float, str]] = []

        def play(when: float, action: Callable[[], None]) -> None:
            time.sleep(max(0.0, start + when - time.perf_counter()))
            began = time.perf_counter() - start
            action()
            happened.append(
                (began, f"{getattr(action, '__name__', 'event')} {began:.1f}-{time.perf_counter() - start:.1f} s")
            )

        cpu_before = os.times()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        players = [threading.Thread(target=play, args=event, daemon=True) for event in events]
        for thread in [*threads, *players]:
            thread.start()
        for thread in [*threads, *players]:
            thread.join()
        cpu_after = os.times()
        generator_cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
        elapsed = time.perf_counter() - start
        visits.sort(key=lambda visit: visit.at)
        return Run(visits, elapsed, generator_cpu, [text for _at, text in sorted(happened)])


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


@dataclass
class Run:
    visits: list[Visit]
    seconds: float
    generator_cpu: float
    events: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)

    def between(self, start: float, end: float) -> list[Visit]:
        return [visit for visit in self.visits if start <= visit.at < end]

    @property
    def accepted(self) -> list[Visit]:
        return [visit for visit in self.visits if visit.outcome == ACCEPTED]

    def outcomes(self, visits: list[Visit] | None = None) -> Counter:
        return Counter(
            f"{visit.outcome} ({visit.step})" if visit.step else visit.outcome
            for visit in (self.visits if visits is None else visits)
        )


# What the database holds ------------------------------------------------------------------------


@dataclass
class Stored:
    emails: set[str]
    pending: int  # sign-ups stored as they came in, not registered as a candidate yet (no worker yet)
    incomplete: int  # candidates without a consent for contact or without a sign-up event
    follow_ups_pending: int  # sign-up events whose follow-up (confirmation, notice, matching) has not run
    mails: int
    unsent: int
    notifications: int

    @property
    def note(self) -> str:
        return (
            f"sign-ups not registered yet: {self.pending}; not followed up yet: {self.follow_ups_pending}; "
            f"stored: {self.mails} mails "
            f"({self.unsent} unsent), {self.notifications} notifications"
        )


def stored(stack: Stack, run: Run | None = None) -> Stored:
    """What the database holds; with `run`, of the candidates its visitors were (the other tables whole).
    A sign-up is stored once it is in the database: as a candidate, or as a pending sign-up that the
    worker has not registered yet (kandidaten.public_signup)."""
    # The candidates counted: all, or those with an e-mail address of the run's visitors.
    chosen = {
        "everyone": run is None,
        "emails": [] if run is None else sorted({visit.email for visit in run.visits if visit.email}),
    }
    with stack.connect() as connection:
        emails = {
            row[0]
            for row in connection.execute(
                "SELECT email FROM kandidaten_candidate c WHERE %(everyone)s OR c.email = ANY(%(emails)s)", chosen
            )
        }
        waiting = {
            row[0]
            for row in connection.execute(
                """
                SELECT p.details->>'email' FROM kandidaten_pendingsignup p
                WHERE %(everyone)s OR p.details->>'email' = ANY(%(emails)s)
                """,
                chosen,
            )
        }
        incomplete = connection.execute(
            """
            SELECT count(*) FROM kandidaten_candidate c
            WHERE (%(everyone)s OR c.email = ANY(%(emails)s)) AND (
                NOT EXISTS (
                    SELECT 1 FROM kandidaten_consent x WHERE x.candidate_id = c.id AND x.purpose = 'contact')
                OR NOT EXISTS (
                    SELECT 1 FROM kandidaten_timelineevent t WHERE t.candidate_id = c.id AND t.kind = 'signup'))
            """,
            chosen,
        ).fetchone()[0]
        follow_ups_pending = connection.execute(
            """
            SELECT count(*) FROM kandidaten_timelineevent t JOIN kandidaten_candidate c ON c.id = t.candidate_id
            WHERE t.kind = 'signup' AND t.followed_up_at IS NULL AND (%(everyone)s OR c.email = ANY(%(emails)s))
            """,
            chosen,
        ).fetchone()[0]
        mails, unsent = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE sent_at IS NULL) FROM contactpunt_outboxmail"
        ).fetchone()
        notifications = connection.execute("SELECT count(*) FROM contactpunt_notification").fetchone()[0]
    return Stored(emails | waiting, len(waiting), incomplete, follow_ups_pending, mails, unsent, notifications)


def outstanding(stack: Stack) -> tuple[int, int]:
    """(sign-ups not registered or whose follow-up has not run, outbox mails not sent), from one snapshot:
    a follow-up queues its mails in the transaction that marks it done."""
    with stack.connect() as connection:
        return connection.execute(
            """
            SELECT (SELECT count(*) FROM kandidaten_pendingsignup)
                   + (SELECT count(*) FROM kandidaten_timelineevent WHERE kind = 'signup' AND followed_up_at IS NULL),
                   (SELECT count(*) FROM contactpunt_outboxmail WHERE sent_at IS NULL)
            """
        ).fetchone()


def followed_up(stack: Stack) -> int:
    with stack.connect() as connection:
        return connection.execute(
            "SELECT count(*) FROM kandidaten_timelineevent WHERE kind = 'signup' AND followed_up_at IS NOT NULL"
        ).fetchone()[0]


def reset(stack: Stack) -> None:
    """Empty the tables a scenario fills (the sign-up events, contact moments and hand-offs go with the
    candidates; the partner and its key stay), so that each scenario is counted on its own."""
    import psycopg

    # A worker may still be finishing the last sign-up of the scenario before: its transaction and
    # the TRUNCATE can lock each other, and PostgreSQL then ends one of them. Try again.
    for attempt in range(5):
        try:
            with stack.connect() as connection:
                connection.execute(
                    "TRUNCATE kandidaten_candidate, kandidaten_pendingsignup, kandidaten_contactmoment, "
                    "api_handoff, api_apicall, contactpunt_outboxmail, contactpunt_notification, django_session "
                    "CASCADE"
                )
            break
        except psycopg.errors.DeadlockDetected:
            if attempt == 4:
                raise
            time.sleep(1)
    for path in stack.mail_dir.glob("*.log"):
        path.unlink()


def purge_tasks(stack: Stack) -> int:
    """Drop the task messages waiting in Redis (those of a warm-up whose rows `reset` removed)."""
    from celery import Celery

    with Celery(broker=stack.redis.url) as app:
        return app.control.purge()


def measure(stack: Stack, action: Callable[[], Run]) -> Run:
    """Run `action` and add the CPU seconds of the server, PostgreSQL, Redis and worker during it."""
    pids = {
        "gunicorn": lambda: stack.portal.pid,
        "postgres": lambda: stack.postgres.pid,
        "redis": lambda: stack.redis.pid,
        "celery": lambda: stack.worker.pid if stack.worker else None,
    }
    before = {name: tree_cpu(pid()) for name, pid in pids.items()}
    run = action()
    after = {name: tree_cpu(pid()) for name, pid in pids.items()}
    # A restarted service starts again from zero: count what the new one used.
    run.cpu = {
        name: max(0.0, after[name] - before[name]) if after[name] >= before[name] else after[name] for name in pids
    }
    run.cpu["generator"] = run.generator_cpu
    return run


# Scenarios ---------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: the figures of `visits` (a scenario, or a phase of one)."""

    scenario: str
    run: Run
    visits: list[Visit]
    seconds: float
    stored: Stored | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return sum(visit.outcome == ACCEPTED for visit in self.visits) / self.seconds

    def latency(self, fraction: float) -> float:
        """Milliseconds."""
        return percentile([visit.latency for visit in self.visits], fraction) * 1000

    @property
    def lost(self) -> int | None:
        """Accepted (302) but not in the database."""
        if self.stored is None:
            return None
        return len({visit.email for visit in self.run.accepted} - self.stored.emails)

    @property
    def stored_unconfirmed(self) -> int | None:
        """In the database, though the visitor did not get the thank-you page (a failure after commit)."""
        if self.stored is None:
            return None
        return len(self.stored.emails - {visit.email for visit in self.run.accepted})


def scenario_intake(
    stack: Stack, visitors: Visitors, *, seconds: float, clients: int, drain_timeout: float = 900.0
) -> list[Row]:
    """The intake closed loop, with no Celery worker running (the follow-ups queued at commit wait in
    Redis): first the POST alone (each connection GETs the form once), then GET + POST. Then the worker
    starts and works through the follow-ups of both; the notes of the second row say how fast."""
    if stack.worker is not None:
        stack.worker.stop()
        stack.worker = None
    reset(stack)
    visitors.run(seconds=2, clients=clients)  # warm-up: connections, templates, caches
    reset(stack)
    purge_tasks(stack)  # the warm-up's follow-ups: their sign-ups are gone
    rows = []
    for name, post_only in (("intake (POST only)", True), ("intake (GET + POST)", False)):
        run = measure(
            stack, lambda post_only=post_only: visitors.run(seconds=seconds, clients=clients, post_only=post_only)
        )
        row = Row(name, run, run.visits, run.seconds, stored=stored(stack, run))
        if not post_only:
            post = [visit.submit_latency for visit in run.accepted]
            row.notes.append(
                f"the POST alone: p50 {percentile(post, 0.5) * 1000:.0f} ms, p95 {percentile(post, 0.95) * 1000:.0f} ms"
            )
        row.notes.append(
            f"stored without a contact consent or a sign-up event: {row.stored.incomplete}; {row.stored.note}"
        )
        rows.append(row)

    # Both rows done: the worker follows up their sign-ups (queued to Redis at commit: no sweep needed,
    # unless nothing moves for 10 s) and sends the mails those queue.
    worker = stack.start_worker()
    worker_cpu = tree_cpu(worker.pid)
    done = drain(stack, always=False, timeout=drain_timeout, interval=0.5)
    worker_cpu = tree_cpu(worker.pid) - worker_cpu
    mail = check_mail(stack, done.seconds)
    count = followed_up(stack)
    registered = stored(stack)
    accepted = {visit.email for row in rows for visit in row.run.accepted}
    rows[-1].notes.append(
        f"the worker then registered and followed up {count} sign-ups and sent {mail.sent} mails in "
        f"{done.seconds:.1f} s ({count / max(done.seconds, 0.001):.1f} sign-ups/s), {mail.duplicates} twice, "
        f"{mail.missing} missing{_drain_remarks(done, mail)}; its CPU {worker_cpu:.1f} s"
    )
    rows[-1].notes.append(
        f"then in the database: {len(registered.emails) - registered.pending} candidates of "
        f"{len(accepted)} accepted sign-ups ({len(accepted - registered.emails)} missing), "
        f"{registered.incomplete} without a contact consent or a sign-up event, {registered.pending} not registered"
    )
    return rows


def _drain_remarks(done: Drain, mail: MailCheck) -> str:
    remarks = []
    if done.sweeps:
        remarks.append(f"{done.sweeps} sweep(s) sent")
    if done.left != (0, 0):
        remarks.append(f"NOT DONE: {done.left[0]} sign-ups not followed up, {done.left[1]} mails unsent")
    if mail.queued != mail.sent:
        remarks.append(f"{mail.queued} queued")
    return "".join(f" ({remark})" for remark in remarks)


@dataclass
class HandoffCheck:
    """The hand-offs in the database against the 201s the partner got (api.handoffs.hand_off)."""

    answered: int  # requests the server answered (any status): each must be one ApiCall row
    accepted: int  # 201s with a hand-off id
    rows: int  # Handoff rows
    lost: int  # a 201's id without a Handoff row, or whose row has no candidate with the hand-off's e-mail
    unconfirmed: int  # Handoff rows no 201 told of (a failure after commit)
    duplicates: int  # an id in two 201s, a candidate with two hand-offs, an e-mail address as two candidates
    contact_moments: int  # the partner's notes, one per hand-off
    audit_rows: int  # "created" audit rows of the handed-off candidates
    api_calls: int  # ApiCall rows of handoff_create
    api_calls_created: int  # of which 201, naming the hand-off

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.unconfirmed == 0
            and self.duplicates == 0
            and self.rows == self.accepted == self.contact_moments == self.audit_rows == self.api_calls_created
            and self.api_calls == self.answered
        )

    @property
    def note(self) -> str:
        return (
            f"hand-offs: {self.rows} rows for {self.accepted} accepted (201), {self.lost} lost, {self.duplicates} "
            f"duplicates, {self.unconfirmed} stored without a 201; {self.contact_moments} contact moments, "
            f"{self.audit_rows} audit rows, {self.api_calls} API calls logged ({self.api_calls_created} 201s) of "
            f"{self.answered} answered: {'all as expected' if self.ok else 'NOT AS EXPECTED'}"
        )


def check_handoffs(stack: Stack, run: Run) -> HandoffCheck:
    """Every accepted hand-off of `run` is one Handoff row with a candidate of its own (the e-mail address
    it was sent with), its contact moment, its audit row and its ApiCall row; and nothing else is stored."""
    accepted = Counter(visit.handoff_id for visit in run.accepted)
    sent_with = {visit.handoff_id: visit.email for visit in run.accepted}
    emails = sorted({visit.email for visit in run.visits if visit.email})
    with stack.connect() as connection:
        handoffs = connection.execute(
            """
            SELECT h.public_id::text, h.candidate_id, c.email FROM api_handoff h
            LEFT JOIN kandidaten_candidate c ON c.id = h.candidate_id
            """
        ).fetchall()
        twice = connection.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM kandidaten_candidate "
            "WHERE email = ANY(%s) GROUP BY email_key) AS counted",
            [emails],
        ).fetchone()[0]
        candidate_ids = [row[1] for row in handoffs if row[1] is not None]
        contact_moments = connection.execute(
            "SELECT count(*) FROM kandidaten_contactmoment WHERE candidate_id = ANY(%s)", [candidate_ids]
        ).fetchone()[0]
        audit_rows = connection.execute(
            """
            SELECT count(*) FROM contactpunt_auditevent
            WHERE object_type = 'kandidaten.candidate' AND action = 'create' AND object_id = ANY(%s)
            """,
            [candidate_ids],
        ).fetchone()[0]
        api_calls, api_calls_created = connection.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE status_code = 201 AND handoff_id IS NOT NULL)
            FROM api_apicall WHERE operation = 'handoff_create'
            """
        ).fetchone()
    stored_email = {public_id: email for public_id, _candidate, email in handoffs}
    per_candidate = Counter(candidate for _id, candidate, _email in handoffs if candidate is not None)
    answered = sum(visit.outcome == ACCEPTED or visit.outcome[:3].isdigit() for visit in run.visits)
    return HandoffCheck(
        answered=answered,
        accepted=len(accepted),
        rows=len(handoffs),
        lost=sum(stored_email.get(handoff_id) != email for handoff_id, email in sent_with.items()),
        unconfirmed=len(stored_email.keys() - accepted.keys()),
        duplicates=sum(count - 1 for count in accepted.values())
        + sum(count - 1 for count in per_candidate.values())
        + int(twice),
        contact_moments=contact_moments,
        audit_rows=audit_rows,
        api_calls=api_calls,
        api_calls_created=api_calls_created,
    )


def scenario_handoff(
    stack: Stack, visitors: Visitors, *, seconds: float, clients: int, drain_timeout: float = 900.0
) -> tuple[Row, HandoffCheck, MailCheck]:
    """Hand-offs through the API in a closed loop, as the intake: `clients` partner connections, each
    POSTing hand-offs back to back (a new person and a new Idempotency-Key each), with no Celery worker
    running: the request registers the candidate, and its follow-up (queued on commit, as a sign-up's)
    waits in Redis. Then the worker starts and works through them; the notes say how fast, and whether
    every mail (a confirmation and a notice per hand-off) went out exactly once."""
    if stack.worker is not None:
        stack.worker.stop()
        stack.worker = None
    reset(stack)
    visitors.run(seconds=2, clients=clients, handoff=True)  # warm-up: connections, the key, caches
    reset(stack)
    purge_tasks(stack)  # the warm-up's follow-ups: their candidates are gone
    run = measure(stack, lambda: visitors.run(seconds=seconds, clients=clients, handoff=True))
    row = Row("hand-off (API POST)", run, run.visits, run.seconds, stored=stored(stack, run))
    check = check_handoffs(stack, run)
    row.notes.append(check.note)
    row.notes.append(f"stored without a contact consent or a sign-up event: {row.stored.incomplete}; {row.stored.note}")

    worker = stack.start_worker()
    worker_cpu = tree_cpu(worker.pid)
    done = drain(stack, always=False, timeout=drain_timeout, interval=0.5)
    worker_cpu = tree_cpu(worker.pid) - worker_cpu
    mail = check_mail(stack, done.seconds)
    count = followed_up(stack)
    row.notes.append(
        f"the worker then followed up {count} hand-offs and sent {mail.sent} mails in {done.seconds:.1f} s "
        f"({count / max(done.seconds, 0.001):.1f} hand-offs/s; {2 * check.accepted} mails expected), "
        f"{mail.duplicates} twice, {mail.missing} missing{_drain_remarks(done, mail)}; its CPU {worker_cpu:.1f} s"
    )
    return row, check, mail


def scenario_trivial(stack: Stack, visitors: Visitors, *, seconds: float, clients: int) -> Row:
    visitors.run(seconds=2, clients=clients, path=TRIVIAL)
    run = measure(stack, lambda: visitors.run(seconds=seconds, clients=clients, path=TRIVIAL))
    return Row(f"page {TRIVIAL}", run, run.visits, run.seconds)


def scenario_postgres_restart(
    stack: Stack,
    visitors: Visitors,
    *,
    seconds: float,
    rate: float,
    clients: int,
    restart_at: float,
    pause: float = 0.0,
    drain_timeout: float = 300.0,
    rewind: bool = False,
) -> tuple[Row, MailCheck]:
    """Sign-ups at `rate` per second, with the worker following them up; `restart_at` seconds in,
    PostgreSQL restarts (down `pause` s more). Then until every sign-up is followed up and every mail
    sent (a sweep only if nothing moves for 10 s; `rewind`: age the rows first instead of waiting for
    the sweeps' minute). Returns the row and the mail check.
    """
    reset(stack)
    stack.start_worker()

    def postgres_restart() -> None:
        stack.postgres.restart(pause=pause)

    events = [(restart_at, postgres_restart)]
    run = measure(stack, lambda: visitors.run(seconds=seconds, clients=clients, rate=rate, events=events))
    after_burst = stored(stack)
    done = drain(stack, always=False, timeout=drain_timeout, rewind=rewind)
    mail = check_mail(stack, done.seconds)
    row = Row("PostgreSQL restarted", run, run.visits, run.seconds, stored=stored(stack))
    row.notes.append(
        f"stored without a contact consent or a sign-up event: {row.stored.incomplete}; "
        f"stored though the visitor saw an error: {row.stored_unconfirmed}"
    )
    row.notes.append(
        f"sign-ups not followed up at the end of the burst: {after_burst.follow_ups_pending}; all followed up and "
        f"{mail.sent} mails sent {done.seconds:.1f} s later ({2 * len(row.stored.emails)} expected), "
        f"{mail.duplicates} twice, {mail.missing} missing"
        f"{_drain_remarks(done, mail)}; {row.stored.note}"
    )
    return row, mail


def rewind_outbox(stack: Stack, minutes: int = 2) -> None:
    """Age the outbox and the sign-ups not followed up: the sweeps take what is over a minute old
    (services.FOLLOW_UP_GRACE, mail.mails_left_behind), and a test has no minute to wait."""
    with stack.connect() as connection:
        connection.execute(
            "UPDATE contactpunt_outboxmail SET created_at = created_at - make_interval(mins => %s)", [minutes]
        )
        connection.execute(
            """
            UPDATE kandidaten_timelineevent SET created_at = created_at - make_interval(mins => %s)
            WHERE kind = 'signup' AND followed_up_at IS NULL
            """,
            [minutes],
        )
        connection.execute(
            "UPDATE kandidaten_pendingsignup SET received_at = received_at - make_interval(mins => %s)", [minutes]
        )


@dataclass
class Drain:
    seconds: float  # until every sign-up was followed up and every mail sent (or the time was up)
    sweeps: int  # times the sweeps were sent
    left: tuple[int, int]  # outstanding() at the end: (0, 0) unless the time was up


def drain(
    stack: Stack,
    *,
    sweep_every: float = 10.0,
    timeout: float = 300.0,
    always: bool = True,
    rewind: bool = False,
    interval: float = 0.25,
) -> Drain:
    """Wait until every sign-up is followed up and every outbox mail is sent. Every `sweep_every` s the
    sweeps are sent (as beat does every two minutes); with `always=False` only when nothing moved in that
    time (a worker working through the follow-ups queued at commit needs none). `rewind`: age the
    sign-ups and the outbox before such a sweep instead of waiting for the sweeps' minute. `interval`:
    seconds between two looks (each a connection of its own)."""
    started = time.perf_counter()
    sweeps = 0
    left = outstanding(stack)
    stalled = False
    while left != (0, 0) and time.perf_counter() < started + timeout:
        if always or stalled:
            if rewind:
                rewind_outbox(stack)
            with contextlib.suppress(Exception):  # Redis may not answer yet
                send_sweep(stack.redis.url)
                sweeps += 1
        before = left
        wait_for(lambda: outstanding(stack) == (0, 0), timeout=sweep_every, interval=interval)
        left = outstanding(stack)
        stalled = left == before
    return Drain(time.perf_counter() - started, sweeps, left)


@dataclass
class MailCheck:
    queued: int
    sent: int
    unsent: int
    duplicates: int
    missing: int
    attempts: dict[int, int]
    drained_after: float


def check_mail(stack: Stack, drained_after: float) -> MailCheck:
    """Every outbox mail against the messages the worker wrote: each one exactly once."""
    with stack.connect() as connection:
        queued = Counter(connection.execute('SELECT "to", subject FROM contactpunt_outboxmail').fetchall())
        attempts = Counter(row[0] for row in connection.execute("SELECT attempts FROM contactpunt_outboxmail"))
        unsent = connection.execute("SELECT count(*) FROM contactpunt_outboxmail WHERE sent_at IS NULL").fetchone()[0]
    sent = Counter((str(message["To"]), str(message["Subject"])) for message in sent_messages(stack.mail_dir))
    return MailCheck(
        queued=sum(queued.values()),
        sent=sum(sent.values()),
        unsent=unsent,
        duplicates=sum(count - 1 for count in sent.values() if count > 1) + sum((sent - queued).values()),
        missing=sum((queued - sent).values()),
        attempts=dict(attempts),
        drained_after=drained_after,
    )


def scenario_redis_outage(
    stack: Stack,
    visitors: Visitors,
    *,
    before: float,
    outage: float,
    after: float,
    rate: float,
    clients: int,
    sweep_every: float = 10.0,
    drain_timeout: float = 300.0,
    rewind: bool = False,
) -> tuple[Row, Row, Row, MailCheck]:
    """Redis stopped `before` s into a burst at `rate` for `outage` s; then the sweeps (the sign-ups not
    followed up, then the outbox), every `sweep_every` s, until every sign-up is followed up and every
    mail is out (`rewind`: age the sign-ups and the outbox first instead of waiting for the sweeps'
    minute). Returns the rows of the seconds before, of the outage and of the whole burst, and the
    mail check.
    """
    reset(stack)
    stack.start_worker()

    def redis_stop() -> None:
        stack.redis.stop()

    def redis_start() -> None:
        stack.redis.start()

    events = [(before, redis_stop), (before + outage, redis_start)]
    seconds = before + outage + after
    run = measure(stack, lambda: visitors.run(seconds=seconds, clients=clients, rate=rate, events=events))
    back = time.perf_counter()
    after_burst = stored(stack)
    if rewind:
        rewind_outbox(stack)
    # Celery beat sends the sweeps every two minutes; here every `sweep_every` seconds until all is done:
    # every sign-up followed up (its confirmation and notice queued), every mail sent.
    done = drain(stack, sweep_every=sweep_every, timeout=max(0.0, drain_timeout - (time.perf_counter() - back)))
    drained = time.perf_counter() - back
    # One more sweep of both must find nothing left to do.
    send_sweep(stack.redis.url)
    time.sleep(2)
    mail = check_mail(stack, drained)
    up = Row("Redis down: the seconds before", run, run.between(0, before), before)
    during = Row(f"Redis down {outage:.0f} s: during", run, run.between(before, before + outage), outage)
    whole = Row("Redis down: the whole burst", run, run.visits, run.seconds, stored=stored(stack))
    whole.notes.append(
        f"stored without a contact consent or a sign-up event: {whole.stored.incomplete}; sign-ups not followed "
        f"up at the end of the burst: {after_burst.follow_ups_pending}; {whole.stored.note}"
    )
    whole.notes.append(
        f"mail: {mail.queued} queued ({2 * len(whole.stored.emails)} expected: a confirmation and a notice "
        f"per sign-up), {mail.sent} sent, {mail.duplicates} twice, {mail.missing} missing, "
        f"attempts {mail.attempts}; all followed up and out {mail.drained_after:.0f} s after the burst"
        + (
            " (sign-ups and outbox aged by the run)"
            if rewind
            else f" (sweeps every {sweep_every:.0f} s take what is over 1 min old)"
        )
        + _drain_remarks(done, mail)
    )
    return up, during, whole, mail


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'scenario':<28} {'visits':>6} {'ok/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'stored':>6} "
        f"{'lost':>4}  CPU s: server  pg  redis worker generator"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        cpu = row.run.cpu
        stored_text = "" if row.stored is None else str(len(row.stored.emails))
        lost_text = "" if row.lost is None else str(row.lost)
        print(
            f"{row.scenario:<28} {len(row.visits):>6} {row.rate:>6.1f} {row.latency(0.5):>7.0f} "
            f"{row.latency(0.95):>7.0f} {row.latency(1.0):>7.0f} {stored_text:>6} {lost_text:>4}  "
            f"{cpu.get('gunicorn', 0):>13.1f} {cpu.get('postgres', 0):>3.1f} {cpu.get('redis', 0):>6.1f} "
            f"{cpu.get('celery', 0):>6.1f} {cpu.get('generator', 0):>9.1f}"
        )
        outcomes = ", ".join(f"{name} {count}" for name, count in row.run.outcomes(row.visits).most_common())
        print(f"{'':<29}outcomes: {outcomes}")
        for note in row.notes:
            print(f"{'':<29}{note}")
        if row.stored is not None:
            for event in row.run.events:
                print(f"{'':<29}event: {event}")


EXPLANATION = """\
visits: simulated visitors. intake (POST only): each visitor's connection GETs the form once (the CSRF cookie
and token), then POSTs intakes back to back, a new identity each; a visit is the POST. intake (GET + POST): a
visit GETs the form and POSTs it (the thank-you page is not fetched). No Celery worker runs during either: a
sign-up is stored as it came in (a pending sign-up) and queues one task on commit (the registration, then the
confirmation, the coordinator's notice, matching), which waits in Redis; after both rows the worker starts and
works through them ("the worker then registered and followed up"). hand-off (API POST): a partner's
connection POSTs JSON to /api/v1/aanmeldingen/ with its key and a fresh Idempotency-Key, back to back, a new
person each; a visit is the POST. The request registers the candidate (the Handoff row, the candidate with its
consents and sign-up event, the contact moment of the partner's notes, the audit row, the ApiCall row) and
queues the follow-up, which the worker then works through; "lost", "duplicates" and "stored without a 201" of
the hand-offs must be 0. ok/s: accepted (302 to the thank-you page, 201 for a hand-off, 200 for a page) per
second; latency: the whole visit, at a fixed rate from its scheduled time; stored: candidates (and pending
sign-ups) in the database; lost: accepted but not stored; "not followed up": sign-up events whose follow-up has
not run yet. The fault bursts run with the worker; afterwards they wait until every sign-up is followed up and
every mail sent (the sweeps, of the sign-ups and then of the outbox, as beat sends them), and every mail is
checked against the mail folder: "twice" and "missing" must be 0. CPU s: CPU seconds during the run of gunicorn
(master + workers), PostgreSQL (all backends), Redis, the Celery worker and this load generator. Other
processes on the machine are not counted: compare the load average."""


SCENARIOS = ("intake", "handoff", "trivial", "postgres", "redis")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of each closed-loop run")
    parser.add_argument("--clients", type=int, default=8, help="visitors at once in the closed-loop runs")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    # Well below what the machine takes (a closed loop measures that): a fault must not meet an overload.
    parser.add_argument("--fault-rate", type=float, default=8.0, help="sign-ups per second in the fault bursts")
    parser.add_argument("--outage", type=float, default=60.0, help="seconds Redis is down")
    parser.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help=f"scenarios to run, comma-separated, of {','.join(SCENARIOS)}",
    )
    arguments = parser.parse_args(argv)
    chosen = set(arguments.only.split(","))
    if chosen - set(SCENARIOS):
        parser.error(f"unknown scenario(s) {', '.join(sorted(chosen - set(SCENARIOS)))}: choose from {SCENARIOS}")

    print(
        f"Load on {os.cpu_count()} cores (load average before: {os.getloadavg()[0]:.1f}): gunicorn with 2 "
        f"{arguments.worker_class} workers ({arguments.threads} thread(s) each), "
        f"PostgreSQL {_postgres_bin().parts[-2]} "
        f"and Redis of this run; closed loop: {arguments.clients} visitors at once for {arguments.duration:.0f} s; "
        f"faults at {arguments.fault_rate:.0f} sign-ups/s.",
        flush=True,
    )
    rows: list[Row] = []
    with stack(worker_class=arguments.worker_class, threads=arguments.threads) as current:
        visitors = Visitors(current.portal.port, current.form, current.partner_key)
        try:
            if "intake" in chosen:
                rows.extend(scenario_intake(current, visitors, seconds=arguments.duration, clients=arguments.clients))
            if "handoff" in chosen:
                row, _check, _mail = scenario_handoff(
                    current, visitors, seconds=arguments.duration, clients=arguments.clients
                )
                rows.append(row)
            if "trivial" in chosen:
                rows.append(scenario_trivial(current, visitors, seconds=arguments.duration, clients=arguments.clients))
            if "postgres" in chosen:
                row, _mail = scenario_postgres_restart(
                    current, visitors, seconds=15, rate=arguments.fault_rate, clients=16, restart_at=5
                )
                rows.append(row)
            if "redis" in chosen:
                before, during, whole, _mail = scenario_redis_outage(
                    current,
                    visitors,
                    before=10,
                    outage=arguments.outage,
                    after=10,
                    rate=arguments.fault_rate,
                    clients=16,
                )
                rows.extend([before, during, whole])
        except Exception:
            print(current.logs(), file=sys.stderr)
            raise
    print()
    print_table(rows)
    intakes = {row.scenario: row for row in rows if row.scenario.startswith("intake")}
    post_only, get_and_post = intakes.get("intake (POST only)"), intakes.get("intake (GET + POST)")
    trivial = next((row for row in rows if row.scenario.startswith("page")), None)
    handoff = next((row for row in rows if row.scenario.startswith("hand-off")), None)
    if trivial and post_only:
        print(
            f"\nIntake submissions per second / {TRIVIAL} views per second: {post_only.rate / trivial.rate:.2f} "
            f"(intake (POST only): the POST alone)"
            + (
                f"; {get_and_post.rate / trivial.rate:.2f} (intake (GET + POST): the form fetched for every sign-up)"
                if get_and_post
                else ""
            )
        )
    if handoff and trivial:
        print(f"Hand-offs per second / {TRIVIAL} views per second: {handoff.rate / trivial.rate:.2f}")
    if handoff and (post_only or get_and_post):
        print(
            "hand-offs/s ÷ intake submissions/s = "
            + "; ".join(
                f"{handoff.rate / row.rate:.2f}× ({row.scenario})"
                for row in (post_only, get_and_post)
                if row and row.rate
            )
            + " (a hand-off registers the candidate in the request; an intake stores a pending sign-up)"
        )
    for row in [*intakes.values(), *([handoff] if handoff else [])]:
        cpu = row.run.cpu
        server = cpu.get("gunicorn", 0) + cpu.get("postgres", 0) + cpu.get("redis", 0)
        per_visit = server / max(1, len(row.run.accepted)) * 1000
        what = "hand-off" if row is handoff else "sign-up"
        print(
            f"Server-side CPU per {what}, {row.scenario} (gunicorn + PostgreSQL + Redis): {per_visit:.1f} ms, so "
            f"at most {os.cpu_count() * 1000 / max(per_visit, 0.001):.0f} {what}s/s on {os.cpu_count()} otherwise "
            "idle cores (the follow-ups by the worker not counted)."
        )
    print("\n" + EXPLANATION)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        _seed_here()
    else:
        sys.exit(main())
