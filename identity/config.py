"""Parsing of the single sign-on settings (README "Single sign-on"), kept free of Django
models so that itsm/settings.py can check the values at start and fail loudly on a typo."""

from django.core.exceptions import ImproperlyConfigured

# The roles a provider group may grant (incidents.roles; repeated here because settings
# cannot import an app module that may grow model imports).
ROLE_NAMES = ("Responders", "Incident managers")


def parse_role_map(name: str, value: str) -> dict[str, str]:
    """`itsm-responders=Responders,itsm-managers=Incident managers` -> {group: role}."""
    mapping: dict[str, str] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        group, sep, role = (piece.strip() for piece in item.partition("="))
        if not sep or not group or role not in ROLE_NAMES:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not `provider-group=role` with a role among "
                f"{', '.join(ROLE_NAMES)}."
            )
        mapping[group] = role
    return mapping
