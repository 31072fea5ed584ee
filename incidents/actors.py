"""Users that act when no person does: the system (Celery, beat) is recorded by name in
history rather than as an anonymous change."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "system"


def system_user():
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "is_active": False},
    )
    return user
