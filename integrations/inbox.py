"""The delivery inbox: how an accepted delivery reaches the single drainer.

The endpoints store each valid delivery as a `Delivery` row and answer at once (Alertmanager
200, events API 202), like PagerDuty's Events API and Grafana OnCall's integration views;
turning deliveries into alerts and incidents is the worker's job
(`integrations.tasks.drain_deliveries`, `integrations.services.deliveries_drain`).

Telling the worker is cheap and never fails a request. After commit the endpoint sets the
"drain scheduled" flag with `cache.add` and publishes one drain task only when the flag was
not set yet, so a burst of deliveries publishes one task (with a shared cache; without one,
each delivery publishes its own). The drain clears the flag *before* it reads, so a delivery
committed during a drain is either read by it or publishes a new task. A broker that is
down leaves the row waiting: the beat sweep (`sweep_deliveries`) kicks the drain for any
delivery waiting longer than a few seconds.

Under a stream of deliveries even the flag is a round trip per request, so a web process
that kicked less than KICK_INTERVAL ago does not kick again; instead every drain that
applied something runs once more TRAILING_SECONDS later. That covers the skipped kicks:
the drain this process kicked (or found scheduled) reads the delivery behind the kick, so
that drain, or an earlier one that read the same delivery, applied something after the
kick and runs again after the skipped delivery was committed (TRAILING_SECONDS is longer
than KICK_INTERVAL). The chain ends with the first drain that finds nothing.

Order matters (a firing then a resolved delivery of one key must be applied in that order),
so one drainer works at a time: each batch takes a transaction-scoped advisory lock on
PostgreSQL (elsewhere a lock in the cache with a TTL). A drainer that cannot get it
re-publishes itself with a short countdown, so the delivery does not wait for the sweep.
"""

import logging
import time
import uuid
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction

from incidents.cached import drop_flag
from incidents.events import shared_cache

logger = logging.getLogger(__name__)
DRAIN_SCHEDULED = "integrations:inbox:drain-scheduled"
DRAIN_FLAG_SECONDS = 60  # a lost flag (worker killed mid-drain) only delays to the sweep
# The project's only advisory lock; the bytes spell "itsminbx".
DRAIN_LOCK_ID = 0x6974736D_696E6278
DRAIN_LOCK_KEY = "integrations:inbox:drain-lock"
DRAIN_LOCK_SECONDS = 120  # a cache lock of a killed drainer lapses after this
KICK_INTERVAL = 0.5  # seconds a web process lets pass between two kicks
TRAILING_SECONDS = 1.0  # must exceed KICK_INTERVAL (see above)
_last_kick = -KICK_INTERVAL  # time.monotonic() of this process's last kick


def kick() -> None:
    """Tell the worker deliveries wait (after commit), unless this process did so moments
    ago (see above). A broker or cache failure is logged and leaves the rows for the sweep:
    the sender already has its answer."""
    global _last_kick
    now = time.monotonic()  # taken before the kick: the trailing drain counts from here
    if throttled() and now - _last_kick < KICK_INTERVAL:
        return
    try:
        schedule_drain()
    except Exception:  # broker or cache down: several error types; the sweep retries later
        forget_drain_flag()
        logger.warning("Broker unavailable; deliveries wait for the sweep", exc_info=True)
        return
    _last_kick = now


def throttled() -> bool:
    """Kicks are spaced and drains trail only with a shared cache and a real worker: inline
    (eager) tasks cannot wait, and without a shared cache every delivery publishes."""
    from integrations.tasks import drain_deliveries

    return shared_cache() and not drain_deliveries.app.conf.task_always_eager


def schedule_trailing_drain() -> None:
    """One more drain after TRAILING_SECONDS, whatever the flag says: it reads what was
    committed behind a kick this process or another skipped."""
    from integrations.tasks import drain_deliveries

    if throttled():
        drain_deliveries.apply_async(countdown=TRAILING_SECONDS)


def schedule_drain(countdown: float | None = None) -> None:
    """Publish one drain task unless one is already scheduled (raises if the broker is
    down). Without a shared cache the flag is per process, so every call publishes."""
    from integrations.tasks import drain_deliveries

    if countdown and drain_deliveries.app.conf.task_always_eager:
        return  # inline tasks cannot wait: a later kick or the sweep drains
    if shared_cache() and not cache.add(DRAIN_SCHEDULED, 1, timeout=DRAIN_FLAG_SECONDS):
        return
    if countdown:
        drain_deliveries.apply_async(countdown=countdown)
    else:
        drain_deliveries.delay()


def forget_drain_flag() -> None:
    drop_flag(DRAIN_SCHEDULED)


@contextmanager
def drain_lock():
    """A transaction holding the inbox: yields whether this drainer got it. The lock lasts
    until the transaction has committed (PostgreSQL releases the advisory lock at commit;
    the cache lock is deleted after it), so the next drainer reads what this one wrote."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [DRAIN_LOCK_ID])
                held = cursor.fetchone()[0]
            yield held
        return
    holder = uuid.uuid4().hex
    held = cache.add(DRAIN_LOCK_KEY, holder, timeout=DRAIN_LOCK_SECONDS)
    try:
        with transaction.atomic():
            yield held
    finally:
        if held and cache.get(DRAIN_LOCK_KEY) == holder:
            cache.delete(DRAIN_LOCK_KEY)
