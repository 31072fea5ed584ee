"""Automatic mail (auto-replies, bounces, list traffic, our own notifications) is ignored, so
an out-of-office answer to a notification can never start a mail loop."""

import pytest

from email_intake.choices import Outcome
from email_intake.models import InboundMessage
from email_intake.services import ingest_message
from incidents.models import Comment, Incident
from tests.email_intake.conftest import eml

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"Auto-Submitted": "auto-generated; owner-email=x@example.com"}, "auto-generated"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Precedence: junk"),
        ({"Precedence": "list"}, "Precedence: list"),
        ({"X-Autoreply": "yes"}, "X-Autoreply"),
        ({"List-Id": "<staff.lists.example.com>"}, "List-Id"),
        ({"Return-Path": "<>"}, "empty Return-Path"),
        ({"Return-Path": "<MAILER-DAEMON@mx.example.com>"}, "mail daemon"),
    ],
)
def test_an_automatic_message_is_ignored_and_recorded(reporter, headers, reason):
    result = ingest_message(eml(subject="Out of office", headers=headers))

    assert result.status == Outcome.IGNORED and reason in result.reason
    assert not Incident.objects.exists()
    assert InboundMessage.objects.get().reason == result.reason


def test_an_out_of_office_reply_to_a_notification_adds_no_comment(reporter, make_incident):
    incident = make_incident()

    ingest_message(
        eml(
            subject=f"Automatic reply: [{incident.number}] Received: VPN down",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )

    assert not Comment.objects.exists()


def test_auto_submitted_no_marks_a_message_a_person_wrote(reporter):
    result = ingest_message(eml(headers={"Auto-Submitted": "no", "Precedence": "first-class"}))

    assert result.status == Outcome.CREATED


def test_a_bounce_from_mailer_daemon_is_ignored(db):
    raw = eml(sender="Mail Delivery System <MAILER-DAEMON@mx.example.com>", subject="Undelivered")

    assert "mail daemon" in ingest_message(raw).reason


def test_a_delivery_report_is_ignored_even_from_a_known_address(reporter):
    message = eml().replace(b"Content-Type: text/plain", b"Content-Type: multipart/report", 1)

    result = ingest_message(message)

    assert result.status == Outcome.IGNORED and result.reason == "Delivery or read report."


def test_mail_from_the_service_desks_own_address_is_ignored(make_user, settings):
    settings.DEFAULT_FROM_EMAIL = "IT Service Desk <servicedesk@example.com>"
    make_user("desk", email="servicedesk@example.com")

    result = ingest_message(eml(sender="servicedesk@example.com"))

    assert result.status == Outcome.IGNORED and "own address" in result.reason
    assert not Incident.objects.exists()


def test_a_message_without_a_sender_address_is_ignored(db):
    result = ingest_message(eml(sender="undisclosed-recipients:;"))

    assert (result.status, result.reason) == (Outcome.IGNORED, "No sender address.")
