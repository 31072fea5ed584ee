"""End to end with a real worker, Redis and SMTP server: declaring a major incident attaches
the plan's checklist once and tells the engaged team by e-mail."""

import time

import pytest

from incidents import services as incident_services
from incidents.choices import Channel
from incidents.models import Team
from preparedness.models import Engagement, IncidentTask
from tests.notifications.live import restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_major_declaration_attaches_the_checklist_and_mails_the_engaged_team(
    celery_worker, smtp_server, incident, default_plan, manager, make_user
):
    restore_catalogue()
    fred = make_user("fred", email="fred@example.com")
    facilities = Team.objects.create(name="Facilities", slug="facilities", lead=fred)
    Engagement.objects.create(plan=default_plan, team=facilities, priorities=["P1"])

    incident_services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)

    assert wait_until(lambda: IncidentTask.objects.filter(incident=incident).count() == 4)
    assert wait_until(lambda: smtp_server.to("fred@example.com"))
    message = smtp_server.to("fred@example.com")[0]
    assert incident.number in message["subject"]
    time.sleep(1)  # a second handling would have added more by now
    assert IncidentTask.objects.filter(incident=incident).count() == 4
    assert len(smtp_server.to("fred@example.com")) == 1
    first = IncidentTask.objects.filter(incident=incident).order_by("position").first()
    assert first.history.earliest().history_user == manager
