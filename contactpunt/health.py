"""Liveness of what the portal depends on, for /healthz."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
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
