"""Team chat channels, personal contact methods and rules, and channel message records.

Channel URLs and contact targets hold credentials (webhook tokens, topics, phone numbers),
so they are stored encrypted (`messaging.secrets.EncryptedTextField`) and shown only
masked; history is kept for channels but never of their URL.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import Priority
from messaging.fields import EncryptedTextField

PRIORITY_RANK = {value: rank for rank, value in enumerate(Priority.values)}


def at_or_above(priority: str, minimum: str) -> bool:
    """P1 is above P2: whether `priority` is as urgent as `minimum` or more."""
    return PRIORITY_RANK.get(priority, len(PRIORITY_RANK)) <= PRIORITY_RANK[minimum]


class ChannelKind(models.TextChoices):
    """What a team channel is told about."""

    CREATED = "created", _("New incident")
    ESCALATED = "escalated", _("Escalation")
    MAJOR_DECLARED = "major_declared", _("Major incident declared")
    RESOLVED = "resolved", _("Resolved")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Push (Apprise URL)")
    SMS = "sms", _("SMS gateway (Apprise URL)")
    CHAT = "chat", _("Chat (Apprise URL)")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class TeamChannel(models.Model):
    """A team's chat room or push topic (an Apprise URL) and what it is told about.

    `min_priority` limits new incidents, escalations and resolutions to incidents at or
    above it; a major incident declared is always posted.
    """

    team = models.ForeignKey(
        "incidents.Team", on_delete=models.CASCADE, related_name="chat_channels"
    )
    name = models.CharField(max_length=100)
    url = EncryptedTextField(
        "URL", help_text=_("Apprise URL, e.g. slack://…, workflows://…, mmosts://…, ntfys://…")
    )
    min_priority = models.CharField(
        "minimum priority", max_length=2, choices=Priority.choices, default=Priority.P2
    )
    on_created = models.BooleanField("new incidents", default=True)
    on_escalated = models.BooleanField("escalations", default=True)
    on_major_declared = models.BooleanField("major incident declared", default=True)
    on_resolved = models.BooleanField("resolved", default=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["url"])

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="teamchannel_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.team})"

    def accepts(self, kind: str, priority: str) -> bool:
        """Whether this channel is told about `kind` for an incident of `priority`."""
        if not self.active or not getattr(self, f"on_{kind}", False):
            return False
        return kind == ChannelKind.MAJOR_DECLARED or at_or_above(priority, self.min_priority)


class ContactMethod(models.Model):
    """One way to reach a person: an e-mail address, or an Apprise URL for push, SMS
    gateways and chat. The target is stored encrypted whatever its kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_methods"
    )
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    label = models.CharField(max_length=100, help_text=_("E.g. 'Work phone (ntfy)'."))
    target = EncryptedTextField(help_text=_("An e-mail address, or an Apprise URL."))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "label"]

    def __str__(self):
        return f"{self.label} ({self.get_kind_display()})"


class ContactRule(models.Model):
    """A personal notification rule: for incidents of these priorities (none named: all),
    reach me through this method after this many minutes. Several rules make a plan, e.g.
    P1: push now, e-mail after 2 minutes (see `messaging.selectors.contact_plan`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_rules"
    )
    priorities = models.JSONField(
        default=list, blank=True, help_text=_("Priorities this rule applies to; empty: all.")
    )
    contact_method = models.ForeignKey(
        ContactMethod, on_delete=models.CASCADE, related_name="rules"
    )
    delay_minutes = models.PositiveSmallIntegerField(default=0, help_text=_("0: at once."))

    class Meta:
        ordering = ["user_id", "delay_minutes", "pk"]

    def __str__(self):
        which = ", ".join(self.priorities) or "all priorities"
        return f"{which}: {self.contact_method.label} after {self.delay_minutes} min"

    def applies_to(self, priority: str) -> bool:
        return not self.priorities or priority in self.priorities


class ChannelMessage(models.Model):
    """One message to one team channel: the unit of delivery and its record.

    Unique per (channel, event), so an event handled twice posts once; a row is claimed
    (PENDING -> SENDING) before it is sent (messaging.delivery). `title` and `body` keep
    what was sent.
    """

    channel = models.ForeignKey(TeamChannel, on_delete=models.CASCADE, related_name="messages")
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="channel_messages"
    )
    event = models.ForeignKey(
        "incidents.IncidentEvent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel_messages",
    )
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(help_text=_("Earliest time of the next attempt."))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "event"], name="channelmessage_once_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "due_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="channelmessage_unfinished",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.channel.name} ({self.get_status_display()})"
