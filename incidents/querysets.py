"""Reads of incidents: open ones, the ones a user may see, SLA state as SQL annotations."""

from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.query import ModelIterable
from django.utils import timezone

from incidents import visibility
from incidents.choices import OPEN_STATUSES
from incidents.conditions import open_q


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
    # Implied by "not breached" (the clock at risk is not yet due); said explicitly so the
    # database reads only the not-yet-due range of the open incidents' due-time indexes.
    # Each branch repeats the open condition: SQLite uses a partial index for one branch
    # of an OR only if that branch says its condition (150 ms -> 2 ms, 50,000 open).
    not_yet_due = (open_q() & Q(resolution_due__gte=now)) | (
        open_q() & Q(acknowledged_at__isnull=True, response_due__gte=now)
    )
    return open_q() & not_yet_due & (response_risk | resolution_risk) & ~sla_breached_q(now)


def sla_state_of(incident, now) -> tuple[bool, bool]:
    """(breached, at risk) of one incident in memory: the same rules as `sla_breached_q`
    and `sla_at_risk_q`, for an incident just written, so answering does not need a
    re-read (tests check both agree on every combination of clocks)."""
    is_open = incident.status in OPEN_STATUSES
    ack, paused = incident.acknowledged_at, incident.sla_paused_at
    response_due, resolution_due = incident.response_due, incident.resolution_due
    response = response_due is not None and (
        (ack is None and is_open and response_due < now) or (ack is not None and ack > response_due)
    )
    resolution = resolution_due is not None and (
        (is_open and paused is None and resolution_due < now)
        or (is_open and paused is not None and paused > resolution_due)
        or (incident.resolved_at is not None and incident.resolved_at > resolution_due)
    )
    breached = response or resolution
    warn_response = ack is None and _reached(incident.response_warn_at, now)
    warn_resolution = paused is None and _reached(incident.resolution_warn_at, now)
    return breached, is_open and not breached and (warn_response or warn_resolution)


def _reached(at, now) -> bool:
    return at is not None and at <= now


def _flag(q: Q):
    return ExpressionWrapper(
        Case(When(q, then=Value(True)), default=Value(False)), output_field=BooleanField()
    )


class _SlaStateIterable(ModelIterable):
    """Model rows with `sla_breached_now` and `sla_at_risk_now` set from `sla_state_of`.

    Computed in Python on the rows fetched, not annotated in SQL: a page shows at most a
    few dozen rows, and compiling the two CASE expressions cost more than the whole query
    (about 3 ms of ORM work per statement, and longer plans)."""

    def __iter__(self):
        now = self.queryset._sla_now
        for incident in super().__iter__():
            incident.sla_breached_now, incident.sla_at_risk_now = sla_state_of(incident, now)
            yield incident


def own_incident_ids(user) -> list[int]:
    """Ids of the incidents `user` reported or watches (and may see: not a confidential
    one, unless they are in the security team), in one query through the reporter and
    watcher indexes. Filtering by these ids, rather than by "reporter or watcher", keeps
    the database from walking every incident newest first to find the few of a user it
    cannot tell from a prolific reporter (seconds at 100,000 incidents)."""
    from incidents.models import Incident

    reported = Incident.objects.filter(reporter=user).order_by().values_list("pk", flat=True)
    watched = user.watched_incidents.filter(visibility.watched_q(user))
    return list(reported.union(watched.order_by().values_list("pk", flat=True)))


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(open_q())

    def closed(self):
        return self.exclude(status__in=OPEN_STATUSES)

    def visible_to(self, user):
        """The incidents `user` may see (rules: `incidents.visibility`). Managers and
        superusers get no condition at all; other staff every incident but the
        confidential ones they have no part in; anyone else the incidents they reported or
        watch, as a list of ids (see `own_incident_ids`)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if visibility.sees_work_notes(user):
            condition = visibility.incident_q(user)
            return self if condition is None else self.filter(condition)
        return self.filter(pk__in=own_incident_ids(user))

    def shared(self):
        """Ongoing incidents anyone signed in may see listed and follow
        (`incidents.visibility.shared_q`)."""
        return self.filter(visibility.shared_q())

    def real(self):
        """Leaves out the practice incidents of drills: every figure, report, SLA
        compliance count, public page and recurrence suggestion starts from this."""
        return self.filter(practice=False)

    def not_confidential(self):
        """For audiences with no person to ask: the public status page, service states."""
        return self.filter(confidential=False)

    def breached(self, now=None):
        return self.filter(sla_breached_q(now or timezone.now()))

    def at_risk(self, now=None):
        return self.filter(sla_at_risk_q(now or timezone.now()))

    def breached_is(self, value: bool, now=None):
        """Breached, or not breached: the negation as a CASE, so clocks that are NULL count
        as not breached (a plain NOT over the comparisons would drop those rows)."""
        flag = _flag(sla_breached_q(now or timezone.now()))
        return self.alias(sla_breached_flag=flag).filter(sla_breached_flag=value)

    def with_sla_state(self, now=None):
        """Give each incident read `sla_breached_now` and `sla_at_risk_now` (as of `now`),
        for list pages and the API. To filter by them, use `breached()` / `at_risk()`."""
        clone = self._chain()
        clone._sla_now = now or timezone.now()
        clone._iterable_class = _SlaStateIterable
        return clone

    def _clone(self):
        clone = super()._clone()
        if hasattr(self, "_sla_now"):
            clone._sla_now = self._sla_now
        return clone

    def with_list_relations(self):
        """Service, team and category joined; assignee and reporter read by id, one query
        each. Joining all five cost PostgreSQL more to plan (5-8 ms: it weighs every join
        order against the incident table's many indexes) than the two lookups cost."""
        return self.select_related("service", "team", "category").prefetch_related(
            "assignee", "reporter"
        )


class _ActivityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True)

    def visible_to(self, user):
        """What `user` may see: staff every entry of the incidents they see, others the
        public ones of the incidents they reported or follow (`incidents.visibility`)."""
        condition = visibility.public_q(user, prefix="incident__")
        return self if condition is None else self.filter(condition)


class CommentQuerySet(_ActivityQuerySet):
    """Comments: public updates and work notes."""


class AttachmentQuerySet(_ActivityQuerySet):
    """Files: public ones and internal ones."""
