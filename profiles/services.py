"""Reads and writes of personal preferences, and the locale a person reads in.

Every request asks for (language, zone) of the signed-in person; it is kept in the shared
cache (warmed at sign-in, forgotten when the profile changes) so pages pay no query for it.
E-mails are rendered per recipient inside `reading_as(user)`: Celery tasks have no request.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from profiles.models import UserProfile

CACHE_SECONDS = 24 * 3600
logger = logging.getLogger(__name__)


def locale_key(user_id: int) -> str:
    return f"profiles:locale:{user_id}"


def profile_of(user) -> UserProfile | None:
    """The person's profile, or None when they never saved one."""
    return UserProfile.objects.filter(user=user).first()


def preferred(user) -> tuple[str, str]:
    """(language, time zone) the person chose; "" for each one left to the default."""
    if user is None or not getattr(user, "pk", None):
        return "", ""
    found = _cached(locale_key(user.pk))
    if found is None:
        row = UserProfile.objects.filter(user_id=user.pk).values_list("language", "time_zone")
        found = tuple(row.first() or ("", ""))
        _remember(locale_key(user.pk), found)
    return found[0], found[1]


# The cache only saves a query: while it is unreachable, pages read the row instead.
def _cached(key: str):
    try:
        return cache.get(key)
    except Exception:  # any backend's connection error
        logger.warning("Cache unavailable; reading the profile from the database", exc_info=True)
        return None


def _remember(key: str, value) -> None:
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.debug("Cache unavailable; the profile is not cached", exc_info=True)


def forget(user_id: int) -> None:
    try:
        cache.delete(locale_key(user_id))
    except Exception:
        logger.warning("Cache unavailable; a changed profile may show late", exc_info=True)


def reader_locale(user) -> tuple[str, str]:
    """The language and zone to write to this person in: their choice, else the defaults."""
    return with_defaults(*preferred(user))


def profile_locale(user) -> tuple[str, str]:
    """Like `reader_locale`, from a user fetched with `select_related("profile")` (a batch
    of e-mails pays no query per recipient). No user (an address only): the defaults."""
    profile = getattr(user, "profile", None) if user is not None else None
    if profile is None:
        return with_defaults("", "")
    return with_defaults(profile.language, profile.time_zone)


def with_defaults(language: str, zone: str) -> tuple[str, str]:
    return language or settings.LANGUAGE_CODE, zone or settings.TIME_ZONE


@contextmanager
def reading_in(language: str, zone: str) -> Iterator[None]:
    """Render inside this language and time zone (an e-mail: Celery has no request)."""
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        yield


def reading_as(user):
    """Render inside the person's language and time zone (their choice, else defaults)."""
    return reading_in(*reader_locale(user))


@transaction.atomic
def profile_save(*, user, language: str, time_zone: str) -> UserProfile:
    """Save the person's language and time zone (validated by the caller's form)."""
    profile, _created = UserProfile.objects.get_or_create(user=user)
    profile.language, profile.time_zone = language, time_zone
    profile.full_clean()
    profile.save(update_fields=["language", "time_zone"])
    transaction.on_commit(lambda: forget(user.pk))
    return profile


def profile_remember_language(*, user, language: str) -> None:
    """Keep the browser's language for a person who has not chosen one, so e-mails sent
    later (with no browser to ask) are in it too. Does nothing once a language is set."""
    code = translation.get_supported_language_variant(language) if language else ""
    if not code or preferred(user)[0]:
        return
    profile, _created = UserProfile.objects.get_or_create(user=user)
    if not profile.language:
        UserProfile.objects.filter(pk=profile.pk, language="").update(language=code)
        transaction.on_commit(lambda: forget(user.pk))
