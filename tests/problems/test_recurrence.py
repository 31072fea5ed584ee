"""Recurrence: the same service, title or alert key N times in 30 days suggests a problem."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.exceptions import DomainError
from incidents.models import Service
from problems import selectors, services

pytestmark = pytest.mark.django_db


def opened_days_ago(make_incident, days, **fields):
    return make_incident(opened_at=timezone.now() - timedelta(days=days), **fields)


def test_three_incidents_on_one_service_within_30_days_are_suggested(make_incident, service):
    made = [make_incident(title=f"VPN issue {i}", service=service) for i in range(3)]
    suggestions = selectors.recurrence_suggestions()
    assert [(s.key, s.reason, s.label, s.count) for s in suggestions] == [
        (f"service:{service.pk}", "service", "VPN", 3)
    ]
    assert [i.pk for i in suggestions[0].incidents] == [i.pk for i in made]


def test_two_incidents_are_not_yet_a_pattern(make_incident, service):
    make_incident(title="One", service=service)
    make_incident(title="Two", service=service)
    assert selectors.recurrence_suggestions() == []


def test_the_threshold_follows_the_setting(make_incident, service, settings):
    settings.ITSM_RECURRENCE_THRESHOLD = 2
    make_incident(title="One", service=service)
    make_incident(title="Two", service=service)
    assert len(selectors.recurrence_suggestions()) == 1


def test_incidents_older_than_the_window_do_not_count(make_incident, service):
    opened_days_ago(make_incident, 31, title="Old", service=service)
    opened_days_ago(make_incident, 29, title="Recent", service=service)
    opened_days_ago(make_incident, 1, title="New", service=service)
    assert selectors.recurrence_suggestions() == []


def test_incidents_already_linked_to_a_problem_are_not_suggested_again(
    make_incident, service, responder
):
    made = [make_incident(title=f"VPN {i}", service=service) for i in range(3)]
    services.problem_create(title="VPN drops", actor=responder, incidents=made[:1])
    assert selectors.recurrence_suggestions() == []


def test_the_same_title_on_different_services_is_suggested_once_as_a_title(make_incident, service):
    other = Service.objects.create(name="Wi-Fi", slug="wifi")
    for target in (service, other, None):
        make_incident(title="  Printer offline ", service=target)
    suggestions = selectors.recurrence_suggestions()
    assert [(s.reason, s.label, s.count) for s in suggestions] == [("title", "Printer offline", 3)]


def test_a_set_of_incidents_matching_by_service_and_title_is_suggested_once(make_incident, service):
    for _ in range(3):
        make_incident(title="VPN down", service=service)
    assert len(selectors.recurrence_suggestions()) == 1


def test_incidents_grouped_under_one_alert_key_are_suggested(make_incident):
    from integrations.choices import Kind
    from integrations.models import AlertGroup
    from integrations.services import integration_create

    integration, _ = integration_create(kind=Kind.ALERTMANAGER, name="Prometheus")
    now = timezone.now()
    for number in range(3):
        incident = make_incident(title=f"Disk nearly full ({number})")
        AlertGroup.objects.create(
            integration=integration,
            key="disk-full:db01",
            incident=incident,
            title=incident.title,
            opened_at=now,
            last_fired_at=now,
            open=False,
            closed_at=now,
        )
    suggestions = selectors.recurrence_suggestions()
    assert [(s.key, s.reason, s.count) for s in suggestions] == [
        ("alert:disk-full:db01", "alert key", 3)
    ]


def test_a_suggestion_becomes_a_problem_linking_its_incidents(make_incident, service, responder):
    made = [make_incident(title=f"VPN {i}", service=service) for i in range(3)]
    problem = services.problem_create_from_suggestion(key=f"service:{service.pk}", actor=responder)
    assert problem.number.startswith("PRB")
    assert problem.service == service
    assert set(problem.incidents.values_list("pk", flat=True)) == {i.pk for i in made}
    assert selectors.recurrence_suggestions() == []


def test_a_suggestion_that_no_longer_applies_is_refused_clearly(responder):
    with pytest.raises(DomainError, match="no longer applies"):
        services.problem_create_from_suggestion(key="service:999", actor=responder)


def test_suggestions_take_a_fixed_number_of_queries(
    make_incident, service, django_assert_num_queries
):
    for i in range(6):
        make_incident(title=f"VPN {i}", service=service)
    # services over the threshold, titles over it, alert keys, the suggested incidents
    with django_assert_num_queries(4):
        selectors.recurrence_suggestions()
