"""The Redis cache backend of every cache (settings.CACHES, with REDIS_URL): the pages cache
asks it on every reader request, the structure and goal caches on most others."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one `redis.Redis` per connection pool for the life of the
    process. Django builds a new one for every command, and building one (its table of reply
    callbacks) took a fifth of the time of a page served from the cache. A `redis.Redis` over a
    pool holds no connection of its own, so sharing it is safe."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        # Django asks EXISTS, then INCRBY: two round trips for every generation moved on
        # (three per gift a webhook records). One script does both in one.
        client = self.get_client(key, write=True)
        script = self._scripts.get(client)
        if script is None:
            script = self._scripts[client] = client.register_script(_INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


# Incremented only if it exists, as Django's incr: a missing counter is the caller's to start.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
