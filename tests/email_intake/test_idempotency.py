"""A message delivered twice (mail server retry, two IMAP polls) is ingested once."""

import pytest

from email_intake.choices import Outcome
from email_intake.models import InboundMessage
from email_intake.services import ingest_message
from incidents.models import Attachment, Comment, Incident
from tests.email_intake.conftest import PNG, eml

pytestmark = pytest.mark.django_db


def test_a_redelivered_message_creates_nothing_twice(reporter):
    raw = eml(message_id="<once@mail.example.com>", attachments=[("s.png", "image", "png", PNG)])

    first = ingest_message(raw)
    second = ingest_message(raw)

    assert Incident.objects.count() == 1 and Attachment.objects.count() == 1
    assert second.duplicate and not first.duplicate
    assert (second.status, second.incident_number) == (Outcome.CREATED, first.incident_number)
    assert InboundMessage.objects.count() == 1


def test_a_reply_delivered_twice_is_one_comment(reporter, make_incident):
    incident = make_incident()
    raw = eml(subject=f"Re: [{incident.number}]", message_id="<reply@mail.example.com>")

    ingest_message(raw)
    ingest_message(raw)

    assert Comment.objects.count() == 1


def test_the_same_message_id_with_different_bytes_is_still_a_duplicate(reporter):
    ingest_message(eml(message_id="<same@mail.example.com>", text="first"))
    result = ingest_message(eml(message_id="<same@mail.example.com>", text="second copy"))

    assert result.duplicate
    assert Incident.objects.get().description == "first"


def test_an_ignored_message_delivered_again_stays_ignored(db):
    raw = eml(sender="nobody@elsewhere.example")

    ingest_message(raw)
    result = ingest_message(raw)

    assert result.duplicate and result.status == Outcome.IGNORED
    assert InboundMessage.objects.count() == 1


def test_a_failure_while_filing_keeps_no_record_so_the_retry_works(reporter, monkeypatch):
    from incidents import services

    raw = eml(message_id="<retry@mail.example.com>")

    def database_gone(**kwargs):
        raise RuntimeError("database connection lost")

    monkeypatch.setattr(services, "incident_create", database_gone)
    with pytest.raises(RuntimeError):
        ingest_message(raw)
    assert not InboundMessage.objects.exists()
    monkeypatch.undo()

    assert ingest_message(raw).status == Outcome.CREATED
    assert Incident.objects.count() == 1
