"""The inbound e-mail log in the workspace: responders read it, nobody edits it."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from email_intake.models import InboundMessage
from email_intake.services import ingest_message
from tests.email_intake.conftest import eml

pytestmark = pytest.mark.django_db

LIST = "admin:email_intake_inboundmessage_changelist"


@pytest.fixture
def log(reporter, make_incident):
    """Five messages: created, commented, ignored, and two more created."""
    incident = make_incident()
    ingest_message(eml(subject="Printer jams"))
    ingest_message(eml(subject=f"Re: [{incident.number}]", text="Still broken"))
    ingest_message(eml(sender="stranger@elsewhere.example", subject="<b>Hi</b>"))
    ingest_message(eml(subject="Wi-Fi slow"))
    ingest_message(eml(subject="Disk full"))
    return incident


def test_a_responder_sees_what_arrived_and_what_became_of_it(client, responder, log):
    client.force_login(responder)

    response = client.get(reverse(LIST))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Incident created" in page and "Comment added" in page and "Ignored" in page
    assert log.number in page and "Unknown sender" in page
    assert "&lt;b&gt;Hi&lt;/b&gt;" in page and "<b>Hi</b>" not in page


def test_a_responder_opens_one_message_but_cannot_change_or_delete_it(client, responder, log):
    client.force_login(responder)
    message = InboundMessage.objects.get(subject="Printer jams")

    page = client.get(reverse("admin:email_intake_inboundmessage_change", args=[message.pk]))

    assert page.status_code == 200 and escape(message.message_id) in page.content.decode()
    assert b'name="_save"' not in page.content
    assert client.get(reverse("admin:email_intake_inboundmessage_add")).status_code == 403
    delete = reverse("admin:email_intake_inboundmessage_delete", args=[message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert InboundMessage.objects.filter(pk=message.pk).exists()


def test_staff_without_a_role_and_end_users_cannot_read_the_log(client, make_user, reporter):
    client.force_login(make_user("helper", staff=True))
    assert client.get(reverse(LIST)).status_code == 403

    client.force_login(reporter)
    assert client.get(reverse(LIST)).status_code == 302  # to the admin login


def test_the_log_list_takes_a_fixed_number_of_queries(
    client, responder, log, django_assert_num_queries
):
    client.force_login(responder)
    # 1 session, 2 user, 3-4 permissions (own and group), 5 count, 6 the rows joined with
    # their incident (not one query per row), 7-8 first/last date and days for the date bar
    with django_assert_num_queries(8):
        assert client.get(reverse(LIST)).status_code == 200
