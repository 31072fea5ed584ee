"""What others show: known errors of a service (portal) and runbooks of an incident."""

import pytest
from django.template import Context, Template

from incidents.models import Category, Service
from problems import selectors, services
from problems.choices import ProblemStatus
from problems.markdown import render_markdown
from problems.models import Runbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    parent = Category.objects.create(name="Network")
    return parent, Category.objects.create(name="Connectivity", parent=parent)


def known_error(actor, **fields):
    defaults = {"title": "VPN drops", "known_error": True, "workaround": "Use port 443."}
    return services.problem_create(actor=actor, **{**defaults, **fields})


def test_a_service_shows_its_active_known_errors_only(service, responder, make_incident):
    direct = known_error(responder, service=service)
    through_incident = known_error(
        responder, title="Slow logins", incidents=[make_incident(service=service)]
    )
    known_error(responder, title="Fixed", service=service, status=ProblemStatus.RESOLVED)
    services.problem_create(title="Unknown yet", actor=responder, service=service)
    known_error(responder, title="Elsewhere", service=Service.objects.create(name="X", slug="x"))
    shown = selectors.known_errors_for_service(service)
    assert {p.title for p in shown} == {direct.title, through_incident.title}


def test_the_known_errors_include_shows_the_workaround_to_end_users(service, responder):
    known_error(responder, service=service, root_cause="Internal firewall rule 17.")
    html = Template("{% load problems_tags %}{% known_errors service %}").render(
        Context({"service": service})
    )
    assert "Known issues with VPN" in html and "Use port 443." in html
    assert "firewall rule" not in html  # the root cause is for staff


def test_runbooks_apply_by_service_and_category_most_specific_first(
    make_incident, service, network
):
    parent, child = network
    both = Runbook.objects.create(
        title="VPN connectivity", service=service, category=child, body="x"
    )
    by_service = Runbook.objects.create(title="VPN", service=service, body="x")
    by_parent = Runbook.objects.create(title="Any network", category=parent, body="x")
    Runbook.objects.create(title="Inactive", service=service, body="x", active=False)
    Runbook.objects.create(
        title="Other service", service=Service.objects.create(name="X", slug="x"), body="x"
    )
    incident = make_incident(service=service, category=child)
    assert selectors.runbooks_for_incident(incident) == [both, by_parent, by_service]
    assert selectors.runbooks_for_incident(make_incident(service=service)) == [by_service]
    assert selectors.runbooks_for_incident(make_incident()) == []


def test_the_cached_runbooks_follow_every_change_to_runbooks_services_and_categories(
    make_incident, service, network
):
    parent, child = network
    incident = make_incident(service=service, category=child)
    assert selectors.runbooks_for_incident(incident) == []  # cached: none yet
    runbook = Runbook.objects.create(title="VPN", service=service, category=child, body="x")
    assert selectors.runbooks_for_incident(incident) == [runbook]
    service.name = "Remote access"
    service.save()
    parent.name = "Networking"
    parent.save()
    shown = selectors.runbooks_for_incident(incident)[0]
    assert (shown.service.name, str(shown.category)) == ("Remote access", str(child))
    assert "Networking" in str(shown.category)
    runbook.active = False
    runbook.save()
    assert selectors.runbooks_for_incident(incident) == []
    runbook.delete()
    Runbook.objects.create(title="Any network", category=parent, body="x")
    assert [r.title for r in selectors.runbooks_for_incident(incident)] == ["Any network"]


def test_a_runbook_needs_a_service_or_a_category():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="service, the category or both"):
        Runbook(title="Nowhere", body="x").full_clean()


def test_the_runbook_include_renders_markdown(make_incident, service):
    Runbook.objects.create(title="VPN", service=service, body="1. Check **gateway**\n2. Call")
    html = Template("{% load problems_tags %}{% incident_runbooks incident %}").render(
        Context({"incident": make_incident(service=service)})
    )
    assert "<ol>" in html and "<strong>gateway</strong>" in html


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<img src="https://evil.example/x.png">', "<img"),
        ('<a href="https://example.com" onclick="steal()">x</a>', "onclick"),
    ],
)
def test_markdown_is_sanitised(source, forbidden):
    assert forbidden not in render_markdown(source)


def test_markdown_links_open_safely():
    html = render_markdown("[docs](https://example.com/runbook)")
    assert 'href="https://example.com/runbook"' in html and 'rel="noopener noreferrer"' in html
