"""Service figures, aggregated in the database: volumes, MTTA, MTTR, SLA compliance, reopens.

Two cohorts, because each figure answers its own question about a date range [start, end):

* opened in the range: ``opened``, MTTA (the first acknowledgement or start of work by a
  person, minus opening: an integration acknowledging its own alert does not count),
  response SLA compliance and the reopen rate;
* resolved in the range: ``resolved``, MTTR and resolution SLA compliance.

MTTR is working time: resolution minus opening, less the time spent on hold (any reason)
and the time spent resolved before a reopen; both come from the event log (a ``held`` or
``resolved`` event stops the clock, the next ``resumed``, ``reopened``, ``resolved`` or
``cancelled`` restarts it). SLA compliance counts decided outcomes: a response is decided
once acknowledged or once its target has passed unacknowledged; a resolution once resolved
in the range or once an open incident opened in the range has passed its target. The reopen
rate is the share of incidents resolved at least once that were reopened. Cancelled incidents
and merged duplicates are not incidents of their own and count nowhere.

Every grouping is one SQL query (periods: two, one per cohort), whatever the number of rows.
Medians use PostgreSQL's ``percentile_cont``; on SQLite an equivalent aggregate is
registered on the connection.
"""

import statistics
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, time, timedelta

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from incidents.choices import Channel, EventKind, Priority, Status
from incidents.models import Incident, IncidentEvent
from incidents.querysets import resolution_breached_q, response_breached_q

PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
DIMENSIONS = ("service", "team", "priority", "category", "channel")
CLOCK_STOPS = (EventKind.HELD, EventKind.RESOLVED)
CLOCK_RESTARTS = (EventKind.RESUMED, EventKind.REOPENED, EventKind.RESOLVED, EventKind.CANCELLED)


class Seconds(Func):
    """Seconds from `start` to `end` (two datetime expressions) as a float."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_postgresql(self, compiler, connection, **extra):
        template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(expression) for expression in self.source_expressions)
        sql = f"((julianday({end[0]}) - julianday({start[0]})) * 86400.0)"
        return sql, (*end[1], *start[1])


class _SqliteMedian:
    """SQLite aggregate behind `Median` (PostgreSQL has percentile_cont built in)."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


class Median(Aggregate):
    """The median of a numeric expression, NULLs ignored, computed by the database."""

    function = "PERCENTILE_CONT"
    name = "Median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        connection.connection.create_aggregate("ITSM_MEDIAN", 1, _SqliteMedian)
        clone = self.copy()
        clone.function, clone.template = "ITSM_MEDIAN", "%(function)s(%(distinct)s%(expressions)s)"
        return clone.as_sql(compiler, connection)


def _paused_seconds():
    """Per incident: seconds its resolution work stood still (holds, resolved-then-reopened)."""
    restart = IncidentEvent.objects.filter(
        incident=OuterRef("incident"), kind__in=CLOCK_RESTARTS
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    stops = (
        IncidentEvent.objects.filter(incident=OuterRef("pk"), kind__in=CLOCK_STOPS)
        .annotate(until=Subquery(restart.order_by("created_at", "pk").values("created_at")[:1]))
        .values("incident")
        .annotate(total=Sum(Seconds(F("until"), F("created_at"))))
        .values("total")
    )
    return Coalesce(Subquery(stops, output_field=FloatField()), Value(0.0))


# Acknowledgements made by a tool (an integration acknowledging its own alert, the system)
# are not a person answering: MTTA does not count them.
AUTOMATIC_CHANNELS = (Channel.MONITORING, Channel.SYSTEM)
ANSWER_KINDS = (EventKind.ACKNOWLEDGED, EventKind.STARTED)


def human_answer_events():
    """Acknowledgements and starts of work made by a person."""
    return IncidentEvent.objects.filter(kind__in=ANSWER_KINDS).exclude(
        channel__in=AUTOMATIC_CHANNELS
    )


def _first_human_answer():
    first = human_answer_events().filter(incident=OuterRef("pk")).order_by("created_at", "pk")
    return Subquery(first.values("created_at")[:1])


def _ever(kind: str):
    return Exists(IncidentEvent.objects.filter(incident=OuterRef("pk"), kind=kind))


def counted_incidents():
    """Incidents that count in figures: neither cancelled nor merged into another, nor the
    practice incident of a drill."""
    counted = Incident.objects.real().exclude(status=Status.CANCELLED)
    return counted.filter(duplicate_of__isnull=True)


def _opened_aggregates(in_range: Q, now: datetime) -> dict:
    mtta = Seconds(F("human_answer_at"), F("opened_at"))
    acked = in_range & Q(human_answer_at__isnull=False)
    response_decided = (
        in_range
        & Q(response_due__isnull=False)
        & (Q(acknowledged_at__isnull=False) | response_breached_q(now))
    )
    ever_resolved = in_range & Q(ever_resolved=True)
    return {
        "opened": Count("pk", filter=in_range),
        "mtta_mean": Avg(mtta, filter=acked),
        "mtta_median": Median(mtta, filter=acked),
        "response_decided": Count("pk", filter=response_decided),
        "response_met": Count(
            "pk", filter=response_decided & Q(acknowledged_at__lte=F("response_due"))
        ),
        "resolved_once": Count("pk", filter=ever_resolved),
        "reopened": Count("pk", filter=ever_resolved & Q(ever_reopened=True)),
    }


def _resolved_aggregates(in_range: Q, opened_in_range: Q, now: datetime) -> dict:
    mttr = Seconds(F("resolved_at"), F("opened_at")) - F("paused_seconds")
    resolved_with_target = in_range & Q(resolution_due__isnull=False)
    open_breached = (
        opened_in_range & Q(resolved_at__isnull=True) & resolution_breached_q(now)
    ) & ~Q(status=Status.CLOSED)
    return {
        "resolved": Count("pk", filter=in_range),
        "mttr_mean": Avg(mttr, filter=in_range),
        "mttr_median": Median(mttr, filter=in_range),
        "resolution_decided": Count("pk", filter=resolved_with_target | open_breached),
        "resolution_met": Count(
            "pk", filter=resolved_with_target & Q(resolved_at__lte=F("resolution_due"))
        ),
    }


@dataclass
class Figures:
    """The figures of one group (or of everything). Durations in seconds, rates in %."""

    key: object = None
    label: str = "All incidents"
    opened: int = 0
    resolved: int = 0
    mtta_mean: float | None = None
    mtta_median: float | None = None
    mttr_mean: float | None = None
    mttr_median: float | None = None
    sla_response_pct: float | None = None
    sla_resolution_pct: float | None = None
    reopen_rate_pct: float | None = None
    response_decided: int = 0
    resolution_decided: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        if isinstance(self.key, datetime):
            data["key"] = self.key.date().isoformat()
        return data

    @classmethod
    def from_row(cls, row: dict, *, key=None, label: str = "All incidents") -> "Figures":
        def pct(part, whole):
            return round(100 * row.get(part, 0) / row[whole], 1) if row.get(whole) else None

        def seconds(name):
            value = row.get(name)
            return round(float(value), 1) if value is not None else None

        return cls(
            key=key,
            label=label,
            opened=row.get("opened", 0),
            resolved=row.get("resolved", 0),
            mtta_mean=seconds("mtta_mean"),
            mtta_median=seconds("mtta_median"),
            mttr_mean=seconds("mttr_mean"),
            mttr_median=seconds("mttr_median"),
            sla_response_pct=pct("response_met", "response_decided"),
            sla_resolution_pct=pct("resolution_met", "resolution_decided"),
            reopen_rate_pct=pct("reopened", "resolved_once"),
            response_decided=row.get("response_decided", 0),
            resolution_decided=row.get("resolution_decided", 0),
        )


FIGURE_NAMES = [f.name for f in fields(Figures)]


@dataclass(frozen=True)
class Scope:
    """Which incidents: a date range [start, end), optional team and service, and the
    person asking (`viewer`): figures count only the incidents they may see, so no
    breakdown reveals a confidential incident to someone who may not see it."""

    start: datetime
    end: datetime
    team: int | None = None
    service: int | None = None
    viewer: object = field(default=None, compare=False)

    def opened_q(self) -> Q:
        return Q(opened_at__gte=self.start, opened_at__lt=self.end)

    def resolved_q(self) -> Q:
        return Q(resolved_at__gte=self.start, resolved_at__lt=self.end)

    def queryset(self):
        incidents = counted_incidents().filter(self.opened_q() | self.resolved_q())
        if self.viewer is not None:
            incidents = incidents.visible_to(self.viewer)
        if self.team:
            incidents = incidents.filter(team_id=self.team)
        if self.service:
            incidents = incidents.filter(service_id=self.service)
        return incidents.annotate(
            paused_seconds=_paused_seconds(),
            human_answer_at=_first_human_answer(),
            ever_resolved=_ever(EventKind.RESOLVED),
            ever_reopened=_ever(EventKind.REOPENED),
        )

    def aggregates(self, now: datetime) -> dict:
        return {
            **_opened_aggregates(self.opened_q(), now),
            **_resolved_aggregates(self.resolved_q(), self.opened_q(), now),
        }


def summary(scope: Scope, *, now: datetime | None = None) -> Figures:
    """All figures for the scope, in one query."""
    row = scope.queryset().aggregate(**scope.aggregates(now or timezone.now()))
    return Figures.from_row(row)


_DIMENSION_FIELDS = {
    "service": ("service_id", "service__name"),
    "team": ("team_id", "team__name"),
    "priority": ("priority",),
    "category": ("category_id", "category__name", "category__parent__name"),
    "channel": ("channel",),
}


def _label(dimension: str, row: dict) -> str:
    if dimension == "priority":
        return Priority(row["priority"]).label if row["priority"] else "(none)"
    if dimension == "channel":
        return Channel(row["channel"]).label if row["channel"] else "(none)"
    name = row.get(f"{dimension}__name")
    if name is None:
        return "(none)"
    parent = row.get("category__parent__name") if dimension == "category" else None
    return f"{parent} / {name}" if parent else name


def by_dimension(scope: Scope, dimension: str, *, now: datetime | None = None) -> list[Figures]:
    """Figures per service, team, priority, category or channel: one query, busiest first."""
    if dimension not in _DIMENSION_FIELDS:
        raise ValueError(f"Unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}.")
    columns = _DIMENSION_FIELDS[dimension]
    rows = (
        scope.queryset()
        .order_by()
        .values(*columns)
        .annotate(**scope.aggregates(now or timezone.now()))
    )
    figures = [
        Figures.from_row(row, key=row[columns[0]], label=_label(dimension, row)) for row in rows
    ]
    if dimension == "priority":
        return sorted(figures, key=lambda f: f.key or "")
    return sorted(figures, key=lambda f: (-f.opened, -f.resolved, f.label))


def by_period(scope: Scope, period: str = "day", *, now: datetime | None = None) -> list[Figures]:
    """Figures per day, week or month, oldest first: opened-cohort figures by opening
    period, resolved-cohort figures by resolution period (two queries)."""
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}; use day, week or month.")
    now, trunc = now or timezone.now(), PERIODS[period]
    tz = timezone.get_current_timezone()
    opened = (
        scope.queryset()
        .filter(scope.opened_q())
        .annotate(period=trunc("opened_at", tzinfo=tz))
        .order_by()
        .values("period")
        .annotate(**_opened_aggregates(scope.opened_q(), now))
    )
    resolved = (
        scope.queryset()
        .filter(scope.resolved_q())
        .annotate(period=trunc("resolved_at", tzinfo=tz))
        .order_by()
        .values("period")
        .annotate(**_resolved_aggregates(scope.resolved_q(), scope.opened_q(), now))
    )
    merged: dict = {key: {} for key in period_starts(scope, period)}
    for row in [*opened, *resolved]:
        merged.setdefault(row["period"], {}).update(row)
    return [
        Figures.from_row(row, key=key, label=_period_label(key, period))
        for key, row in sorted(merged.items())
    ]


def period_starts(scope: Scope, period: str) -> list[datetime]:
    """Every day, week (from Monday) or month the scope touches, so a series has no gaps."""
    tz = timezone.get_current_timezone()
    day = timezone.localtime(scope.start, tz).date()
    if period == "week":
        day -= timedelta(days=day.weekday())
    elif period == "month":
        day = day.replace(day=1)
    starts, last = [], timezone.localtime(scope.end, tz)
    while (moment := datetime.combine(day, time.min, tzinfo=tz)) < last:
        starts.append(moment)
        if period == "month":
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            day += timedelta(days=7 if period == "week" else 1)
    return starts


def _period_label(moment: datetime, period: str) -> str:
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if period == "month":
        return moment.strftime("%b %Y")
    if period == "week":
        return f"Week of {moment:%d %b %Y}"
    return moment.strftime("%d %b %Y")
