"""Reads for the portal and the status page: what an end user may see, and nothing more.

Every function here returns only public data: public comments and attachments, status
changes without their internal details, service states. Work notes, history diffs, SLA
events and people's e-mail addresses never leave this module.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from incidents.choices import (
    OPEN_STATUSES,
    EventKind,
    ServiceStatus,
    Status,
)
from incidents.conditions import affects_others_q, outage_q
from incidents.models import Attachment, Comment, Incident, IncidentEvent, Service
from incidents.querysets import own_incident_ids
from incidents.search import by_relevance, incident_search

NOT_FINAL = (*OPEN_STATUSES, Status.RESOLVED)
# The "already known" offer's order: major incidents first, then the most urgent, newest.
KNOWN_ORDER = ("-major", "priority", "-opened_at")
KNOWN_CANDIDATES = 50


def mine(user) -> Q:
    """Incidents the user reported or watches (see `own_incident_ids`)."""
    return Q(pk__in=own_incident_ids(user))


def user_incidents(user, *, status: str = "", own: Q | None = None) -> QuerySet:
    """The user's own incidents (reported or watched), newest first. `status` is "open"
    (still active, including resolved ones awaiting the user's confirmation), "closed"
    (closed or cancelled) or empty for all. `own` is `mine(user)` when the caller has it."""
    incidents = (
        Incident.objects.filter(own if own is not None else mine(user))
        .select_related("service", "team")
        .order_by("-opened_at", "-pk")
    )
    if status == "open":
        return incidents.filter(status__in=NOT_FINAL)
    if status == "closed":
        return incidents.exclude(status__in=NOT_FINAL)
    return incidents


def known_incidents(*, service: Service | int | None = None) -> QuerySet:
    """Shared incidents (`Incident.objects.shared`: ongoing, affecting more than their
    reporter, not confidential) that anyone signed in may see and follow, major ones
    first."""
    incidents = (
        Incident.objects.shared()
        .select_related("service")
        .only(
            "number",
            "title",
            "status",
            "major",
            "priority",
            "opened_at",
            "reporter_id",
            "channel",  # monitoring incidents show their public title
            "service__name",
            "service__slug",
        )
        .order_by(*KNOWN_ORDER)
    )
    if service is not None:
        incidents = incidents.filter(service=service)
    return incidents


def known_incidents_like(text: str, *, limit: int = 5) -> list[Incident]:
    """Up to `limit` known incidents (see `known_incidents`) on any service that sound like
    `text`, what a reporter typed; best matches first. Incidents with all the words, or a
    title resembling them, come first; then, if that leaves room, ones with any of the
    words (a reporter describes the same problem in other words).

    One query, two when the close matches are fewer than `limit`. Each ranks only the
    first KNOWN_CANDIDATES matches in the usual order, so a common word costs a short walk
    of the open incidents' index, not a sort of thousands."""
    if not text.strip():
        return []
    found = _ranked(incident_search(known_incidents(), text), text, limit)
    if len(found) < limit:
        loose = incident_search(known_incidents(), text, any_word=True)
        loose = loose.exclude(pk__in=[incident.pk for incident in found])
        found += _ranked(loose, text, limit - len(found))
    return found


def _ranked(matches: QuerySet, text: str, limit: int) -> list[Incident]:
    candidates = known_incidents().filter(pk__in=matches.values("pk")[:KNOWN_CANDIDATES])
    return list(by_relevance(candidates, text, *KNOWN_ORDER)[:limit])


def followed_numbers(user, incidents) -> set[str]:
    """Which of these incidents the user already reported or watches (one query)."""
    numbers = [incident.number for incident in incidents]
    if not numbers:
        return set()
    return set(
        Incident.objects.filter(mine(user), number__in=numbers).values_list("number", flat=True)
    )


def incident_for_user(user, number: str) -> Incident:
    """The incident if the user may see it in the portal, else 404 (never 403: a stranger's
    number must not even be confirmed to exist)."""
    incident = (
        Incident.objects.visible_to(user)
        .select_related(
            "service", "team", "hold_reason", "resolution_code", "duplicate_of", "parent"
        )
        .filter(number=number)
        .first()
    )
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def incident_to_follow(user, number: str) -> Incident:
    """An incident the user may start following (`incidents.visibility.may_follow`): one
    they can see, or a shared one; else 404."""
    visible = Incident.objects.visible_to(user).filter(number=number)
    incident = visible.first() or Incident.objects.shared().filter(number=number).first()
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def is_following(user, incident: Incident) -> bool:
    return incident.reporter_id == user.pk or incident.watchers.filter(pk=user.pk).exists()


@dataclass
class Update:
    """One entry of the public timeline an end user sees."""

    at: datetime
    kind: str  # "comment", "status" or "file"
    title: str
    author: object = None
    body: str = ""
    attachments: list = field(default_factory=list)


# Status changes worth telling the user about; their event data stays internal.
PUBLIC_EVENT_KINDS = {
    EventKind.CREATED: _("Reported"),
    EventKind.ACKNOWLEDGED: _("Acknowledged by the service desk"),
    EventKind.STARTED: _("Work started"),
    EventKind.HELD: _("Put on hold"),
    EventKind.RESUMED: _("Work resumed"),
    EventKind.RESOLVED: _("Resolved"),
    EventKind.REOPENED: _("Reopened"),
    EventKind.CLOSED: _("Closed"),
    EventKind.CANCELLED: _("Cancelled"),
    EventKind.MAJOR_DECLARED: _("Declared a major incident"),
    EventKind.MERGED: _("Merged with another report of the same problem"),
}


def _event_title(event: IncidentEvent) -> str:
    title = PUBLIC_EVENT_KINDS[event.kind]
    if event.kind == EventKind.HELD and event.data.get("reason_name"):
        title = _("%(title)s: %(reason)s") % {"title": title, "reason": event.data["reason_name"]}
    return title


def public_updates(incident: Incident) -> list[Update]:
    """Public comments (with their public files), loose public files and status changes,
    oldest first. Four queries whatever the length."""
    public_files = Attachment.objects.public()
    comments = (
        incident.comments.public()
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=public_files, to_attr="shown"))
    )
    updates = [
        Update(c.created_at, "comment", _("Comment"), c.author, c.body, c.shown) for c in comments
    ]
    loose = public_files.filter(incident=incident, comment__isnull=True).select_related(
        "uploaded_by"
    )
    updates += [
        Update(a.created_at, "file", _("File added"), a.uploaded_by, "", [a]) for a in loose
    ]
    events = incident.events.filter(kind__in=list(PUBLIC_EVENT_KINDS)).only(
        "incident", "kind", "data", "created_at"
    )
    updates += [Update(e.created_at, "status", _event_title(e)) for e in events]
    return sorted(updates, key=lambda update: update.at)


# --- Status page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceState:
    service: Service
    state: str  # a ServiceStatus value

    @property
    def label(self) -> str:
        return ServiceStatus(self.state).label


def derive_state(*, override: str, outage_count: int, open_count: int) -> str:
    """A manager's override wins; otherwise a major or P1/P2 open incident is an outage and
    any other open incident affecting more than its reporter a degradation."""
    if override:
        return override
    if outage_count:
        return ServiceStatus.OUTAGE
    if open_count:
        return ServiceStatus.DEGRADED
    return ServiceStatus.OPERATIONAL


def service_states() -> list[ServiceState]:
    """Every active service with its current state, in one query: two EXISTS probes per
    service, each answered by a partial index of open incidents (however many there are)."""
    # A confidential incident is absent from the public page, its service's state included.
    ongoing = Incident.objects.real().open().not_confidential().filter(service=OuterRef("pk"))
    services = (
        Service.objects.filter(active=True)
        # A problem reported as affecting only its reporter says nothing about the service.
        .annotate(open_count=Exists(ongoing.filter(affects_others_q())))
        .annotate(outage_count=Exists(ongoing.filter(outage_q())))
        .only("name", "slug", "description", "status_override")
        .order_by("name")
    )
    return [
        ServiceState(
            service,
            derive_state(
                override=service.status_override,
                outage_count=int(service.outage_count),
                open_count=int(service.open_count),
            ),
        )
        for service in services
    ]


def _service_desk_users() -> QuerySet:
    """People who work incidents; only what they write counts as an official update."""
    return get_user_model().objects.with_perm(
        "incidents.change_incident", backend="django.contrib.auth.backends.ModelBackend"
    )


def ongoing_major_incidents() -> QuerySet:
    """Open major incidents with the public updates the service desk wrote, newest update
    first. Comments end users add to a major incident are not published here."""
    official = (
        Comment.objects.public()
        .filter(author__in=_service_desk_users().values("pk"))
        .only("incident", "body", "created_at")
        .order_by("-created_at")
    )
    return (
        Incident.objects.real()
        .open()
        .not_confidential()
        .filter(major=True)
        .select_related("service")
        .only(
            "number",
            "title",
            "status",
            "opened_at",
            "channel",
            "major",
            "priority",
            "service__name",
        )
        .prefetch_related(Prefetch("comments", queryset=official, to_attr="official_updates"))
        .order_by("opened_at")
    )
