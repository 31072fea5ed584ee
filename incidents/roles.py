"""The two staff roles. Authority comes from group permissions, never from `is_staff` alone."""

RESPONDERS = "Responders"
MANAGERS = "Incident managers"


def can_work_incidents(user) -> bool:
    """Responders, managers and superusers: see every incident and work it."""
    return bool(user and user.is_active and user.has_perm("incidents.change_incident"))


def is_manager(user) -> bool:
    return bool(user and user.is_active and user.has_perm("incidents.merge_incident"))


def _crud(app_label: str, model: str, actions=("view",)) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


_CONFIG_MODELS = [
    "service",
    "team",
    "category",
    "slapolicy",
    "priorityrule",
    "holdreason",
    "resolutioncode",
    "routingrule",
]
_RESPONDER = [
    *_crud("incidents", "incident", ("view", "add", "change")),
    "incidents.transition_incident",
    *_crud("incidents", "comment", ("view", "add")),
    *_crud("incidents", "attachment", ("view", "add")),
    *[perm for model in _CONFIG_MODELS for perm in _crud("incidents", model)],
]
_MANAGER = [
    *_RESPONDER,
    "incidents.merge_incident",
    *[
        perm
        for model in _CONFIG_MODELS
        for perm in _crud("incidents", model, ("add", "change", "delete"))
    ],
]

# Permissions per role, as "app_label.codename". Apps add theirs with `grant()` in their
# AppConfig.ready(); `sync_role_permissions` (run after every migrate) applies them.
ROLE_PERMISSIONS: dict[str, set[str]] = {RESPONDERS: set(_RESPONDER), MANAGERS: set(_MANAGER)}


def grant(role: str, *permissions: str) -> None:
    ROLE_PERMISSIONS[role].update(permissions)
    if role == RESPONDERS:
        ROLE_PERMISSIONS[MANAGERS].update(permissions)


def sync_role_permissions(*, using: str = "default", **kwargs) -> None:
    """Make sure both groups exist and hold at least their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = Q(pk__in=[])
        for permission in permissions:
            app_label, codename = permission.split(".", 1)
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.using(using).filter(wanted))
