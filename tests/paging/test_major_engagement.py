"""Declaring a major incident pages the incident managers and runs every affected team's
policy, whatever the priority, and the timeline says who was engaged."""

import pytest

from incidents import services
from incidents.choices import Channel, Level
from incidents.selectors import incident_timeline
from paging.models import Escalation, Page, PageStatus

pytestmark = pytest.mark.django_db


def test_declaring_major_pages_managers_and_runs_the_teams_policy(
    policy, make_incident, service, responder, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # P4: step 1 notified only
        incident = make_incident(service=service, impact=Level.LOW, urgency=Level.LOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_declare_major(incident=incident, actor=responder, via=Channel.ADMIN)

    manager_pages = Page.objects.filter(user=manager, step__isnull=True, status=PageStatus.SENT)
    assert manager_pages.count() == 1
    # Step 1 notified the responder at creation, and paged them again on the declaration.
    assert Page.objects.filter(user=responder, step=0, status=PageStatus.SENT).count() == 2
    assert Escalation.objects.get(incident=incident).reason == "major"
    entry = next(e for e in incident_timeline(incident) if e.title == "Major incident engagement")
    assert manager.username in entry.body and "Network" in entry.body
