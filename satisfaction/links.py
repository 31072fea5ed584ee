"""The signed rating links of the resolved mail.

A link carries the incident id, the reporter's id and the score it offers, signed with the
project's secret and a salt of its own, and time-stamped: it is the proof of who rates,
so it works without signing in, and it expires after `ITSM_CSAT_LINK_DAYS` days. Opening
it only shows the form (a mail scanner opening every link records nothing).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from incidents.exceptions import DomainError

SALT = "satisfaction.rating-link"


@dataclass(frozen=True)
class LinkClaim:
    """What a valid link says: this person may rate this incident; this score was chosen."""

    incident_id: int
    user_id: int
    score: int


def make_token(*, incident_id: int, user_id: int, score: int) -> str:
    return signing.dumps({"i": incident_id, "u": user_id, "s": score}, salt=SALT)


def rating_url(*, incident_id: int, user_id: int, score: int) -> str:
    """The absolute link that rates `incident_id` with `score` as `user_id`."""
    token = make_token(incident_id=incident_id, user_id=user_id, score=score)
    return f"{settings.SITE_URL}{reverse('satisfaction:rate-link', args=[token])}"


def read_token(token: str) -> LinkClaim:
    """The claim of a link, or a DomainError saying why it cannot be used."""
    max_age = settings.ITSM_CSAT_LINK_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise DomainError(
            _("This rating link has expired. Open the incident in the portal to rate it."),
            code="link_expired",
        ) from None
    except signing.BadSignature:
        raise DomainError(
            _(
                "This rating link is not valid. Copy the whole link from the e-mail, or open "
                "the incident in the portal to rate it."
            ),
            code="link_invalid",
        ) from None
    try:
        return LinkClaim(incident_id=int(data["i"]), user_id=int(data["u"]), score=int(data["s"]))
    except (KeyError, TypeError, ValueError):
        raise DomainError(_("This rating link is not valid."), code="link_invalid") from None
