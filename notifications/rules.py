"""The default notification rules, stored so managers can see and change them."""

from notifications.recipients import DEFAULT_RULES


def ensure_default_rules(using: str = "default", **kwargs) -> None:
    """Create a rule for each notifiable kind that has none (after every migrate). Existing
    rules, as managers edited them, are left alone."""
    from notifications.models import NotificationRule

    rules = NotificationRule.objects.using(using)
    existing = set(rules.values_list("kind", flat=True))
    missing = [
        NotificationRule(kind=kind, **dict.fromkeys(audiences, True))
        for kind, audiences in DEFAULT_RULES.items()
        if kind not in existing
    ]
    rules.bulk_create(missing, ignore_conflicts=True)
