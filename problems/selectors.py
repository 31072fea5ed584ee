"""Reads of problems: recurrence suggestions, known errors of a service, runbooks."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from incidents.actors import user_label
from incidents.cached import cached, forget
from incidents.models import Incident, Service
from itsm.query_hints import Unindexed
from problems.choices import ACTIVE_PROBLEM_STATUSES
from problems.models import Problem, ProblemLink, Runbook
from reports.metrics import counted_incidents

ALERT_KEY_FIELDS = ("key", "alert_key", "group_key", "fingerprint", "dedup_key")


SHOWN_INCIDENTS = 12  # incidents listed per suggestion; the count says how many there are
MAX_SUGGESTIONS = 10


@dataclass
class Suggestion:
    """Incidents that keep coming back for one reason: worth one problem record."""

    key: str  # "service:<id>", "title:<normalised title>" or "alert:<key>"
    reason: str  # "service", "title" or "alert key"
    label: str
    count: int = 0
    incidents: list[Incident] = field(default_factory=list)  # the first SHOWN_INCIDENTS

    @property
    def title(self) -> str:
        return f"Recurring incidents: {self.label}"


def _recurrence_settings(threshold, window_days):
    threshold = threshold or getattr(settings, "ITSM_RECURRENCE_THRESHOLD", 3)
    window = window_days or getattr(settings, "ITSM_RECURRENCE_WINDOW_DAYS", 30)
    return max(int(threshold), 2), int(window)


def _candidates(now, window_days):
    """Recent incidents not yet linked to any problem, with their normalised title. The
    suggestions are shared by every responder (cached), so confidential incidents, which
    not all of them may see, are left out."""
    since = now - timedelta(days=window_days)
    recent = counted_incidents().not_confidential()
    recent = recent.filter(opened_at__gte=since, problem_links__isnull=True)
    return recent.annotate(norm=Lower(Trim("title")))


def _alert_group_model():
    """The monitoring intake's alert group, if that app has one with a key and an incident."""
    try:
        model = apps.get_model("integrations", "AlertGroup")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    key = next((name for name in ALERT_KEY_FIELDS if name in names), None)
    incident = next(
        (
            f.name
            for f in model._meta.get_fields()
            if f.is_relation and f.related_model is Incident and (f.many_to_one or f.one_to_one)
        ),
        None,
    )
    return (model, key, incident) if key and incident else None


def _by_alert_key(candidates, threshold) -> dict[str, list[int]]:
    found = _alert_group_model()
    if found is None:
        return {}
    model, key, incident = found
    rows = model.objects.filter(**{f"{incident}__in": candidates.values("pk")}).values_list(
        key, incident
    )
    groups: dict[str, set[int]] = {}
    for value, incident_id in rows:
        if value:
            groups.setdefault(f"alert:{value}", set()).add(incident_id)
    return {k: sorted(ids) for k, ids in groups.items() if len(ids) >= threshold}


def _groups(candidates, threshold) -> list[tuple[Suggestion, Q]]:
    """Every group over the threshold with its size, counted by the database (three
    aggregate queries over the window), and the filter that lists its incidents."""
    # Grouped without the service's index, named by a subquery rather than a join: SQLite
    # otherwise walks every incident of every service (130 ms at 100,000 incidents)
    # instead of the window's few thousand through the opened_at index.
    name = Service.objects.filter(pk=OuterRef("service_key")).values("name")
    services = (
        candidates.filter(service__isnull=False)
        .order_by()
        .values(service_key=Unindexed("service_id"))
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
        .annotate(service_name=Subquery(name))
    )
    titles = (
        candidates.order_by()
        .values("norm")
        .annotate(n=Count("pk"), label=Min(Trim("title")))
        .filter(n__gte=threshold)
    )
    groups = [
        (
            Suggestion(f"service:{row['service_key']}", "service", row["service_name"], row["n"]),
            Q(service_id=row["service_key"]),
        )
        for row in services
    ]
    groups += [
        (Suggestion(f"title:{row['norm']}", "title", row["label"], row["n"]), Q(norm=row["norm"]))
        for row in titles
    ]
    groups += [
        (Suggestion(key, "alert key", key[6:], len(ids)), Q(pk__in=ids))
        for key, ids in _by_alert_key(candidates, threshold).items()
    ]
    return sorted(groups, key=lambda pair: (-pair[0].count, pair[0].reason, pair[0].label))


def recurrence_suggestions(
    *, now=None, threshold=None, window_days=None, limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """Services, repeated titles and alert keys with at least ITSM_RECURRENCE_THRESHOLD
    (default 3) unlinked incidents opened in the last ITSM_RECURRENCE_WINDOW_DAYS (30), the
    largest first, at most `limit` of them with their first SHOWN_INCIDENTS incidents.
    Three aggregate queries plus one short one per suggestion, however many incidents
    recur; the same set of incidents is suggested once."""
    threshold, window = _recurrence_settings(threshold, window_days)
    candidates = _candidates(now or timezone.now(), window)
    result, seen = [], set()
    for suggestion, members in _groups(candidates, threshold):
        listed = candidates.filter(members).select_related("service").order_by("opened_at", "pk")
        suggestion.incidents = list(listed[:SHOWN_INCIDENTS])
        identity = (suggestion.count, tuple(incident.pk for incident in suggestion.incidents))
        if identity not in seen:
            seen.add(identity)
            result.append(suggestion)
        if len(result) >= limit:
            break
    return result


def suggestion_by_key(key: str, **kwargs) -> Suggestion | None:
    """One suggestion with all of its incidents (to turn it into a problem)."""
    threshold, window = _recurrence_settings(kwargs.get("threshold"), kwargs.get("window_days"))
    candidates = _candidates(kwargs.get("now") or timezone.now(), window)
    for suggestion, members in _groups(candidates, threshold):
        if suggestion.key == key:
            listed = candidates.filter(members).select_related("service")
            suggestion.incidents = list(listed.order_by("opened_at", "pk"))
            return suggestion
    return None


def known_errors_for_service(service):
    """Active known errors affecting `service` (directly or through its incidents), with the
    workaround its users can apply meanwhile."""
    if service is None:
        return Problem.objects.none()
    return (
        Problem.objects.filter(known_error=True, status__in=ACTIVE_PROBLEM_STATUSES)
        .filter(Q(service=service) | Q(incidents__service=service))
        .distinct()
        .order_by("-updated_at")
    )


# Versioned: a deploy that changes what is cached does not read the previous shape.
RUNBOOKS_KEY = "problems:active-runbooks:v1"


def active_runbooks() -> list[Runbook]:
    """Every active runbook with its service and category (and the category's parent,
    which names it), through the cache (`incidents.cached`): every incident page shows the
    ones that fit, and they change a few times a year. Saving or deleting a runbook, a
    service or a category forgets them (`forget_runbooks`)."""

    def load():
        runbooks = Runbook.objects.filter(active=True)
        return list(runbooks.select_related("service", "category__parent"))

    return cached(RUNBOOKS_KEY, load)


def forget_runbooks(**kwargs) -> None:
    """Connected to saves and deletes of runbooks, services and categories in
    `ProblemsConfig.ready`."""
    forget([RUNBOOKS_KEY])


def runbooks_for_incident(incident) -> list[Runbook]:
    """Active runbooks whose service and category (a top category covers its children) fit
    the incident; the most specific first. No query once the runbooks are cached."""
    if incident is None or not (incident.service_id or incident.category_id):
        return []
    categories = {incident.category_id} if incident.category_id else set()
    if incident.category_id and incident.category.parent_id:
        categories.add(incident.category.parent_id)
    fitting = [
        runbook
        for runbook in active_runbooks()
        if runbook.service_id in (None, incident.service_id)
        and (runbook.category_id is None or runbook.category_id in categories)
    ]
    return sorted(fitting, key=lambda r: (-(bool(r.service_id) + bool(r.category_id)), r.title))


def problem_link_rows(incident) -> QuerySet:
    """The links `problem_timeline_entries` shows (`incident` may be an OuterRef)."""
    return ProblemLink.objects.filter(incident=incident)


def problem_timeline_entries(incident) -> list:
    """Timeline lines for an incident's links to problems (one query)."""
    from incidents.selectors import TimelineEntry

    links = problem_link_rows(incident).select_related("problem", "linked_by")
    return [
        TimelineEntry(
            at=link.linked_at,
            kind="problem",
            public=False,
            title=f"Linked to problem {link.problem.number}",
            body=link.problem.title + (" (known error)" if link.problem.known_error else ""),
            actor=user_label(link.linked_by, nobody="system"),
        )
        for link in links
    ]
