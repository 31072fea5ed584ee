"""Writes of the API app: issuing and revoking tokens, remembering idempotent creates."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.exceptions import IdempotencyKeyReused
from api.models import ApiToken, IdempotencyKey
from api.models.tokens import new_token, token_digest
from incidents.models import Incident

IDEMPOTENCY_WINDOW = timedelta(hours=24)
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_create(
    *, user, name: str, expires_at=None, instance: ApiToken | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns the saved row and the secret, which exists only
    in this return value (the row keeps a digest). `instance` lets the admin form supply
    the unsaved row it built."""
    secret = new_token()
    token = instance or ApiToken()
    token.user, token.name, token.expires_at = user, name, expires_at
    token.prefix, token.digest = secret[:12], token_digest(secret)
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> bool:
    """Revoke a token for good; returns False when it already was."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute per token, so reads do not all become writes."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def request_fingerprint(data) -> str:
    body = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


@transaction.atomic
def incident_create_once(
    *, user, key: str, fingerprint: str, create: Callable[[], Incident]
) -> tuple[Incident, bool]:
    """Run `create` at most once per (user, key) within the idempotency window. Returns
    the incident and whether it was created now (False: the first result, replayed).

    The key row is inserted before the incident in the same transaction: a concurrent
    retry blocks on the unique index until the first commits, then reads its result."""
    IdempotencyKey.objects.filter(
        user=user, key=key, created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        first = IdempotencyKey.objects.select_related("incident").get(user=user, key=key)
        if first.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                _(
                    "This Idempotency-Key was already used with a different request body. "
                    "Use a new key for a new incident."
                )
            ) from None
        return first.incident, False
    incident = create()
    record.incident = incident
    record.save(update_fields=["incident"])
    return incident, True
