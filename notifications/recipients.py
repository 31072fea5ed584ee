"""Who is told what: from an incident event to the people and team mailboxes to e-mail.

Managers change the audiences per event kind in the admin (`NotificationRule`); kinds
without a rule use `DEFAULT_RULES`. Essential messages (the acknowledgement of one's own
report, the request to confirm a fix, and alerts about work that is part of a staff role)
ignore the opt-out; everything else respects it. The person who caused an event is not
told about it unless they asked to be (`NotificationPreference.own_actions`); the one
exception is the acknowledgement of a report an end user filed, which gives them the
number to quote.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from incidents.choices import EventKind
from incidents.models import Comment, IncidentEvent
from incidents.roles import MANAGERS
from incidents.visibility import confidential_viewer_ids
from notifications.models import NOTIFIABLE_KINDS, NotificationPreference, NotificationRule, Role

DEFAULT_RULES: dict[str, set[str]] = {
    EventKind.CREATED: {"reporter", "team", "major_audience"},
    EventKind.ASSIGNED: {"assignee"},
    EventKind.COMMENTED: {"reporter", "watchers", "major_audience"},
    EventKind.HELD: {"reporter", "watchers"},
    EventKind.RESUMED: {"reporter", "watchers"},
    EventKind.PRIORITY_CHANGED: {"reporter", "watchers"},
    EventKind.RESOLVED: {"reporter", "watchers", "major_audience"},
    EventKind.REOPENED: {"assignee", "team"},
    EventKind.SLA_WARNING: {"assignee", "team_lead"},
    EventKind.SLA_BREACHED: {"assignee", "team_lead", "managers"},
    EventKind.UPDATE_OVERDUE: {"assignee", "team_lead"},
    EventKind.MAJOR_DECLARED: {"reporter", "watchers", "major_audience"},
    EventKind.MERGED: {"reporter"},
}
# Kinds other apps add (`register_kind`), told always to the same audiences; they have no
# rule a manager edits (a rule's kind is a stored choice of NOTIFIABLE_KINDS).
EXTRA_KINDS: dict[str, set[str]] = {}
EXTRA_LABELS: dict[str, str] = {}
ESSENTIAL = {(EventKind.CREATED, Role.REPORTER), (EventKind.RESOLVED, Role.REPORTER)}
STAFF_ROLES = {Role.ASSIGNEE, Role.TEAM, Role.LEAD, Role.MANAGER}
# A person with several roles is told once, in the first of these.
ROLE_ORDER = [Role.ASSIGNEE, Role.LEAD, Role.MANAGER, Role.TEAM, Role.REPORTER, Role.WATCHER]
ROLE_ORDER += [Role.AFFECTED, Role.SUBSCRIBER]


@dataclass(frozen=True)
class Recipient:
    address: str
    role: str
    staff: bool
    user_id: int | None = None


def register_kind(kind: str, audiences: set[str], label: str = "") -> None:
    """Let another app's event kind notify `audiences` (names of NotificationRule.AUDIENCES);
    its template trio is `template_for(kind)`, `label` names it in lists. Called from the
    app's `ready()`."""
    EXTRA_KINDS[kind] = set(audiences)
    EXTRA_LABELS[kind] = label or kind


def kind_label(event: IncidentEvent) -> str:
    """What an event is called in lists, for registered kinds too."""
    return str(EXTRA_LABELS.get(event.kind) or event.get_kind_display())


def rules_audiences(kinds) -> dict[str, set[str]]:
    """The audiences of each event kind (managers' rules, else the defaults), one query."""
    found = {
        rule.kind: rule.audiences() for rule in NotificationRule.objects.filter(kind__in=kinds)
    }
    return {kind: found.get(kind, set(DEFAULT_RULES.get(kind, ()))) for kind in kinds}


def audiences_for(event: IncidentEvent, rules: dict[str, set[str]] | None = None) -> set[str]:
    """The rule's audiences, narrowed by what the event says (a lowered priority tells
    nobody; an overdue update reminds the assignee first, the team lead at level 2)."""
    if event.kind in EXTRA_KINDS:
        return set(EXTRA_KINDS[event.kind])
    if event.kind not in NOTIFIABLE_KINDS:
        return set()  # work notes and internal bookkeeping never reach anyone
    rules = rules if rules is not None else rules_audiences({event.kind})
    audiences, data = set(rules[event.kind]), event.data or {}
    if event.kind == EventKind.PRIORITY_CHANGED and not data.get("raised"):
        return set()
    if event.kind == EventKind.UPDATE_OVERDUE:
        return audiences & ({"assignee"} if data.get("level", 1) == 1 else {"team_lead"})
    if event.kind == EventKind.MERGED and "into" not in data:
        return set()  # the primary's own merge event; its reporter learns nothing new
    if event.kind == EventKind.COMMENTED and not _public_comment(data.get("comment")):
        return set()
    if event.kind == EventKind.CREATED and not data.get("major"):
        # Declared major later? Its own event tells the subscribers; this one must not,
        # even when it is dispatched after the declaration.
        return audiences - {"major_audience"}
    return audiences


def _public_comment(comment_id) -> bool:
    return bool(comment_id) and Comment.objects.filter(pk=comment_id, public=True).exists()


def _people(event: IncidentEvent, audiences: set[str]):
    """(role, user id) pairs and (role, address) team mailboxes the audiences name."""
    incident, users, mailboxes = event.incident, [], []
    team = incident.team

    def team_contacts():
        if team is None:
            return
        if team.email:
            mailboxes.append((Role.TEAM, team.email))
        else:
            users.extend((Role.TEAM, pk) for pk in team.members.values_list("pk", flat=True))

    if "assignee" in audiences:
        if incident.assignee_id:
            users.append((Role.ASSIGNEE, incident.assignee_id))
        else:
            team_contacts()
    if "team" in audiences:
        team_contacts()
    if "team_lead" in audiences and team is not None and team.lead_id:
        users.append((Role.LEAD, team.lead_id))
    if "managers" in audiences:
        managers = get_user_model().objects.filter(groups__name=MANAGERS)
        users.extend((Role.MANAGER, pk) for pk in managers.values_list("pk", flat=True))
    if "reporter" in audiences and incident.reporter_id:
        users.append((Role.REPORTER, incident.reporter_id))
    if "watchers" in audiences:
        users.extend((Role.WATCHER, pk) for pk in incident.watchers.values_list("pk", flat=True))
    if "major_audience" in audiences and incident.major:
        users.extend(_major_audience(incident))
    return users, mailboxes


def _major_audience(incident):
    users = []
    if incident.service_id:
        subscribers = incident.service.subscribers.values_list("pk", flat=True)
        users.extend((Role.SUBSCRIBER, pk) for pk in subscribers)
    followers = get_user_model().objects.filter(
        Q(watched_incidents__parent=incident) | Q(reported_incidents__parent=incident)
    )
    users.extend((Role.AFFECTED, pk) for pk in followers.values_list("pk", flat=True).distinct())
    return users


def staff_ids(user_ids) -> set[int]:
    """Which of these users work incidents (same test as `can_work_incidents`), in one query."""
    perm = Permission.objects.filter(
        content_type__app_label="incidents", codename="change_incident"
    )
    staff = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
        )
    )
    return set(staff.values_list("pk", flat=True).distinct())


def recipients_for(event: IncidentEvent) -> list[Recipient]:
    """Everyone to e-mail about `event`, each address once, in a fixed number of queries."""
    return recipients_for_events([event])[event.pk]


def recipients_for_events(events: list[IncidentEvent]) -> dict[int, list[Recipient]]:
    """The recipients of each event of a batch. The rules, addresses, staff roles and
    opt-outs of everyone named are read once for the whole batch, so a burst of new
    incidents costs a few queries, not a few per incident."""
    rules = rules_audiences({event.kind for event in events if event.kind in NOTIFIABLE_KINDS})
    named = {}
    for event in events:
        audiences = audiences_for(event, rules)
        named[event.pk] = _people(event, audiences) if audiences else ([], [])
    _keep_confidential_to_viewers(events, named)
    _keep_practice_to_participants(events, named)
    ids = {pk for users, _ in named.values() for _, pk in users}
    people = _people_facts(ids) if ids else ({}, set(), set(), set())
    return {
        event.pk: _choose(event, *named[event.pk], *people) if any(named[event.pk]) else []
        for event in events
    }


def _keep_confidential_to_viewers(events: list[IncidentEvent], named: dict) -> None:
    """Of those named for a confidential incident, keep the people who may see it
    (`incidents.visibility`): its reporter, its assignee, managers and the security team;
    no team mailbox but the security team's own (nobody checked who reads the others).
    One query, only when a batch has one."""
    secret = [event for event in events if any(named[event.pk]) and event.incident.confidential]
    if not secret:
        return
    ids = {pk for event in secret for _, pk in named[event.pk][0]}
    viewers = confidential_viewer_ids(ids)
    for event in secret:
        incident, (users, mailboxes) = event.incident, named[event.pk]
        own = {incident.reporter_id, incident.assignee_id} - {None}
        security = incident.team is not None and incident.team.slug == settings.ITSM_SECURITY_TEAM
        named[event.pk] = (
            [(role, pk) for role, pk in users if pk in own or pk in viewers],
            mailboxes if security else [],
        )


def _keep_practice_to_participants(events: list[IncidentEvent], named: dict) -> None:
    """Of those named for a drill's practice incident, keep the people taking part in the
    drill (`drills.selectors.taking_part`); no team mailbox, no subscriber, nobody else.
    One query, only when a batch has one."""
    practice = [event for event in events if any(named[event.pk]) and event.incident.practice]
    if not practice:
        return
    from drills.selectors import taking_part

    people = taking_part({event.incident_id for event in practice})
    for event in practice:
        allowed = people.get(event.incident_id, set())
        users = [(role, pk) for role, pk in named[event.pk][0] if pk in allowed]
        named[event.pk] = (users, [])


def _people_facts(ids) -> tuple[dict[int, str], set[int], set[int], set[int]]:
    """Addresses, who is staff, who opted out and who wants to hear of their own changes,
    for these user ids (three queries)."""
    emails = dict(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    choices = NotificationPreference.objects.filter(
        Q(receive_updates=False) | Q(own_actions=True), user__in=ids
    ).values_list("user_id", "receive_updates", "own_actions")
    opted_out, own_actions = set(), set()
    for user_id, receive_updates, own in choices:
        if not receive_updates:
            opted_out.add(user_id)
        if own:
            own_actions.add(user_id)
    return emails, staff_ids(ids), opted_out, own_actions


def _own_action_untold(event, role: str, pk, staff: set[int], own_actions) -> bool:
    """Whether `pk` caused `event` and is not told of it: nobody needs an e-mail about what
    they just did, unless they asked for one; an end user still gets the acknowledgement
    of their report (the number to quote)."""
    if pk is None or pk != event.actor_id or pk in own_actions:
        return False
    return not (event.kind == EventKind.CREATED and role == Role.REPORTER and pk not in staff)


def _choose(event, users, mailboxes, emails, staff, opted_out, own_actions) -> list[Recipient]:
    essential = {pk for role, pk in users if role in STAFF_ROLES or (event.kind, role) in ESSENTIAL}
    chosen, seen = [], set()
    pairs = [(role, pk, emails.get(pk)) for role, pk in users]
    pairs += [(role, None, address) for role, address in mailboxes]
    for role, pk, address in sorted(pairs, key=lambda pair: ROLE_ORDER.index(pair[0])):
        if not address or address.lower() in seen or pk in seen:
            continue
        if _own_action_untold(event, role, pk, staff, own_actions):
            continue
        if pk in opted_out and pk not in essential:
            continue
        seen.update({address.lower(), pk} - {None})
        staff_flag = pk is None or pk in staff
        chosen.append(Recipient(address=address, role=role, staff=staff_flag, user_id=pk))
    return chosen
