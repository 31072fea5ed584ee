"""Default rules a new installation starts with; managers change them in the admin."""

from django.db import migrations

# The seeded rules have one home, shared with `ensure_defaults`: plain constants, so this
# migration stays independent of the models as they are today.
from incidents.defaults import HOLD_REASONS, PRIORITY_MATRIX, RESOLUTION_CODES, SLA_TARGETS

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
