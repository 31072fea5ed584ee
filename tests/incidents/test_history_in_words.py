"""Histories and timelines in words, the same at every door: people by name, choices and
related rows by label, moments in the viewer's time zone to the minute, and no lines for
what did not change (incidents/changes.py)."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import api_token_create
from incidents import services
from incidents.admin.timeline import readable_timeline
from incidents.choices import Channel
from incidents.models import HoldReason, Incident
from reviews.services import review_start
from tests.api.conftest import url

pytestmark = pytest.mark.django_db
A = Channel.ADMIN
# 01:15 UTC is 02:15 in Berlin (winter time).
START = datetime(2026, 12, 1, 1, 15, 10, tzinfo=UTC)


def fresh():
    return Incident.objects.get()


@pytest.fixture
def worked(make_incident, service, responder, manager):
    """Reported, acknowledged, assigned to the responder, held and resumed, declared
    major, then two public updates within one minute (each moves the next update due by
    seconds)."""
    with time_machine.travel(START, tick=True):
        incident = make_incident(service=service)
        services.incident_acknowledge(incident=incident, actor=responder, via=A)
        services.incident_assign(incident=fresh(), actor=responder, via=A, assignee=responder)
        reason = HoldReason.objects.filter(active=True).first()
        services.incident_hold(incident=fresh(), actor=responder, via=A, reason=reason)
        services.incident_resume(incident=fresh(), actor=responder, via=A)
        services.incident_declare_major(incident=fresh(), actor=manager, via=A)
        services.incident_comment(
            incident=fresh(), author=responder, body="On it", via=A, public=True
        )
    with time_machine.travel(START.replace(second=40), tick=True):
        services.incident_comment(
            incident=fresh(), author=responder, body="Still", via=A, public=True
        )
    return fresh()


def _text(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("&rarr;", "→")
    return re.sub(r"\s+", " ", text)


def test_the_history_page_reads_in_words(manager, worked, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("admin:incidents_incident_history", args=[worked.pk]))
    page = _text(response.content.decode())
    assert "Assignee: – → Agent" in page
    assert "Status: On hold" in page and "on_hold" not in page
    assert "2026-12-01 02:15" in page  # Berlin time, to the minute
    assert "pk=None" not in page and "Deleted hold reason" not in page
    assert "Next update due" not in page  # moved by seconds only
    assert "Version:" not in page


def test_the_change_page_timeline_leaves_out_no_op_changes(worked):
    updates = worked.history.filter(history_change_reason="Public update via Admin")
    assert len({record.next_update_due for record in updates}) == 2  # moved, by seconds
    changes = [c for entry in readable_timeline(worked) for c in entry.changes]
    assert ("assignee", "–", "Agent") in changes
    assert not any(name == "next update due" for name, _, _ in changes)
    assert ("major incident", "no", "yes") in changes


def test_the_review_timeline_names_people_and_shows_local_minutes(worked, manager):
    with timezone.override(ZoneInfo("Europe/Berlin")):
        review = review_start(incident=worked, actor=manager)
        lines = [(str(item), item.body) for item in review.timeline.all()]
    assigned = next(body for line, body in lines if "Assigned" in line)
    assert assigned == "assignee: – → Agent"
    acknowledged = next(body for line, body in lines if "Acknowledged" in line)
    assert "acknowledged at: – → 2026-12-01 02:15" in acknowledged
    assert all(line.startswith("2026-12-01 02:15 ") for line, _ in lines)
    assert review.timeline.filter(at__second__gt=0).count() == 0


def test_the_api_history_gives_moments_in_iso_8601(responder, worked):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=responder, name='t')[1]}")
    entries = api.get(url(f"incidents/{worked.number}/history/")).json()
    changes = {c["field"]: c for entry in entries for c in entry["changes"]}
    acknowledged = datetime.fromisoformat(changes["acknowledged_at"]["new"])
    assert acknowledged.replace(second=0, microsecond=0) == START.replace(second=0)
    assert "T" in changes["acknowledged_at"]["new"]
    assert "next_update_due" not in changes


def test_the_portal_shows_update_times_in_the_one_format(reporter, worked, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    client = Client()
    client.force_login(reporter)
    page = client.get(worked.get_absolute_url()).content.decode()
    assert ">2026-12-01 02:15</time>" in page
