"""The end user included in a drill sees the practice incident in the portal, marked as
practice; nobody else finds it there."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_included_end_user_sees_the_practice_banner(client, reporter, template, start_drill):
    incident = start_drill(template=template, end_user=reporter).incident
    client.force_login(reporter)
    page = client.get(incident.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Practice only." in html and "practice drill" in html


def test_the_end_users_list_marks_the_practice_incident(client, reporter, template, start_drill):
    start_drill(template=template, end_user=reporter)
    client.force_login(reporter)
    html = client.get("/portal/incidents/").content.decode()
    assert '<span class="badge badge--major">Practice</span>' in html


def test_a_real_incident_has_no_practice_banner(client, reporter, incident):
    client.force_login(reporter)
    assert "Practice only." not in client.get(incident.get_absolute_url()).content.decode()


def test_other_end_users_cannot_open_or_find_a_practice_incident(
    client, reporter, other_reporter, template, start_drill
):
    incident = start_drill(template=template, end_user=reporter).incident
    client.force_login(other_reporter)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert incident.number not in client.get("/").content.decode()
