"""What the portal depends on, for /healthz, /healthz/live and /healthz/ready."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Reading the migration graph and table takes a few milliseconds (tens the first time), and a load
# balancer asks every web process every few seconds.
MIGRATIONS_CHECK_SECONDS = 30
_migrations_applied_at: float | None = None


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def migrations_status() -> str:
    """`ok` when the database has every migration of this code, `pending` when it lacks some.

    In a rolling deploy the processes of a new release are not ready before `migrate` has run; the
    old release's stay ready (their migrations are all there). An `ok` is kept for
    MIGRATIONS_CHECK_SECONDS; `error` when the migration table could not be read.
    """
    global _migrations_applied_at
    now = time.monotonic()
    if _migrations_applied_at is not None and now - _migrations_applied_at < MIGRATIONS_CHECK_SECONDS:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return "error"
    if plan:
        return "pending"
    _migrations_applied_at = now
    return "ok"


def broker_status() -> str:
    """`eager` when tasks run in-process (no REDIS_URL), else whether Redis answers a ping."""
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return "error"
    return "ok"
