"""The signed-in person's user row from the shared cache instead of a query per request.

Every signed-in page and API call read the session's user with one query, and the person's
language and time zone (`profiles`) with one cache read. `CachedUserMiddleware` (in place
of Django's `AuthenticationMiddleware`) reads both from the cache with one `MGET`. Any save
or delete of a user forgets their entry (now and again after commit), so a person switched
off, made staff or given a new password is read afresh at their next request in every
process. Writes that send no signal (`QuerySet.update`, raw SQL) must call
`user_changed(pk)`, as `itsm.accounts` does, or end the person's sessions.

Only the usual case is served from the cache: a session whose hash matches the cached
row under the current secret. Anything else (no hash, a rotated secret, a changed password,
a backend no longer configured) goes through Django's own `get_user`, which verifies,
rotates or flushes the session as it always does. Only with the shared cache (Redis): with
a per-process one a switched-off account would live on in the other processes, and with
Redis down every request reads the database.
"""

import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from profiles.services import locale_key

logger = logging.getLogger(__name__)

LIFETIME = 3600  # a row changed behind the signals' back is read again within the hour


def _key(user_id) -> str:
    return f"auth:user:v1:{user_id}"


def user_changed(user_id) -> None:
    """Forget the cached row now and once the change is committed (a request in between
    may have cached the row it read before the commit)."""

    def drop():
        try:
            cache.delete(_key(user_id))
        except Exception:  # Redis down: the entry goes with it, or expires in LIFETIME
            logger.warning("Cache unavailable; user %s not forgotten", user_id, exc_info=True)

    drop()
    transaction.on_commit(drop, robust=True)


def _forget(sender, instance, **kwargs) -> None:
    user_changed(instance.pk)


def connect() -> None:
    model = get_user_model()
    post_save.connect(_forget, sender=model, dispatch_uid="user-cache-saved")
    post_delete.connect(_forget, sender=model, dispatch_uid="user-cache-deleted")


def cached_user(request):
    """The session's user (or AnonymousUser), as `django.contrib.auth.get_user` answers."""
    session = request.session
    user_id, backend_path = session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    usual = user_id and session_hash and backend_path in settings.AUTHENTICATION_BACKENDS
    if not usual or not isinstance(caches["default"], RedisCache):
        return auth.get_user(request)
    user_id = get_user_model()._meta.pk.to_python(user_id)
    key = _key(user_id)
    try:
        found = cache.get_many([key, locale_key(user_id)])
    except Exception:  # Redis down: several error types; the database still answers
        logger.warning("Cache unavailable; the user is read from the database", exc_info=True)
        return auth.get_user(request)
    if locale_key(user_id) in found:
        request.prefetched_locale = found[locale_key(user_id)]
    user = found.get(key)
    if user is None:
        user = load_backend(backend_path).get_user(user_id)
        if user is None:
            return auth.get_user(request)  # gone or switched off: Django flushes as usual
        _store(key, user)
    if not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return auth.get_user(request)  # new password or secret: Django decides
    return user


def _store(key: str, user) -> None:
    try:
        cache.set(key, user, LIFETIME)
    except Exception:  # as above: read from the database next time too
        logger.warning("Cache unavailable; the user is not cached", exc_info=True)


class CachedUserMiddleware(AuthenticationMiddleware):
    """Django's `AuthenticationMiddleware`, with `request.user` from `cached_user`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))
