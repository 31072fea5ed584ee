import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel
from incidents.models import Comment

pytestmark = pytest.mark.django_db


def url(incident):
    return reverse("portal:incident-detail", args=[incident.number])


def test_the_page_shows_status_priority_team_and_expected_resolution(alice, incident):
    page = alice.get(url(incident)).content.decode()
    assert incident.number in page and incident.title in page
    assert ">New</span>" in page and "waiting for the service desk to pick it up" in page
    assert incident.priority_in_words in page
    assert "Network" in page  # the service's owner team
    assert "Expected resolution" in page
    assert incident.resolution_due.strftime("%-d %B") in page


def test_public_updates_appear_in_order_and_work_notes_never(alice, incident, responder):
    for body, public in (("First update", True), ("Secret: firmware bug", False)):
        services.incident_comment(
            incident=incident, author=responder, body=body, public=public, via=Channel.ADMIN
        )
    services.incident_comment(
        incident=incident, author=responder, body="Second update", public=True, via=Channel.ADMIN
    )
    page = alice.get(url(incident)).content.decode()
    assert page.index("First update") < page.index("Second update")
    assert "Secret" not in page and "Work note" not in page


def test_the_page_never_shows_history_diffs_or_anyones_email(alice, incident, responder):
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    services.incident_comment(
        incident=incident, author=responder, body="Looking", public=True, via=Channel.ADMIN
    )
    page = alice.get(url(incident)).content.decode()
    assert "@example.com" not in page
    assert "Acknowledged via Admin" not in page  # history reasons stay internal
    assert "acknowledged_at" not in page and "version" not in page
    assert "Acknowledged by the service desk" in page
    assert "Agent" in page  # the responder is named, not addressed


def test_someone_elses_incident_is_not_found(client_for, other_reporter, incident):
    assert client_for(other_reporter).get(url(incident)).status_code == 404


def test_an_unknown_number_is_not_found(alice):
    assert alice.get("/portal/incidents/INC9999999/").status_code == 404


def test_a_watcher_sees_the_incident(client_for, other_reporter, incident):
    services.incident_watch(
        incident=incident, user=other_reporter, actor=other_reporter, via=Channel.PORTAL
    )
    page = client_for(other_reporter).get(url(incident)).content.decode()
    assert incident.number in page and "Stop following" in page


def test_a_comment_is_added_as_a_public_update_from_the_portal(alice, incident, reporter):
    response = alice.post(url(incident), {"body": "It happens on Wi-Fi too."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.public, comment.channel) == (reporter, True, Channel.PORTAL)
    assert "It happens on Wi-Fi too." in alice.get(url(incident)).content.decode()


def test_a_file_can_be_added_without_a_comment(alice, incident, png):
    alice.post(url(incident), {"body": "", "attachment": png()})
    assert incident.attachments.get().public
    page = alice.get(url(incident)).content.decode()
    assert "screen.png" in page and "You added a file" in page


def test_an_empty_comment_is_refused_next_to_the_form(alice, incident):
    response = alice.post(url(incident), {"body": "   "})
    assert response.status_code == 200
    assert "Write a comment or choose a file to add." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_refused_file_keeps_the_comment_text(alice, incident, png, settings):
    settings.ITSM_ATTACHMENT_MAX_BYTES = 10
    response = alice.post(url(incident), {"body": "See screenshot", "attachment": png()})
    page = response.content.decode()
    assert "files may be at most 10" in page and "See screenshot" in page
    assert not Comment.objects.exists()


def test_a_closed_incident_takes_no_more_comments(alice, incident, resolve, reporter):
    services.incident_close(incident=resolve(incident), actor=reporter, via=Channel.PORTAL)
    page = alice.get(url(incident)).content.decode()
    assert "Add a comment" not in page and "report a new problem" in page
    response = alice.post(url(incident), {"body": "Hello?"})
    assert "is closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_shown_escaped(alice, incident):
    alice.post(url(incident), {"body": "<img src=x onerror=alert(1)>"})
    page = alice.get(url(incident)).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_page_costs_a_fixed_number_of_queries(
    alice, incident, responder, django_assert_num_queries
):
    for n in range(5):
        services.incident_comment(
            incident=incident, author=responder, body=f"Update {n}", public=True, via=Channel.ADMIN
        )
    # session, user, the user's permissions (user and group), the ids of the user's own
    # incidents, incident, comments, their files, loose files, events, known errors
    with django_assert_num_queries(11):
        page = alice.get(url(incident)).content.decode()
    assert page.count("Update ") == 5


def test_resolved_incident_shows_how_it_was_fixed_and_the_choices(alice, incident, resolve):
    resolve(incident)
    page = alice.get(url(incident)).content.decode()
    assert "Restarted the VPN gateway." in page
    assert "It’s fixed, close it" in page and "Still broken, reopen" in page


def test_an_incident_waiting_for_the_reporter_asks_them_to_answer(alice, incident, responder):
    services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
    services.incident_hold(
        incident=incident, actor=responder, via=Channel.ADMIN, reason="awaiting_user"
    )
    page = alice.get(url(incident)).content.decode()
    assert "we need an answer from you" in page
    assert "Paused while the incident is on hold" in page


def test_an_incident_that_is_part_of_a_wider_problem_says_so(
    alice, incident, make_incident, other_reporter, manager, service
):
    wider = make_incident(title="Network core failure", reporter=other_reporter, service=service)
    services.incident_link_child(parent=wider, child=incident, actor=manager, via=Channel.ADMIN)
    page = alice.get(url(incident)).content.decode()
    assert "Network core failure" in page and wider.number not in page


def test_a_known_error_on_the_service_shows_its_workaround_but_not_its_root_cause(
    alice, incident, responder
):
    from problems import services as problem_services

    problem_services.problem_create(
        actor=responder,
        title="VPN drops on hotel Wi-Fi",
        service=incident.service,
        known_error=True,
        workaround="Connect with **port 443**.",
        root_cause="Firewall rule 17 drops UDP.",
    )
    page = alice.get(url(incident)).content.decode()
    assert "VPN drops on hotel Wi-Fi" in page
    assert "<strong>port 443</strong>" in page
    assert "Firewall rule 17" not in page
