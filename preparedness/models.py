"""Response plans, incident templates, message templates and the checklist tasks they put
on incidents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import Level
from itsm.text import isolate


class ResponsePlan(models.Model):
    """How a service's incidents are run once they matter: who leads, who is engaged, who is
    told how often, and the first-response checklist. A plan without a service is the
    default plan, used for services that have none of their own."""

    name = models.CharField(max_length=200)
    service = models.OneToOneField(
        "incidents.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_plan",
        help_text=_("Blank for the default plan."),
    )
    lead_team = models.ForeignKey(
        "incidents.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The team that leads; its lead owns the lead's checklist steps."),
    )
    lead_role = models.CharField(
        max_length=100, blank=True, help_text=_("The role that leads, e.g. Incident commander.")
    )
    trigger_priorities = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Priorities that attach the checklist; a major declaration always does."),
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(service__isnull=True, active=True),
                name="one_active_default_plan",
                violation_error_message="There is already an active default plan.",
            )
        ]

    def __str__(self):
        return isolate(self.name)

    def triggers_on(self, priority: str) -> bool:
        return priority in (self.trigger_priorities or [])


class Engagement(models.Model):
    """A team the plan engages from a priority up (paged through its escalation policy
    where it has one, else notified)."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="engagements")
    team = models.ForeignKey("incidents.Team", on_delete=models.CASCADE, related_name="+")
    priorities = models.JSONField(default=list, help_text=_("Priorities that engage this team."))

    class Meta:
        ordering = ["plan", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "team"], name="one_engagement_per_team")
        ]

    def __str__(self):
        return f"{self.plan}: {self.team}"


class Audience(models.TextChoices):
    STATUS_PAGE = "status_page", _("Public status page")
    SUBSCRIBERS = "subscribers", _("Service subscribers")
    STAKEHOLDERS = "stakeholders", _("Stakeholders and followers")
    REPORTER = "reporter", _("Reporter")
    RESPONDERS = "responders", _("Responding teams")


class CommunicationStep(models.Model):
    """Who the plan tells, how often, and with which message template."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="communications")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    cadence_minutes = models.PositiveIntegerField(
        default=30, help_text=_("Minutes between updates while the incident is open.")
    )
    template = models.ForeignKey(
        "preparedness.MessageTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "audience"]

    def __str__(self):
        return f"{self.get_audience_display()} every {self.cadence_minutes} min"


class OwnerRole(models.TextChoices):
    LEAD = "lead", _("Plan lead (lead team's lead)")
    ASSIGNEE = "assignee", _("Incident assignee")
    TEAM = "team", _("Assigned team")
    MANAGER = "manager", _("Incident manager on duty")


class PlanStep(models.Model):
    """One first-response checklist step of a plan."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    owner_role = models.CharField(max_length=20, choices=OwnerRole.choices, blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return isolate(self.text)


class IncidentTemplate(models.Model):
    """A ready-made incident: responders pick it in the admin, API clients name its slug,
    and public ones are offered to end users in the portal."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    service = models.ForeignKey(
        "incidents.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        "incidents.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impact = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    urgency = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    public = models.BooleanField(default=False, help_text=_("Offered to end users in the portal."))
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return isolate(self.name)


class TemplateStep(models.Model):
    """One checklist step an incident template puts on the incidents made from it."""

    template = models.ForeignKey(IncidentTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    owner_role = models.CharField(max_length=20, choices=OwnerRole.choices, blank=True)

    class Meta:
        ordering = ["template", "position", "pk"]

    def __str__(self):
        return isolate(self.text)


class Stage(models.TextChoices):
    INVESTIGATING = "investigating", _("Investigating")
    IDENTIFIED = "identified", _("Identified")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")


class MessageTemplate(models.Model):
    """Wording for a public update or stakeholder mail, with placeholders {service},
    {impact}, {priority}, {number}, {title} and {next_update}."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stage", "name"]

    def __str__(self):
        return isolate(self.name)


class IncidentTask(models.Model):
    """A checklist step on one incident, put there by a response plan or a template;
    ticking it is recorded on the incident's timeline."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_tasks",
    )
    owner_team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.ForeignKey(
        ResponsePlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    template = models.ForeignKey(
        IncidentTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "position", "pk"]
        indexes = [models.Index(fields=["incident", "position"], name="task_incident_pos")]

    def __str__(self):
        return isolate(self.text)
