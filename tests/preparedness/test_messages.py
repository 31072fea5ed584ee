"""Message templates filled in for one incident: the public words, the viewer's time zone,
and placeholders that are only ever replaced, never evaluated."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from preparedness.models import MessageTemplate
from preparedness.services import message_render

pytestmark = pytest.mark.django_db


def template(body, subject=""):
    return MessageTemplate(name="T", slug="t", stage="investigating", subject=subject, body=body)


def test_placeholders_are_filled_with_what_end_users_see(incident):
    subject, body = message_render(
        template=template(
            "{number} {title}: {service} has {impact} impact ({priority}).", "{service} down"
        ),
        incident=incident,
    )
    assert subject == "VPN down"
    assert body == (
        f"{incident.number} VPN down: VPN has Medium impact ({incident.priority_in_words})."
    )


def test_the_next_update_is_shown_in_the_readers_time_zone(incident):
    moment = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    with timezone.override("Europe/Berlin"):
        _, body = message_render(
            template=template("Next update by {next_update}."),
            incident=incident,
            next_update=moment,
        )
    assert body == "Next update by 2026-12-01 15:30 CET."


def test_the_incidents_next_update_due_is_used_when_none_is_given(incident):
    incident.next_update_due = None
    _, body = message_render(template=template("Next: {next_update}"), incident=incident)
    assert body == "Next: as soon as we know more"


def test_unknown_placeholders_stay_visible_and_nothing_is_evaluated(incident):
    text = "{customer} {title.__class__} {service.__init__.__globals__} {0} {} {{service}}"
    _, body = message_render(template=template(text), incident=incident)
    assert body == "{customer} {title.__class__} {service.__init__.__globals__} {0} {} {VPN}"


def test_a_monitoring_incidents_alert_title_is_not_published(make_incident, service):
    alert = make_incident(title="DiskSpaceLow on db-1", service=service, via="monitoring")
    _, body = message_render(template=template("{title}"), incident=alert)
    assert "db-1" not in body and body == "VPN degraded"
