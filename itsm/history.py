"""Saving a tracked model so that its history row says who did it and why.

django-simple-history reads `_history_user` and `_change_reason` off the instance when it
writes the row; services run in tasks and commands too, where there is no request for its
middleware to read the user from, so every service sets them. This is the one way to.
"""

from django.db.models import Model


def stamp(instance: Model, *, actor, reason: str | None = None) -> Model:
    """Make the next history row of `instance` (a save or a delete) name `actor` and
    `reason`; returns the instance."""
    instance._history_user = actor
    if reason is not None:
        instance._change_reason = reason
    return instance


def save_with_history(
    instance: Model, *, actor, reason: str | None = None, fields: list[str] | None = None
) -> None:
    """Save `instance` (only `fields`, when given) with a history row naming `actor` and
    `reason`."""
    stamp(instance, actor=actor, reason=reason).save(update_fields=fields)
