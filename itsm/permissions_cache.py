"""Permissions read from the shared cache instead of two queries on every request.

Django's `ModelBackend` asks the database for a user's own and their groups' permissions
once per request (two joins over four tables); every admin page and every API call checks
permissions, so that is two statements per request for data that changes when an
administrator edits a role. `CachedPermissionsBackend` (listed before `ModelBackend`, which
still signs people in and finds their sessions' user) keeps both sets in the cache next to a
generation number and reads them with one `MGET`; any change to who has which permission
(a user's groups or permissions, a group's permissions, a group or permission deleted, a
migration) moves the generation on, so the next request of every user in every process
reads them again. The entry also carries `is_superuser` in its key (a superuser has every
permission); `is_active` is checked on the user row itself, which a save forgets from the
user cache (itsm/user_cache.py). Writes that send no signal (`through.objects.bulk_create`,
raw SQL) must call `permissions_changed()`; the entries also expire after `LIFETIME`
seconds. Only with the shared cache (Redis): with a per-process one this backend reads the
database like `ModelBackend`, and with Redis down it does too.
"""

import logging
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

GENERATION = "perms:generation"
LIFETIME = 600


def _key(user) -> str:
    return f"perms:{user.pk}:{int(user.is_superuser)}"


def permissions_changed(**kwargs) -> None:
    """Every cached permission set is stale from now on, and again once the change is
    committed (a request between the two may have cached what it read before the commit)."""
    _next_generation()
    transaction.on_commit(_next_generation)


def _next_generation() -> None:
    try:
        try:
            cache.incr(GENERATION)
        except ValueError:  # not there (evicted, flushed): any new value differs from theirs
            cache.set(GENERATION, _fresh_generation(), timeout=None)
    except Exception:  # Redis down: the entries it holds go with it, or expire in LIFETIME
        logger.warning("Cache unavailable; permission entries not invalidated", exc_info=True)


def _fresh_generation() -> int:
    return time.time_ns()


class CachedPermissionsBackend(ModelBackend):
    """Answers permission questions only; `ModelBackend` after it finds the sets already
    on the user object and asks nothing more."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return None

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        attr = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, attr):
            self._load(user_obj)
        return getattr(user_obj, attr)

    def _load(self, user_obj) -> None:
        """Both sets from one cache read, else from the database (and cached)."""
        if not isinstance(caches["default"], RedisCache):
            # A per-process cache would keep a withdrawn permission alive in the other
            # processes: without a shared cache, every request asks the database.
            self._read(user_obj)
            return
        key = _key(user_obj)
        try:
            found = cache.get_many([GENERATION, key])
        except Exception:  # Redis down: several error types; the database still answers
            logger.warning("Cache unavailable; permissions read from the database", exc_info=True)
            self._read(user_obj)
            return
        generation, entry = found.get(GENERATION), found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            user_obj._user_perm_cache, user_obj._group_perm_cache = entry[1], entry[2]
            return
        user_perms, group_perms = self._read(user_obj)
        try:
            if generation is None:
                generation = _fresh_generation()
                if not cache.add(GENERATION, generation, timeout=None):
                    return  # another process started a generation meanwhile: next time
            cache.set(key, (generation, user_perms, group_perms), timeout=LIFETIME)
        except Exception:  # as above: not cached this time
            logger.warning("Cache unavailable; permissions not cached", exc_info=True)

    def _read(self, user_obj) -> tuple[set, set]:
        return (
            super()._get_permissions(user_obj, None, "user"),
            super()._get_permissions(user_obj, None, "group"),
        )


_WATCHED = {"auth.user_groups", "auth.user_user_permissions", "auth.group_permissions"}


def _through_changed(sender, action, **kwargs) -> None:
    # Matched by label, not class: a data migration's historical models send their own
    # through classes.
    changed = action in ("post_add", "post_remove", "pre_clear", "post_clear")
    if changed and sender._meta.label_lower in _WATCHED:
        permissions_changed()


def connect() -> None:
    m2m_changed.connect(_through_changed, dispatch_uid="perms-through")
    # A deleted user's pk may come back (SQLite reuses the highest one).
    for model in (Group, Permission, get_user_model()):
        post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"perms-del-{model}")
    post_save.connect(permissions_changed, sender=Permission, dispatch_uid="perms-new-permission")
    post_migrate.connect(permissions_changed, dispatch_uid="perms-migrate")
