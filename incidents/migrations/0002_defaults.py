"""Default rules a new installation starts with; managers change them in the admin."""

from django.db import migrations

PRIORITY_MATRIX = [
    ("high", "high", "P1"), ("high", "medium", "P2"), ("medium", "high", "P2"),
    ("high", "low", "P3"), ("medium", "medium", "P3"), ("low", "high", "P3"),
    ("medium", "low", "P4"), ("low", "medium", "P4"), ("low", "low", "P5"),
]
# priority: response minutes, resolution minutes, public update cadence minutes
SLA_TARGETS = {
    "P1": (15, 240, 30), "P2": (30, 480, 120), "P3": (240, 4320, 1440),
    "P4": (1440, 7200, 2880), "P5": (2880, 14400, 7200),
}
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
]
ROLES = ["Responders", "Incident managers"]


def create_defaults(apps, schema_editor):
    db = schema_editor.connection.alias
    PriorityRule = apps.get_model("incidents", "PriorityRule")
    SLAPolicy = apps.get_model("incidents", "SLAPolicy")
    HoldReason = apps.get_model("incidents", "HoldReason")
    ResolutionCode = apps.get_model("incidents", "ResolutionCode")
    NumberSequence = apps.get_model("incidents", "NumberSequence")
    Group = apps.get_model("auth", "Group")
    for impact, urgency, priority in PRIORITY_MATRIX:
        PriorityRule.objects.using(db).get_or_create(
            impact=impact, urgency=urgency, defaults={"priority": priority})
    for priority, (response, resolution, cadence) in SLA_TARGETS.items():
        SLAPolicy.objects.using(db).get_or_create(priority=priority, defaults={
            "response_minutes": response, "resolution_minutes": resolution,
            "update_interval_minutes": cadence})
    for code, name, pauses in HOLD_REASONS:
        HoldReason.objects.using(db).get_or_create(
            code=code, defaults={"name": name, "pauses_sla": pauses})
    for code, name in RESOLUTION_CODES:
        ResolutionCode.objects.using(db).get_or_create(code=code, defaults={"name": name})
    NumberSequence.objects.using(db).get_or_create(name="incident", defaults={"last_value": 1000})
    for role in ROLES:
        Group.objects.using(db).get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
