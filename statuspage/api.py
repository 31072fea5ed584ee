"""The status page in the shape of Atlassian Statuspage's public API (v2), so existing
aggregators and widgets read it: `summary.json` (page, components, unresolved incidents,
scheduled maintenance, overall status) and `status.json` (page and overall status).

Ids are opaque (a keyed hash), never incident numbers; names are public titles and
update bodies are the service desk's public updates only.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from incidents.choices import OUTAGE_PRIORITIES, ServiceStatus, Status
from statuspage import cache, selectors, snapshot

PAGE_ID = "itsm"
COMPONENT_STATUS = {
    ServiceStatus.OPERATIONAL: "operational",
    ServiceStatus.DEGRADED: "degraded_performance",
    ServiceStatus.OUTAGE: "major_outage",
    ServiceStatus.MAINTENANCE: "under_maintenance",
}
INCIDENT_STATUS = {
    Status.NEW: "investigating",
    Status.ACKNOWLEDGED: "investigating",
    Status.IN_PROGRESS: "identified",
    Status.ON_HOLD: "monitoring",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "resolved",
}


def public_id(kind: str, pk: int) -> str:
    return salted_hmac("statuspage.public-id", f"{kind}:{pk}").hexdigest()[:12]


def when(value) -> str | None:
    return value.isoformat() if value else None


def _page(snap) -> dict:
    return {
        "id": PAGE_ID,
        "name": _("Service status"),
        "url": settings.SITE_URL + reverse("status"),
        "time_zone": settings.TIME_ZONE,
        "updated_at": when(snap.as_of),
    }


def indicator(snap) -> dict:
    """Statuspage's overall indicator: critical for an ongoing major incident, major for
    any outage, minor for degradation, none otherwise."""
    states = {state.state for state in snap.states}
    if any(incident.major for incident in snap.incidents):
        return {"indicator": "critical", "description": _("Major System Outage")}
    if ServiceStatus.OUTAGE in states:
        return {"indicator": "major", "description": _("Partial System Outage")}
    if ServiceStatus.DEGRADED in states:
        return {"indicator": "minor", "description": _("Minor Service Outage")}
    if ServiceStatus.MAINTENANCE in states:
        return {"indicator": "none", "description": _("Service Under Maintenance")}
    return {"indicator": "none", "description": _("All Systems Operational")}


def _component(state, position: int, snap) -> dict:
    service = state.service
    return {
        "id": service.slug,
        "name": service.name,
        "status": COMPONENT_STATUS[state.state],
        "created_at": when(snap.as_of),
        "updated_at": when(snap.as_of),
        "position": position,
        "description": service.description or None,
        "showcase": True,
        "start_date": None,
        "group_id": None,
        "page_id": PAGE_ID,
        "group": False,
        "only_show_if_degraded": False,
    }


def _impact(incident) -> str:
    if incident.major or incident.priority == "P1":
        return "critical"
    return "major" if incident.priority in OUTAGE_PRIORITIES else "minor"


def _update(incident, update, incident_id: str) -> dict:
    return {
        "id": public_id("update", update.pk),
        "status": INCIDENT_STATUS.get(incident.status, "investigating"),
        "body": update.body,
        "incident_id": incident_id,
        "created_at": when(update.created_at),
        "updated_at": when(update.created_at),
        "display_at": when(update.created_at),
        "affected_components": None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def _affected(service, state: str) -> list[dict]:
    if service is None:
        return []
    return [{"id": service.slug, "name": service.name, "status": state, "page_id": PAGE_ID}]


def _incident(incident, components: dict) -> dict:
    incident_id = public_id("incident", incident.pk)
    return {
        "id": incident_id,
        "name": incident.public_title,
        "status": INCIDENT_STATUS.get(incident.status, "investigating"),
        "created_at": when(incident.opened_at),
        "updated_at": when(incident.updated_at),
        "monitoring_at": None,
        "resolved_at": when(incident.resolved_at) if not incident.is_open else None,
        "impact": _impact(incident),
        "shortlink": settings.SITE_URL + reverse("status"),
        "started_at": when(incident.opened_at),
        "page_id": PAGE_ID,
        "incident_updates": [_update(incident, u, incident_id) for u in incident.official_updates],
        "components": _affected(incident.service, components.get(incident.service_id, "")),
    }


def _maintenance(window, now) -> dict:
    state = selectors.maintenance_state(window, now)
    return {
        "id": public_id("maintenance", window.pk),
        "name": window.title or window.service.name,
        "status": state,
        "created_at": when(window.starts_at),
        "updated_at": when(window.starts_at),
        "monitoring_at": None,
        "resolved_at": when(window.ends_at) if state == "completed" else None,
        "impact": "maintenance",
        "shortlink": settings.SITE_URL + reverse("status-history"),
        "started_at": when(window.starts_at),
        "page_id": PAGE_ID,
        "incident_updates": [],
        "components": _affected(window.service, "under_maintenance"),
        "scheduled_for": when(window.starts_at),
        "scheduled_until": when(window.ends_at),
    }


def build_summary() -> dict:
    snap = snapshot.current()
    components = {s.service.pk: COMPONENT_STATUS[s.state] for s in snap.states}
    windows = snap.maintenance.in_progress + snap.maintenance.upcoming
    return {
        "page": _page(snap),
        "components": [_component(s, n, snap) for n, s in enumerate(snap.states, start=1)],
        "incidents": [_incident(i, components) for i in snap.incidents],
        "scheduled_maintenances": [_maintenance(w, snap.as_of) for w in windows],
        "status": indicator(snap),
    }


def _json(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # widgets on other sites read it
    return response


def _summary() -> dict:
    """Cached per language: the page name and status descriptions are translated."""
    return cache.remember(f"summary.json:{translation.get_language()}", build_summary)


@require_safe
@cache_control(public=True, max_age=cache.STATUS_SECONDS)
def summary(request):
    return _json(_summary())


@require_safe
@cache_control(public=True, max_age=cache.STATUS_SECONDS)
def status(request):
    data = _summary()
    return _json({"page": data["page"], "status": data["status"]})
