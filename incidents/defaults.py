"""The rules a new installation starts with (managers change them in the admin).

This module is their one home: the data migration 0002 seeds from these constants, the
services fall back on `default_priority` when a matrix cell is missing, and
`ensure_defaults` runs after every `migrate` and every database flush (post_migrate) and
fills in only what is missing: a missing cell of the priority matrix, or a table that is
completely empty. So a manager who deletes one hold reason keeps it deleted, while a
database emptied by `flush` (as transactional tests do) gets working rules back.
"""

from django.db import DEFAULT_DB_ALIAS

PRIORITY_MATRIX = [
    ("high", "high", "P1"), ("high", "medium", "P2"), ("medium", "high", "P2"),
    ("high", "low", "P3"), ("medium", "medium", "P3"), ("low", "high", "P3"),
    ("medium", "low", "P4"), ("low", "medium", "P4"), ("low", "low", "P5"),
]  # fmt: skip
# priority: response minutes, resolution minutes, public update cadence minutes
SLA_TARGETS = {
    "P1": (15, 240, 30), "P2": (30, 480, 120), "P3": (240, 4320, 1440),
    "P4": (1440, 7200, 2880), "P5": (2880, 14400, 7200),
}  # fmt: skip
HOLD_REASONS = [
    ("awaiting_user", "Awaiting the user", True),
    ("awaiting_vendor", "Awaiting a vendor", False),
    ("awaiting_change", "Awaiting a change", False),
]
RESOLUTION_CODES = [
    ("fixed", "Fixed"), ("workaround", "Workaround provided"),
    ("config_change", "Configuration change"), ("hardware_replaced", "Hardware replaced"),
    ("software_patch", "Software patch"), ("user_guidance", "User guidance"),
    ("duplicate", "Duplicate"), ("no_fault_found", "No fault found"),
    ("auto_resolved", "Auto-resolved by monitoring"),
]  # fmt: skip
# Codes only the system sets (monitoring resolving its own alert, a merge closing a
# duplicate): a person choosing them would skew the figures that count them.
SYSTEM_RESOLUTION_CODES = frozenset({"auto_resolved", "duplicate"})

_PRIORITY_BY_LEVELS = {(impact, urgency): priority for impact, urgency, priority in PRIORITY_MATRIX}


def default_priority(impact: str, urgency: str) -> str:
    """The seeded matrix's answer, for a cell a manager deleted (P3 for unknown levels)."""
    return _PRIORITY_BY_LEVELS.get((str(impact), str(urgency)), "P3")


def ensure_defaults(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Create whatever default rule is missing (see the module docstring)."""
    from incidents.models import HoldReason, NumberSequence, PriorityRule, ResolutionCode, SLAPolicy

    for impact, urgency, priority in PRIORITY_MATRIX:
        PriorityRule.objects.using(using).get_or_create(
            impact=impact, urgency=urgency, defaults={"priority": priority}
        )
    if not SLAPolicy.objects.using(using).exists():
        SLAPolicy.objects.using(using).bulk_create(
            SLAPolicy(priority=priority, response_minutes=response, resolution_minutes=resolution,
                      update_interval_minutes=cadence)
            for priority, (response, resolution, cadence) in SLA_TARGETS.items()
        )  # fmt: skip
    if not HoldReason.objects.using(using).exists():
        HoldReason.objects.using(using).bulk_create(
            HoldReason(code=code, name=name, pauses_sla=pauses)
            for code, name, pauses in HOLD_REASONS
        )
    if not ResolutionCode.objects.using(using).exists():
        ResolutionCode.objects.using(using).bulk_create(
            ResolutionCode(code=code, name=name) for code, name in RESOLUTION_CODES
        )
    NumberSequence.objects.using(using).get_or_create(
        name="incident", defaults={"last_value": 1000}
    )
