"""Reads of incidents: open ones, the ones a user may see, SLA state as SQL annotations."""

from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone

from incidents.choices import OPEN_STATUSES, Status
from incidents.roles import can_work_incidents


def response_breached_q(now) -> Q:
    return Q(response_due__isnull=False) & (
        Q(acknowledged_at__isnull=True, response_due__lt=now, status__in=OPEN_STATUSES)
        | Q(acknowledged_at__gt=F("response_due"))
    )


def resolution_breached_q(now) -> Q:
    running = Q(status__in=OPEN_STATUSES, sla_paused_at__isnull=True, resolution_due__lt=now)
    paused_late = Q(status__in=OPEN_STATUSES, sla_paused_at__gt=F("resolution_due"))
    finished_late = Q(resolved_at__gt=F("resolution_due"))
    return Q(resolution_due__isnull=False) & (running | paused_late | finished_late)


def sla_breached_q(now) -> Q:
    return response_breached_q(now) | resolution_breached_q(now)


def sla_at_risk_q(now) -> Q:
    """Open, not yet breached, but past the warning point of a running clock."""
    response_risk = Q(acknowledged_at__isnull=True, response_warn_at__lte=now)
    resolution_risk = Q(sla_paused_at__isnull=True, resolution_warn_at__lte=now)
    return Q(status__in=OPEN_STATUSES) & (response_risk | resolution_risk) & ~sla_breached_q(now)


def _flag(q: Q):
    return ExpressionWrapper(
        Case(When(q, then=Value(True)), default=Value(False)), output_field=BooleanField()
    )


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.exclude(status__in=OPEN_STATUSES)

    def visible_to(self, user):
        """Everything for staff who work incidents; for anyone else, only the incidents they
        reported or watch."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if can_work_incidents(user):
            return self
        return self.filter(Q(reporter=user) | Q(watchers=user)).distinct()

    def breached(self, now=None):
        return self.filter(sla_breached_q(now or timezone.now()))

    def at_risk(self, now=None):
        return self.filter(sla_at_risk_q(now or timezone.now()))

    def with_sla_state(self, now=None):
        """Annotate `sla_breached_now` and `sla_at_risk_now` for list pages and the API."""
        now = now or timezone.now()
        return self.annotate(
            sla_breached_now=_flag(sla_breached_q(now)),
            sla_at_risk_now=_flag(sla_at_risk_q(now)),
        )

    def ongoing_on_service(self, service):
        return self.open().filter(service=service).exclude(status=Status.CANCELLED)

    def with_list_relations(self):
        return self.select_related("service", "team", "assignee", "reporter", "category")
