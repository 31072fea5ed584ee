"""Deactivating an account ends its sessions and revokes its API tokens, whichever way it
is deactivated (the admin's user page, a script, the shell).

An inactive user's session and tokens are already refused at every request (the auth
backend and `ApiToken.objects.usable()` check `is_active`), but they would work again the
moment the account is reactivated: someone who left and comes back must sign in again and
get new tokens. Django's User model is not ours and is edited by Django's own admin, so
this is wired to the model's save signals rather than to a service the admin would bypass.
`QuerySet.update(is_active=False)` sends no signal: call `account_sessions_end` after it.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

logger = logging.getLogger(__name__)


def account_sessions_end(user) -> tuple[int, int]:
    """Delete every session of `user` and revoke their API tokens; returns how many of
    each. Sessions are found by decoding the unexpired ones (the database session store
    keeps no user column), which is fine for an occasional administrative act."""
    from django.contrib.sessions.models import Session

    from api.models import ApiToken

    now = timezone.now()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    # Through the session engine: the cached_db engine also drops its cached copy, which
    # would otherwise sign the person in again once the account is reactivated.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in theirs:
        store(session_key=key).delete()
    return len(theirs), tokens


def _remember_deactivation(sender, instance, **kwargs) -> None:
    instance._itsm_deactivated = bool(
        instance.pk
        and not instance.is_active
        and sender.objects.filter(pk=instance.pk, is_active=True).exists()
    )


def _end_access_of_deactivated(sender, instance, created, **kwargs) -> None:
    if getattr(instance, "_itsm_deactivated", False):
        instance._itsm_deactivated = False
        sessions, tokens = account_sessions_end(instance)
        logger.info(
            "Deactivated %s: ended %d sessions, revoked %d API tokens.",
            instance.get_username(),
            sessions,
            tokens,
        )


def connect() -> None:
    """Called once at start-up (itsm.apps)."""
    user_model = get_user_model()
    pre_save.connect(_remember_deactivation, sender=user_model, dispatch_uid="itsm-deactivate")
    post_save.connect(
        _end_access_of_deactivated, sender=user_model, dispatch_uid="itsm-deactivated"
    )
