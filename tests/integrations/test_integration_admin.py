"""Integrations in the admin and on the command line: the token is shown once and only
its digest is stored; managers configure, responders read what monitoring recorded."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from integrations.models import Alert, Integration
from tests.integrations.conftest import ALERTMANAGER_URL, generated, sample

pytestmark = pytest.mark.django_db


def add_form(**overrides):
    form = {
        "name": "Prometheus prod",
        "kind": "alertmanager",
        "active": "on",
        "severity_priority": '{"critical": "P1", "error": "P2", "warning": "P3", "info": "P5"}',
        "default_priority": "P3",
        "auto_resolve": "on",
        "grouping_labels": "",
        "rate_limit_per_minute": "120",
    }
    form.update(overrides)
    return form


def test_a_manager_creates_an_integration_and_sees_its_token_once(client, manager):
    client.force_login(manager)
    response = client.post(reverse("admin:integrations_integration_add"), add_form())

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = response.context["token"]
    assert token in response.content.decode()
    integration = Integration.objects.get()
    assert integration.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Integration.objects.values().get())
    change_page = client.get(
        reverse("admin:integrations_integration_change", args=[integration.pk])
    )
    assert token not in change_page.content.decode()
    assert integration.token_prefix in change_page.content.decode()
    assert not integration.service_user.is_active
    assert not integration.service_user.has_usable_password()


def test_the_token_from_the_admin_works_on_the_endpoint(client, manager):
    client.force_login(manager)
    token = client.post(reverse("admin:integrations_integration_add"), add_form()).context["token"]
    client.logout()
    response = client.post(
        ALERTMANAGER_URL,
        data=sample("firing"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200


def test_a_bad_priority_mapping_is_refused_with_a_message(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:integrations_integration_add"),
        add_form(severity_priority='{"critical": "urgent"}'),
    )
    assert response.status_code == 200
    assert "Map each severity to a priority" in response.content.decode()
    assert not Integration.objects.exists()


def test_rotating_the_token_shows_a_new_one_and_the_old_one_stops_working(
    client, manager, alertmanager
):
    integration, old_token = alertmanager
    client.force_login(manager)
    response = client.post(
        reverse("admin:integrations_integration_changelist"),
        {"action": "rotate_token", "_selected_action": [integration.pk]},
    )
    new_token = response.context["token"]
    assert new_token != old_token
    client.logout()
    auth = {"content_type": "application/json", "data": sample("firing")}
    old = client.post(ALERTMANAGER_URL, headers={"Authorization": f"Bearer {old_token}"}, **auth)
    new = client.post(ALERTMANAGER_URL, headers={"Authorization": f"Bearer {new_token}"}, **auth)
    assert (old.status_code, new.status_code) == (401, 200)


def test_responders_cannot_see_integrations_but_can_read_alerts(client, responder, post_alerts):
    post_alerts(sample("firing"))
    client.force_login(responder)
    assert client.get(reverse("admin:integrations_integration_changelist")).status_code == 403
    assert client.get(reverse("admin:integrations_alertgroup_changelist")).status_code == 200
    alert = Alert.objects.get()
    page = client.get(reverse("admin:integrations_alert_change", args=[alert.pk]))
    assert page.status_code == 200
    assert "HighErrorRate" in page.content.decode()
    assert (
        client.post(reverse("admin:integrations_alert_delete", args=[alert.pk])).status_code == 403
    )


def test_html_in_labels_is_escaped_on_the_alert_page(client, responder, post_alerts):
    post_alerts(
        generated(
            "X", {"fingerprint": "h", "annotations": {"summary": "<script>alert(1)</script>"}}
        )
    )
    client.force_login(responder)
    alert = Alert.objects.get()
    content = client.get(reverse("admin:integrations_alert_change", args=[alert.pk])).content
    assert b"<script>alert(1)</script>" not in content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_alert_group_list_costs_the_same_queries_for_one_or_eleven_groups(
    client, responder, post_alerts
):
    client.force_login(responder)
    url = reverse("admin:integrations_alertgroup_changelist")
    post_alerts(generated("A", {"fingerprint": "a"}))
    one = _count(client, url)
    for name in "BCDEFGHIJK":
        post_alerts(generated(name, {"fingerprint": name}))
    assert _count(client, url) == one  # integration, incident, service joined; count annotated


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_create_integration_prints_the_token_as_the_last_line(capsys, service):
    call_command(
        "create_integration", "--kind", "events", "--name", "Cron jobs", "--service", "vpn"
    )
    lines = capsys.readouterr().out.strip().splitlines()
    integration = Integration.objects.get()
    assert integration.default_service == service
    assert integration.kind == "events"
    assert integration.token_digest == hashlib.sha256(lines[-1].encode()).hexdigest()


def test_create_integration_with_an_unknown_service_says_which_exist(service):
    with pytest.raises(CommandError, match="No service with slug 'nope'.*vpn"):
        call_command(
            "create_integration", "--kind", "alertmanager", "--name", "P", "--service", "nope"
        )
    assert not Integration.objects.exists()


def test_create_integration_refuses_a_duplicate_name(make_integration):
    make_integration("alertmanager", name="Prometheus")
    with pytest.raises(CommandError, match="name"):
        call_command("create_integration", "--kind", "alertmanager", "--name", "Prometheus")
