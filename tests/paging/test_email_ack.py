"""Replying `ack` to a page e-mail acknowledges, for the paged person only."""

from email.message import EmailMessage

import pytest
from django.core import mail

from email_intake.choices import Outcome
from email_intake.services import ingest_message
from incidents.choices import Status
from paging.models import Page

pytestmark = pytest.mark.django_db


def _reply(page: Page, sender: str, body: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "servicedesk@example.com"
    message["Subject"] = f"Re: [{page.incident.number}] Paged"
    message["Message-ID"] = f"<reply-{page.pk}-{sender}@example.net>"
    message["In-Reply-To"] = page.message_id
    message["References"] = page.message_id
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def page(policy, raise_p1, responder):
    raise_p1()
    return Page.objects.get(user=responder)


def test_the_paged_person_replying_ack_acknowledges(page, responder):
    result = ingest_message(_reply(page, responder.email, "ACK, on it\n\n> quoted page"))
    page.incident.refresh_from_db()
    assert page.incident.status == Status.ACKNOWLEDGED
    assert page.incident.history.latest().history_user == responder
    assert result.status == Outcome.ACKNOWLEDGED


def test_someone_else_replying_ack_is_refused(page, other_responder):
    result = ingest_message(_reply(page, other_responder.email, "ack"))
    page.incident.refresh_from_db()
    assert page.incident.status == Status.NEW
    assert result.status == Outcome.REJECTED
    assert "Only the person who was paged" in result.reason


def test_a_reply_that_does_not_start_with_ack_is_a_comment(page, responder):
    mail.outbox.clear()
    result = ingest_message(_reply(page, responder.email, "Looking at the router now"))
    page.incident.refresh_from_db()
    assert page.incident.status == Status.NEW
    assert result.status == Outcome.COMMENTED
