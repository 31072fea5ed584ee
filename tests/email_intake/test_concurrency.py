"""On PostgreSQL with real threads: the same message delivered many times at once (a mail
server retrying while the first delivery is still running) is ingested exactly once, because
the unique Message-ID row makes every other delivery wait and then find it."""

import threading

import pytest
from django.db import connection, connections

from email_intake.models import InboundMessage
from email_intake.services import ingest_message
from incidents.models import Attachment, Comment, Incident
from tests.email_intake.conftest import PNG, eml

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_together(count: int, work) -> tuple[list, list]:
    """Start `count` threads at the same instant; return their results and errors."""
    barrier, results, errors = threading.Barrier(count), [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_twenty_simultaneous_deliveries_of_one_message_open_one_incident(reporter):
    assert connection.vendor == "postgresql"
    raw = eml(message_id="<storm@mail.example.com>", attachments=[("s.png", "image", "png", PNG)])

    results, errors = run_together(20, lambda: ingest_message(raw))

    assert errors == []
    assert Incident.objects.count() == 1 and Attachment.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert sorted(r.duplicate for r in results) == [False] + [True] * 19
    assert {r.incident_number for r in results} == {Incident.objects.get().number}


def test_simultaneous_deliveries_of_one_reply_add_one_comment(reporter, make_incident):
    incident = make_incident()
    raw = eml(subject=f"Re: [{incident.number}]", message_id="<reply-storm@mail.example.com>")

    _results, errors = run_together(20, lambda: ingest_message(raw))

    assert errors == []
    assert Comment.objects.filter(incident=incident).count() == 1


def test_two_first_mails_from_one_unknown_sender_at_once_make_one_account(db, settings):
    from django.contrib.auth import get_user_model

    settings.ITSM_EMAIL_CREATE_UNKNOWN_USERS = True
    messages = [eml(sender="carol@elsewhere.example", subject=f"Mail {n}") for n in range(10)]
    pending = iter(messages)
    lock = threading.Lock()

    def deliver():
        with lock:
            raw = next(pending)
        return ingest_message(raw)

    results, errors = run_together(10, deliver)

    assert errors == []
    assert get_user_model().objects.filter(email="carol@elsewhere.example").count() == 1
    assert Incident.objects.count() == 10
