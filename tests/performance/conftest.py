import uuid

import pytest
from django.core.cache import caches


@pytest.fixture
def shared_cache(settings):
    """The production cache: Redis, under a prefix of this test's own (parallel test
    processes have their own databases, whose user ids overlap). Tests using it are marked
    `services`: skipped locally without Redis, failed in CI (tests/fixtures/live_services.py)."""
    broker = settings.CELERY_BROKER_URL
    server = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    settings.CACHES = {
        "default": {
            "BACKEND": "itsm.cache.RedisCache",
            "LOCATION": server + "/14",
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    }
    yield
    caches["default"].close()


@pytest.fixture
def redis_down(settings):
    """The production cache with Redis unreachable: every cache call raises."""
    settings.CACHES = {
        "default": {
            "BACKEND": "itsm.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    caches["default"].close()
    yield
    caches["default"].close()
