"""The hostile world: every channel used to store the XSS corpus (tests/security/xss.py)."""

from django.urls import reverse

from incidents import services
from incidents.choices import Channel
from incidents.models import Incident
from tests.security.xss import (
    CORPUS,
    MARKDOWN_PAYLOADS,
    NAME,
    TITLE,
    alertmanager_payload,
    event_payload,
)


def _report_in_portal(client, service) -> Incident:
    data = {
        "title": TITLE,
        "description": CORPUS,
        "service": str(service.pk),
        "impact": "high",
        "urgency": "high",
    }
    assert client.post("/portal/report/", data).status_code == 302
    return Incident.objects.latest("pk")


def _monitoring(client, service) -> list[Incident]:
    from integrations.services import integration_create

    _, am_token = integration_create(kind="alertmanager", name=NAME, default_service=service)
    _, ev_token = integration_create(kind="events", name="Events", default_service=service)
    am = client.post(
        "/api/v1/integrations/alertmanager/",
        alertmanager_payload(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {am_token}",
    )
    ev = client.post(
        "/api/v1/events/",
        event_payload(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ev_token}",
    )
    assert (am.status_code, ev.status_code) == (200, 202), (am.content, ev.content)
    return list(Incident.objects.filter(channel=Channel.MONITORING))


def _hostile_catalogue(users, agent) -> Incident:
    """A team and a service named with markup (managers type these), with an incident the
    reports page charts by team and service."""
    from incidents.models import Service, Team

    team = Team.objects.create(name=NAME, slug="hostile-team", email="team@example.com")
    hostile_service = Service.objects.create(name=TITLE, slug="hostile", owner_team=team)
    incident = services.incident_create(
        title="Disk full", reporter=users["bob"], service=hostile_service, via=Channel.PORTAL
    )
    services.incident_acknowledge(incident=incident, actor=agent, via=Channel.ADMIN)
    return services.incident_resolve(
        incident=incident,
        actor=agent,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes=CORPUS,
    )


def _learning(incident, users, service):
    from problems.models import Runbook
    from problems.services import problem_create
    from reviews.services import action_item_add, review_start, review_update

    agent, manager = users["agent"], users["manager"]
    review = review_start(incident=incident, actor=agent)
    review_update(review=review, actor=agent, summary=CORPUS, root_cause=CORPUS)
    action_item_add(review=review, actor=agent, title=TITLE, owner=users["agent2"])
    markdown = "\n\n".join(MARKDOWN_PAYLOADS)
    problem = problem_create(
        title=TITLE,
        actor=manager,
        incidents=[incident],
        description=CORPUS,
        workaround=markdown,
        root_cause=CORPUS,
        known_error=True,
        service=service,
    )
    runbook = Runbook.objects.create(title=TITLE, service=service, body=markdown)
    return review, problem, runbook


def build_hostile_world(users, service, browser_for, api_for, client, capture) -> dict:
    """Everything carrying the corpus, entered the way each channel enters it; the
    notifications they cause are sent (to mail.outbox). `capture` is pytest-django's
    django_capture_on_commit_callbacks."""
    from email_intake.services import ingest_message
    from tests.email_intake.conftest import eml

    alice, bob, agent = users["alice"], users["bob"], users["agent"]
    for user in (alice, bob, agent):
        user.first_name, user.last_name = NAME, TITLE
        user.save()
    with capture(execute=True):
        portal = _report_in_portal(browser_for("alice"), service)
        browser_for("bob").post(f"/portal/incidents/{portal.number}/follow/")
        browser_for("bob").post(portal.get_absolute_url(), {"body": CORPUS})
        api_for("alice").post(
            f"/api/v1/incidents/{portal.number}/comments/", {"body": CORPUS}, format="json"
        )
        for public in (True, False):
            services.incident_comment(
                incident=portal, author=agent, body=CORPUS, public=public, via=Channel.ADMIN
            )
        browser_for("agent").post(reverse("admin:incidents_incident_major", args=[portal.pk]))
        created = api_for("alice").post(
            "/api/v1/incidents/", {"title": TITLE, "description": CORPUS}, format="json"
        )
        api_incident = Incident.objects.get(number=created.json()["number"])
        services.incident_resolve(
            incident=api_incident,
            actor=agent,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes=CORPUS,
        )
        monitored = _monitoring(client, service)
        catalogued = _hostile_catalogue(users, agent)
        ingest_message(eml(sender=alice.email, subject=TITLE, text=CORPUS))
    emailed = Incident.objects.get(channel=Channel.EMAIL)
    review, problem, runbook = _learning(portal, users, service)
    return {
        "incidents": [portal, api_incident, emailed, catalogued, *monitored],
        "portal": portal,
        "api": api_incident,
        "review": review,
        "problem": problem,
        "runbook": runbook,
    }


def hostile_pages(hostile) -> list[tuple[str, str]]:
    portal, review, problem = hostile["portal"], hostile["review"], hostile["problem"]
    pages = [("agent", "/admin/"), ("agent", "/admin/incidents/incident/?status=all")]
    pages += [("agent", "/admin/reports/"), ("manager", "/admin/incidents/service/")]
    for incident in hostile["incidents"]:
        pages.append(("agent", reverse("admin:incidents_incident_change", args=[incident.pk])))
    pages += [
        ("manager", reverse("admin:incidents_incident_history", args=[portal.pk])),
        ("agent", "/admin/integrations/alertgroup/"),
        ("agent", "/admin/integrations/alert/"),
        ("manager", "/admin/integrations/integration/"),
        ("agent", "/admin/reviews/postincidentreview/"),
        ("agent", reverse("admin:reviews_postincidentreview_change", args=[review.pk])),
        ("agent", "/admin/reviews/actionitem/"),
        ("agent", "/admin/problems/problem/"),
        ("agent", reverse("admin:problems_problem_change", args=[problem.pk])),
        ("manager", reverse("admin:problems_runbook_change", args=[hostile["runbook"].pk])),
        ("agent", "/admin/email_intake/inboundmessage/"),
        ("agent", "/admin/notifications/notification/"),
        ("alice", "/portal/"),
        ("alice", "/portal/incidents/"),
        ("alice", f"/portal/report/?service={portal.service.slug}"),
        ("alice", f"/portal/report/known/?service={portal.service.pk}"),
        ("bob", portal.get_absolute_url()),
        ("alice", hostile["api"].get_absolute_url()),
        ("anonymous", "/status/"),
        ("agent", f"/api/v1/incidents/{portal.number}/"),
        ("agent", f"/api/v1/incidents/{portal.number}/comments/"),
        ("agent", f"/api/v1/incidents/{portal.number}/history/"),
    ]
    for incident in hostile["incidents"]:
        if incident.reporter.get_username() == "alice":
            pages.append(("alice", incident.get_absolute_url()))
    return pages
