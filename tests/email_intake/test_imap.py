"""IMAP polling against a real IMAP server (dovecot on 127.0.0.1, over verified TLS):
unseen messages become incidents and are flagged seen, and neither a crash, a dropped
connection nor a database failure loses or duplicates one."""

import pytest

from email_intake import imap
from email_intake.models import InboundMessage
from email_intake.tasks import poll_imap
from incidents.models import Incident
from tests.email_intake.conftest import eml
from tests.fixtures.faults import TcpProxy, free_port

pytestmark = pytest.mark.django_db

FOLDER = "Service Desk"


def test_unseen_messages_become_incidents_and_are_marked_seen(reporter, mailbox):
    mailbox.deliver(eml(subject="Printer jams"), eml(subject="Wi-Fi slow"), folder=FOLDER)
    mailbox.deliver(eml(subject="Elsewhere"))  # another folder: not the service desk's

    assert poll_imap.delay().get() == 2

    assert set(Incident.objects.values_list("title", flat=True)) == {"Printer jams", "Wi-Fi slow"}
    assert mailbox.unseen(FOLDER) == 0 and mailbox.unseen("INBOX") == 1


def test_a_second_poll_finds_nothing_new(reporter, mailbox):
    mailbox.deliver(eml(), folder=FOLDER)
    poll_imap()

    assert poll_imap() == 0
    assert Incident.objects.count() == 1


def test_a_message_offered_again_after_a_crash_is_not_filed_twice(reporter, mailbox):
    mailbox.deliver(eml(message_id="<crash@mail.example.com>"), folder=FOLDER)
    poll_imap()
    client = mailbox.client()  # the \\Seen flag was lost: the server offers it again
    client.select(imap.quote_mailbox(FOLDER))
    client.uid("STORE", "1:*", "-FLAGS", "(\\Seen)")
    client.logout()
    assert mailbox.unseen(FOLDER) == 1

    assert poll_imap() == 1

    assert Incident.objects.count() == 1 and InboundMessage.objects.count() == 1
    assert mailbox.unseen(FOLDER) == 0


def test_a_connection_dropped_mid_poll_loses_and_duplicates_nothing(
    reporter, mailbox, imap_server, settings, monkeypatch, caplog
):
    proxy = TcpProxy("127.0.0.1", imap_server.port)
    settings.ITSM_IMAP_PORT = proxy.port
    mailbox.deliver(eml(subject="First"), eml(subject="Second"), folder=FOLDER)
    ingest = imap.ingest_message

    def ingest_then_drop(raw):
        result = ingest(raw)
        proxy.down()  # the network fails after the first message is filed, before \\Seen
        proxy.up()
        return result

    with monkeypatch.context() as patch:
        patch.setattr(imap, "ingest_message", ingest_then_drop)
        assert poll_imap() == 0
    assert "IMAP poll of 127.0.0.1 stopped" in caplog.text
    assert list(Incident.objects.values_list("title", flat=True)) == ["First"]
    assert mailbox.unseen(FOLDER) == 2

    assert poll_imap() == 2

    assert sorted(Incident.objects.values_list("title", flat=True)) == ["First", "Second"]
    assert InboundMessage.objects.count() == 2 and mailbox.unseen(FOLDER) == 0
    proxy.close()


def test_wrong_credentials_end_the_poll_quietly(db, mailbox, settings, caplog):
    mailbox.deliver(eml(), folder=FOLDER)
    settings.ITSM_IMAP_PASSWORD = "wrong"

    assert poll_imap() == 0

    assert "AUTHENTICATIONFAILED" in caplog.text
    assert mailbox.unseen(FOLDER) == 1 and not Incident.objects.exists()


def test_a_server_whose_certificate_is_not_trusted_gets_no_password(db, mailbox, settings, caplog):
    settings.ITSM_IMAP_CA_FILE = ""  # the test certificate is signed by nobody trusted

    assert poll_imap() == 0

    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text


def test_an_unreachable_server_ends_the_poll_quietly(db, settings, caplog):
    settings.ITSM_IMAP_HOST, settings.ITSM_IMAP_PORT = "127.0.0.1", free_port()
    settings.ITSM_IMAP_USER = settings.ITSM_IMAP_PASSWORD = "x"

    assert poll_imap() == 0
    assert "unreachable" in caplog.text


def test_a_mailbox_item_that_is_not_an_e_mail_is_marked_seen_and_skipped(reporter, mailbox):
    mailbox.deliver(b"just a line of text, no headers\r\n", eml(), folder=FOLDER)

    assert poll_imap() == 2

    assert mailbox.unseen(FOLDER) == 0 and Incident.objects.count() == 1


def test_a_database_failure_leaves_the_message_unseen_for_the_next_poll(mailbox, monkeypatch):
    from django.db import OperationalError

    mailbox.deliver(eml(), folder=FOLDER)

    def database_down(raw):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(imap, "ingest_message", database_down)

    with pytest.raises(OperationalError):
        poll_imap()
    assert mailbox.unseen(FOLDER) == 1


def test_polling_is_off_while_no_imap_host_is_configured(db, settings, monkeypatch):
    settings.ITSM_IMAP_HOST = ""

    def must_not_connect(*args, **kwargs):
        raise AssertionError("connected although IMAP is not configured")

    monkeypatch.setattr(imap.imaplib, "IMAP4_SSL", must_not_connect)

    assert poll_imap() == 0
