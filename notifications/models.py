"""What was sent to whom, who is told about what, and what each person wants to hear."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import EventKind

# Event kinds that can notify anyone; every one of them has a template trio.
NOTIFIABLE_KINDS = [
    EventKind.CREATED,
    EventKind.ASSIGNED,
    EventKind.COMMENTED,
    EventKind.HELD,
    EventKind.RESUMED,
    EventKind.PRIORITY_CHANGED,
    EventKind.RESOLVED,
    EventKind.REOPENED,
    EventKind.SLA_WARNING,
    EventKind.SLA_BREACHED,
    EventKind.UPDATE_OVERDUE,
    EventKind.MAJOR_DECLARED,
    EventKind.MERGED,
]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Role(models.TextChoices):
    """Why a person receives a notification; it also decides portal vs admin links."""

    REPORTER = "reporter", _("Reporter")
    WATCHER = "watcher", _("Watcher")
    SUBSCRIBER = "subscriber", _("Service subscriber")
    AFFECTED = "affected", _("Follower of a linked incident")
    ASSIGNEE = "assignee", _("Assignee")
    TEAM = "team", _("Assigned team")
    LEAD = "lead", _("Team lead")
    MANAGER = "manager", _("Incident manager")


class Notification(models.Model):
    """One e-mail about one event to one address: the unit of delivery and its record.

    The unique (event, address) key makes creating and sending idempotent: a handler run
    twice creates nothing new, and a send task claims a row (PENDING -> SENDING with a
    conditional update) before sending, so a task delivered twice sends nothing twice.
    Content is rendered at send time from the event; `subject` keeps what was sent.
    """

    event = models.ForeignKey(
        "incidents.IncidentEvent", on_delete=models.CASCADE, related_name="notifications"
    )
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text=_("Empty when the address is a team mailbox."),
    )
    address = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    staff = models.BooleanField(help_text=_("Staff get admin links, end users portal links."))
    template = models.CharField(max_length=40)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(help_text=_("Earliest time of the next attempt."))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "address"], name="notification_once_per_event_address"
            ),
            models.UniqueConstraint(
                fields=["event", "recipient"], name="notification_once_per_event_recipient"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "due_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="notification_unfinished",
            ),
            models.Index(fields=["incident", "created_at"], name="notification_incident"),
        ]

    def __str__(self):
        return f"{self.template} to {self.address} ({self.get_status_display()})"


class NotificationRule(models.Model):
    """Who is told about one kind of event; managers edit these in the admin.

    Defaults follow `notifications.recipients.DEFAULT_RULES`; a kind without a row uses
    them. `major_audience` reaches the affected service's subscribers and the followers of
    child incidents, and only applies while the incident is a major incident.
    """

    kind = models.CharField(
        max_length=30,
        choices=[(kind.value, kind.label) for kind in NOTIFIABLE_KINDS],
        unique=True,
    )
    enabled = models.BooleanField(default=True)
    reporter = models.BooleanField(default=False)
    watchers = models.BooleanField(default=False)
    assignee = models.BooleanField(
        default=False, help_text=_("The assignee, or the team's address while unassigned.")
    )
    team = models.BooleanField(default=False, help_text=_("The team's address, else its members."))
    team_lead = models.BooleanField(default=False)
    managers = models.BooleanField(default=False, help_text=_("Members of Incident managers."))
    major_audience = models.BooleanField(
        default=False,
        help_text=_("Major incidents: service subscribers and followers of child incidents."),
    )

    AUDIENCES = (
        "reporter",
        "watchers",
        "assignee",
        "team",
        "team_lead",
        "managers",
        "major_audience",
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def audiences(self) -> set[str]:
        if not self.enabled:
            return set()
        return {name for name in self.AUDIENCES if getattr(self, name)}


class NotificationPreference(models.Model):
    """A person's choices: to hear only essential notifications (the acknowledgement of
    their own report and the request to confirm a fix) and no other updates; and whether
    to be told about changes they made themselves (off by default: nobody needs an e-mail
    about what they just did)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    receive_updates = models.BooleanField(
        default=True,
        help_text=_(
            "Updates on incidents the person reported or watches and on subscribed "
            "services. Off: only essential messages."
        ),
    )
    own_actions = models.BooleanField(
        default=False,
        help_text=_("Also e-mail the person about changes they make themselves."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Preferences of {self.user}"
