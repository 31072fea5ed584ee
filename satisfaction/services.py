"""Writes of satisfaction: recording a reporter's rating.

`rating_record` is the one way a rating is given or changed, from every door (the signed
link of the resolved mail, the portal). A low rating records a `csat_low` incident event in
the same transaction; after commit the notifications app e-mails the team lead (its
recipients registry gives this kind the `team_lead` audience), once per rating.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import Channel, Status
from incidents.events import record_event
from incidents.exceptions import DomainError, NotPermitted
from incidents.models import Incident
from incidents.visibility import may_confirm
from itsm.history import save_with_history
from satisfaction.links import read_token
from satisfaction.models import Rating

LOW_RATING_KIND = "csat_low"
RATEABLE = (Status.RESOLVED, Status.CLOSED)
COMMENT_MAX = 4000


def _rater(incident: Incident, user_or_token):
    """The reporter, proved by a signed link or by being signed in as them."""
    if isinstance(user_or_token, str):
        claim = read_token(user_or_token)
        if claim.incident_id != incident.pk:
            raise DomainError(_("This rating link belongs to another incident."))
        user = get_user_model().objects.filter(pk=claim.user_id, is_active=True).first()
    else:
        user = user_or_token
    if user is None or not may_confirm(user, incident):
        raise NotPermitted(_("Only the person who reported this incident can rate it."))
    return user


def check_rateable(incident: Incident, existing: Rating | None) -> None:
    """Rated once resolved; changed while it stays resolved; final once closed."""
    if incident.status not in RATEABLE:
        raise DomainError(
            _("You can rate an incident once it is resolved. This one is %(status)s.")
            % {"status": incident.get_status_display().lower()},
            code="not_resolved",
        )
    if existing is not None and incident.status == Status.CLOSED:
        raise DomainError(
            _("This incident is closed: its rating can no longer be changed."), code="final"
        )


def _clean(score, comment: str) -> tuple[int, str]:
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Choose a score from 1 to 5."), field="score")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX},
            field="comment",
        )
    return score, comment


@transaction.atomic
def rating_record(
    *, incident: Incident, user_or_token, score, comment: str = "", via: str = Channel.PORTAL
) -> Rating:
    """Record (or change) the reporter's rating of `incident`. `user_or_token` is the
    signed-in user or the token of a rating link. Refuses anyone but the reporter, an
    incident not yet resolved, and a change once it is closed. A score at or under
    `ITSM_CSAT_LOW_SCORE` records a `csat_low` event (once per rating), which e-mails
    the team lead after commit."""
    score, comment = _clean(score, comment)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    user = _rater(incident, user_or_token)
    existing = Rating.objects.select_for_update().filter(incident=incident).first()
    check_rateable(incident, existing)
    now = timezone.now()
    rating = existing or Rating(incident=incident, created_at=now)
    rating.reporter, rating.score, rating.comment, rating.updated_at = user, score, comment, now
    save_with_history(
        rating, actor=user, reason=_("Rated via %(channel)s") % {"channel": Channel(via).label}
    )
    if score <= settings.ITSM_CSAT_LOW_SCORE:
        record_event(
            incident=incident,
            kind=LOW_RATING_KIND,
            actor=user,
            channel=via,
            data={"score": score, "rating": rating.pk},
            dedup_key=f"csat-low:{rating.pk}",
        )
    return rating
