"""Overdue action items reach their owners by e-mail, once a day."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from reviews import services
from reviews.choices import ActionStatus
from reviews.models import ActionItem
from reviews.tasks import remind_overdue_action_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(review, responder, manager):
    yesterday = timezone.localdate() - timedelta(days=1)

    def add(title, owner=responder, due=yesterday, status=ActionStatus.OPEN):
        return services.action_item_add(
            review=review, actor=manager, title=title, owner=owner, due_date=due, status=status
        )

    return add


def test_each_owner_gets_one_message_listing_their_overdue_items(overdue, responder, manager):
    overdue("Add memory alarm")
    overdue("Document failover")
    overdue("Upgrade gateway", owner=manager)
    overdue("Not yet due", due=timezone.localdate() + timedelta(days=3))
    overdue("Finished", status=ActionStatus.DONE)
    assert remind_overdue_action_items() == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {responder.email, manager.email}
    body = by_recipient[responder.email].body
    assert "Add memory alarm" in body and "Document failover" in body
    assert "Not yet due" not in body and "Finished" not in body
    assert (
        by_recipient[responder.email].subject == "2 overdue action items from post-incident reviews"
    )
    assert "Message-ID" in by_recipient[responder.email].extra_headers
    html = by_recipient[responder.email].alternatives[0][0]
    assert settings.SITE_URL + "/admin/reviews/actionitem/" in html


def test_running_again_the_same_day_sends_nothing_more(overdue):
    overdue("Add memory alarm")
    assert remind_overdue_action_items() == 1
    assert remind_overdue_action_items() == 0
    assert len(mail.outbox) == 1


def test_the_next_day_the_owner_is_reminded_again(overdue):
    import time_machine

    overdue("Add memory alarm")
    remind_overdue_action_items()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert remind_overdue_action_items() == 1


def test_a_failed_send_is_retried_on_the_next_run(overdue, monkeypatch):
    overdue("Add memory alarm")

    def broken(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert remind_overdue_action_items() == 0
    assert ActionItem.objects.get().last_reminded_on is None
    monkeypatch.undo()
    assert remind_overdue_action_items() == 1


def test_items_without_an_owner_or_an_address_are_skipped(overdue, make_user):
    silent = make_user("silent")
    silent.email = ""
    silent.save(update_fields=["email"])
    overdue("Nobody", owner=None)
    overdue("No address", owner=silent)
    assert remind_overdue_action_items() == 0
    assert mail.outbox == []


def test_beat_runs_the_reminder_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-overdue-action-items"]
    assert entry == {"task": "reviews.tasks.remind_overdue_action_items", "schedule": 3600.0}


@pytest.mark.services
def test_a_real_worker_delivers_the_reminder_over_smtp(
    celery_worker, smtp_server, review, responder, manager
):
    services.action_item_add(
        review=review,
        actor=manager,
        title="Add memory alarm",
        owner=responder,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    remind_overdue_action_items.delay()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not reminders(smtp_server):
        time.sleep(0.1)
    sent = reminders(smtp_server)  # incident notifications may arrive too; only ours count
    assert [m["envelope_to"] for m in sent] == [[responder.email]]
    assert "Add memory alarm" in sent[0]["message"].get_body(("plain",)).get_content()


def reminders(inbox):
    with inbox.lock:
        return [m for m in inbox.messages if "overdue action item" in m["subject"]]
