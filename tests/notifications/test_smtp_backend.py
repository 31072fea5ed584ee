"""The product's SMTP backend: Django's, with the envelope addresses parsed once."""

from unittest import mock

import pytest
from django.core.mail import EmailMessage, get_connection

from itsm import mail


@pytest.fixture
def backend(smtp_server):
    mail._envelope.cache_clear()
    connection = get_connection()
    assert isinstance(connection, mail.EmailBackend)
    return connection


def test_repeated_senders_and_recipients_are_parsed_once_and_every_message_arrives(
    backend, smtp_server
):
    messages = [
        EmailMessage(f"Update {n}", "Text", to=["Zoë <zoe@example.com>", "ops@example.com"])
        for n in range(3)
    ]
    with mock.patch.object(mail, "sanitize_address", wraps=mail.sanitize_address) as parse:
        assert backend.send_messages(messages) == 3
    assert parse.call_count == 3  # the sender and the two recipients, once each
    received = smtp_server.wait_for(3)
    assert [m["subject"] for m in received] == ["Update 0", "Update 1", "Update 2"]
    assert all(m["envelope_to"] == ["zoe@example.com", "ops@example.com"] for m in received)
    assert {m["from"] for m in received} == {"servicedesk@localhost"}


def test_an_address_that_cannot_be_parsed_is_still_refused(backend):
    message = EmailMessage("Update", "Text", to=["not an address <"])
    with pytest.raises(ValueError, match="Invalid address"):
        backend.send_messages([message])
