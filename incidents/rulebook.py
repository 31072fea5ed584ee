"""The priority matrix and the SLA policies, read together through the cache.

Every create and every reclassification reads both; they change a few times a year. One
cached snapshot answers both questions without a query (`incidents.cached`: saving or
deleting a rule or a policy forgets it, whichever door changed it).
"""

from dataclasses import dataclass

from incidents.cached import cached, forget
from incidents.defaults import default_priority
from incidents.models import PriorityRule, SLAPolicy

# Versioned: a deploy that changes what is cached does not read the previous shape.
KEY = "incidents:rulebook:v1"


@dataclass(frozen=True)
class Rulebook:
    matrix: dict[tuple[str, str], str]  # (impact, urgency) -> priority
    policies: dict[str, SLAPolicy]  # priority -> its policy (read only: never saved)


def rulebook() -> Rulebook:
    def load():
        matrix = {(rule.impact, rule.urgency): rule.priority for rule in PriorityRule.objects.all()}
        return Rulebook(matrix, {policy.priority: policy for policy in SLAPolicy.objects.all()})

    return cached(KEY, load)


def priority_for(impact: str, urgency: str) -> str:
    """The matrix's priority for impact x urgency; the shipped default for a missing cell."""
    found = rulebook().matrix.get((impact, urgency))
    if found:
        return found
    return default_priority(impact, urgency)


def policy_for(priority: str) -> SLAPolicy | None:
    return rulebook().policies.get(priority)


def forget_rulebook(**kwargs) -> None:
    """Connected to saves and deletes of rules and policies in `IncidentsConfig.ready`."""
    forget([KEY])
