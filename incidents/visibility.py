"""Who may see an incident, its comments and its files, and who may close, reopen or follow
it. The one home of these rules: the portal, the API, the admin, e-mail intake,
notifications, outgoing webhooks and chat channels all ask here.

- Responders and incident managers see every incident, except a confidential one: that
  only its reporter, its assignee, members of the security team (`ITSM_SECURITY_TEAM`) and
  incident managers see.
- Anyone else sees the incidents they reported, and those they follow unless confidential
  (a confidential one stays visible to a follower in the security team).
- Only staff see work notes and internal files; everyone else sees public ones only.
- A shared incident (open, on an active service, affecting more than its reporter, not
  confidential, not part of an open major incident) may be followed by anyone signed in.

The querysets (`Incident.objects.visible_to`, `Comment.objects.visible_to`,
`Attachment.objects.visible_to`, `Incident.objects.shared`) build their conditions here;
the predicates (`may_see`, `may_close`, ...) answer for one incident in memory.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q

from incidents.choices import OPEN_STATUSES
from incidents.conditions import affects_others_q, open_q
from incidents.roles import can_work_incidents, is_manager


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def sees_work_notes(user) -> bool:
    """Work notes, internal files and field history are for staff who work incidents."""
    return _active(user) and can_work_incidents(user)


# --- The security team and confidential incidents -----------------------------------------


def _security_membership(user):
    """EXISTS over the membership of `user` in the security team. Uncorrelated, so the
    database answers it once per statement (no extra round trip from here)."""
    from incidents.models import Team

    return Exists(
        Team.members.through.objects.filter(team__slug=settings.ITSM_SECURITY_TEAM, user=user)
    )


def in_security_team(user) -> bool:
    """One query, remembered on the user object for the rest of the request or task."""
    if not _active(user):
        return False
    if not hasattr(user, "_itsm_in_security_team"):
        from incidents.models import Team

        members = Team.members.through.objects
        user._itsm_in_security_team = members.filter(
            team__slug=settings.ITSM_SECURITY_TEAM, user=user
        ).exists()
    return user._itsm_in_security_team


def sees_confidential(user) -> bool:
    """Incident managers (superusers included) and the security team see every
    confidential incident; others only those they reported or are assigned."""
    return _active(user) and (is_manager(user) or in_security_team(user))


def confidential_viewer_ids(user_ids) -> set[int]:
    """Which of these users see every confidential incident (managers, superusers, the
    security team), in one query: for choosing who is told about one."""
    merge = Permission.objects.filter(
        content_type__app_label="incidents", codename="merge_incident"
    )
    viewers = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=merge)
            | Q(user_permissions__in=merge)
            | Q(teams__slug=settings.ITSM_SECURITY_TEAM)
        )
    )
    return set(viewers.values_list("pk", flat=True).distinct())


# --- Conditions for querysets --------------------------------------------------------------


def _staff_q(user, prefix: str = "") -> Q:
    """What a responder outside the security team sees: every incident that is not
    confidential, and the confidential ones they reported or are assigned. Nearly every
    row passes the first test, so the list's own order index still serves the query."""
    return (
        Q(**{f"{prefix}confidential": False})
        | Q(**{f"{prefix}assignee": user})
        | Q(**{f"{prefix}reporter": user})
        | Q(_security_membership(user))
    )


def watched_q(user) -> Q:
    """Of the incidents `user` follows, the ones they may see."""
    return Q(confidential=False) | Q(_security_membership(user))


def incident_q(user, prefix: str = "") -> Q | None:
    """The condition on incidents (through `prefix`, e.g. "incident__") that `user` may
    see; None when they see every incident, so the query gets no condition at all."""
    if not _active(user):
        return Q(pk__in=[])
    if can_work_incidents(user):
        return None if is_manager(user) else _staff_q(user, prefix)
    from incidents.models import Incident

    watched = Incident.objects.filter(watchers=user).filter(watched_q(user)).values("pk")
    return Q(**{f"{prefix}reporter": user}) | Q(**{f"{prefix}pk__in": watched})


def about_visible_incidents(queryset, user, field: str = "incident"):
    """Rows about an incident (notifications, alert groups, reviews) narrowed to those
    whose incident `user` may see; rows about no incident stay. No condition for people
    who see every incident."""
    condition = incident_q(user, f"{field}__")
    if condition is None:
        return queryset
    return queryset.filter(condition | Q(**{f"{field}__isnull": True}))


def shared_q() -> Q:
    """Ongoing incidents anyone signed in may see in the portal's lists and follow. A
    problem reported as affecting only its reporter (impact low) stays private unless
    declared major; children of an open major incident are represented by their parent;
    confidential ones and practice ones (drills) are never shared."""
    return (
        open_q()
        & Q(service__isnull=False, service__active=True)
        & affects_others_q()
        & (Q(parent__isnull=True) | ~Q(parent__status__in=OPEN_STATUSES))
        & Q(confidential=False)
        & Q(practice=False)
    )


def public_q(user, prefix: str = "") -> Q | None:
    """Comments and files: staff see all of those on incidents they see, others the
    public ones only."""
    incidents = incident_q(user, prefix)
    if sees_work_notes(user):
        return incidents
    public = Q(public=True)
    return public if incidents is None else public & incidents


# --- Audiences nobody checked: chat rooms, webhook receivers --------------------------------

CONFIDENTIAL_TITLE = "Confidential incident"
CONFIDENTIAL_BODY = "Details are in the service desk, for those who may see it."


def redacted_title(incident, title: str) -> str:
    """A chat room's readers are not checked: of a confidential incident they learn its
    number only."""
    return f"{incident.number}: {CONFIDENTIAL_TITLE}" if incident.confidential else title


def redacted_body(incident, body: str) -> str:
    return CONFIDENTIAL_BODY if incident.confidential else body


def redacted_snapshot(incident) -> dict:
    """What a webhook receiver gets of a confidential incident instead of its fields."""
    return {"number": incident.number, "confidential": True}


# --- Predicates on one incident ------------------------------------------------------------


def _follows(user, incident) -> bool:
    return incident.watchers.filter(pk=user.pk).exists()


def may_see(user, incident) -> bool:
    """The same answer as `Incident.objects.visible_to(user)` for this one incident."""
    if not _active(user):
        return False
    if incident.reporter_id == user.pk:
        return True
    if incident.confidential:
        if incident.assignee_id == user.pk and can_work_incidents(user):
            return True
        if not sees_confidential(user):
            return False
        return can_work_incidents(user) or _follows(user, incident)
    return can_work_incidents(user) or _follows(user, incident)


def may_confirm(user, incident) -> bool:
    """Confirming a fix or saying it is still broken is the reporter's call (the portal's
    buttons); followers comment instead."""
    return _active(user) and incident.reporter_id == user.pk


def may_close(user, incident) -> bool:
    """The reporter closes their own incident (confirming the fix); responders and
    managers close any incident they see."""
    return may_confirm(user, incident) or (can_work_incidents(user) and may_see(user, incident))


def may_reopen(user, incident) -> bool:
    """The same people as for closing (the reopen window is the service's rule)."""
    return may_close(user, incident)


def is_shared(incident) -> bool:
    from incidents.models import Incident

    return Incident.objects.filter(shared_q(), pk=incident.pk).exists()


def may_follow(user, incident, *, added_by=None) -> bool:
    """Whether `user` may follow `incident` (hear its public updates): one they may see,
    or a shared one. Staff who see an incident may also put someone else on it, unless it
    is confidential and that person may not see it."""
    if not _active(user):
        return False
    if may_see(user, incident) or is_shared(incident):
        return True
    adder_may = added_by is not None and added_by.pk != user.pk and may_see(added_by, incident)
    return adder_may and can_work_incidents(added_by) and not incident.confidential
