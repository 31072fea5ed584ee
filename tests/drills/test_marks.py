"""Every text a person reads about a practice incident starts with [PRACTICE]: e-mail
subjects (one helper builds them all) and the titles of chat and push pages."""

import pytest
from django.core import mail

from notifications.emails import render_trio
from paging.delivery import page_text
from paging.models import Page

pytestmark = pytest.mark.django_db


def test_a_push_or_chat_page_about_a_practice_incident_says_practice(start_drill, template):
    incident = start_drill(template=template).incident
    page = Page.objects.filter(incident=incident).first()
    title, body = page_text(page)
    assert title.startswith(f"[PRACTICE] [P1] {incident.number} ")
    assert "taking part in a practice drill" in body


def test_mail_about_a_real_incident_is_not_marked(incident):
    subject, _, _ = render_trio("page", {"incident": incident, "number": incident.number})
    assert not subject.startswith("[PRACTICE]")


def test_every_mail_of_a_drill_says_practice_in_its_subject(start_drill, template, reporter):
    mail.outbox.clear()
    start_drill(template=template, end_user=reporter)
    assert mail.outbox
    assert all(message.subject.startswith("[PRACTICE] ") for message in mail.outbox)
