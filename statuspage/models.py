"""What the public status page keeps of its own: e-mail subscribers, the mails sent to
them, and the daily uptime rollup its bars are drawn from."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    """Someone who asked for status mail, by address only (no account). Mail goes out only
    once `confirmed_at` is set by the signed link of the confirmation mail (double
    opt-in). `token` is the secret of their one-click unsubscribe link."""

    email = models.EmailField(_("e-mail address"), unique=True)
    all_services = models.BooleanField(_("all services"), default=False)
    services = models.ManyToManyField(
        "incidents.Service", blank=True, related_name="status_subscribers"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The language the status page was read in when subscribing: the mails are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("status subscriber")

    def __str__(self):
        return self.email


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class StatusMail(models.Model):
    """One status mail to one subscriber. The unique (key, subscriber) pair makes every
    trigger idempotent: an event handled twice, or a maintenance check run every minute,
    creates each mail once; a send task claims the row (PENDING -> SENDING) first, so a
    task delivered twice sends nothing twice. `context` holds only public text."""

    key = models.CharField(max_length=100)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="mails")
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "subscriber"], name="status_mail_once")
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                condition=models.Q(status="pending"),
                name="status_mail_pending",
            )
        ]

    def __str__(self):
        return f"{self.template} to {self.subscriber_id} ({self.status})"


class DailyUptime(models.Model):
    """Minutes of outage and of degradation (outage excluded) of one service on one day of
    the status page's time zone, from the intervals of its public incidents, merged. The
    page reads 90 rows per service from here and never scans incidents."""

    service = models.ForeignKey(
        "incidents.Service", on_delete=models.CASCADE, related_name="daily_uptime"
    )
    day = models.DateField()
    outage_minutes = models.PositiveIntegerField(default=0)
    degraded_minutes = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "day"]
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="daily_uptime_once")]
        indexes = [models.Index(fields=["day"], name="daily_uptime_day")]

    def __str__(self):
        return f"{self.service_id} {self.day}: {self.outage_minutes}/{self.degraded_minutes}"
