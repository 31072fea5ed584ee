"""Who acts: the name people see for a user, and the user that acts when no person does
(the system, Celery, beat), recorded by name in history rather than as an anonymous change."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "system"


def system_user():
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "is_active": False},
    )
    return user


def user_label(user, *, nobody: str = "") -> str:
    """The name people see for `user`: the full name, else the username; `nobody` when
    there is no user (a deleted account, or the system in old history)."""
    return (user.get_full_name() or user.get_username()) if user else nobody
