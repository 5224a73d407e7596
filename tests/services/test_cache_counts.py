"""The cache's counters (the rate limits) on a real Redis: `incr` in one round trip behaves as Django's
(a missing key raises, the expiry stays), and one redis.Redis serves every call."""

import time

import pytest

from contactpunt.cache import ResilientRedisCache

pytestmark = pytest.mark.services


@pytest.fixture
def cache(private_redis):
    return ResilientRedisCache(private_redis.url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


def test_incr_counts_a_key_that_exists_and_keeps_its_expiry(cache):
    assert cache.add("count", 1, timeout=60) is True
    assert cache.incr("count") == 2
    assert cache.incr("count", 3) == 5
    assert cache.get("count") == 5
    ttl = cache._cache.get_client().ttl(cache.make_and_validate_key("count"))
    assert 0 < ttl <= 60


def test_incr_of_a_key_that_is_missing_or_expired_raises_and_creates_nothing(cache):
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")
    assert cache.get("never-set") is None

    cache.add("short", 1, timeout=1)
    time.sleep(1.2)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("short")
    assert cache.get("short") is None


def test_one_redis_client_serves_every_call(cache):
    cache.set("a", 1)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
