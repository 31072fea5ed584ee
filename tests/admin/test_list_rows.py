"""The incident list: its one-pass rows are the admin's own markup, and its count stops at
a cap instead of reading every matching incident."""

import pytest
from django.contrib.admin.templatetags.admin_list import results
from django.urls import reverse

from incidents.counting import CappedPaginator

pytestmark = pytest.mark.django_db


def test_the_list_says_how_many_incidents_up_to_the_cap(
    login, responder, make_incident, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "LIST_CAP", 3)
    for _ in range(5):
        make_incident()
    page = login(responder).get(reverse("admin:incidents_incident_changelist")).content
    assert "3+ incidents" in page.decode()


def test_list_rows_are_the_admins_own_markup(login, responder, make_incident, service):
    """The one-pass rows must be the same HTML the admin's generic loop would give, so the
    stylesheet, the action checkboxes and the links behave as they always did."""
    make_incident(service=service, title="<b>Printer</b> & scanner", assignee=responder)
    make_incident(title="No service, nobody assigned", major=True)
    response = login(responder).get(reverse("admin:incidents_incident_changelist") + "?o=1")
    cl = response.context["cl"]
    generic = ["".join(row) for row in results(cl)]
    ours = [row[0] for row in response.context["results"]]
    assert ours == generic
    assert "&lt;b&gt;Printer&lt;/b&gt; &amp; scanner" in response.content.decode()
