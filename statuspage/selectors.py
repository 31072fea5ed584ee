"""Reads of the public status page. Nothing internal leaves this module: incidents appear
by their public title and the public updates the service desk wrote, never by number,
team, people or work notes.

Every incident the status page shows, counts or mails about comes from
`status_incidents()`: that is the one place deciding what is public.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from incidents.choices import OPEN_STATUSES, ServiceStatus, Status
from incidents.conditions import affects_others_q, outage_q
from incidents.counting import Tally, capped_counts
from incidents.models import Comment, Incident, Service
from integrations.models import MaintenanceWindow
from portal.selectors import ServiceState, derive_state
from statuspage.models import DailyUptime

UPTIME_DAYS = 90
ONGOING_SHOWN = 20
HIDDEN_STATUSES = (Status.CANCELLED,)


def status_incidents() -> QuerySet:
    """Incidents the public may know about: not a practice drill, not confidential, not
    cancelled, not a duplicate, and affecting more than their reporter (major, or impact
    above low)."""
    return (
        Incident.objects.real()
        .not_confidential()
        .exclude(status__in=HIDDEN_STATUSES)
        .filter(duplicate_of__isnull=True)
        .filter(affects_others_q())
    )


def page_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def official_updates() -> QuerySet:
    """Public comments written by people who work incidents; what end users add to an
    incident is not published on the status page."""
    desk = get_user_model().objects.with_perm(
        "incidents.change_incident", backend="django.contrib.auth.backends.ModelBackend"
    )
    return Comment.objects.public().filter(author__in=desk.values("pk"))


def is_official_update(comment_id: int) -> bool:
    return official_updates().filter(pk=comment_id).exists()


def _with_updates(incidents: QuerySet, newest_first: bool = True) -> QuerySet:
    updates = official_updates().only("incident", "body", "created_at")
    updates = updates.order_by("-created_at" if newest_first else "created_at")
    return (
        incidents.select_related("service")
        .only(
            "title",
            "status",
            "channel",
            "major",
            "priority",
            "impact",
            "opened_at",
            "resolved_at",
            "closed_at",
            "updated_at",
            "service__name",
            "service__slug",
        )
        .prefetch_related(Prefetch("comments", queryset=updates, to_attr="official_updates"))
    )


# --- The live state -------------------------------------------------------------------------


def in_progress_maintenance_q(now: datetime) -> Q:
    return Q(public=True, starts_at__lte=now, ends_at__gt=now)


def service_states(now: datetime | None = None) -> list[ServiceState]:
    """Every active service with its state, in one query (EXISTS probes answered by the
    open-incident indexes). Public maintenance in progress shows unless incidents say
    worse; a manager's override wins over both."""
    now = now or timezone.now()
    ongoing = status_incidents().open().filter(service=OuterRef("pk"))
    windows = MaintenanceWindow.objects.filter(
        in_progress_maintenance_q(now), service=OuterRef("pk")
    )
    services = (
        Service.objects.filter(active=True)
        .annotate(open_count=Exists(ongoing), outage_count=Exists(ongoing.filter(outage_q())))
        .annotate(in_maintenance=Exists(windows))
        .only("name", "slug", "description", "status_override")
        .order_by("name")
    )
    states = []
    for service in services:
        state = derive_state(
            override=service.status_override,
            outage_count=int(service.outage_count),
            open_count=int(service.open_count),
        )
        if state == ServiceStatus.OPERATIONAL and service.in_maintenance:
            state = ServiceStatus.MAINTENANCE
        states.append(ServiceState(service, state))
    return states


def ongoing_incidents() -> tuple[list[Incident], Tally]:
    """The ONGOING_SHOWN most pressing open public incidents (major first, then by
    priority, the newest first within one) with their official updates (newest first),
    and how many open public incidents there are in all (capped). A page everybody reloads
    during an outage must not grow with the backlog: the list walks the open public
    incidents' index (`incident_open_known_all`, in this order) and stops."""
    incidents = status_incidents().open()
    shown = incidents.order_by("-major", "priority", "-opened_at", "-pk")[:ONGOING_SHOWN]
    total = capped_counts({"all": incidents})["all"]
    return list(_with_updates(shown)), total


# --- Maintenance ------------------------------------------------------------------------------


@dataclass
class Maintenance:
    upcoming: list
    in_progress: list
    completed: list


def public_maintenance() -> QuerySet:
    return MaintenanceWindow.objects.filter(public=True).select_related("service")


def maintenance_now(now: datetime, completed_days: int = 7) -> Maintenance:
    """Public maintenance windows: upcoming, in progress, and completed in the last week."""
    windows = list(
        public_maintenance()
        .filter(ends_at__gt=now - timedelta(days=completed_days))
        .order_by("starts_at", "pk")
    )
    return Maintenance(
        upcoming=[w for w in windows if w.starts_at > now],
        in_progress=[w for w in windows if w.starts_at <= now < w.ends_at],
        completed=[w for w in windows if w.ends_at <= now][::-1],
    )


def maintenance_state(window: MaintenanceWindow, now: datetime) -> str:
    if now < window.starts_at:
        return "scheduled"
    return "in_progress" if now < window.ends_at else "completed"


# --- Uptime -------------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    outage: int
    degraded: int

    @property
    def level(self) -> str:
        if self.outage:
            return "outage"
        return "degraded" if self.degraded else "operational"


@dataclass
class Uptime:
    days: list[Day]
    percent: float


def uptime_days(today: date) -> list[date]:
    return [today - timedelta(days=n) for n in range(UPTIME_DAYS - 1, -1, -1)]


def uptime_by_service(service_ids: list[int], now: datetime) -> dict[int, Uptime]:
    """The last UPTIME_DAYS days of each service from the daily rollup (one query, at most
    UPTIME_DAYS rows per service), with the share of minutes without outage."""
    today = timezone.localtime(now, page_zone()).date()
    days = uptime_days(today)
    rows = DailyUptime.objects.filter(service_id__in=service_ids, day__gte=days[0]).only(
        "service_id", "day", "outage_minutes", "degraded_minutes"
    )
    found = {(row.service_id, row.day): row for row in rows}
    start = timezone.make_aware(datetime.combine(days[0], datetime.min.time()), page_zone())
    elapsed = max(1.0, (now - start).total_seconds() / 60)
    result = {}
    for service_id in service_ids:
        bars = []
        for day in days:
            row = found.get((service_id, day))
            bars.append(
                Day(day, row.outage_minutes if row else 0, row.degraded_minutes if row else 0)
            )
        down = sum(bar.outage for bar in bars)
        percent = max(0.0, 100.0 * (1 - down / elapsed))
        result[service_id] = Uptime(bars, round(percent, 2))
    return result


# --- History --------------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    zone = page_zone()
    start = datetime(year, month, 1, tzinfo=zone)
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, following


def history_incidents(year: int, month: int) -> list[Incident]:
    """Public incidents opened in one month of the page's time zone, newest first, with
    their official updates oldest first."""
    start, end = month_bounds(year, month)
    incidents = status_incidents().filter(opened_at__gte=start, opened_at__lt=end)
    return list(_with_updates(incidents.order_by("-opened_at", "-pk"), newest_first=False))


def history_maintenance(year: int, month: int) -> list[MaintenanceWindow]:
    start, end = month_bounds(year, month)
    windows = public_maintenance().filter(starts_at__gte=start, starts_at__lt=end)
    return list(windows.order_by("-starts_at", "-pk"))


def recent_feed_items(limit: int = 50) -> list:
    """The newest public incidents and maintenance windows, for the feeds."""
    incidents = _with_updates(status_incidents().order_by("-opened_at", "-pk"))[:limit]
    windows = public_maintenance().order_by("-starts_at", "-pk")[:limit]
    items = list(incidents) + list(windows)
    items.sort(key=lambda item: getattr(item, "opened_at", None) or item.starts_at, reverse=True)
    return items[:limit]


def uptime_spans(start: datetime, end: datetime) -> QuerySet:
    """Public incidents on a service that overlap [start, end), just the fields the rollup
    needs (`statuspage.services.uptime_refresh`)."""
    overlapping = Q(status__in=OPEN_STATUSES) | Q(resolved_at__gt=start)
    overlapping |= Q(resolved_at__isnull=True, closed_at__gt=start)
    return (
        status_incidents()
        .filter(service__isnull=False, opened_at__lt=end)
        .filter(overlapping)
        .values_list(
            "service_id", "opened_at", "resolved_at", "closed_at", "status", "major", "priority"
        )
    )
