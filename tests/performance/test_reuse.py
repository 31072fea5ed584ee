"""Objects that cost CPU to build are built once per process, not per request."""

import pytest
from django.core.cache import caches

from incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_built_once(make_incident):
    incident = make_incident()
    assert type(Incident.history) is type(Incident.history)
    assert type(incident.history) is type(incident.history)
    # and each access still answers for its own incident
    assert list(incident.history.values_list("history_type", flat=True)) == ["+"]
    assert Incident.history.filter(id=incident.pk).count() == 1


def test_the_redis_cache_reuses_its_client(settings):
    broker = settings.CELERY_BROKER_URL
    server = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    settings.CACHES = {"default": {"BACKEND": "itsm.cache.RedisCache", "LOCATION": server + "/14"}}
    try:
        backend = caches["default"]._cache
        assert backend.get_client(write=True) is backend.get_client()
        caches["default"].set("test:reuse", 1, 5)  # and it still talks to Redis
        assert caches["default"].get("test:reuse") == 1
    finally:
        caches["default"].close()


def test_serializer_fields_are_made_once_but_each_instance_has_its_own(make_incident, rf, settings):
    from django.utils import translation

    from api.serializers.incidents import IncidentCreateSerializer, IncidentSerializer

    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    incident = make_incident()
    one, two = (
        IncidentSerializer(incident, context={"request": rf.get("/", HTTP_HOST=host)})
        for host in ("one.example", "two.example")
    )
    assert one.fields["url"] is not two.fields["url"]
    assert one.fields["url"].parent is one and two.fields["url"].parent is two
    assert one.data["url"].startswith("http://one.example/")
    assert two.data["url"].startswith("http://two.example/")
    # Messages made once still follow each request's language.
    with translation.override("de"):
        german = IncidentCreateSerializer(data={"impact": "huge"})
        assert not german.is_valid()
        assert "gültige" in str(german.errors["impact"][0])
    english = IncidentCreateSerializer(data={"impact": "huge"})
    assert not english.is_valid() and "valid choice" in str(english.errors["impact"][0])


def test_a_create_reads_the_services_and_the_rulebook_in_one_cache_round_trip(
    db, service, monkeypatch
):
    from django.core.cache import cache

    from incidents import cached
    from incidents.catalog_cache import active_services, prefetch_for_create
    from incidents.rulebook import rulebook

    active_services(), rulebook()  # both in the cache, as after the first create
    trips, get = [], cache.get

    def counted_get(*args, **kwargs):
        trips.append("get")
        return get(*args, **kwargs)

    def counted_get_many(keys, **kwargs):
        trips.append("get_many")
        return {key: value for key in keys if (value := get(key)) is not None}

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    cached.begin_unit()
    try:
        prefetch_for_create()
        assert service.pk in active_services().by_pk
        assert rulebook().matrix
    finally:
        cached.end_unit()
    assert trips == ["get_many"]
