"""End users are offered the public incident templates on the report page; choosing one
fills the form (a plain link, no JavaScript needed)."""

import pytest
from django.urls import reverse

from incidents.models import Incident

pytestmark = pytest.mark.django_db
REPORT = reverse("portal:report")


def test_the_report_page_offers_public_templates_only(
    client, reporter, login_template, internal_template
):
    client.force_login(reporter)
    page = client.get(REPORT).content.decode()
    assert 'href="?template=cannot-log-in"' in page and "Cannot log in" in page
    assert "vpn-outage" not in page and "VPN outage" not in page


def test_choosing_a_template_fills_the_report_form(client, reporter, login_template, service):
    client.force_login(reporter)
    page = client.get(REPORT + "?template=cannot-log-in").content.decode()
    assert 'value="Cannot log in"' in page
    assert "I cannot sign in.</textarea>" in page
    assert f'<option value="{service.pk}" selected>' in page
    assert 'name="urgency" value="high" required id="id_urgency_2" checked' in page


@pytest.mark.parametrize("slug", ["vpn-outage", "nope", "x" * 300])
def test_an_internal_or_unknown_template_leaves_the_form_empty(
    client, reporter, internal_template, slug
):
    client.force_login(reporter)
    response = client.get(REPORT, {"template": slug})
    assert response.status_code == 200
    assert "VPN outage" not in response.content.decode()


def test_a_report_sent_from_a_template_is_an_ordinary_report(
    client, reporter, login_template, service
):
    client.force_login(reporter)
    data = {
        "title": "Cannot log in",
        "description": "I cannot sign in.",
        "service": service.pk,
        "impact": "low",
        "urgency": "high",
        "confirm_new": "1",
    }
    response = client.post(REPORT, data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.title, incident.reporter, incident.channel) == (
        "Cannot log in",
        reporter,
        "portal",
    )
