"""End to end: the resolved mail, sent by a real Celery worker on Redis to a real SMTP
server, carries five rating links; following one and sending the form records the rating,
and a low one reaches the team lead the same way."""

import re
import time

import pytest
from django.test import Client

from incidents import services
from incidents.choices import Channel
from satisfaction.models import Rating
from tests.notifications.live import raw_text, restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://[^\s\"<>]+/rate/[^\s\"<>/]+/")


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    restore_catalogue()


def test_the_resolved_mail_has_five_links_and_a_low_rating_reaches_the_lead(
    celery_worker, smtp_server, make_incident, service, reporter, responder, settings
):
    incident = make_incident(service=service)
    services.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Gateway restarted.",
    )
    resolved = wait_until(
        lambda: [m for m in smtp_server.to(reporter.email) if "Resolved" in m["subject"]]
    )
    assert resolved, "the reporter's resolved mail never arrived"
    message = resolved[0]["message"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    text_links = LINK.findall(text)
    html_links = LINK.findall(html)
    assert len(text_links) == 5 and len(set(text_links)) == 5
    assert sorted(set(html_links)) == sorted(text_links)
    assert all(link.startswith(f"{settings.SITE_URL}/rate/") for link in text_links)

    path = text_links[0].removeprefix(settings.SITE_URL)  # the "1 – Very dissatisfied" one
    page = Client().get(path)
    assert page.status_code == 200 and not Rating.objects.exists()
    assert re.search(r'value="1"[^>]*checked', page.content.decode())
    assert Client().post(path, {"score": "1", "comment": "Took days."}).status_code == 302
    assert Rating.objects.get(incident=incident).score == 1

    low = wait_until(
        lambda: [m for m in smtp_server.to("manager@example.com") if "satisfaction" in m["subject"]]
    )
    assert [m["subject"] for m in low] == ["[INC0001001] Low satisfaction rating (1/5): VPN down"]
    assert "Took days." in raw_text(low[0])
    time.sleep(1)  # a second mail to the lead would arrive now
    lead = [m for m in smtp_server.to("manager@example.com") if "satisfaction" in m["subject"]]
    assert len(lead) == 1
