"""Request counters (portal report limit, events API budget, REST API throttle) count in
the shared Redis with one pipelined round trip, keep their window, and never turn a cache
outage into an error page."""

import uuid

import pytest
import redis
from django.core.cache import caches

from itsm import counters

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    """The production cache: Redis. Keys are unique per test, so nothing is cleared."""
    broker = settings.CELERY_BROKER_URL
    server = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    location = server + "/14"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    yield redis.Redis.from_url(location)
    caches["default"].close()


def test_a_hit_on_redis_creates_the_counter_with_its_window_and_counts_up(redis_cache):
    key = f"test:{uuid.uuid4()}"
    assert [counters.hit(key, 30) for _ in range(3)] == [1, 2, 3]
    stored = caches["default"].make_and_validate_key(key)
    assert 0 < redis_cache.ttl(stored) <= 30  # the window started with the first hit


def test_a_hit_is_one_round_trip_to_redis(redis_cache, monkeypatch):
    key = f"test:{uuid.uuid4()}"
    counters.hit(key, 30)  # connected
    sent = []
    real_send = redis.connection.Connection.send_packed_command

    def counting_send(connection, command, *args, **kwargs):
        sent.append(command)
        return real_send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting_send)
    assert counters.hit(key, 30) == 2
    assert len(sent) == 1  # SET NX EX and INCR pipelined: no EXISTS, no second trip


def test_taking_back_a_hit_lowers_the_count_and_an_ended_window_is_left_alone(redis_cache):
    key = f"test:{uuid.uuid4()}"
    counters.hit(key, 30)
    counters.hit(key, 30)
    counters.take_back(key)
    assert counters.hit(key, 30) == 2
    counters.take_back(f"test:{uuid.uuid4()}")  # never counted: no error


def test_the_api_is_throttled_per_window_on_redis(redis_cache, reporter_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/hour"},
    }
    codes = [reporter_api.get("/api/v1/users/me/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_api_answers_when_the_throttle_cache_is_down(reporter_api, monkeypatch):
    def unreachable(key, window):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    monkeypatch.setattr(counters, "hit", unreachable)
    assert reporter_api.get("/api/v1/users/me/").status_code == 200


def test_the_portal_limit_holds_on_redis_and_a_refused_report_keeps_the_form(
    redis_cache, client, reporter, service, settings
):
    settings.ITSM_REPORT_RATE_LIMIT = 1
    client.force_login(reporter)
    body = {"service": service.pk, "impact": "low", "urgency": "low", "confirm_new": "True"}
    assert client.post("/portal/report/", {**body, "title": "First"}).status_code == 302
    refused = client.post("/portal/report/", {**body, "title": "Second"})
    assert refused.status_code == 429
    assert refused.context["form"]["title"].value() == "Second"
