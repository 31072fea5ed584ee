"""End to end: each e-mail in its recipient's language and time zone, rendered by a real
Celery worker (no request, no browser) and received by a real SMTP server."""

from zoneinfo import ZoneInfo

import pytest

from incidents import services
from incidents.choices import Channel
from incidents.models import Comment
from profiles.services import profile_save
from tests.notifications.live import raw_text, restore_catalogue, subjects

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ADMIN = Channel.ADMIN


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    restore_catalogue()


def test_each_recipient_reads_the_incident_mails_in_their_language_and_zone(
    celery_worker,
    smtp_server,
    make_incident,
    service,
    reporter,
    other_reporter,
    responder,
    manager,
):
    profile_save(user=reporter, language="fr", time_zone="Europe/Paris")
    profile_save(user=responder, language="de", time_zone="America/New_York")
    incident = make_incident(service=service)
    services.incident_watch(incident=incident, user=other_reporter, actor=manager, via=ADMIN)
    services.incident_assign(incident=incident, assignee=responder, actor=manager, via=ADMIN)
    services.incident_comment(
        incident=incident, author=responder, body="Gateway restarted.", via=ADMIN, public=True
    )
    smtp_server.wait_for(5)
    number = incident.number
    # The reporter chose French; the watcher has no profile (LANGUAGE_CODE); the responder
    # chose German; the team's mailbox is no person (LANGUAGE_CODE).
    assert subjects(smtp_server, reporter.email) == [
        f"[{number}] Mise à jour : VPN down",
        f"[{number}] Reçu : VPN down",
    ]
    assert subjects(smtp_server, other_reporter.email) == [f"[{number}] Update: VPN down"]
    assert subjects(smtp_server, responder.email) == [f"[{number}] Ihnen zugewiesen: VPN down"]
    assert subjects(smtp_server, "network@example.com") == [f"[{number}] New P3 incident: VPN down"]

    received = next(m for m in smtp_server.to(reporter.email) if "Reçu" in m["subject"])
    assert "Nous avons reçu votre signalement « VPN down »" in raw_text(received)
    assert "Vous recevez ce message parce que vous avez signalé cet incident." in raw_text(received)

    comment = Comment.objects.get(incident=incident, public=True)
    in_paris = comment.created_at.astimezone(ZoneInfo("Europe/Paris"))
    update = next(m for m in smtp_server.to(reporter.email) if "Mise à jour" in m["subject"])
    assert f"{in_paris:%H:%M} CET" in raw_text(update)
    watcher_update = smtp_server.to(other_reporter.email)[0]
    assert f"{comment.created_at.astimezone(ZoneInfo('UTC')):%H:%M} UTC" in raw_text(watcher_update)


def test_the_acknowledge_by_time_of_an_assignment_is_in_the_assignees_zone(
    celery_worker, smtp_server, make_incident, service, responder, manager
):
    profile_save(user=responder, language="de", time_zone="Asia/Tokyo")
    incident = make_incident(service=service)
    services.incident_assign(incident=incident, assignee=responder, actor=manager, via=ADMIN)
    smtp_server.wait_for(3)
    incident.refresh_from_db()
    assigned = smtp_server.to(responder.email)[0]
    due = incident.response_due.astimezone(ZoneInfo("Asia/Tokyo"))
    text = raw_text(assigned)
    assert "Bestätigen Sie ihn bis" in text and f"{due:%H:%M} JST" in text
