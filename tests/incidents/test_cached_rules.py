"""Creates read the priority matrix, the SLA policies and the active services from the
cache. A manager's change to any of them applies to the very next incident, whichever
door changed it, and a cache that is down never stops an incident being reported."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from incidents import catalog_cache
from incidents.models import HoldReason, Incident, PriorityRule, ResolutionCode, SLAPolicy

pytestmark = pytest.mark.django_db


def report(client, service, title="Printer jammed"):
    body = {"title": title, "service": service.pk, "impact": "low", "urgency": "low"}
    return client.post(reverse("portal:report"), {**body, "confirm_new": "True"})


def test_a_changed_priority_cell_applies_to_the_next_incident(make_incident, service):
    assert make_incident(service=service, impact="low", urgency="low").priority == "P5"
    cell = PriorityRule.objects.get(impact="low", urgency="low")
    cell.priority = "P4"
    cell.save()
    assert make_incident(service=service, impact="low", urgency="low").priority == "P4"


def test_a_changed_sla_target_applies_to_the_next_incident(make_incident, service):
    first = make_incident(service=service, impact="low", urgency="low")
    policy = SLAPolicy.objects.get(priority=first.priority)
    policy.response_minutes += 60
    policy.save()
    second = make_incident(service=service, impact="low", urgency="low")
    first_target = first.response_due - first.opened_at
    second_target = second.response_due - second.opened_at
    assert round((second_target - first_target).total_seconds() / 60) == 60


def test_a_deleted_sla_policy_leaves_the_next_incident_without_targets(make_incident, service):
    make_incident(service=service, impact="low", urgency="low")
    SLAPolicy.objects.filter(priority="P5").get().delete()
    incident = make_incident(service=service, impact="low", urgency="low")
    assert incident.response_due is None and incident.resolution_due is None


def test_a_service_taken_out_of_use_is_refused_at_once(client, reporter, service):
    client.force_login(reporter)
    assert report(client, service).status_code == 302  # the snapshot now holds the service
    service.active = False
    service.save()
    response = report(client, service, title="Still jammed")
    assert response.status_code == 200
    assert "service" in response.context["form"].errors
    assert Incident.objects.filter(title="Still jammed").count() == 0


def test_reports_go_through_when_the_cache_is_down(client, reporter, service, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    cache.close()  # the next access connects with the settings above
    client.force_login(reporter)
    response = report(client, service)
    assert response.status_code == 302
    incident = Incident.objects.get(title="Printer jammed")
    assert incident.priority == "P5" and incident.service_id == service.pk
    assert incident.response_due is not None


def test_a_report_reads_each_cached_rule_once(client, reporter, service, monkeypatch):
    from incidents import cached

    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cached.cache, "get", counting_get)
    client.force_login(reporter)
    assert report(client, service).status_code == 302
    rule_reads = [key for key in reads if key.startswith("incidents:")]
    assert sorted(rule_reads) == sorted(set(rule_reads))  # the rulebook: priority and SLA


def test_a_rule_changed_during_a_request_applies_within_it(make_incident, service):
    from incidents import cached
    from incidents.rulebook import priority_for

    cached.begin_unit()
    try:
        assert priority_for("low", "low") == "P5"
        cell = PriorityRule.objects.get(impact="low", urgency="low")
        cell.priority = "P4"
        cell.save()
        assert priority_for("low", "low") == "P4"
    finally:
        cached.end_unit()


def test_a_renamed_hold_reason_or_resolution_code_is_named_at_once(
    make_incident, django_assert_num_queries
):
    reason = HoldReason.objects.create(code="vendor", name="Awaiting vendor")
    code = ResolutionCode.objects.create(code="patched", name="Patched")
    incident = make_incident()
    Incident.objects.filter(pk=incident.pk).update(hold_reason=reason, resolution_code=code)
    catalog_cache.hold_codes_from_cache(Incident.objects.get(pk=incident.pk))  # now cached
    reason.name, code.name = "Awaiting the vendor", "Patched upstream"
    reason.save()
    code.save()
    shown = Incident.objects.get(pk=incident.pk)
    catalog_cache.hold_codes_from_cache(shown)
    with django_assert_num_queries(0):  # both from the cache, as renamed
        assert (shown.hold_reason.name, shown.resolution_code.name) == (
            "Awaiting the vendor",
            "Patched upstream",
        )
