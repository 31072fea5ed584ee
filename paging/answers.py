"""Answering a page: the one-click acknowledge link and the `ack` e-mail reply.

Both end in `page_answer`, which acknowledges the incident as the paged person (or, when
someone already did, records that this person answered), stops every escalation of the
incident, and uses the page's link up. A GET never gets here: mail scanners and chat
unfurlers open links, so the confirmation page asks for a POST.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import services as incident_services
from incidents import workflow
from incidents.choices import OPEN_STATUSES
from incidents.exceptions import DomainError
from incidents.models import Incident
from paging.links import LinkRefused, page_id_from
from paging.models import Page
from paging.services import escalations_stop


@dataclass
class Answer:
    page: Page
    acknowledged: bool  # this answer acknowledged the incident
    message: str


def page_for_token(token: str, viewer=None) -> Page:
    """The page a link names, checked: genuine, not expired, the viewer's own (when someone
    is signed in), not used yet. Raises LinkRefused with the reason otherwise."""
    page = (
        Page.objects.select_related("incident__service", "user")
        .filter(pk=page_id_from(token))
        .first()
    )
    if page is None:
        raise LinkRefused(_("This acknowledge link is not valid."))
    _check_owner(page, viewer)
    if page.link_used_at is not None:
        raise LinkRefused(_used(page))
    return page


def _check_owner(page: Page, viewer) -> None:
    if viewer is not None and viewer.is_authenticated and viewer.pk != page.user_id:
        raise LinkRefused(
            _(
                "This link was sent to %(owner)s; you are signed in as %(viewer)s. "
                "Acknowledge %(number)s in the workspace."
            )
            % {
                "owner": page.user.get_username(),
                "viewer": viewer.get_username(),
                "number": page.incident.number,
            }
        )


def _used(page: Page) -> str:
    when = timezone.localtime(page.link_used_at).strftime("%d %b %Y %H:%M")
    return _("This link was already used on %(when)s: %(number)s needs nothing more from it.") % {
        "when": when,
        "number": page.incident.number,
    }


@transaction.atomic
def page_answer(*, page_id: int, via: str, viewer=None) -> Answer:
    """The paged person answers: acknowledge the incident as them if nobody has, stop all
    paging for it, and use the link up (a second answer is refused)."""
    page = Page.objects.select_for_update(of=("self",)).select_related("user").get(pk=page_id)
    _check_owner(page, viewer)
    if page.link_used_at is not None:
        raise LinkRefused(_used(page))
    page.link_used_at = timezone.now()
    page.save(update_fields=["link_used_at"])
    incident = Incident.objects.select_for_update().get(pk=page.incident_id)
    acknowledged = False
    if workflow.allows("acknowledge", incident.status):
        try:
            incident_services.incident_acknowledge(incident=incident, actor=page.user, via=via)
            acknowledged = True
        except DomainError as exc:
            raise LinkRefused(exc.message) from exc
    escalations_stop(incident_id=incident.pk, reason=f"answered by {page.user.get_username()}")
    return Answer(page=page, acknowledged=acknowledged, message=_outcome(incident, acknowledged))


def _outcome(incident, acknowledged: bool) -> str:
    if acknowledged:
        return _("%(number)s is acknowledged in your name. Paging has stopped.") % {
            "number": incident.number
        }
    if incident.status in OPEN_STATUSES:
        return _(
            "%(number)s was already acknowledged; you are recorded as answering "
            "and paging has stopped."
        ) % {"number": incident.number}
    return _("%(number)s is already %(status)s; nothing to do.") % {
        "number": incident.number,
        "status": str(incident.get_status_display()).lower(),
    }


def reply_acknowledges(body: str) -> bool:
    """Whether a reply's first word is `ack` (any case, any punctuation after it)."""
    words = body.strip().split(None, 1)
    return bool(words) and words[0].strip(".,!:;").lower() == "ack"


def page_for_reply(references: list[str], user) -> Page | None:
    """The page e-mail a reply answers, if it was sent to this user."""
    ids = [ref for ref in references if ref]
    if not ids:
        return None
    return Page.objects.filter(message_id__in=ids, user=user).order_by("-pk").first()
