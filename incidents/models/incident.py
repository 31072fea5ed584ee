"""The incident record."""

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import (
    OPEN_STATUSES,
    OUTAGE_PRIORITIES,
    PRIORITY_PLAIN_WORDS,
    Channel,
    Level,
    Priority,
    Status,
    choice_label,
)
from incidents.querysets import IncidentQuerySet
from itsm.text import isolate


class NumberSequence(models.Model):
    """Counter behind human numbers. Incrementing it locks its row until commit, so two
    concurrent creations can never draw the same number; a rolled-back creation leaves a gap,
    which is fine."""

    name = models.CharField(max_length=40, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=1000)

    def __str__(self):
        return f"{self.name}={self.last_value}"

    @classmethod
    def draw(cls, name: str) -> int:
        """The next value of counter `name`, in one round trip: an UPDATE ... RETURNING
        that locks the row until commit (PostgreSQL and SQLite 3.35+ both return it). The
        row is created on first use."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {cls._meta.db_table} SET last_value = last_value + 1 "  # noqa: S608
                "WHERE name = %s RETURNING last_value",
                [name],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        cls.objects.get_or_create(name=name)
        return cls.draw(name)


class NumberField(models.CharField):
    """A human number, read back after the INSERT: on PostgreSQL the INSERT draws it
    (`incidents.numbers.DrawnNumber`), and the saved instance must hold it."""

    @property
    def db_returning(self):
        return connection.features.can_return_columns_from_insert


class Incident(models.Model):
    """An unplanned interruption or degradation of a service, from report to closure.

    Fields change only through `incidents.services`, which enforce the workflow, keep the
    SLA clocks, record history and tell stakeholders.
    """

    number = NumberField(_("number"), max_length=12, unique=True, editable=False)
    # On PostgreSQL the search column `search_document` is generated from these two
    # (migration 0008_search_indexes): see there before changing their types.
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL
    )
    impact = models.CharField(
        _("impact"), max_length=10, choices=Level.choices, default=Level.MEDIUM
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Level.choices, default=Level.MEDIUM
    )
    priority = models.CharField(
        _("priority"), max_length=2, choices=Priority.choices, default=Priority.P3
    )
    major = models.BooleanField(_("major incident"), default=False)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Seen only by its reporter, its assignee, the security team and incident "
            "managers (a security breach, a personal matter)."
        ),
    )
    # Set only by `drills.services.drill_start`: no form, serializer or admin field writes it.
    practice = models.BooleanField(
        _("practice"),
        default=False,
        editable=False,
        help_text=_("A practice incident of a drill: kept out of every figure and public place."),
    )

    service = models.ForeignKey(
        "incidents.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    category = models.ForeignKey(
        "incidents.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    team = models.ForeignKey(
        "incidents.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_incidents",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_incidents",
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("watchers"),
        blank=True,
        related_name="watched_incidents",
    )

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The major incident this one is part of."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text=_("The primary incident this one was merged into."),
    )
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("recurrence of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurrences",
        help_text=_("The earlier incident for the same alert that this one repeats."),
    )

    hold_reason = models.ForeignKey(
        "incidents.HoldReason",
        verbose_name=_("hold reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_code = models.ForeignKey(
        "incidents.ResolutionCode",
        verbose_name=_("resolution code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_notes = models.TextField(_("resolution notes"), blank=True)

    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # SLA clocks. The due times move forward by the time spent paused (see incidents.sla).
    response_due = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, db_index=True)
    response_warn_at = models.DateTimeField(_("response warn at"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(_("resolution warn at"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(
        _("sla paused at"),
        null=True,
        blank=True,
        help_text=_("Set while the resolution clock is stopped."),
    )
    sla_paused_seconds = models.PositiveIntegerField(_("sla paused seconds"), default=0)
    next_update_due = models.DateTimeField(_("next update due"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["priority", "resolution_due"]
        indexes = [
            models.Index(fields=["status", "priority"], name="incident_status_priority"),
            models.Index(fields=["team", "status"], name="incident_team_status"),
            models.Index(fields=["assignee", "status"], name="incident_assignee_status"),
            models.Index(fields=["reporter", "status"], name="incident_reporter_status"),
            models.Index(fields=["service", "status"], name="incident_service_status"),
            # The workspace list's order (priority, then due time) for any status filter.
            models.Index(fields=["priority", "resolution_due", "id"], name="incident_list_order"),
            # Partial indexes over the open incidents only: what responders, the dashboard,
            # the portal and the status page ask for, without walking years of closed ones.
            models.Index(
                fields=["priority", "resolution_due", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="incident_open_order",
            ),
            models.Index(
                fields=["resolution_due", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="incident_open_due",
            ),
            models.Index(
                fields=["response_due"],
                condition=Q(status__in=OPEN_STATUSES, acknowledged_at__isnull=True),
                name="incident_open_unacked",
            ),
            models.Index(
                fields=["opened_at"],
                condition=Q(status__in=OPEN_STATUSES, major=True),
                name="incident_open_major",
            ),
            # "Already known" offers and service states: ongoing incidents that affect more
            # than their reporter (or are major), per service, in the order the portal
            # shows them; the condition is the selectors' own, so the index serves them.
            models.Index(
                F("service"),
                F("major").desc(),
                F("priority"),
                F("opened_at").desc(),
                condition=Q(status__in=OPEN_STATUSES) & (Q(major=True) | ~Q(impact=Level.LOW)),
                name="incident_open_known",
            ),
            models.Index(  # the same, across services: the portal home's "known" list
                F("major").desc(),
                F("priority"),
                F("opened_at").desc(),
                condition=Q(status__in=OPEN_STATUSES) & (Q(major=True) | ~Q(impact=Level.LOW)),
                name="incident_open_known_all",
            ),
            models.Index(
                fields=["service"],
                condition=Q(status__in=OPEN_STATUSES)
                & (Q(major=True) | Q(priority__in=OUTAGE_PRIORITIES)),
                name="incident_open_outage",
            ),
        ]
        permissions = [
            ("transition_incident", "Can acknowledge, assign, hold, resolve and close incidents"),
            ("merge_incident", "Can merge incidents and link major incidents"),
        ]

    def __str__(self):
        return f"{self.number}: {isolate(self.title)}"

    def get_absolute_url(self) -> str:
        return reverse("portal:incident-detail", kwargs={"number": self.number})

    def get_admin_url(self) -> str:
        return reverse("admin:incidents_incident_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def public_title(self) -> str:
        """The title end users see (portal, status page, their e-mail). A monitoring
        incident's own title is an alert's summary or name, written for responders
        ("DiskSpaceLow on db-1"); the public learn which service is affected and how
        badly, the same words the status page uses."""
        if self.channel != Channel.MONITORING:
            return self.title
        service = self.service.name if self.service_id else "A service"
        outage = self.major or self.priority in OUTAGE_PRIORITIES
        return f"{service} {'outage' if outage else 'degraded'}"

    @property
    def public_description(self) -> str:
        """What end users read of the description: none for monitoring incidents, whose
        description holds alert labels, annotations and links (responders' matter)."""
        return "" if self.channel == Channel.MONITORING else self.description

    # Django's get_FOO_display() rebuilds a dict of every choice on each call (about 60 µs);
    # an incident e-mail to staff shows priority and status twice each.
    def get_priority_display(self) -> str:
        return choice_label(Priority, self.priority)

    def get_status_display(self) -> str:
        return choice_label(Status, self.status)

    @property
    def priority_in_words(self) -> str:
        return str(PRIORITY_PLAIN_WORDS.get(self.priority, self.priority))  # the reader's language
