"""A drill runs the real workflow for the people taking part, and nothing else notices: the
metrics API, the reports page, the status page, the admin dashboard and the recurrence
suggestions read the same before and after it; subscribers, the team mailbox, people not
taking part, webhooks and team chat channels hear nothing of it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import WebhookDelivery, WebhookEndpoint
from api.services import api_token_create
from drills.services import drill_end, drill_start
from incidents import services
from incidents.choices import Channel
from incidents.roles import MANAGERS
from messaging.models import ChannelMessage, TeamChannel
from paging.models import EscalationPolicy, EscalationStep, Page
from problems.selectors import recurrence_suggestions
from reviews.models import PostIncidentReview
from statuspage.cache import forget_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(service, team, responder, bystander, subscriber, make_user, receiver, deliver, reporter):
    """Two real VPN incidents with the template's title (one more would be a recurring
    pattern), a webhook endpoint, the team's chat room, and a policy paging the responder
    and the bystander."""
    WebhookEndpoint.objects.create(name="Chat bridge", url=receiver.url("http", "hook"))
    TeamChannel.objects.create(
        team=team, name="Ops room", url=receiver.url("json", "room"), min_priority="P4"
    )
    policy = EscalationPolicy.objects.create(team=team, name="Network paging")
    step = EscalationStep.objects.create(policy=policy, position=0, delay_minutes=5)
    step.users.add(responder, bystander)
    duty = make_user("duty", group=MANAGERS, staff=True)
    with deliver():
        first = services.incident_create(
            title="VPN concentrator down", reporter=reporter, via=Channel.PORTAL, service=service
        )
        services.incident_create(
            title="VPN concentrator down", reporter=reporter, via=Channel.PORTAL, service=service
        )
    with deliver():
        services.incident_acknowledge(incident=first, actor=responder, via=Channel.ADMIN)
    return {"duty": duty}


def _api(user):
    _, secret = api_token_create(user=user, name="figures")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def figures(client, api, manager) -> dict:
    """Everything a figure or public page shows, read fresh (caches emptied)."""
    cache.clear()
    forget_local()
    today = timezone.localdate()
    span = {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}
    client.force_login(manager)
    reports = client.get(reverse("admin:reports"), span).context
    status = client.get(reverse("status"))
    dashboard = client.get(reverse("admin:index")).context
    metrics = api.get("/api/v1/metrics/", span).json()
    metrics.pop("generated_at", None)
    return {
        "metrics": metrics,
        "reports": [
            reports[name] for name in ("totals", "periods", "priorities", "services", "teams")
        ],
        "engagement": reports["engagement"],
        "status": [(s.service.name, s.state) for s in status.context["states"]],
        "status_majors": list(status.context.get("majors") or []),
        "dashboard_tiles": [(t["label"], int(t["count"])) for t in dashboard["dashboard"].tiles],
        "suggestions": [(s.key, s.count) for s in recurrence_suggestions()],
        "shared_in_portal": _shared(),
    }


def _shared():
    from incidents.models import Incident

    return sorted(Incident.objects.shared().values_list("number", flat=True))


def test_a_drill_changes_no_figure_no_public_page_and_reaches_only_its_participants(
    world, client, manager, responder, bystander, subscriber, template, deliver, receiver
):
    api = _api(manager)
    before = figures(client, api, manager)
    mail.outbox.clear()
    hooks, chats = WebhookDelivery.objects.count(), ChannelMessage.objects.count()
    heard = len(receiver.requests)

    with deliver():
        drill = drill_start(manager=manager, template=template, participants=[responder])
    incident = drill.incident
    with deliver():
        services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    with deliver():
        services.incident_comment(
            incident=incident,
            author=responder,
            body="Failing over.",
            via=Channel.ADMIN,
            public=True,
        )
    with deliver():
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    incident.refresh_from_db()
    assert incident.major and incident.practice

    # While it runs, and after it ended, nothing outside the drill has changed.
    assert figures(client, api, manager) == before
    with deliver():
        drill_end(drill=drill, actor=manager, went_well="Fast", to_change="Nothing")
    assert figures(client, api, manager) == before

    addresses = {address for message in mail.outbox for address in message.to}
    assert responder.email in addresses
    assert not addresses & {subscriber.email, bystander.email, "network@example.com"}
    assert not addresses & {world["duty"].email}
    assert all(m.subject.startswith("[PRACTICE] ") for m in mail.outbox), [
        m.subject for m in mail.outbox
    ]
    paged = set(Page.objects.filter(incident=incident).values_list("user__username", flat=True))
    assert paged <= {responder.username, manager.username} and responder.username in paged
    assert WebhookDelivery.objects.count() == hooks
    assert ChannelMessage.objects.count() == chats
    assert len(receiver.requests) == heard
    assert not PostIncidentReview.objects.filter(incident=incident).exists()


def test_a_real_incident_still_reaches_everyone_the_drill_leaves_out(
    world, manager, bystander, subscriber, template, deliver, receiver, service
):
    """The same steps on a real incident: the guards above are about practice only."""
    hooks, chats = WebhookDelivery.objects.count(), ChannelMessage.objects.count()
    mail.outbox.clear()
    with deliver():
        incident = services.incident_create(
            title="VPN concentrator down",
            reporter=manager,
            via=Channel.ADMIN,
            service=service,
            impact="high",
            urgency="high",
        )
    with deliver():
        services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    addresses = {address for message in mail.outbox for address in message.to}
    assert {subscriber.email, "network@example.com"} <= addresses
    assert not any(m.subject.startswith("[PRACTICE]") for m in mail.outbox)
    assert Page.objects.filter(incident=incident, user=bystander).exists()
    assert WebhookDelivery.objects.count() > hooks
    assert ChannelMessage.objects.count() > chats
    assert [s.count for s in recurrence_suggestions()] == [3]
