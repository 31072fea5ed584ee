"""The incident event outbox and the registry of whoever reacts to events.

Services call `record_event` inside their transaction. After commit the worker is told
there is work (`publish_event`); it drains the outbox in batches (`incidents.tasks`). If the
broker is down the row simply stays undispatched and the periodic sweep
(`incidents.tasks.sweep_event_outbox`) hands it over later. Apps register handlers in their
`AppConfig.ready()`: `register_handler` for a function of one event, `register_batch_handler`
for one that is given a whole batch at once (so it can read and write in bulk). A handler
must be idempotent, because an event can be dispatched twice.

With a cache that every process shares (Redis), a burst of commits tells the worker once:
the first commit sets a flag and publishes one drain task; later commits see the flag and
publish nothing. The drain clears the flag *before* it reads the outbox, so an event
committed while a drain runs is either read by it or publishes a new one: none is left
waiting for the sweep. Without a shared cache each event publishes its own task.

The drain task starts DRAIN_DELAY after the commit that published it. A drain costs the
same fixed work however few events it takes (each handler's reads, about twenty statements,
then one send task and one SMTP connection for their e-mails); started at once under steady
load it would take the three to five events committed while the previous one ran and pay
that cost for each handful. Waiting a fifth of a second lets the commits of that time join
one batch (while the flag is set they publish nothing), and delays an e-mail by as much.
"""

import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.cached import drop_flag
from incidents.models import Incident, IncidentEvent

logger = logging.getLogger(__name__)
EventHandler = Callable[[IncidentEvent], None]
BatchHandler = Callable[[list[IncidentEvent]], None]
_handlers: list[BatchHandler] = []
DRAIN_SCHEDULED = "incidents:outbox:drain-scheduled"
DRAIN_FLAG_SECONDS = 60  # a lost flag (worker killed mid-drain) only delays to the sweep
DRAIN_DELAY = 0.2  # seconds a drain waits for more commits to join its batch


def register_handler(handler: EventHandler) -> None:
    """`handler(event)` runs for every event, one at a time."""
    register_batch_handler(_each(handler))


def register_batch_handler(handler: BatchHandler) -> None:
    """`handler(events)` runs once per dispatched batch, with its events in order."""
    if handler not in _handlers:
        _handlers.append(handler)


class _each:
    """A one-event handler run over a batch (equal when it wraps the same function, so
    registering a handler twice registers it once)."""

    def __init__(self, handler: EventHandler):
        self.handler = handler

    def __call__(self, events: list[IncidentEvent]) -> None:
        for event in events:
            self.handler(event)

    def __eq__(self, other):
        return isinstance(other, _each) and other.handler == self.handler

    def __hash__(self):
        return hash(self.handler)


def handlers() -> list[BatchHandler]:
    return list(_handlers)


def record_event(
    *,
    incident: Incident,
    kind: str,
    actor=None,
    channel: str,
    data: dict | None = None,
    dedup_key: str | None = None,
    at=None,
) -> IncidentEvent | None:
    """Store an event and dispatch it after commit. With `dedup_key`, an event recorded
    before (or concurrently) is not recorded again and None is returned."""
    fields = dict(
        incident=incident,
        kind=kind,
        actor=actor,
        channel=channel,
        data=data or {},
        dedup_key=dedup_key,
        created_at=at or timezone.now(),
    )
    if dedup_key:
        try:
            with transaction.atomic():
                event = IncidentEvent.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        event = IncidentEvent.objects.create(**fields)
    transaction.on_commit(partial(publish_event, event.pk), robust=True)
    return event


def shared_cache() -> bool:
    """Whether every web and worker process sees the same cache (Redis)."""
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def publish_event(event_id: int) -> None:
    """Tell the worker an event waits; a failure leaves it for the outbox sweep."""
    from incidents.tasks import dispatch_event

    try:
        if shared_cache():
            schedule_drain()
        else:
            dispatch_event.delay(event_id)
    except Exception:  # broker or cache down: several error types; the sweep retries later
        cache_forget_drain()
        logger.warning("Broker unavailable; event %s stays in the outbox", event_id, exc_info=True)


def schedule_drain() -> None:
    """Publish one drain task, to start DRAIN_DELAY later, unless one is already scheduled
    (raises if the broker is down; the caller decides). Inline (eager) tasks run at once."""
    from incidents.tasks import dispatch_outbox

    if cache.add(DRAIN_SCHEDULED, 1, timeout=DRAIN_FLAG_SECONDS):
        dispatch_outbox.apply_async(countdown=DRAIN_DELAY)


def cache_forget_drain() -> None:
    drop_flag(DRAIN_SCHEDULED)


def run_handlers(event: IncidentEvent) -> None:
    run_batch_handlers([event])


def run_batch_handlers(events: list[IncidentEvent]) -> None:
    for handler in _handlers:
        handler(events)
