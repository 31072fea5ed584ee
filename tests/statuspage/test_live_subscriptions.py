"""End to end, through the real SMTP server and a real Celery worker: subscribe, confirm
from the mail's link, receive an update, and leave with the one-click unsubscribe header."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from incidents import services
from incidents.choices import Channel
from statuspage.models import Subscriber
from tests.notifications.live import raw_text, restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ADDRESS = "sam@example.org"


def mails(inbox, subject_start: str = "") -> list:
    return [m for m in inbox.to(ADDRESS) if m["subject"].startswith(subject_start)]


def test_subscribe_confirm_receive_an_update_and_unsubscribe_in_one_click(
    celery_worker, smtp_server, make_incident, responder, service
):
    restore_catalogue()
    visitor = Client(enforce_csrf_checks=False)
    response = visitor.post("/status/subscribe/", {"email": ADDRESS, "services": [service.pk]})
    assert response.status_code == 200

    [confirmation] = wait_until(lambda: mails(smtp_server, "Confirm"))
    path = re.search(r"/status/subscribe/confirm/\S+/", raw_text(confirmation)).group(0)
    assert "Confirm my subscription" in visitor.get(path).content.decode()
    assert Subscriber.objects.get().confirmed_at is None  # opening the link is not enough
    assert "You are subscribed" in visitor.post(path).content.decode()

    incident = make_incident(title="VPN slow from home", service=service)
    services.incident_comment(
        incident=incident,
        author=responder,
        body="A gateway is being replaced.",
        public=True,
        via=Channel.ADMIN,
    )
    [update] = wait_until(lambda: mails(smtp_server, "Update:"))
    assert update["subject"] == "Update: VPN slow from home"
    assert "A gateway is being replaced." in raw_text(update)
    assert incident.number not in raw_text(update)
    assert len(wait_until(lambda: mails(smtp_server, "Incident:"))) == 1  # another batch
    message = update["message"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip().strip("<>")
    token = Subscriber.objects.get().token
    assert urlsplit(url).path == f"/status/unsubscribe/{token}/"

    # What a mail client does for RFC 8058: a POST with this body, no cookie, no token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        urlsplit(url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()

    before = len(smtp_server.to(ADDRESS))
    services.incident_comment(
        incident=incident, author=responder, body="Back soon.", public=True, via=Channel.ADMIN
    )
    smtp_server.wait_for(len(smtp_server.messages) + 10, timeout=3)
    assert len(smtp_server.to(ADDRESS)) == before
