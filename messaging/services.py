"""Writes of the messaging app: channel message rows and their delivery queue, channels,
contact methods and rules.

`channels_post` is what the event handler and the paging engine call: it records one
message per interested channel (once per event) and publishes its delivery after commit.
Publishing never raises: a message the broker did not take stays PENDING and
`channel_messages_sweep` hands it over again.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.exceptions import DomainError
from incidents.models import Incident, IncidentEvent, Team
from incidents.visibility import redacted_body, redacted_title
from itsm.history import save_with_history
from itsm.leases import expired_before
from itsm.retries import MAX_ATTEMPTS
from messaging.delivery import send_apprise
from messaging.models import (
    ChannelKind,
    ChannelMessage,
    ContactMethod,
    ContactRule,
    MessageStatus,
    TeamChannel,
)

logger = logging.getLogger(__name__)

SWEEP_GRACE = timedelta(minutes=1)  # a PENDING row this far past due lost its task


@transaction.atomic
def channels_post(
    *,
    team: Team,
    incident: Incident,
    kind: str,
    title: str,
    body: str,
    event: IncidentEvent | None = None,
) -> list[int]:
    """Record a message for each active channel of `team` that takes `kind` for the
    incident's priority, and send them after commit. With `event`, a second call for the
    same event records nothing new and sends nothing twice. Returns the rows' ids."""
    if kind not in ChannelKind.values:
        raise DomainError(f"Unknown channel message kind {kind!r}.", field="kind")
    channels = list(TeamChannel.objects.filter(team=team, active=True))
    return channel_messages_create(
        channels=channels, incident=incident, kind=kind, title=title, body=body, event=event
    )


def channel_messages_create(
    *, channels, incident: Incident, kind: str, title: str, body: str, event=None, priority=None
) -> list[int]:
    """`channels_post` for channels already read (the event handler reads every team's
    channels of a batch at once). `priority` defaults to the incident's. A confidential
    incident's title and text are replaced (`incidents.visibility.redacted_title`). A
    practice incident (a drill) is posted to no team channel: only its participants hear of
    it, through their pages."""
    if incident.practice:
        return []
    wanted = [c for c in channels if c.accepts(kind, priority or incident.priority)]
    if not wanted:
        return []
    now = timezone.now()
    title, body = redacted_title(incident, title), redacted_body(incident, body)
    rows = [
        ChannelMessage(
            channel=channel,
            incident=incident,
            event=event,
            kind=kind,
            title=title[:300],
            body=body,
            due_at=now,
        )
        for channel in wanted
    ]
    if event is None:
        ids = [row.pk for row in ChannelMessage.objects.bulk_create(rows)]
        pending = ids
    else:
        ChannelMessage.objects.bulk_create(rows, ignore_conflicts=True)
        mine = ChannelMessage.objects.filter(event=event, channel__in=wanted).order_by("pk")
        ids = list(mine.values_list("pk", flat=True))
        pending = list(mine.filter(status=MessageStatus.PENDING).values_list("pk", flat=True))
    channel_messages_enqueue(pending)
    return ids


def channel_messages_enqueue(message_ids: list[int]) -> None:
    """After commit, publish one send task per message."""
    for message_id in message_ids:
        transaction.on_commit(partial(_publish, message_id), robust=True)


def _publish(message_id: int) -> None:
    from messaging.tasks import send_channel_message

    try:
        send_channel_message.delay(message_id)
    except Exception:  # broker down: kombu raises several types; the sweep retries
        logger.warning("Broker unavailable; channel message %s waits", message_id)


def channel_messages_sweep(*, now=None, limit: int = 1000) -> list[int]:
    """Messages nobody is sending: PENDING past their due time (their task was lost, or
    the broker was down) and SENDING ones whose worker died (lease lapsed; FAILED after
    MAX_ATTEMPTS). Returns their ids, to be published again; the task claims before
    sending, so a message also held by a live retry is still sent once."""
    now = now or timezone.now()
    lapsed = ChannelMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=expired_before(now)
    )
    lapsed.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=MessageStatus.FAILED,
        last_error=f"Delivery was interrupted {MAX_ATTEMPTS} times; gave up.",
    )
    waiting = ChannelMessage.objects.filter(
        status=MessageStatus.PENDING, due_at__lte=now - SWEEP_GRACE
    )
    ids = set(lapsed.values_list("pk", flat=True)[:limit])
    ids |= set(waiting.values_list("pk", flat=True)[:limit])
    return sorted(ids)


@transaction.atomic
def channel_messages_retry(*, message_ids) -> int:
    """Send failed messages again (admin action): reset and enqueue after commit."""
    failed = ChannelMessage.objects.filter(pk__in=message_ids, status=MessageStatus.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(status=MessageStatus.PENDING, attempts=0, due_at=timezone.now(), last_error="")
    channel_messages_enqueue(ids)
    return len(ids)


def team_channel_test(*, channel: TeamChannel, actor) -> None:
    """Send a test message to `channel` now (admin action); raises DeliveryError."""
    send_apprise(
        channel.url,
        title=f"Test message for {channel.team.name}",
        body=f"{actor.get_username()} checked that {channel.name} receives incident messages.",
    )


@transaction.atomic
def team_channel_save(*, channel: TeamChannel, actor, url: str | None = None) -> TeamChannel:
    """Create or change a team channel; `url` None or blank keeps the stored URL."""
    if url:
        channel.url = url
    if not channel.url:
        raise DomainError(_("A channel needs its Apprise URL."), field="url")
    save_with_history(channel, actor=actor)
    return channel


@transaction.atomic
def contact_method_save(*, method: ContactMethod, user, target: str | None = None):
    """Create or change one of `user`'s contact methods; a blank `target` keeps the
    stored one."""
    if method.pk and method.user_id != user.pk:
        raise DomainError(_("This contact method belongs to someone else."))
    method.user = user
    if target:
        method.target = target
    if not method.target:
        raise DomainError(_("Enter the address or Apprise URL."), field="target")
    method.save()
    return method


@transaction.atomic
def contact_rule_save(*, rule: ContactRule, user) -> ContactRule:
    """Create or change one of `user`'s rules, which must use one of their methods."""
    if rule.pk and rule.user_id != user.pk:
        raise DomainError(_("This rule belongs to someone else."))
    if rule.contact_method.user_id != user.pk:
        raise DomainError(_("Choose one of your own contact methods."), field="contact_method")
    rule.user = user
    rule.priorities = sorted(set(rule.priorities or []))
    rule.save()
    return rule
