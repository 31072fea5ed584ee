"""The record of every message the intake has seen."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from email_intake.choices import Outcome


class InboundMessage(models.Model):
    """One received e-mail, kept by Message-ID.

    The unique `message_id` is what makes intake idempotent: a message the mail server
    delivers twice (or two IMAP pollers fetch at once) finds its row already there and
    creates nothing a second time. The row also says what became of the message and why,
    so the service desk can answer "did my e-mail arrive?".
    """

    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0, help_text=_("Bytes as received."))
    status = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField(
        blank=True, help_text=_("Why it was ignored or rejected; files that were refused.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The account the sender was recognised as."),
    )
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "incidents.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Files attached (by name) and why others were refused."),
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")

    def __str__(self):
        return f"{self.sender or 'unknown sender'}: {self.subject or '(no subject)'}"
