"""The drills in the admin: the Start a drill page, the drill page with its review and
figures, the drill list, and practice marked on the incident list and page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from drills.models import Drill

pytestmark = pytest.mark.django_db
START = reverse("admin:drills_drill_start")
LIST = reverse("admin:drills_drill_changelist")


def change_url(drill) -> str:
    return reverse("admin:drills_drill_change", args=[drill.pk])


def test_a_manager_starts_a_drill_from_the_start_page(client, manager, responder, template):
    client.force_login(manager)
    page = client.get(START)
    assert page.status_code == 200 and "Start a drill" in page.content.decode()
    response = client.post(START, {"template": template.pk, "participants": [responder.pk]})
    drill = Drill.objects.get()
    assert response.status_code == 302 and response.url == change_url(drill)
    assert drill.incident.practice and list(drill.participants.all()) == [responder]
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert drill.incident.number in message


def test_the_start_page_explains_what_is_missing_and_starts_nothing(
    client, manager, plan, template
):
    client.force_login(manager)
    response = client.post(START, {"plan": plan.pk, "template": template.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose either a response plan or an incident template, not both." in html
    assert "This field is required." in html  # participants
    assert not Drill.objects.exists()


def test_responders_may_not_start_drills(client, responder, template):
    client.force_login(responder)
    assert client.get(START).status_code == 403
    response = client.post(START, {"template": template.pk, "participants": [responder.pk]})
    assert response.status_code == 403 and not Drill.objects.exists()
    assert "Start a drill" not in client.get(LIST).content.decode()


def test_the_drill_list_shows_each_drill_in_a_fixed_number_of_queries(
    client, manager, responder, template, start_drill, django_assert_max_num_queries
):
    for _ in range(4):
        start_drill(template=template)
    client.force_login(manager)
    # session, user, user perms, group perms; count; page of drills with incident, plan,
    # template and starter joined; the permission checks of the changelist (cached).
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    html = response.content.decode()
    assert html.count('class="itsm-practice"') == 4
    assert "Start a drill" in html


def test_the_drill_page_ends_the_drill_with_its_review_and_shows_the_figures(
    client, manager, template, start_drill
):
    drill = start_drill(template=template)
    client.force_login(manager)
    page = client.get(change_url(drill)).content.decode()
    assert "This drill is running." in page and "End the drill and store the figures" in page
    response = client.post(
        change_url(drill),
        {"went_well": "Paged at once", "to_change": "Write the runbook", "_end_drill": "1"},
    )
    assert response.status_code == 302
    drill.refresh_from_db()
    assert drill.ended_at is not None and drill.went_well == "Paged at once"
    page = client.get(change_url(drill)).content.decode()
    assert "This drill has ended." in page
    assert "Time to engage" in page and "0 of 2 steps" in page
    assert "not reached" in page  # nobody acknowledged


def test_the_review_of_an_ended_drill_can_be_edited_without_changing_its_figures(
    client, manager, template, start_drill
):
    from drills.services import drill_end

    drill = drill_end(drill=start_drill(template=template), actor=manager, went_well="x")
    client.force_login(manager)
    client.post(change_url(drill), {"went_well": "Better words", "to_change": "More", "_save": "1"})
    reviewed = Drill.objects.get(pk=drill.pk)
    assert (reviewed.went_well, reviewed.to_change) == ("Better words", "More")
    assert (reviewed.ended_at, reviewed.checklist_total) == (drill.ended_at, 2)


def test_the_incident_list_and_page_mark_a_practice_incident(
    client, manager, template, start_drill
):
    incident = start_drill(template=template).incident
    client.force_login(manager)
    listed = client.get(reverse("admin:incidents_incident_changelist")).content.decode()
    assert '<span class="itsm-practice">PRACTICE</span>' in listed
    only = client.get(reverse("admin:incidents_incident_changelist"), {"practice__exact": "1"})
    assert incident.number in only.content.decode()
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert "This is a practice incident of a drill." in page.content.decode()


def test_a_real_incident_has_no_practice_mark(client, manager, incident):
    client.force_login(manager)
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert "practice incident" not in page.content.decode()


def test_the_incident_forms_cannot_make_an_incident_practice(client, manager, incident):
    from incidents.admin.forms import IncidentAddForm, IncidentChangeForm

    assert "practice" not in IncidentChangeForm.base_fields
    assert "practice" not in IncidentAddForm.base_fields
    client.force_login(manager)
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert 'name="practice"' not in page.content.decode()
