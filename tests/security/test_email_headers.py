"""E-mail header injection: CR/LF in incident titles, people's names or a stored address
never adds a header or a recipient, and a message that cannot be sent fails once instead of
being retried forever. Through the real pipeline: event handler, Celery task, delivery,
an SMTP server (aiosmtpd), and in the last test a real worker on Redis."""

import time

import pytest

from incidents import services
from incidents.choices import Channel
from notifications.delivery import deliver_batch
from notifications.models import DeliveryStatus, Notification
from tests.notifications.live import restore_catalogue

INJECTED_TITLE = "Printer\r\nBcc: attacker@evil.example\r\nX-Injected: title\nSubject: pwned"
INJECTED_NAME = "Alice\r\nBcc: attacker@evil.example\r\nX-Injected: name"
BAD_ADDRESS = "carol@example.com\r\nBcc: attacker@evil.example"


def _assert_no_injection(inbox) -> None:
    assert inbox.messages, "no message reached the SMTP server"
    for received in inbox.messages:
        message = received["message"]
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert len(message.get_all("Subject")) == 1
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
        assert all("evil.example" not in address for address in received["envelope_to"])
        assert "evil.example" not in str(message["To"]) + str(message.get("Cc", ""))


def _hostile_incident(make_incident, service, reporter, other_reporter, responder):
    reporter.first_name = INJECTED_NAME
    reporter.save()
    incident = make_incident(title=INJECTED_TITLE, service=service)
    services.incident_watch(
        incident=incident, user=other_reporter, actor=responder, via=Channel.ADMIN
    )
    services.incident_comment(
        incident=incident, author=responder, body="On it.\r\nBcc: x@evil.example", public=True,
        via=Channel.ADMIN,
    )  # fmt: skip
    return incident


@pytest.mark.django_db
def test_cr_lf_in_titles_and_names_adds_no_header_or_recipient(
    smtp_server,
    make_incident,
    service,
    reporter,
    other_reporter,
    responder,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _hostile_incident(make_incident, service, reporter, other_reporter, responder)
    _assert_no_injection(smtp_server)
    subjects = [str(m["message"]["Subject"]) for m in smtp_server.messages]
    assert any("Printer Bcc: attacker@evil.example X-Injected: title" in s for s in subjects)
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


@pytest.mark.django_db
def test_a_stored_address_with_a_line_break_fails_once_and_is_not_retried(
    smtp_server, make_incident, service, make_user, responder, django_capture_on_commit_callbacks
):
    carol = make_user("carol", email=BAD_ADDRESS)  # saved around the form's validation
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(title="VPN down", service=service)
        services.incident_watch(incident=incident, user=carol, actor=responder, via=Channel.ADMIN)
        services.incident_comment(
            incident=incident, author=responder, body="Update", public=True, via=Channel.ADMIN
        )
    rows = Notification.objects.filter(recipient=carol)
    assert rows.exists()
    for row in rows:
        assert row.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED)
        assert row.attempts == 1  # tried once: a bad header does not get better by retrying
        assert deliver_batch([row.pk]).retry_ids == []  # and nothing is left to retry
    assert all("evil.example" not in a for m in smtp_server.messages for a in m["envelope_to"])
    _assert_no_injection(smtp_server)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_a_real_worker_injected_titles_are_sent_as_one_line_and_nothing_retries(
    celery_worker, smtp_server, make_incident, service, reporter, other_reporter, responder
):
    restore_catalogue()  # a transactional test starts from what post_migrate recreated
    _hostile_incident(make_incident, service, reporter, other_reporter, responder)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses = set(Notification.objects.values_list("status", flat=True))
        if statuses and statuses <= {DeliveryStatus.SENT, DeliveryStatus.FAILED}:
            break
        time.sleep(0.2)
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    _assert_no_injection(smtp_server)
