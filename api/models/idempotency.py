"""Idempotency records: a retried create returns the first result."""

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """The `Idempotency-Key` a client sent with a create, and what that create produced.

    The row is inserted in the same transaction as the incident, under a unique constraint
    per user: a concurrent retry waits for the first request and then finds its result, a
    later retry finds it at once. `fingerprint` (a digest of the request body) catches the
    same key reused for a different request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self):
        return f"{self.key} by {self.user_id}"
