"""The cache on Redis, without making Redis a single point of failure of the portal.

The cache only holds the rate-limit counters. When Redis cannot be reached it acts as an empty cache
that keeps nothing: reads miss, writes are dropped, `add` stores nothing (False, so nobody believes
they hold a key) and `incr` finds no key (ValueError, as for a missing key). django-ratelimit then
cannot count and, with RATELIMIT_FAIL_OPEN, lets the request through: a sign-up while Redis is down
is saved, and its e-mail and matching follow once Redis is back (the outbox sweep, the nightly rematch).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _unless_unreachable(method: Callable, fallback: Callable[..., Any]) -> Callable:
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("Cache unreachable (%s): it acts as an empty cache", type(error).__name__)
            return fallback(*args, **kwargs)

    return wrapper


def _no_such_key(key, delta):
    raise ValueError(f"Key {key!r} not found: the cache cannot be reached.")


# INCRBY of a key that exists, in one round trip (Django's client asks EXISTS first, then INCRBY): the
# rate limit counts every public sign-up. A missing key answers nil, and `incr` raises as Django's does.
_INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end"


class FastRedisCacheClient(RedisCacheClient):
    """Django's client with one redis.Redis per connection pool (Django builds a new one, and its table
    of response callbacks, for every call) and `incr` in one round trip."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._incr_script = None

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta=1):
        client = self.get_client(key, write=True)
        if self._incr_script is None:
            self._incr_script = client.register_script(_INCR_EXISTING)
        value = self._incr_script(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key {key!r} not found.")
        return value


class ResilientRedisCacheClient(FastRedisCacheClient):
    add = _unless_unreachable(RedisCacheClient.add, lambda key, value, timeout: False)
    get = _unless_unreachable(RedisCacheClient.get, lambda key, default: default)
    set = _unless_unreachable(RedisCacheClient.set, lambda key, value, timeout: None)
    touch = _unless_unreachable(RedisCacheClient.touch, lambda key, timeout: False)
    delete = _unless_unreachable(RedisCacheClient.delete, lambda key: False)
    get_many = _unless_unreachable(RedisCacheClient.get_many, lambda keys: {})
    has_key = _unless_unreachable(RedisCacheClient.has_key, lambda key: False)
    incr = _unless_unreachable(FastRedisCacheClient.incr, _no_such_key)
    set_many = _unless_unreachable(RedisCacheClient.set_many, lambda data, timeout: None)
    delete_many = _unless_unreachable(RedisCacheClient.delete_many, lambda keys: None)
    clear = _unless_unreachable(RedisCacheClient.clear, lambda: False)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; while Redis cannot be reached, an empty cache that keeps nothing."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
