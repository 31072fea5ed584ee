"""Writes of problems: create, edit, link and unlink incidents, create from a suggestion.

Keyword-only, one transaction each, history user and reason set on every save. Rules that
refuse raise `incidents.exceptions.DomainError`, the one error type every channel maps.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incidents.exceptions import DomainError
from incidents.models import Incident, NumberSequence
from itsm.history import save_with_history
from problems.choices import ProblemStatus
from problems.models import Problem, ProblemLink
from problems.selectors import suggestion_by_key

EDITABLE_FIELDS = (
    "title",
    "description",
    "root_cause",
    "workaround",
    "known_error",
    "status",
    "service",
    "owner",
)


def _next_number() -> str:
    """Problem numbers share the incident counter table under their own row (locked)."""
    return f"PRB{NumberSequence.draw('problem'):07d}"


def _check_known_error(problem: Problem) -> None:
    if problem.known_error and not (problem.workaround.strip() or problem.root_cause.strip()):
        raise DomainError(
            _("Describe the root cause or a workaround before flagging a known error."),
            field="known_error",
        )


@transaction.atomic
def problem_create(*, title: str, actor, incidents=(), **fields) -> Problem:
    """Open a problem record, numbered PRB..., optionally linking incidents to it."""
    if not (title or "").strip():
        raise DomainError(_("A title is required."), field="title")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown problem fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    problem = Problem(number=_next_number(), title=title.strip(), **fields)
    _check_known_error(problem)
    save_with_history(problem, actor=actor, reason="Created")
    if incidents:
        problem_link_incidents(problem=problem, incidents=incidents, actor=actor)
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, actor, **changes) -> Problem:
    """Change a problem's description, cause, workaround, flag or status (with history)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "title" in changes and not (changes["title"] or "").strip():
        raise DomainError(_("A title is required."), field="title")
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    for name, value in changes.items():
        setattr(problem, name, value)
    _check_known_error(problem)
    save_with_history(problem, actor=actor, reason="Updated")
    return problem


def _incident_list(incidents) -> list[Incident]:
    if hasattr(incidents, "model") and incidents.model is Incident:
        # a fresh query: the caller's may carry select_related, which only() refuses
        return list(Incident.objects.filter(pk__in=incidents.values("pk")).only("pk", "number"))
    return list(incidents)


@transaction.atomic
def problem_link_incidents(*, problem: Problem, incidents, actor) -> tuple[list[str], list[str]]:
    """Link incidents to the problem. Returns (numbers linked now, numbers already linked);
    the unique link row makes concurrent or repeated linking harmless."""
    if problem.status == ProblemStatus.CLOSED:
        raise DomainError(
            _("%(number)s is closed: link the incidents to an open problem.")
            % {"number": problem.number}
        )
    linked, already = [], []
    for incident in _incident_list(incidents):
        try:
            with transaction.atomic():
                ProblemLink.objects.create(problem=problem, incident=incident, linked_by=actor)
            linked.append(incident.number)
        except IntegrityError:
            already.append(incident.number)
    if linked:
        reason = f"Linked {', '.join(linked)}"
        save_with_history(problem, actor=actor, reason=reason, fields=["updated_at"])
    return linked, already


@transaction.atomic
def problem_unlink_incident(*, problem: Problem, incident: Incident, actor) -> bool:
    """Remove one incident from the problem; True if it was linked."""
    deleted, _by_model = ProblemLink.objects.filter(problem=problem, incident=incident).delete()
    if deleted:
        reason = f"Unlinked {incident.number}"
        save_with_history(problem, actor=actor, reason=reason, fields=["updated_at"])
    return bool(deleted)


@transaction.atomic
def problem_create_from_suggestion(*, key: str, actor) -> Problem:
    """Turn a recurrence suggestion into a problem linking its incidents."""
    suggestion = suggestion_by_key(key)
    if suggestion is None:
        raise DomainError(
            _(
                "That suggestion no longer applies: its incidents were linked meanwhile or "
                "fell out of the window."
            )
        )
    service = suggestion.incidents[0].service if suggestion.reason == "service" else None
    description = (
        f"{suggestion.count} incidents in the recurrence window share the same "
        f"{suggestion.reason} ({suggestion.label})."
    )
    return problem_create(
        title=suggestion.title[:200],
        actor=actor,
        description=description,
        service=service,
        incidents=suggestion.incidents,
    )
