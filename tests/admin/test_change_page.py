"""The change page: edits through the services, the conflict path, comments and files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents import services
from incidents.choices import Channel, EventKind
from incidents.models import Attachment, Incident
from tests.admin.conftest import change_url

pytestmark = pytest.mark.django_db


def form_data(incident: Incident, **overrides) -> dict:
    """What the browser posts for `incident` as the page showed it, plus `overrides`."""
    comments, files = incident.comments.count(), incident.attachments.count()
    data = {
        "title": incident.title,
        "description": incident.description,
        "impact": incident.impact,
        "urgency": incident.urgency,
        "priority": incident.priority,
        "service": incident.service_id or "",
        "category": incident.category_id or "",
        "team": incident.team_id or "",
        "assignee": incident.assignee_id or "",
        "expected_version": incident.version,
        "comments-TOTAL_FORMS": comments + 1,
        "comments-INITIAL_FORMS": comments,
        "comments-MIN_NUM_FORMS": 0,
        "comments-MAX_NUM_FORMS": 1000,
        f"comments-{comments}-kind": "work_note",
        f"comments-{comments}-body": "",
        "attachments-TOTAL_FORMS": files + 1,
        "attachments-INITIAL_FORMS": files,
        "attachments-MIN_NUM_FORMS": 0,
        "attachments-MAX_NUM_FORMS": 1000,
        f"attachments-{files}-public": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def client(login, responder):
    return login(responder)


def test_editing_title_and_priority_goes_through_the_services(client, incident, responder):
    response = client.post(
        change_url(incident), form_data(incident, title="VPN down (all)", priority="P1")
    )
    assert response.status_code == 302
    saved = Incident.objects.get(pk=incident.pk)
    assert (saved.title, saved.priority, saved.version) == ("VPN down (all)", "P1", 2)
    assert saved.history.latest().history_change_reason == "Updated via Admin"
    assert saved.history.latest().history_user == responder
    assert saved.events.filter(kind=EventKind.PRIORITY_CHANGED).exists()
    assert saved.resolution_due < incident.resolution_due  # P1 targets are tighter


def test_changing_the_assignee_goes_through_assignment(client, incident, manager):
    client.post(change_url(incident), form_data(incident, assignee=manager.pk))
    saved = Incident.objects.get(pk=incident.pk)
    assert saved.assignee == manager
    assert saved.history.latest().history_change_reason == "Assigned via Admin"


def test_stale_edit_shows_who_changed_what_and_keeps_the_users_input(client, incident, manager):
    stale = form_data(incident, title="VPN down since 9:00")  # the page as first opened
    services.incident_update(incident=incident, actor=manager, via=Channel.ADMIN, priority="P1")
    response = client.post(change_url(incident), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Manager saved" in page and "P3 - Moderate → P1 - Critical" in page
    assert "Nothing of yours was saved" in page
    saved = Incident.objects.get(pk=incident.pk)
    assert (saved.title, saved.priority) == ("VPN down", "P1")
    form = response.context["adminform"].form
    assert form["title"].value() == "VPN down since 9:00"  # what the user typed
    assert form["priority"].value() == "P1"  # their version under it, not the stale P3
    assert int(form["expected_version"].value()) == saved.version
    again = client.post(
        change_url(incident),
        {**stale, **{k: form[k].value() for k in ("priority", "expected_version")}},
    )
    assert again.status_code == 302
    saved.refresh_from_db()
    assert (saved.title, saved.priority) == ("VPN down since 9:00", "P1")


def test_a_comment_added_on_a_stale_page_is_saved_without_a_conflict(client, incident, manager):
    stale = form_data(incident, **{"comments-0-body": "Called the user back."})
    services.incident_update(incident=incident, actor=manager, via=Channel.ADMIN, priority="P1")
    assert client.post(change_url(incident), stale).status_code == 302
    saved = Incident.objects.get(pk=incident.pk)
    assert saved.priority == "P1"
    assert saved.comments.get().body == "Called the user back."


def test_a_refused_save_rolls_back_everything_and_names_the_reason(
    client, incident, responder, reporter
):
    # The assignee search offers responders only; a crafted post naming an end user
    # reaches the service, which refuses. The comment typed with it is not saved either.
    data = form_data(incident, assignee=reporter.pk, **{"comments-0-body": "Handing over."})
    response = client.post(change_url(incident), data)
    assert response.status_code == 200
    assert (
        "alice cannot be assigned incidents: they are not a responder." in response.content.decode()
    )
    saved = Incident.objects.get(pk=incident.pk)
    assert saved.assignee is None and saved.comments.count() == 0
    assert response.context["inline_admin_formsets"][0].formset.forms[0]["body"].value() == (
        "Handing over."
    )


def test_taking_the_assignee_off_without_another_is_explained(client, incident, responder):
    incident = services.incident_assign(
        incident=incident, actor=responder, via=Channel.ADMIN, assignee=responder
    )
    response = client.post(change_url(incident), form_data(incident, assignee=""))
    assert "Choose another person" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).assignee == responder


def test_public_updates_and_work_notes_are_added_through_the_comment_service(client, incident):
    client.post(
        change_url(incident),
        form_data(incident, **{"comments-0-body": "Looking into it.", "comments-0-kind": "public"}),
    )
    incident.refresh_from_db()
    client.post(
        change_url(incident), form_data(incident, **{"comments-1-body": "Gateway logs attached."})
    )
    public, note = incident.comments.order_by("pk")
    assert public.public and not note.public
    kinds = list(
        incident.events.filter(kind__in=[EventKind.COMMENTED, EventKind.WORK_NOTE]).values_list(
            "kind", flat=True
        )
    )
    assert kinds == [EventKind.COMMENTED, EventKind.WORK_NOTE]


def test_page_shows_public_updates_and_work_notes_differently(client, incident, responder):
    for public, body in ((True, "We are on it."), (False, "Suspect the firewall.")):
        services.incident_comment(
            incident=incident, author=responder, body=body, via=Channel.ADMIN, public=public
        )
    page = client.get(change_url(incident)).content.decode()
    assert 'itsm-badge public" style="background:#15803d' in page
    assert 'itsm-badge note" style="background:#92400e' in page
    assert "itsm-entry kind-comment public" in page and "itsm-entry kind-comment note" in page
    assert "Work note · internal" in page


def test_files_upload_through_the_service_and_download_as_attachments(client, incident):
    upload = SimpleUploadedFile("gateway.log", b"error: tunnel reset\n", "text/plain")
    data = form_data(incident, **{"attachments-0-upload": upload})
    assert client.post(change_url(incident), data).status_code == 302
    attachment = Attachment.objects.get(incident=incident)
    assert incident.events.filter(kind=EventKind.ATTACHED).exists()
    url = reverse("admin:incidents_incident_attachment", args=[incident.pk, attachment.pk])
    assert url in client.get(change_url(incident)).content.decode()
    download = client.get(url)
    assert download["Content-Disposition"] == 'attachment; filename="gateway.log"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"error: tunnel reset\n"


def test_a_rejected_file_is_an_error_and_nothing_else_is_saved(client, incident):
    upload = SimpleUploadedFile("page.html", b"<html><script>x</script>", "text/html")
    data = form_data(incident, title="Changed", **{"attachments-0-upload": upload})
    response = client.post(change_url(incident), data)
    assert response.status_code == 200
    assert "are not accepted" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).title == "VPN down"
    assert not Attachment.objects.exists()


def test_an_attachment_is_only_served_from_its_own_incident(
    client, login, incident, make_incident, staff_without_role
):
    other = make_incident(title="Other")
    services.incident_attach(
        incident=other,
        actor=other.reporter,
        via=Channel.PORTAL,
        files=[SimpleUploadedFile("note.txt", b"hello", "text/plain")],
    )
    attachment = other.attachments.get()
    wrong = reverse("admin:incidents_incident_attachment", args=[incident.pk, attachment.pk])
    assert client.get(wrong).status_code == 404
    right = reverse("admin:incidents_incident_attachment", args=[other.pk, attachment.pk])
    assert login(staff_without_role).get(right).status_code == 404


def test_add_page_logs_a_phoned_in_incident_through_the_create_service(
    client, reporter, service, responder
):
    data = {
        "title": "Laptop will not boot",
        "description": "Called at 10:05.",
        "reporter": reporter.pk,
        "channel": "phone",
        "impact": "medium",
        "urgency": "high",
        "service": service.pk,
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    incident = Incident.objects.get(title="Laptop will not boot")
    assert response.status_code == 302
    assert (incident.channel, incident.reporter, incident.priority) == ("phone", reporter, "P2")
    assert incident.number.startswith("INC")
    first = incident.history.earliest()
    assert (first.history_user, first.history_change_reason) == (responder, "Created via Phone")


def test_a_stale_save_is_headed_by_the_saved_title_and_keeps_what_the_user_typed(
    client, incident, manager
):
    stale = form_data(incident, title="VPN down since 9:00")  # the page as first opened
    services.incident_update(
        incident=incident, actor=manager, via=Channel.ADMIN, title="VPN down for everyone"
    )
    response = client.post(change_url(incident), stale)
    assert response.status_code == 200
    saved = Incident.objects.get(pk=incident.pk)
    assert saved.title == "VPN down for everyone"
    assert response.context["subtitle"] == str(saved)
    assert response.context["original"].title == "VPN down for everyone"
    assert response.context["adminform"].form["title"].value() == "VPN down since 9:00"
    assert "Nothing of yours was saved" in response.content.decode()


def test_a_save_the_service_refuses_is_headed_by_the_saved_title_and_keeps_the_input(
    client, incident, reporter
):
    data = form_data(incident, title="VPN down since 9:00", assignee=reporter.pk)
    response = client.post(change_url(incident), data)
    assert response.status_code == 200
    saved = Incident.objects.get(pk=incident.pk)
    assert (saved.title, saved.version) == ("VPN down", incident.version)
    assert response.context["subtitle"] == str(saved)
    assert response.context["current_version"] == saved.version  # the buttons still work
    form = response.context["adminform"].form
    assert form["title"].value() == "VPN down since 9:00"
    assert form.errors["assignee"] == [
        "alice cannot be assigned incidents: they are not a responder."
    ]
