"""Reads of satisfaction: one incident's rating and the figures of the reports.

Every figure reads `ratings_in(scope)`, the one place that decides which ratings count
(incidents that count in the reports, visible to the viewer, in the team and service of
the scope, rated in its date range), so a rule about what counts is added once.
"""

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.metrics import Scope, counted_incidents
from satisfaction.models import SATISFIED, Rating

GROUPS = {
    "teams": ("incident__team_id", "incident__team__name"),
    "services": ("incident__service_id", "incident__service__name"),
    "categories": ("incident__category_id", "incident__category__name"),
}


def rating_of(incident) -> Rating | None:
    """The incident's rating, if its reporter gave one."""
    return Rating.objects.filter(incident_id=incident.pk).select_related("reporter").first()


def ratings_in(scope: Scope):
    """The ratings that count for `scope`: given in its range, on incidents that count in
    figures (`reports.metrics.counted_incidents`) and that the viewer may see."""
    incidents = counted_incidents()
    if scope.viewer is not None:
        incidents = incidents.visible_to(scope.viewer)
    if scope.team:
        incidents = incidents.filter(team_id=scope.team)
    if scope.service:
        incidents = incidents.filter(service_id=scope.service)
    return Rating.objects.filter(
        incident__in=incidents, created_at__gte=scope.start, created_at__lt=scope.end
    )


AGGREGATES = {
    "count": Count("pk"),
    "average": Avg("score"),
    "satisfied": Count("pk", filter=Q(score__in=SATISFIED)),
}


def _figures(row: dict, **extra) -> dict:
    count = row["count"]
    return {
        **extra,
        "count": count,
        "average": round(row["average"], 2) if count else None,
        "satisfied_pct": round(100 * row["satisfied"] / count, 1) if count else None,
    }


def _grouped(ratings, key: str, name: str) -> list[dict]:
    rows = ratings.order_by().values(key, name).annotate(**AGGREGATES)
    figures = [_figures(row, key=row[key], label=row[name] or _("(none)")) for row in rows]
    return sorted(figures, key=lambda f: (-f["count"], f["label"]))


def _by_month(ratings) -> list[dict]:
    tz = timezone.get_current_timezone()
    rows = (
        ratings.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(**AGGREGATES)
        .order_by("month")
    )
    return [
        _figures(row, key=row["month"].date().isoformat()[:7], label=_month_label(row["month"]))
        for row in rows
    ]


def _month_label(moment) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "YEAR_MONTH_FORMAT")


def satisfaction_figures(scope: Scope) -> dict:
    """Count, average score and share of satisfied ratings (4 or 5): overall, per team,
    service and category of the incident, and per month the rating was given. Five
    queries whatever the number of ratings."""
    ratings = ratings_in(scope)
    return {
        "summary": _figures(ratings.aggregate(**AGGREGATES)),
        **{group: _grouped(ratings, *columns) for group, columns in GROUPS.items()},
        "months": _by_month(ratings),
    }
