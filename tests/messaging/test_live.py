"""End to end: a real Celery worker on Redis posts a new P1 to a local chat receiver."""

import pytest

from messaging.models import ChannelMessage, TeamChannel
from tests.notifications.live import restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_p1_created_through_the_service_reaches_the_teams_rooms(
    celery_worker, receiver, make_incident, service, settings
):
    restore_catalogue()
    team = service.owner_team
    TeamChannel.objects.create(team=team, name="Mattermost", url=receiver.url("mmost", "tok3n"))
    TeamChannel.objects.create(team=team, name="Push", url=receiver.url("ntfy", "ops-alerts"))
    incident = make_incident(service=service, priority="P1", title="Core switch down")
    received = receiver.wait_for(2)
    assert sorted(r.path for r in received) == ["/", "/hooks/tok3n"]
    link = f"{settings.SITE_URL}/admin/incidents/incident/{incident.pk}/change/"
    for request in received:
        assert f"[P1] {incident.number} Core switch down" in request.text
        assert f"Acknowledge: {link}" in request.text
    assert wait_until(lambda: ChannelMessage.objects.filter(status="sent").count() == 2)


def test_a_p4_created_through_the_service_is_not_posted(
    celery_worker, receiver, make_incident, service
):
    restore_catalogue()
    TeamChannel.objects.create(
        team=service.owner_team, name="Mattermost", url=receiver.url("mmost", "tok3n")
    )
    make_incident(service=service, priority="P1", title="Loud")
    make_incident(service=service, priority="P4", title="Quiet")
    received = receiver.wait_for(2, timeout=5)
    assert [("Loud" in r.text, "Quiet" in r.text) for r in received] == [(True, False)]
