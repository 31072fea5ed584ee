import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services
from incidents.choices import Channel, EventKind, Status
from incidents.exceptions import (
    AttachmentRejected,
    AttachmentTooLarge,
    DomainError,
    InvalidTransition,
)
from incidents.models import Incident
from incidents.selectors import incident_timeline

pytestmark = pytest.mark.django_db


def test_merge_closes_duplicates_with_pointer_and_moves_followers(
    make_incident, reporter, other_reporter, responder, make_user
):
    primary = make_incident()
    watcher = make_user("carol")
    duplicate = make_incident(reporter=other_reporter)
    # Not a shared incident (no service): the service desk puts carol on it.
    services.incident_watch(incident=duplicate, user=watcher, actor=responder, via=Channel.ADMIN)
    services.incident_merge(
        primary=primary, duplicates=[duplicate], actor=responder, via=Channel.ADMIN
    )
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED
    assert duplicate.duplicate_of == primary
    assert duplicate.resolution_code.code == "duplicate"
    assert set(primary.watchers.all()) == {other_reporter, watcher}
    assert primary.events.filter(kind=EventKind.MERGED).exists()


def test_merge_refuses_closed_duplicates_and_changes_nothing(make_incident, responder):
    primary, duplicate = make_incident(), make_incident()
    services.incident_cancel(incident=duplicate, actor=responder, via=Channel.ADMIN)
    with pytest.raises(InvalidTransition):
        services.incident_merge(
            primary=primary, duplicates=[duplicate], actor=responder, via=Channel.ADMIN
        )
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of is None


def test_merge_into_itself_alone_is_refused(make_incident, responder):
    primary = make_incident()
    with pytest.raises(DomainError):
        services.incident_merge(
            primary=primary, duplicates=[primary], actor=responder, via=Channel.ADMIN
        )


def test_major_incident_with_children(make_incident, responder):
    parent, child = make_incident(), make_incident()
    services.incident_declare_major(incident=parent, actor=responder, via=Channel.ADMIN)
    services.incident_link_child(parent=parent, child=child, actor=responder, via=Channel.ADMIN)
    parent.refresh_from_db()
    assert parent.major
    assert list(parent.children.all()) == [child]
    with pytest.raises(DomainError):
        services.incident_link_child(parent=child, child=parent, actor=responder, via=Channel.ADMIN)


def test_end_user_comments_are_always_public_and_staff_can_write_work_notes(
    incident, reporter, responder
):
    mine = services.incident_comment(
        incident=incident, author=reporter, body="Still down", public=False, via=Channel.PORTAL
    )
    note = services.incident_comment(
        incident=incident, author=responder, body="Check logs", public=False, via=Channel.ADMIN
    )
    assert mine.public is True
    assert note.public is False


def test_reporter_reply_resumes_incident_awaiting_them(incident, reporter, responder):
    services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
    services.incident_hold(
        incident=incident, actor=responder, via=Channel.ADMIN, reason="awaiting_user"
    )
    services.incident_comment(
        incident=incident, author=reporter, body="Here is the log", public=True, via=Channel.PORTAL
    )
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS


def test_reporter_cannot_comment_on_a_closed_incident(incident, reporter, responder):
    services.incident_cancel(incident=incident, actor=responder, via=Channel.ADMIN)
    with pytest.raises(InvalidTransition):
        services.incident_comment(
            incident=incident, author=reporter, body="Hello?", public=True, via=Channel.PORTAL
        )


def test_attachments_are_checked_by_extension_content_and_size(incident, reporter, settings):
    png = SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    stored = services.incident_attach(
        incident=incident, actor=reporter, files=[png], via=Channel.PORTAL
    )
    assert stored[0].content_type == "image/png"
    assert stored[0].file.name.startswith("attachments/") and "screen" not in stored[0].file.name
    html_as_txt = SimpleUploadedFile("notes.txt", b"<script>alert(1)</script>")
    with pytest.raises(AttachmentRejected):
        services.incident_attach(
            incident=incident, actor=reporter, files=[html_as_txt], via=Channel.PORTAL
        )
    with pytest.raises(AttachmentRejected):
        services.incident_attach(
            incident=incident,
            actor=reporter,
            files=[SimpleUploadedFile("x.svg", b"<svg/>")],
            via=Channel.PORTAL,
        )
    fake_pdf = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(AttachmentRejected):
        services.incident_attach(
            incident=incident, actor=reporter, files=[fake_pdf], via=Channel.PORTAL
        )
    settings.ITSM_ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(AttachmentTooLarge) as error:
        services.incident_attach(incident=incident, actor=reporter, files=[png], via=Channel.PORTAL)
    assert "at most" in error.value.message
    assert incident.attachments.count() == 1


def test_timeline_merges_history_comments_and_sla_events_in_order(
    incident, responder, django_assert_max_num_queries
):
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    services.incident_comment(
        incident=incident, author=responder, body="On it", public=True, via=Channel.ADMIN
    )
    from incidents.selectors import _sources

    # history with users, comments with authors, SLA events, and at most one query for each
    # registered source (alerts, notifications, problems), two for paging's (pages, and
    # escalation steps from the event log); none per entry
    with django_assert_max_num_queries(3 + len(_sources) + 1):
        entries = incident_timeline(incident)
    kinds = [entry.kind for entry in entries]
    assert kinds[0] == "history" and "comment" in kinds
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    acknowledged = next(e for e in entries if e.title == "Acknowledged via Admin")
    assert ("status", "new", "acknowledged") in acknowledged.changes
    assert acknowledged.actor == responder.get_full_name() or responder.username


def test_history_user_is_the_acting_user_on_every_channel(make_incident, reporter, responder):
    for channel in (Channel.PORTAL, Channel.API, Channel.ADMIN, Channel.EMAIL):
        incident = make_incident(via=channel)
        services.incident_acknowledge(incident=incident, actor=responder, via=channel)
        record = Incident.history.filter(id=incident.pk).latest("history_date")
        assert record.history_user == responder
        assert record.history_change_reason == f"Acknowledged via {channel.label}"
