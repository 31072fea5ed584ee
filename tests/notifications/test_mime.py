"""The bytes of a notification e-mail are the bytes Django's own MIME tree gives for it."""

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError

from notifications.emails import make_message, thread_id
from notifications.mime import FlatMessage
from profiles.services import profile_save
from tests.notifications.conftest import sent_to


def django_bytes(message, flat: FlatMessage, linesep: str) -> bytes:
    """What Django's EmailMultiAlternatives writes for `message`, with the boundary and
    Date `flat` chose (both differ from call to call)."""
    tree = EmailMultiAlternatives.message(message)
    tree.set_boundary(flat.boundary)
    tree.replace_header("Date", flat["Date"])
    return tree.as_bytes(linesep=linesep)


def assert_same_bytes(message) -> None:
    flat = message.message()
    assert isinstance(flat, FlatMessage)
    for linesep in ("\n", "\r\n"):  # the file backend's and the SMTP backend's
        assert flat.as_bytes(linesep=linesep) == django_bytes(message, flat, linesep)


def mail(subject: str, text: str, html: str, to: str = "alice@example.com", **kwargs):
    return make_message(
        "created", to=to, rendered=(subject, text, html), thread=thread_id("INC0000042"), **kwargs
    )


@pytest.mark.django_db
def test_the_messages_of_a_new_incident_are_byte_for_byte_djangos(
    deliver, make_incident, vpn, reporter, responder, settings
):
    settings.ITSM_REPLY_TO_EMAIL = "servicedesk@example.com"
    profile_save(user=reporter, language="de", time_zone="Europe/Berlin")
    with deliver():
        make_incident(service=vpn, title="Drucker im 3. Stock druckt nur noch Streifen")
    messages = sent_to(reporter.email) + sent_to("ops@example.com")
    assert len(messages) == 2
    for message in messages:
        assert_same_bytes(message)


@pytest.mark.parametrize(
    "subject, text, html",
    [
        ("[INC0000042] Received: VPN down", "Plain ASCII.\n", "<p>Plain</p>\n"),
        ("[INC0000042] Eingegangen: Störung", "Grüße,\r\nIhr Service Desk", "<p>Grüße</p>"),
        ("[INC0000042] " + "A very long subject that needs folding " * 4, "Text", "<p>x</p>"),
        ("[INC0000042] Résumé " + "é" * 90, "Line\rbreaks\r\nof\nevery kind\n\n", ""),
        ("Spaces  and\ttabs \x0c stay as Django writes them ", "€ 5\n", "<p>€</p>\n"),
    ],
)
def test_subjects_bodies_and_line_breaks_come_out_as_django_writes_them(subject, text, html):
    assert_same_bytes(mail(subject, text, html))


def test_headers_given_by_the_caller_and_a_named_recipient_come_out_as_django_writes_them():
    unsubscribe = "<https://itsm.example.com/notifications/preferences/?token=" + "x" * 60 + ">"
    message = mail(
        "[INC0000042] Received: VPN down",
        "Text",
        "<p>HTML</p>",
        to="Zoë Müller <zoe@example.com>",
        headers={"List-Unsubscribe": unsubscribe, "X-Incident": "INC0000042"},
    )
    assert_same_bytes(message)


def test_what_the_short_cut_does_not_cover_is_left_to_django():
    long_line = "x" * 1200  # Django switches such a body to quoted-printable
    message = mail("[INC0000042] Received: VPN down", long_line, "<p>x</p>")
    assert not isinstance(message.message(), FlatMessage)
    assert b"quoted-printable" in message.message().as_bytes()


def test_a_line_break_in_a_header_is_still_refused():
    message = mail("[INC0000042] Received: VPN down\nBcc: victim@example.com", "Text", "<p>x</p>")
    with pytest.raises(BadHeaderError):
        message.message()


def test_the_flat_message_answers_questions_about_its_headers_like_djangos():
    flat = mail("[INC0000042] Received: VPN down", "Text", "<p>x</p>").message()
    assert flat["Subject"] == "[INC0000042] Received: VPN down"
    assert "Bcc" not in flat
    assert flat.get_content_type() == "multipart/alternative"
    assert f'boundary="{flat.boundary}"'.encode() in flat.as_bytes()
