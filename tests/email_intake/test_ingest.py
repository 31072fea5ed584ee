"""What an e-mail becomes: a new incident, a comment on the sender's incident, or nothing."""

import logging

import pytest
from django.contrib.auth import get_user_model

from email_intake.choices import Outcome
from email_intake.models import InboundMessage
from email_intake.services import ingest_message
from incidents import services
from incidents.choices import Channel, Level, Status
from incidents.models import Attachment, Comment, Incident
from tests.email_intake.conftest import PNG, eml

pytestmark = pytest.mark.django_db


def test_a_mail_from_a_known_user_opens_an_incident_via_e_mail(reporter):
    result = ingest_message(eml(subject="VPN down", text="Cannot connect since 9:00."))

    incident = Incident.objects.get()
    assert result.status == Outcome.CREATED and result.incident_number == incident.number
    assert (incident.title, incident.description) == ("VPN down", "Cannot connect since 9:00.")
    assert incident.reporter == reporter and incident.channel == Channel.EMAIL
    assert (incident.impact, incident.urgency) == (Level.MEDIUM, Level.MEDIUM)
    assert incident.history.earliest().history_change_reason == "Created via E-mail"


def test_the_sender_is_recognised_whatever_the_case_of_the_address(reporter):
    ingest_message(eml(sender="ALICE@Example.COM"))

    assert Incident.objects.get().reporter == reporter


def test_the_reporter_is_told_the_incident_number_by_e_mail(
    reporter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_message(eml())

    number = Incident.objects.get().number
    assert any(number in message.subject and reporter.email in message.to for message in mailoutbox)


def test_an_html_only_mail_is_stored_as_text_not_markup(reporter):
    ingest_message(eml(text=None, html="<p>Printer <b>jams</b></p><script>x()</script>"))

    assert Incident.objects.get().description == "Printer jams"


def test_an_encoded_subject_becomes_the_title(reporter):
    ingest_message(eml(subject="Drucker druckt nicht – Büro 3"))

    assert Incident.objects.get().title == "Drucker druckt nicht – Büro 3"


def test_a_cr_lf_in_the_subject_never_reaches_the_title(reporter):
    raw = eml(subject="X").replace(b"Subject: X", b"Subject: =?utf-8?q?Disk_full=0D=0ABcc:_a@b.c?=")

    ingest_message(raw)

    assert Incident.objects.get().title == "Disk full Bcc: a@b.c"


def test_reply_prefixes_and_incident_tags_are_left_out_of_a_new_title(reporter):
    ingest_message(eml(subject="Fwd: RE: [INC0009999] Printer jams"))

    assert Incident.objects.get().title == "Printer jams"


def test_a_mail_without_subject_takes_its_first_line_as_title(reporter):
    ingest_message(eml(subject="", text="\nOutlook keeps crashing.\nDetails below."))

    assert Incident.objects.get().title == "Outlook keeps crashing."


def test_a_png_attachment_is_stored_on_the_new_incident(reporter):
    ingest_message(eml(attachments=[("screenshot.png", "image", "png", PNG)]))

    attachment = Attachment.objects.get()
    assert attachment.incident == Incident.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("screenshot.png", "image/png")
    assert attachment.public and attachment.uploaded_by == reporter
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG


def test_a_refused_html_attachment_does_not_lose_the_message(reporter):
    raw = eml(
        attachments=[
            ("screenshot.png", "image", "png", PNG),
            ("invoice.html", "text", "html", b"<html><script>steal()</script></html>"),
        ]
    )

    result = ingest_message(raw)

    incident = Incident.objects.get()
    assert [a.original_name for a in incident.attachments.all()] == ["screenshot.png"]
    assert "Attachment not accepted: invoice.html: Files of type “.html” are not accepted" in (
        incident.description
    )
    assert incident.description.startswith("Cannot connect since 9:00.")
    assert len(result.refused_attachments) == 1 and "invoice" not in incident.title
    assert result.refused_attachments[0].startswith("invoice.html: ")
    record = InboundMessage.objects.get()
    assert record.result == {
        "attachments": ["screenshot.png"],
        "refused": list(result.refused_attachments),
    }
    assert record.reason.startswith("Attachment not accepted: invoice.html: Files of type")


def test_a_png_named_file_holding_html_is_refused_by_its_content(reporter):
    ingest_message(eml(attachments=[("cat.png", "image", "png", b"<html>not an image</html>")]))

    assert not Attachment.objects.exists()
    assert "does not look like a .png file" in Incident.objects.get().description


def test_the_reporters_reply_with_the_number_in_the_subject_adds_a_public_comment(
    reporter, make_incident
):
    incident = make_incident()

    result = ingest_message(
        eml(subject=f"Re: [{incident.number}] Received: VPN down", text="Still broken.")
    )

    comment = Comment.objects.get()
    assert result.status == Outcome.COMMENTED and result.comment_id == comment.pk
    assert (comment.incident, comment.author, comment.body) == (incident, reporter, "Still broken.")
    assert comment.public and comment.channel == Channel.EMAIL
    assert Incident.objects.count() == 1


def test_a_reply_carries_its_attachment_onto_the_comment(reporter, make_incident):
    incident = make_incident()

    ingest_message(
        eml(subject=f"[{incident.number}]", attachments=[("s.png", "image", "png", PNG)])
    )

    attachment = Attachment.objects.get()
    assert attachment.comment == Comment.objects.get() and attachment.incident == incident


def test_a_responders_reply_is_a_public_update(responder, make_incident):
    incident = make_incident()

    ingest_message(
        eml(sender="agent@example.com", subject=f"RE: [{incident.number}]", text="Fixed the VPN.")
    )

    comment = Comment.objects.get()
    assert comment.author == responder and comment.public


def test_a_stranger_replying_to_someone_elses_incident_gets_their_own_incident(
    other_reporter, make_incident
):
    incident = make_incident()

    result = ingest_message(
        eml(sender="bob@example.com", subject=f"Re: [{incident.number}] VPN down", text="Me too")
    )

    assert not Comment.objects.exists()
    new = Incident.objects.get(reporter=other_reporter)
    assert result.status == Outcome.CREATED and result.incident_number == new.number
    assert new.number != incident.number and new.title == "VPN down"
    assert incident.number not in new.description


def test_a_watcher_may_comment_by_e_mail(other_reporter, make_incident, responder):
    incident = make_incident()
    # Not a shared incident (no service): the service desk puts bob on it.
    services.incident_watch(
        incident=incident, user=other_reporter, actor=responder, via=Channel.ADMIN
    )

    ingest_message(eml(sender="bob@example.com", subject=f"[{incident.number}]", text="Same"))

    assert Comment.objects.get().author == other_reporter


def test_a_reply_found_by_our_thread_header_comments_even_without_the_subject_tag(
    reporter, make_incident
):
    incident = make_incident()

    ingest_message(
        eml(subject="Re: VPN", headers={"In-Reply-To": f"<{incident.number}@127.0.0.1>"})
    )

    assert Comment.objects.get().incident == incident


def test_the_reporters_reply_to_a_closed_incident_opens_a_follow_up(
    reporter, responder, make_incident
):
    incident = make_incident()
    services.incident_cancel(incident=incident, actor=responder, via=Channel.ADMIN, reason="dup")

    ingest_message(eml(subject=f"Re: [{incident.number}] VPN down", text="Broken again."))

    follow_up = Incident.objects.exclude(pk=incident.pk).get()
    assert follow_up.description.startswith(f"Follow-up to {incident.number}, which is closed.")
    assert not Comment.objects.exists()


def test_a_reply_about_a_merged_duplicate_goes_to_the_incident_it_was_merged_into(
    reporter, other_reporter, manager, make_incident
):
    primary = make_incident(title="VPN down for everyone", reporter=other_reporter)
    duplicate = make_incident()
    services.incident_merge(
        primary=primary, duplicates=[duplicate], actor=manager, via=Channel.ADMIN
    )

    ingest_message(eml(subject=f"Re: [{duplicate.number}] VPN down", text="Any news?"))

    comment = Comment.objects.get()
    assert (comment.incident, comment.author) == (primary, reporter)
    assert Incident.objects.count() == 2


def test_an_empty_reply_is_recorded_as_rejected_without_a_comment(reporter, make_incident):
    incident = make_incident()

    result = ingest_message(eml(subject=f"[{incident.number}]", text="> only quotation"))

    assert result.status == Outcome.COMMENTED  # the quotation is all there is, so it is kept
    result = ingest_message(eml(subject=f"[{incident.number}]", text="   "))
    assert result.status == Outcome.REJECTED and result.reason == "Write something first."
    assert Comment.objects.count() == 1


def test_an_unknown_sender_is_ignored_and_logged(db, caplog):
    with caplog.at_level(logging.INFO, logger="email_intake"):
        result = ingest_message(eml(sender="stranger@elsewhere.example"))

    assert result.status == Outcome.IGNORED and "Unknown sender" in result.reason
    assert not Incident.objects.exists()
    assert not get_user_model().objects.filter(email="stranger@elsewhere.example").exists()
    assert "stranger@elsewhere.example" in caplog.text
    assert InboundMessage.objects.get().status == Outcome.IGNORED


def test_an_inactive_account_cannot_report_by_e_mail(reporter):
    reporter.is_active = False
    reporter.save()

    assert ingest_message(eml()).status == Outcome.IGNORED
    assert not Incident.objects.exists()


def test_two_active_accounts_sharing_an_address_are_not_guessed_between(reporter, make_user):
    make_user("alice2", email="Alice@example.com")

    result = ingest_message(eml())

    assert result.status == Outcome.IGNORED and not Incident.objects.exists()
    assert "Several active accounts" in result.reason


def test_unknown_senders_get_an_end_user_account_when_the_setting_allows(db, settings):
    settings.ITSM_EMAIL_CREATE_UNKNOWN_USERS = True

    ingest_message(eml(sender="Carol Jones <carol@elsewhere.example>"))
    ingest_message(eml(sender="carol@ELSEWHERE.example", subject="Second"))

    carol = get_user_model().objects.get(email__iexact="carol@elsewhere.example")
    assert not carol.has_usable_password()
    assert not carol.is_staff and not carol.groups.exists()
    assert carol.first_name == "Carol Jones"
    assert Incident.objects.filter(reporter=carol).count() == 2


def test_a_created_account_never_takes_an_existing_username(db, settings, make_user):
    settings.ITSM_EMAIL_CREATE_UNKNOWN_USERS = True
    make_user("carol@elsewhere.example", email="someone-else@example.com")

    ingest_message(eml(sender="carol@elsewhere.example"))

    carol = Incident.objects.get().reporter
    assert carol.email == "carol@elsewhere.example"
    assert carol.username == "carol@elsewhere.example-2"


def test_a_reporters_reply_while_awaiting_them_puts_the_incident_back_in_progress(
    reporter, responder, make_incident
):
    from incidents.models import HoldReason

    incident = make_incident()
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    awaiting = HoldReason.objects.get(code="awaiting_user")
    services.incident_hold(incident=incident, actor=responder, via=Channel.ADMIN, reason=awaiting)

    ingest_message(eml(subject=f"[{incident.number}]", text="Here is the log you asked for."))

    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS


def test_a_mail_opens_an_incident_with_the_team_a_rule_on_the_channel_names(reporter, team):
    from incidents.models import RoutingRule

    RoutingRule.objects.create(name="Mailbox", team=team, channel=Channel.EMAIL)
    ingest_message(eml(subject="Printer jams"))
    incident = Incident.objects.get()
    assert incident.team == team
    assert incident.events.get(kind="routed").data["rule"] == "Mailbox"


def test_a_mail_no_rule_claims_goes_to_the_fallback_team(reporter):
    ingest_message(eml(subject="Printer jams"))
    assert Incident.objects.get().team.slug == "service-desk"
