"""Reads of paging: the timeline entries and the engagement figures."""

from statistics import mean, median

from django.db.models import Min, QuerySet

from incidents.actors import user_label
from incidents.choices import EventKind
from incidents.models import Incident
from incidents.selectors import TimelineEntry, incident_events
from paging.models import Page, PageStatus
from reports.metrics import counted_incidents, human_answer_events


def page_rows(incident) -> QuerySet:
    """The pages `page_timeline` shows, all but those still to be sent (`incident` may be
    an OuterRef)."""
    return Page.objects.filter(incident=incident).exclude(status=PageStatus.PENDING)


def page_timeline(incident: Incident) -> list[TimelineEntry]:
    """Every page (to whom, how, which step) and every answer."""
    entries = []
    for page in page_rows(incident).select_related("user"):
        step = f"step {page.step + 1}, pass {page.cycle + 1}" if page.step is not None else "major"
        detail = f"{step} · {page.reason}"
        if page.status == PageStatus.SENT:
            title, at = f"Paged {user_label(page.user)} by {page.kind}", page.sent_at
        elif page.status == PageStatus.FAILED:
            title, at = f"Page to {user_label(page.user)} by {page.kind} failed", page.created_at
            detail += f" · {page.last_error}"
        else:
            title, at = f"Page to {user_label(page.user)} by {page.kind} not sent", page.created_at
            detail += f" · {page.last_error}" if page.last_error else ""
        entries.append(TimelineEntry(at=at, kind="page", title=title, body=detail, public=False))
        if page.link_used_at:
            entries.append(
                TimelineEntry(
                    at=page.link_used_at,
                    kind="page",
                    title=f"{user_label(page.user)} answered the page",
                    public=False,
                )
            )
    return entries


def _step_title(data: dict) -> tuple[str, str]:
    if data.get("major"):
        managers = ", ".join(data.get("managers", [])) or "none"
        teams = ", ".join(data.get("teams", [])) or "none"
        return (
            "Major incident engagement",
            f"Incident managers paged: {managers}. Teams engaged: {teams}.",
        )
    paged = ", ".join(data.get("paged", [])) or "nobody (no one on call)"
    title = f"Escalation step {data.get('step')} of {data.get('team')} (pass {data.get('pass')})"
    if data.get("notify_only"):
        return title, f"Notified by e-mail (this priority does not page): {paged}."
    return title, f"Paged: {paged}."


def escalation_timeline(incident: Incident) -> list[TimelineEntry]:
    """Every escalation step, from the event log (the events the page already read)."""
    entries = []
    for event in incident_events(incident, [EventKind.ESCALATED]):
        title, body = _step_title(event.data or {})
        entries.append(
            TimelineEntry(at=event.created_at, kind="page", title=title, body=body, public=False)
        )
    return entries


def first_human_answer(incident_ids) -> dict[int, tuple]:
    """Per incident: (when, actor id) of the first acknowledgement or start by a person."""
    answers = (
        human_answer_events()
        .filter(incident_id__in=incident_ids)
        .order_by("incident_id", "created_at", "pk")
        .values_list("incident_id", "created_at", "actor_id")
    )
    first = {}
    for incident_id, at, actor_id in answers:
        first.setdefault(incident_id, (at, actor_id))
    return first


def _stats(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "mean": None, "median": None}
    return {
        "count": len(values),
        "mean": round(mean(values), 1),
        "median": round(median(values), 1),
    }


def engagement_figures(scope) -> dict:
    """Time to first page and time to (human) acknowledgement, in seconds, overall, per
    team and per responder, for the incidents opened in `scope` (an
    `reports.metrics.Scope`) that were paged. Four queries whatever the number of
    incidents; the per-incident arithmetic is done here, on paged incidents only."""
    incidents = counted_incidents().filter(scope.opened_q())
    if scope.team:
        incidents = incidents.filter(team_id=scope.team)
    if scope.service:
        incidents = incidents.filter(service_id=scope.service)
    first_pages = dict(
        Page.objects.filter(incident__in=incidents, status=PageStatus.SENT)
        .values("incident_id")
        .annotate(first=Min("sent_at"))
        .values_list("incident_id", "first")
    )
    rows = Incident.objects.filter(pk__in=list(first_pages)).values_list(
        "pk", "opened_at", "team__name"
    )
    answers = first_human_answer(list(first_pages))
    overall = {"page": [], "ack": []}
    teams: dict[str, dict] = {}
    for pk, opened_at, team in rows:
        bucket = teams.setdefault(team or "No team", {"page": [], "ack": []})
        for target in (overall, bucket):
            target["page"].append((first_pages[pk] - opened_at).total_seconds())
            if pk in answers:
                target["ack"].append((answers[pk][0] - opened_at).total_seconds())
    return {
        "time_to_first_page": _stats(overall["page"]),
        "time_to_acknowledge": _stats(overall["ack"]),
        "teams": [
            {
                "team": name,
                "time_to_first_page": _stats(v["page"]),
                "time_to_acknowledge": _stats(v["ack"]),
            }
            for name, v in sorted(teams.items())
        ],
        "responders": responder_figures(first_pages, answers),
    }


def responder_figures(first_pages: dict, answers: dict) -> list[dict]:
    """Per paged person: pages received, incidents they answered first, and their time from
    their first page to their answer."""
    pages = Page.objects.filter(incident_id__in=list(first_pages), status=PageStatus.SENT)
    first_to = {}
    for incident_id, user_id, username, sent_at in pages.order_by("sent_at").values_list(
        "incident_id", "user_id", "user__username", "sent_at"
    ):
        first_to.setdefault((incident_id, user_id), (username, sent_at))
    people: dict[str, dict] = {}
    for (incident_id, user_id), (username, sent_at) in first_to.items():
        person = people.setdefault(username, {"paged": 0, "answered": 0, "ack": []})
        person["paged"] += 1
        answer = answers.get(incident_id)
        if answer and answer[1] == user_id:
            person["answered"] += 1
            person["ack"].append(max(0.0, (answer[0] - sent_at).total_seconds()))
    return [
        {
            "user": name,
            "paged": p["paged"],
            "answered": p["answered"],
            "time_to_acknowledge": _stats(p["ack"]),
        }
        for name, p in sorted(people.items())
    ]
