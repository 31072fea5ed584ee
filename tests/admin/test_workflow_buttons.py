"""The change page's workflow buttons: only the steps the status allows, POST-only,
CSRF-protected, with an intermediate page when a step needs input."""

import pytest
from django.test import Client
from django.urls import reverse

from incidents import services, workflow
from incidents.choices import Channel, EventKind, Status
from incidents.events import record_event
from incidents.models import Incident, ResolutionCode
from incidents.selectors import TimelineEntry, _sources
from tests.admin.conftest import change_url, messages_of, step_url
from tests.fixtures.workflow import move_to, one_refusal_per_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(login, responder):
    return login(responder)


def buttons(client, incident) -> list[str]:
    return [step.verb for step in client.get(change_url(incident)).context["steps"]]


def test_buttons_follow_the_workflow_of_the_current_status(client, incident, responder):
    assert buttons(client, incident) == ["acknowledge", "start", "resolve", "cancel"]
    services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
    assert buttons(client, incident) == ["hold", "resolve", "cancel"]
    services.incident_hold(
        incident=incident, actor=responder, via=Channel.ADMIN, reason="awaiting_user"
    )
    assert buttons(client, incident) == ["resume", "resolve", "cancel"]
    services.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Done.",
    )
    assert buttons(client, incident) == ["reopen", "close"]
    services.incident_close(incident=incident, actor=responder, via=Channel.ADMIN)
    assert buttons(client, incident) == []
    assert "this incident is final" in client.get(change_url(incident)).content.decode()


def test_acknowledge_button_goes_through_the_service(client, incident, responder):
    response = client.post(step_url(incident, "acknowledge"), {"version": incident.version})
    assert response.status_code == 302
    saved = Incident.objects.get(pk=incident.pk)
    assert saved.status == Status.ACKNOWLEDGED
    assert saved.history.latest().history_user == responder
    assert f"{incident.number} acknowledged." in messages_of(response)


def test_a_stale_button_press_changes_nothing_and_says_why(client, incident, manager):
    old_version = incident.version
    services.incident_start(incident=incident, actor=manager, via=Channel.ADMIN)
    response = client.post(
        step_url(incident, "resolve"),
        {
            "version": old_version,
            "_confirm": 1,
            "resolution_code": ResolutionCode.objects.get(code="fixed").pk,
            "resolution_notes": "Done.",
        },
    )
    assert Incident.objects.get(pk=incident.pk).status == Status.IN_PROGRESS
    assert any("changed by someone else" in m for m in messages_of(response))


def test_a_step_the_status_does_not_allow_is_refused_with_the_reason(client, incident):
    response = client.post(step_url(incident, "close"), {"version": incident.version})
    assert f"{incident.number} cannot be closed: it is new." in messages_of(response)
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW


def test_resolve_button_asks_for_code_and_notes_first(client, incident):
    page = client.post(step_url(incident, "resolve"), {"version": incident.version})
    assert page.status_code == 200
    assert "Resolve: " + incident.number in page.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW
    code = ResolutionCode.objects.get(code="workaround")
    blank = client.post(
        step_url(incident, "resolve"),
        {"version": incident.version, "_confirm": 1, "resolution_code": code.pk},
    )
    assert "This field is required." in blank.content.decode()
    done = client.post(
        step_url(incident, "resolve"),
        {
            "version": incident.version,
            "_confirm": 1,
            "resolution_code": code.pk,
            "resolution_notes": "Use the backup gateway.",
        },
    )
    assert done.status_code == 302
    saved = Incident.objects.get(pk=incident.pk)
    assert (saved.status, saved.resolution_code) == (Status.RESOLVED, code)


def test_buttons_accept_only_csrf_protected_posts(login, responder, incident):
    client = login(responder, enforce_csrf_checks=True)
    assert client.get(step_url(incident, "acknowledge")).status_code == 405
    assert client.post(step_url(incident, "acknowledge"), {"version": 1}).status_code == 403
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW


def test_staff_without_a_role_cannot_press_buttons(login, staff_without_role, incident):
    response = login(staff_without_role).post(step_url(incident, "acknowledge"))
    assert response.status_code in (403, 404)
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW


def test_watch_button_toggles_watching(client, incident, responder):
    url = reverse("admin:incidents_incident_watch", args=[incident.pk])
    client.post(url)
    assert incident.watchers.filter(pk=responder.pk).exists()
    assert "Stop watching" in client.get(change_url(incident)).content.decode()
    client.post(url)
    assert not incident.watchers.filter(pk=responder.pk).exists()


def test_declare_major_button(client, incident):
    client.post(reverse("admin:incidents_incident_major", args=[incident.pk]))
    assert Incident.objects.get(pk=incident.pk).major


def test_timeline_merges_history_comments_sla_events_and_other_sources(
    client, incident, responder, monkeypatch
):
    services.incident_assign(
        incident=incident, actor=responder, via=Channel.ADMIN, assignee=responder
    )
    services.incident_comment(
        incident=incident, author=responder, body="Rebooting.", via=Channel.ADMIN, public=False
    )
    record_event(
        incident=incident,
        kind=EventKind.SLA_BREACHED,
        channel=Channel.SYSTEM,
        data={"clock": "response"},
    )

    def alerts(incident):
        return [TimelineEntry(at=incident.opened_at, kind="alert", title="Alert: VPN probe")]

    monkeypatch.setattr("incidents.selectors._sources", [*_sources, alerts])
    page = client.get(change_url(incident)).content.decode()
    for text in ("Assigned via Admin", "Rebooting.", "SLA breached", "Alert: VPN probe"):
        assert text in page
    assert "<strong>assignee</strong>: – &rarr; Agent" in page  # names, not ids


def test_sla_ledger_explains_the_clocks(client, incident, responder):
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    page = client.get(change_url(incident)).content.decode()
    assert "Clocks started" in page and "Responded in time" in page


def test_end_users_cannot_reach_the_buttons(reporter, incident):
    client = Client()
    client.force_login(reporter)
    response = client.post(step_url(incident, "acknowledge"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(("step", "source"), one_refusal_per_step())
def test_each_button_pressed_from_a_status_its_workflow_row_does_not_allow_says_why(
    client, incident, responder, step, source
):
    # A page opened before someone else moved the incident still shows the old buttons.
    incident = move_to(incident, source, responder)
    version = incident.version
    response = client.post(step_url(incident, step), {"version": version})
    assert response.status_code == 302 and response.url == change_url(incident)
    status = incident.get_status_display().lower()
    done = workflow.ACTIONS[step].done
    said = messages_of(response)
    assert any(m.startswith(f"{incident.number} cannot be {done}: it is {status}.") for m in said)
    incident.refresh_from_db()
    assert (incident.status, incident.version) == (source, version)


def test_a_step_that_needs_input_is_refused_before_asking_for_it(client, incident, responder):
    incident = move_to(incident, Status.CLOSED, responder)
    response = client.post(step_url(incident, "resolve"), {"version": incident.version})
    assert response.status_code == 302
    assert f"{incident.number} cannot be resolved: it is closed." in messages_of(response)


@pytest.mark.parametrize("name", ["step", "watch", "major"])
def test_a_button_address_opened_as_a_page_explains_and_links_back(client, incident, name):
    args = [incident.pk, "acknowledge"] if name == "step" else [incident.pk]
    response = client.get(reverse(f"admin:incidents_incident_{name}", args=args))
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = response.content.decode()
    assert "nothing was changed" in page
    assert f'href="{change_url(incident)}"' in page
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW
