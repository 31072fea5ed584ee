"""Which team is responsible for a new incident: the one home of that decision.

In order of precedence: the team the caller named ("given": a responder's choice, an
integration's default team), else the service's owner team ("service"), else the first
active routing rule that matches, by position ("rule"), else the fallback team
(ITSM_FALLBACK_TEAM, "fallback"). So no incident is ever created without a team.

The create paths are tuned to a fixed number of queries, so the rules and the fallback
team are read only when neither a team nor an owner team decided, and are kept in the
cache (`incidents.cached`: saving or deleting a rule or a team forgets them). Routing
never fails a creation: a cache that is down means reading the database, a fallback team
that is missing is created (with a warning in the log).
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction

from incidents.cached import cached
from incidents.cached import forget as cached_forget
from incidents.models import RoutingRule, Team

logger = logging.getLogger(__name__)
# Versioned: a deploy that changes what is cached does not read the previous shape.
RULES_KEY = "incidents:routing:v1:rules"
FALLBACK_KEY = "incidents:routing:v1:fallback:"  # + slug
FALLBACK_NAMES = {"service-desk": "Service desk"}


class How:
    """Where the team of a new incident came from (stored in the ROUTED event's data)."""

    GIVEN = "given"
    SERVICE = "service"
    RULE = "rule"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Routing:
    """The decision: the team's id, how it was chosen and, for a rule, the rule's name.
    `team_name` is known for rules and the fallback (the timeline names the team)."""

    team_id: int | None
    how: str
    rule: str = ""
    team_name: str = ""

    @property
    def recorded(self) -> bool:
        """Whether the timeline says how: a choice nobody made explicitly."""
        return self.team_id is not None and self.how in (How.RULE, How.FALLBACK)

    def event_data(self) -> dict:
        return {
            "how": self.how,
            "rule": self.rule,
            "team": self.team_id,
            "team_name": self.team_name,
        }


@dataclass(frozen=True)
class _Rule:
    """A routing rule as cached: plain values, no model instance."""

    name: str
    team_id: int
    team_name: str
    service_id: int | None
    category_id: int | None
    channel: str
    labels: dict = field(default_factory=dict)

    def matches(self, *, service, category, channel: str, labels: dict) -> bool:
        if self.service_id and (service is None or service.pk != self.service_id):
            return False
        if self.category_id and (
            category is None or self.category_id not in (category.pk, category.parent_id)
        ):
            return False  # a rule on a top category also takes its subcategories
        if self.channel and self.channel != channel:
            return False
        return all(labels.get(name) == value for name, value in self.labels.items())


def route(*, team=None, service=None, category=None, channel: str, labels=None) -> Routing:
    """Decide the team of a new incident (see the module docstring for the order)."""
    if team is not None:
        return Routing(team.pk, How.GIVEN)
    if service is not None and service.owner_team_id:
        return Routing(service.owner_team_id, How.SERVICE)
    labels = {str(k): str(v) for k, v in (labels or {}).items()}
    for rule in _rules():
        if rule.matches(service=service, category=category, channel=channel, labels=labels):
            return Routing(rule.team_id, How.RULE, rule.name, rule.team_name)
    team_id, name = fallback_team(create=True) or (None, "")
    return Routing(team_id, How.FALLBACK, "", name)


def describe(data: dict) -> str:
    """The timeline's words for a ROUTED event's data."""
    team = data.get("team_name") or f"team #{data.get('team')}"
    if data.get("how") == How.RULE:
        return f"Routed to {team} by rule {data.get('rule')}"
    if data.get("how") == How.FALLBACK:
        return f"Routed to the fallback team {team} (no owner team, no matching rule)"
    return f"Routed to {team}"


def _rules() -> list[_Rule]:
    def load():
        rows = (
            RoutingRule.objects.filter(active=True)
            .select_related("team")
            .order_by("position", "pk")
        )
        return [
            _Rule(
                rule.name,
                rule.team_id,
                rule.team.name,
                rule.service_id,
                rule.category_id,
                rule.channel,
                dict(rule.labels or {}),
            )
            for rule in rows
        ]

    return cached(RULES_KEY, load)


def fallback_team(*, create: bool = False) -> tuple[int, str] | None:
    """(id, name) of the fallback team. With `create`, a team missing from the database
    (deleted, or the setting names a slug nobody created) is created; without it (the
    dashboard), a missing team is None."""
    slug = settings.ITSM_FALLBACK_TEAM
    found = cached(FALLBACK_KEY + slug, lambda: _fallback_row(slug) or ())
    if found or not create:
        return tuple(found) or None
    return _create_fallback(slug)


def _fallback_row(slug: str) -> tuple[int, str] | None:
    return Team.objects.filter(slug=slug).values_list("pk", "name").first()


def _create_fallback(slug: str) -> tuple[int, str] | None:
    """Create the missing fallback team; another process doing the same at once, or a
    team already holding the name, is no reason to fail the incident."""
    logger.warning("Fallback team %r (ITSM_FALLBACK_TEAM) does not exist; creating it.", slug)
    name = FALLBACK_NAMES.get(slug, slug.replace("-", " ").replace("_", " ").capitalize())
    for candidate in (name, f"{name} ({slug})"):
        team = Team(slug=slug, name=candidate)
        team._change_reason = "Created as the fallback team (ITSM_FALLBACK_TEAM)"
        try:
            with transaction.atomic():
                team.save()
        except IntegrityError:
            found = _fallback_row(slug)
            if found:
                return found
            continue
        return team.pk, team.name  # the save forgot the cached "missing" (see forget)
    logger.error("Cannot create the fallback team %r; the incident has no team.", slug)
    return None


def forget(**kwargs) -> None:
    """Drop the cached rules and fallback team (connected to saves and deletes of rules
    and teams in `IncidentsConfig.ready`)."""
    cached_forget([RULES_KEY, FALLBACK_KEY + settings.ITSM_FALLBACK_TEAM])
