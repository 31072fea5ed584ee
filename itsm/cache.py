"""The shared cache's backend: Django's Redis cache, reusing its Redis client objects.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the connection
pool on every cache operation; building one fills a table of about 200 response callbacks,
which cost more CPU than the round trip it serves (a signed-in request does three to five
cache reads). The client objects are thread-safe and hold no connection of their own, so
one per pool serves the whole process.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
