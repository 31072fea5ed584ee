"""Alerts appear on the incident's timeline, next to its history."""

import pytest

from incidents.models import Incident
from incidents.selectors import incident_timeline
from tests.integrations.conftest import resolved, sample

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_each_alert_firing_and_resolving_with_its_count(post_alerts):
    post_alerts(sample("group-two-firing"))
    post_alerts(sample("group-two-firing"))
    post_alerts(resolved(sample("group-two-firing")))

    entries = incident_timeline(Incident.objects.get())

    alerts = [entry for entry in entries if entry.kind == "alert"]
    titles = [entry.title for entry in alerts]
    assert titles.count("Alert firing: DiskSpaceLow (received 3 times)") == 2
    assert titles.count("Alert resolved: DiskSpaceLow") == 2
    assert all(entry.actor == "Prometheus" and not entry.public for entry in alerts)
    assert "instance=db-1:9100" in alerts[0].body
    assert "Disk /var almost full on db-1" in alerts[0].body
    resolution = [e for e in entries if e.title == "Resolved via Monitoring"]
    assert resolution and resolution[0].at >= alerts[0].at


def test_alert_entries_cost_one_query_however_many_alerts(post_alerts, django_assert_num_queries):
    from integrations.selectors import alert_timeline

    post_alerts(sample("group-two-firing"))
    incident = Incident.objects.get()
    with django_assert_num_queries(1):
        assert len(alert_timeline(incident)) == 2


def test_html_from_an_alert_is_escaped_on_the_incident_page(client, responder, post_alerts):
    from django.urls import reverse

    from tests.integrations.conftest import generated

    post_alerts(
        generated(
            "X", {"fingerprint": "h", "annotations": {"summary": "<script>alert(1)</script>"}}
        )
    )
    client.force_login(responder)
    incident = Incident.objects.get()
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
