"""One saved instance of every model the admin shows, so every admin object page can be
requested with a real id. A model added to the admin without a way to get an instance here
makes the access tests fail with its name, rather than go untested."""

from datetime import timedelta

from django.utils import timezone

MISSING_ID = 987654321


def _notification(world):
    from notifications.models import Notification

    event = world.incident.events.first()
    return Notification.objects.create(
        event=event,
        incident=world.incident,
        recipient=world.incident.reporter,
        address=world.incident.reporter.email,
        role="reporter",
        staff=False,
        template="created",
        due_at=timezone.now(),
        created_at=timezone.now(),
    )


def _preference(world):
    from notifications.models import NotificationPreference

    return NotificationPreference.objects.get_or_create(user=world.incident.reporter)[0]


def _webhook_endpoint(world):
    from api.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(name="Chat", url="https://hooks.example.com/itsm")


def _webhook_delivery(world):
    from api.models import WebhookDelivery

    return WebhookDelivery.objects.create(
        endpoint=_webhook_endpoint(world), event=world.incident.events.first(), payload={}
    )


def _maintenance(world):
    from integrations.models import MaintenanceWindow

    now = timezone.now()
    return MaintenanceWindow.objects.create(
        service=world.incident.service, starts_at=now, ends_at=now + timedelta(hours=1)
    )


def _article(world):
    from knowledge import services

    return services.article_create(
        actor=world.incident.reporter, title="Reset a token", body="Choose *Reset*."
    )


def _alert_group(world):
    from integrations import services
    from integrations.parsing import parse_event

    event = parse_event(
        {
            "event_action": "trigger",
            "dedup_key": "disk-full",
            "payload": {"summary": "Disk full", "source": "db-1", "severity": "error"},
        },
        new_key=services.new_dedup_key,
    )
    services.event_intake(integration=world.integration, event=event)
    return world.integration.groups.latest("pk")


def _alert(world):
    return _alert_group(world).alerts.first()


def _axes(model):
    def make(world):
        fields = {"ip_address": "203.0.113.9", "username": "alice", "user_agent": "tests"}
        if model.__name__ == "AccessAttempt":
            fields.update(failures_since_start=1, get_data="", post_data="")
        return model.objects.create(**fields)

    return make


def _inbound_message(world):
    from email_intake.models import InboundMessage
    from email_intake.services import ingest_message
    from tests.email_intake.conftest import eml

    ingest_message(eml(sender=world.incident.reporter.email, subject="Printer jams"))
    return InboundMessage.objects.latest("pk")


def _category(world):
    from incidents.models import Category

    return Category.objects.create(name="Network")


def _routing_rule(world):
    from incidents.models import RoutingRule, Team

    team = Team.objects.get_or_create(slug="service-desk", defaults={"name": "Service desk"})[0]
    return RoutingRule.objects.create(name="Phone calls", channel="phone", team=team)


def _api_token(world):
    from api.services import api_token_create

    return api_token_create(user=world.incident.reporter, name="script")[0]


def _schedule(world):
    from oncall import services
    from oncall.services import LayerSpec

    team = world.incident.service.owner_team
    return services.schedule_create(
        name="Network primary",
        team=team,
        time_zone="Europe/Berlin",
        layers=[
            LayerSpec(
                start=timezone.now(),
                shift_length=7,
                shift_unit="days",
                participants=[team.members.first()],
            )
        ],
        actor=None,
    )


def _team_channel(world):
    from messaging.models import TeamChannel

    team = world.incident.team
    return TeamChannel.objects.get_or_create(
        team=team, name="Ops", defaults={"url": "ntfys://ntfy.example.com/t"}
    )[0]


def _contact_method(world):
    from messaging.models import ContactMethod

    return ContactMethod.objects.create(
        user=world.incident.team.lead, kind="push", label="Phone", target="ntfys://ntfy.sh/x"
    )


def _contact_rule(world):
    from messaging.models import ContactRule

    method = _contact_method(world)
    return ContactRule.objects.create(user=method.user, contact_method=method, priorities=["P1"])


def _channel_message(world):
    from messaging.models import ChannelMessage

    return ChannelMessage.objects.create(
        channel=_team_channel(world),
        incident=world.incident,
        kind="created",
        title="[P3] INC",
        body="New incident",
        due_at=timezone.now(),
    )


def _escalation_policy(world):
    from paging.models import EscalationPolicy, EscalationStep

    policy = EscalationPolicy.objects.get_or_create(team=world.incident.team)[0]
    EscalationStep.objects.get_or_create(policy=policy, position=0, defaults={"team_lead": True})
    return policy


def _escalation(world):
    from paging.models import Escalation

    now = timezone.now()
    return Escalation.objects.get_or_create(
        incident=world.incident,
        policy=_escalation_policy(world),
        defaults={"due_at": now, "started_at": now},
    )[0]


def _page(world):
    from paging.models import Page

    now = timezone.now()
    return Page.objects.create(
        incident=world.incident,
        escalation=_escalation(world),
        user=world.incident.team.lead,
        step=0,
        reason="lead of the team",
        kind="email",
        due_at=now,
        created_at=now,
        dedup_key=f"security-{world.incident.pk}",
    )


def _device_holder():
    """Not a persona: a persona with a device would be asked for its code on every page."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="otp-holder")[0]


def _totp_device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=_device_holder(), name="Phone")


def _static_device(world):
    from django_otp.plugins.otp_static.models import StaticDevice

    return StaticDevice.objects.create(user=_device_holder(), name="Recovery codes")


def _oidc_identity(world):
    from identity.models import OidcIdentity

    return OidcIdentity.objects.create(
        user=world.incident.reporter,
        issuer="https://id.example.com",
        subject="alice",
        last_sign_in=timezone.now(),
    )


def _subscriber(world):
    from statuspage.models import Subscriber

    return Subscriber.objects.get_or_create(email="watcher@example.org", all_services=True)[0]


def _status_mail(world):
    from statuspage.models import StatusMail

    return StatusMail.objects.create(
        key="confirm:1", subscriber=_subscriber(world), template="status-confirm"
    )


def _daily_uptime(world):
    from statuspage.models import DailyUptime

    return DailyUptime.objects.create(
        service=world.incident.service, day=timezone.localdate(), computed_at=timezone.now()
    )


def _response_plan(world):
    from preparedness.models import ResponsePlan

    return ResponsePlan.objects.create(name="VPN plan", service=world.incident.service)


def _incident_template(world):
    from preparedness.models import IncidentTemplate

    return IncidentTemplate.objects.create(name="Printer", slug="printer", title="Printer jams")


def _message_template(world):
    from preparedness.models import MessageTemplate

    return MessageTemplate.objects.create(
        name="Investigating", slug="investigating", stage="investigating", body="On {service}."
    )


def _drill(world):
    from drills.models import Drill
    from incidents.models import Incident

    practice = Incident.objects.create(
        number="INC0009901", title="Drill", opened_at=timezone.now(), practice=True
    )
    return Drill.objects.create(
        incident=practice, started_by=world.incident.reporter, started_at=timezone.now()
    )


def _rating(world):
    from satisfaction.models import Rating

    now = timezone.now()
    return Rating.objects.create(
        incident=world.incident,
        reporter=world.incident.reporter,
        score=4,
        created_at=now,
        updated_at=now,
    )


def _user_profile(world):
    from profiles.models import UserProfile

    return UserProfile.objects.get_or_create(user=world.incident.reporter)[0]


def _builders():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return {
        "incidents.category": _category,
        "incidents.routingrule": _routing_rule,
        "api.apitoken": _api_token,
        "notifications.notification": _notification,
        "notifications.notificationpreference": _preference,
        "api.webhookendpoint": _webhook_endpoint,
        "api.webhookdelivery": _webhook_delivery,
        "integrations.maintenancewindow": _maintenance,
        "integrations.alertgroup": _alert_group,
        "integrations.alert": _alert,
        "axes.accessattempt": _axes(AccessAttempt),
        "axes.accesslog": _axes(AccessLog),
        "axes.accessfailurelog": _axes(AccessFailureLog),
        "email_intake.inboundmessage": _inbound_message,
        "oncall.schedule": _schedule,
        "messaging.teamchannel": _team_channel,
        "messaging.contactmethod": _contact_method,
        "messaging.contactrule": _contact_rule,
        "messaging.channelmessage": _channel_message,
        "paging.escalationpolicy": _escalation_policy,
        "paging.escalation": _escalation,
        "paging.page": _page,
        "otp_totp.totpdevice": _totp_device,
        "otp_static.staticdevice": _static_device,
        "identity.oidcidentity": _oidc_identity,
        "statuspage.subscriber": _subscriber,
        "statuspage.statusmail": _status_mail,
        "statuspage.dailyuptime": _daily_uptime,
        "knowledge.article": _article,
        "preparedness.responseplan": _response_plan,
        "preparedness.incidenttemplate": _incident_template,
        "preparedness.messagetemplate": _message_template,
        "drills.drill": _drill,
        "satisfaction.rating": _rating,
        "profiles.userprofile": _user_profile,
    }


def instance_of(model, world):
    """A saved instance of `model`: the world's own where it has one, else whatever the
    migrations created, else one made by a builder above."""
    label = model._meta.label_lower
    own = {
        "incidents.incident": world.incident,
        "reviews.postincidentreview": world.review,
        "reviews.actionitem": world.action_item,
        "problems.problem": world.problem,
        "problems.runbook": world.runbook,
        "integrations.integration": world.integration,
        "incidents.service": world.incident.service,
        "auth.user": world.incident.reporter,
    }
    if label in own:
        return own[label]
    if label in world.extra:
        return world.extra[label]
    existing = model.objects.first()
    builders = _builders()
    if existing is None and label not in builders:
        raise AssertionError(f"tests/security/objects.py: add a builder for {label}")
    world.extra[label] = existing or builders[label](world)
    return world.extra[label]
