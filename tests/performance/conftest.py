import os
import uuid

import pytest
import redis
from django.core.cache import caches


@pytest.fixture
def shared_cache(settings):
    """The production cache: Redis, under a prefix of this test's own (parallel test
    processes have their own databases, whose user ids overlap)."""
    broker = settings.CELERY_BROKER_URL
    server = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    try:
        redis.Redis.from_url(server + "/14", socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("ITSM_REQUIRE_SERVICES") == "1":
            pytest.fail(f"ITSM_REQUIRE_SERVICES=1 but Redis at {server} does not answer")
        pytest.skip(f"needs Redis at {server}")
    settings.CACHES = {
        "default": {
            "BACKEND": "itsm.cache.RedisCache",
            "LOCATION": server + "/14",
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    }
    yield
    caches["default"].close()
