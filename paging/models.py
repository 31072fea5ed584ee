"""Escalation policies, the escalation state of each incident, and every page sent.

A team's `EscalationPolicy` is a list of steps; each step names who is paged (targets) and
how long to wait before the next step. When an incident that pages is opened for the team,
an `Escalation` row holds where it stands (which pass, which step, when the next step is
due). Beat advances due rows; the row, not the broker, is the state, so a restarted worker
or beat carries on, and a compare-and-set on (step, pass) lets one process fire each step.
A `Page` is one message to one person through one contact method; it carries a signed,
single-use acknowledge link.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import Priority

DEFAULT_PAGE_PRIORITIES = [Priority.P1.value, Priority.P2.value]


def default_page_priorities() -> list[str]:
    return list(DEFAULT_PAGE_PRIORITIES)


class EscalationPolicy(models.Model):
    """Who a team pages, in which order, for which priorities (one policy per team)."""

    team = models.OneToOneField(
        "incidents.Team", on_delete=models.CASCADE, related_name="escalation_policy"
    )
    name = models.CharField(max_length=100, blank=True)
    repeat = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("How many more times the whole policy runs when nobody acknowledges."),
    )
    page_priorities = models.JSONField(
        default=default_page_priorities,
        help_text=_("Priorities that page at once and escalate; others notify step 1 only."),
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("escalation policies")
        ordering = ["team__name"]

    def __str__(self):
        return self.name or f"{self.team} escalation"

    def clean(self):
        unknown = set(self.page_priorities or []) - set(Priority.values)
        if unknown:
            raise ValidationError({"page_priorities": f"Unknown priorities: {sorted(unknown)}."})

    def pages_for(self, priority: str) -> bool:
        return priority in (self.page_priorities or [])


class EscalationStep(models.Model):
    """One step: page its targets, then wait `delay_minutes` before the next step."""

    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    delay_minutes = models.PositiveIntegerField(
        default=5, help_text=_("Minutes to wait for an acknowledgement before the next step.")
    )
    schedules = models.ManyToManyField(
        "oncall.Schedule",
        blank=True,
        related_name="+",
        help_text=_("Whoever is on call in these schedules."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text=_("Named people.")
    )
    team_lead = models.BooleanField(default=False, help_text=_("The lead of the policy's team."))
    incident_managers = models.BooleanField(
        default=False, help_text=_("Every member of Incident managers.")
    )

    class Meta:
        ordering = ["policy", "position", "pk"]

    def __str__(self):
        return f"Step {self.position + 1}"


class EscalationState(models.TextChoices):
    ACTIVE = "active", _("Escalating")
    STOPPED = "stopped", _("Stopped")
    EXHAUSTED = "exhausted", _("Every step paged")


class Escalation(models.Model):
    """Where one incident's escalation through one policy stands.

    `step` and `cycle` name the next step to fire and `due_at` when; firing moves them on
    with a conditional update, so of two beat processes only one fires a step.
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="escalations"
    )
    policy = models.ForeignKey(
        EscalationPolicy, on_delete=models.CASCADE, related_name="escalations"
    )
    reason = models.CharField(max_length=40, default="created")
    state = models.CharField(
        max_length=10, choices=EscalationState.choices, default=EscalationState.ACTIVE
    )
    step = models.PositiveSmallIntegerField(default=0)
    cycle = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "policy"], name="escalation_once_per_policy"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="active"),
                name="escalation_active_due",
            )
        ]

    def __str__(self):
        return f"{self.policy} for {self.incident_id}"


class PageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not needed (acknowledged first)")


class Page(models.Model):
    """One message asking one person to act on an incident, through one contact method.

    `due_at` is when it goes out (a personal rule may delay e-mail behind push). Rows are
    claimed (PENDING -> SENDING) before sending and sent only while the incident still
    waits for an acknowledgement. `link_used_at` makes the acknowledge link single-use.
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="pages"
    )
    escalation = models.ForeignKey(
        Escalation, null=True, blank=True, on_delete=models.CASCADE, related_name="pages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pages"
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=100, help_text=_("Why this person was paged."))
    kind = models.CharField(max_length=10, help_text=_("email, push, sms or chat."))
    contact_method = models.ForeignKey(
        "messaging.ContactMethod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=PageStatus.choices, default=PageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    link_used_at = models.DateTimeField(null=True, blank=True)
    # One page per person, contact method, step and pass: a step fired twice pages once.
    dedup_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=models.Q(status="pending"), name="page_pending_due"
            ),
            models.Index(fields=["incident", "created_at"], name="page_incident"),
        ]

    def __str__(self):
        return f"Page to {self.user} by {self.kind} ({self.get_status_display()})"
