"""Saving a tracked model so that its history row says who did it and why.

django-simple-history reads `_history_user` and `_change_reason` off the instance when it
writes the row; services run in tasks and commands too, where there is no request for its
middleware to read the user from, so every service sets them. This is the one way to.
"""

import functools

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


def reuse_manager_classes() -> None:
    """Build each history manager class once per process instead of on every access.

    django-simple-history's `HistoryDescriptor.__get__` (behind `Incident.history` and
    behind every history row it writes) calls `Manager.from_queryset()`, which builds a new
    class by walking the queryset's members with `inspect`: about a third of a millisecond
    of CPU per saved incident. The class depends only on the descriptor's manager and
    queryset classes, so one per pair is enough; the manager instance stays per access.
    """
    from simple_history.manager import HistoryDescriptor

    if getattr(HistoryDescriptor, "_itsm_reuses_classes", False):
        return

    @functools.cache
    def manager_class(manager, queryset):
        return manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return manager_class(self.manager_class, self.queryset_class)(self.model, instance)

    HistoryDescriptor.__get__ = __get__
    HistoryDescriptor._itsm_reuses_classes = True
