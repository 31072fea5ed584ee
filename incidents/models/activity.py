"""What happens on an incident: comments, files and the event log."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import Channel, EventKind
from incidents.querysets import AttachmentQuerySet, CommentQuerySet


class Comment(models.Model):
    """A public update (the reporter and watchers see it) or an internal work note."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    public = models.BooleanField(default=False, help_text=_("Public updates reach the reporter."))
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ADMIN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    history = HistoricalRecords()
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        kind = "Public update" if self.public else "Work note"
        return f"{kind} on {self.incident_id} by {self.author}"


def attachment_path(instance, filename: str) -> str:
    """Storage names are generated: nothing the uploader chose reaches the file system."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file on an incident, stored privately and served only by permission-checked views."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="attachments"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    public = models.BooleanField(default=True, help_text=_("Visible to the reporter and watchers."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class IncidentEvent(models.Model):
    """One thing that happened to an incident, written in the same transaction as the change.

    It is the outbox: after commit the event is handed to Celery (`dispatch_event`), whose
    handlers (e-mail, outgoing webhooks) react; `dispatched_at` stays empty until they ran,
    and a periodic sweep re-sends events the broker never got. It also feeds the timeline
    and the SLA ledger. `dedup_key`, when set, makes an event happen at most once (SLA
    warnings), so two sweeps running at once cannot both record it.
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.SYSTEM)
    data = models.JSONField(default=dict, blank=True)
    dedup_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="event_undispatched",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.incident_id}"
