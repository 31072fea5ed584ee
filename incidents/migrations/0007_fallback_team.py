"""The fallback team (ITSM_FALLBACK_TEAM's default, slug service-desk): incidents that no
team, owner team or routing rule claims go there (README "Routing").

Forwards leaves an existing team of that slug alone, and picks another name when a team
already holds "Service desk". The seeded team gets a history row with SEEDED as its reason,
so backwards deletes only a team this migration created and that is still unused: unchanged
since, no members, lead, incidents, services, rules or integrations pointing at it.
"""

from django.db import migrations
from django.utils import timezone

SLUG = "service-desk"
NAME = "Service desk"
SEEDED = "Seeded as the fallback team (migration 0007)"


def _history(apps):
    return apps.get_model("incidents", "HistoricalTeam")


def seed_fallback_team(apps, schema_editor):
    db = schema_editor.connection.alias
    Team = apps.get_model("incidents", "Team")
    if Team.objects.using(db).filter(slug=SLUG).exists():
        return
    taken = Team.objects.using(db).filter(name=NAME).exists()
    team = Team.objects.using(db).create(slug=SLUG, name=f"{NAME} ({SLUG})" if taken else NAME)
    _history(apps).objects.using(db).create(
        id=team.pk,
        slug=team.slug,
        name=team.name,
        email="",
        history_date=timezone.now(),
        history_type="+",
        history_change_reason=SEEDED,
    )


def _in_use(apps, db, team) -> bool:
    if team.members.exists() or team.lead_id:
        return True
    pointing = [
        ("incidents", "Incident", "team"),
        ("incidents", "Service", "owner_team"),
        ("incidents", "RoutingRule", "team"),
        ("integrations", "Integration", "default_team"),
    ]
    for app_label, model_name, field in pointing:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # that app's table is not there at this point of the plan
            continue
        if model.objects.using(db).filter(**{field: team.pk}).exists():
            return True
    return False


def remove_seeded_team(apps, schema_editor):
    db = schema_editor.connection.alias
    Team = apps.get_model("incidents", "Team")
    team = Team.objects.using(db).filter(slug=SLUG).first()
    if team is None:
        return
    history = _history(apps).objects.using(db).filter(id=team.pk)
    ours = list(history.values_list("history_change_reason", flat=True)) == [SEEDED]
    if ours and not _in_use(apps, db, team):
        history.delete()
        team.delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_routing_rules")]

    operations = [migrations.RunPython(seed_fallback_team, remove_seeded_team)]
