"""IMAP polling, against a fake server put in place of `imaplib.IMAP4_SSL` (no IMAP server
runs here): the fake answers the way imaplib returns server responses, so what is tested is
our side of the conversation - which commands, in which order, and what is marked seen."""

import imaplib

import pytest

from email_intake import imap
from email_intake.models import InboundMessage
from email_intake.tasks import poll_imap
from incidents.models import Incident
from tests.email_intake.conftest import eml

pytestmark = pytest.mark.django_db


class FakeMailbox:
    """One folder of messages by UID, with the \\Seen flag, speaking imaplib's return shapes."""

    def __init__(self, messages: dict[int, bytes], *, password: str, fail_fetch=()):
        self.messages, self.seen, self.commands = messages, set(), []
        self.password, self.fail_fetch = password, set(fail_fetch)

    def connect(self, host, port, timeout=None):
        self.commands.append(("CONNECT", host, port))
        return FakeClient(self)


class FakeClient:
    def __init__(self, box: FakeMailbox):
        self.box = box

    def login(self, user, password):
        self.box.commands.append(("LOGIN", user))
        if password != self.box.password:
            raise imaplib.IMAP4.error("[AUTHENTICATIONFAILED] Invalid credentials")
        return "OK", [b"Logged in"]

    def select(self, mailbox):
        self.box.commands.append(("SELECT", mailbox))
        return "OK", [str(len(self.box.messages)).encode()]

    def uid(self, command, *args):
        self.box.commands.append((command, *args))
        return getattr(self, f"_{command.lower()}")(*args)

    def _search(self, charset, criterion):
        unseen = [str(uid).encode() for uid in self.box.messages if uid not in self.box.seen]
        return "OK", [b" ".join(unseen)]

    def _fetch(self, uid, parts):
        assert parts == "(BODY.PEEK[])"  # reading must not mark the message seen
        if int(uid) in self.box.fail_fetch:
            return "NO", [b"Message vanished"]
        raw = self.box.messages[int(uid)]
        return "OK", [(f"1 (UID {int(uid)} BODY[] {{{len(raw)}}}".encode(), raw), b")"]

    def _store(self, uid, action, flags):
        assert (action, flags) == ("+FLAGS", "(\\Seen)")
        self.box.seen.add(int(uid))
        return "OK", [b"stored"]

    def logout(self):
        self.box.commands.append(("LOGOUT",))
        return "BYE", [b"bye"]


@pytest.fixture
def mailbox(settings, monkeypatch):
    settings.ITSM_IMAP_HOST = "imap.example.com"
    settings.ITSM_IMAP_USER = "servicedesk"
    settings.ITSM_IMAP_PASSWORD = "secret"
    settings.ITSM_IMAP_FOLDER = "Service Desk"

    def install(messages, **kwargs):
        kwargs.setdefault("password", settings.ITSM_IMAP_PASSWORD)
        box = FakeMailbox(messages, **kwargs)
        monkeypatch.setattr(imap.imaplib, "IMAP4_SSL", box.connect)
        return box

    return install


def test_unseen_messages_become_incidents_and_are_marked_seen(reporter, mailbox):
    box = mailbox({7: eml(subject="Printer jams"), 9: eml(subject="Wi-Fi slow")})

    assert poll_imap.delay().get() == 2

    assert set(Incident.objects.values_list("title", flat=True)) == {"Printer jams", "Wi-Fi slow"}
    assert box.seen == {7, 9}
    assert box.commands[:3] == [
        ("CONNECT", "imap.example.com", 993),
        ("LOGIN", "servicedesk"),
        ("SELECT", '"Service Desk"'),
    ]
    assert box.commands[-1] == ("LOGOUT",)


def test_a_second_poll_finds_nothing_new(reporter, mailbox):
    mailbox({1: eml()})
    poll_imap()

    assert poll_imap() == 0
    assert Incident.objects.count() == 1


def test_a_message_fetched_again_after_a_crash_is_not_filed_twice(reporter, mailbox):
    raw = eml(message_id="<crash@mail.example.com>")
    box = mailbox({1: raw})
    poll_imap()
    box.seen.clear()  # the \\Seen flag was lost: the server offers the message again

    poll_imap()

    assert Incident.objects.count() == 1 and InboundMessage.objects.count() == 1
    assert box.seen == {1}


def test_a_message_that_cannot_be_fetched_stays_unseen_for_the_next_poll(reporter, mailbox):
    box = mailbox({1: eml()}, fail_fetch={1})

    assert poll_imap() == 0

    assert box.seen == set() and not Incident.objects.exists()
    assert box.commands[-1] == ("LOGOUT",)


def test_wrong_credentials_end_the_poll_quietly_and_log_out(db, mailbox, caplog):
    box = mailbox({1: eml()}, password="other")

    assert poll_imap() == 0

    assert "AUTHENTICATIONFAILED" in caplog.text
    assert box.commands[-1] == ("LOGOUT",)


def test_an_unreachable_server_ends_the_poll_quietly(db, settings, monkeypatch, caplog):
    settings.ITSM_IMAP_HOST = "imap.example.com"

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(imap.imaplib, "IMAP4_SSL", refuse)

    assert poll_imap() == 0
    assert "unreachable" in caplog.text


def test_a_mailbox_item_that_is_not_an_e_mail_is_marked_seen_and_skipped(reporter, mailbox):
    box = mailbox({1: b"", 2: eml()})

    assert poll_imap() == 2

    assert box.seen == {1, 2} and Incident.objects.count() == 1


def test_a_database_failure_leaves_the_message_unseen_for_the_next_poll(mailbox, monkeypatch):
    from django.db import OperationalError

    box = mailbox({1: eml()})

    def database_down(raw):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(imap, "ingest_message", database_down)

    with pytest.raises(OperationalError):
        poll_imap()
    assert box.seen == set()
    assert box.commands[-1] == ("LOGOUT",)


def test_polling_is_off_while_no_imap_host_is_configured(db, settings, monkeypatch):
    settings.ITSM_IMAP_HOST = ""

    def must_not_connect(*args, **kwargs):
        raise AssertionError("connected although IMAP is not configured")

    monkeypatch.setattr(imap.imaplib, "IMAP4_SSL", must_not_connect)

    assert poll_imap() == 0
