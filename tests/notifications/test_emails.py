"""The e-mail helper and the message contents: subjects, headers, links, HTML."""

import pytest
from django.core import mail

from incidents import services
from incidents.choices import Channel
from notifications.emails import make_message, one_line
from tests.notifications.conftest import sent_to

pytestmark = pytest.mark.django_db


def test_header_text_is_folded_onto_one_line():
    assert one_line("VPN\r\nBcc: victim@example.com\tdown ") == "VPN Bcc: victim@example.com down"


def test_a_title_with_line_breaks_adds_no_header(deliver, make_incident, reporter):
    with deliver():
        incident = make_incident(title="VPN down\r\nBcc: attacker@example.com")
    (message,) = sent_to(reporter.email)
    headers = message.message().as_bytes().split(b"\n\n", 1)[0]
    assert message.subject == f"[{incident.number}] Received: VPN down Bcc: attacker@example.com"
    assert b"\nBcc:" not in headers
    assert "Bcc" not in message.message()
    assert message.recipients() == [reporter.email]


def test_every_message_has_message_id_thread_headers_reply_to_and_auto_submitted(
    deliver, make_incident, reporter, settings
):
    settings.ITSM_REPLY_TO_EMAIL = "servicedesk@example.com"
    settings.SITE_URL = "https://itsm.example.com"
    with deliver():
        incident = make_incident()
    (message,) = sent_to(reporter.email)
    assert message.extra_headers["Message-ID"].endswith("@itsm.example.com>")
    assert message.extra_headers["References"] == f"<{incident.number}@itsm.example.com>"
    assert message.reply_to == ["servicedesk@example.com"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_without_a_reply_address_no_reply_to_header_is_sent(deliver, make_incident, reporter):
    with deliver():
        make_incident()
    assert "Reply-To" not in sent_to(reporter.email)[0].message()


def test_end_users_get_portal_links_and_staff_get_admin_links(
    deliver, make_incident, vpn, reporter, settings
):
    with deliver():
        incident = make_incident(service=vpn)
    site = settings.SITE_URL
    reporter_body = sent_to(reporter.email)[0].body
    team_body = sent_to("ops@example.com")[0].body
    assert f"{site}/portal/incidents/{incident.number}/" in reporter_body
    assert "/admin/" not in reporter_body
    assert f"{site}/admin/incidents/incident/{incident.pk}/change/" in team_body
    assert f"{site}/notifications/preferences/" in reporter_body


def test_plain_text_is_not_html_escaped_and_html_is(deliver, make_incident, reporter):
    with deliver():
        make_incident(title="Printer <b>jam</b> & smoke")
    (message,) = sent_to(reporter.email)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Printer <b>jam</b> & smoke" in message.body
    assert "Printer <b>jam</b> & smoke" in message.subject
    assert "Printer &lt;b&gt;jam&lt;/b&gt; &amp; smoke" in html
    assert "<b>jam</b>" not in html


def test_staff_messages_show_the_incident_facts(deliver, make_incident, vpn, responder, manager):
    with deliver():
        incident = make_incident(service=vpn, impact="high", urgency="high")
        services.incident_assign(
            incident=incident, assignee=responder, actor=manager, via=Channel.ADMIN
        )
    html = sent_to(responder.email)[0].alternatives[0][0]
    assert "P1 - Critical" in html
    assert "Operations" in html
    assert "Acknowledge it by" in sent_to(responder.email)[0].body


def test_the_helper_builds_a_multipart_message_from_a_template_trio():
    message = make_message(
        "resumed",
        to="x@example.com\r\nCc: y@example.com",
        context={"number": "INC0000001", "title": "T", "incident": None, "staff": False},
    )
    assert message.to == ["x@example.com Cc: y@example.com"]
    assert message.subject == "[INC0000001] Work resumed: T"
    assert message.alternatives[0][1] == "text/html"
    assert mail.outbox == []
