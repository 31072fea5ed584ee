"""A reporter's rating of how their incident was handled."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SCORES = [
    (1, _("1 – Very dissatisfied")),
    (2, _("2 – Dissatisfied")),
    (3, _("3 – Neither satisfied nor dissatisfied")),
    (4, _("4 – Satisfied")),
    (5, _("5 – Very satisfied")),
]
SATISFIED = (4, 5)  # the scores that count as "satisfied" in every figure


class Rating(models.Model):
    """One rating per incident, given by its reporter once it is resolved (score 1 to 5
    and an optional comment). The reporter may change it while the incident stays
    resolved; once closed it is final. Every change is kept in history."""

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="rating"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="satisfaction_ratings",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), choices=SCORES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), db_index=True)
    updated_at = models.DateTimeField(_("changed at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.score}/5 on {self.incident_id}"

    @property
    def satisfied(self) -> bool:
        return self.score in SATISFIED
