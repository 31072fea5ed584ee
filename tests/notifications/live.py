"""Helpers for the end-to-end notification tests (real worker, Redis, SMTP server)."""

import time
from contextlib import contextmanager

from incidents.models import HoldReason, ResolutionCode, SLAPolicy

# Transactional tests flush the migration defaults; these tests recreate what they use.
SLA_DEFAULTS = {"P1": (15, 240, 30), "P3": (240, 4320, 1440)}


def restore_catalogue() -> None:
    ResolutionCode.objects.get_or_create(code="fixed", defaults={"name": "Fixed"})
    HoldReason.objects.get_or_create(
        code="awaiting_user", defaults={"name": "Awaiting user", "pauses_sla": True}
    )
    for priority, (response, resolution, update) in SLA_DEFAULTS.items():
        SLAPolicy.objects.get_or_create(
            priority=priority,
            defaults={
                "response_minutes": response,
                "resolution_minutes": resolution,
                "update_interval_minutes": update,
            },
        )


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def subjects(inbox, address: str) -> list[str]:
    return sorted(m["subject"] for m in inbox.to(address))


def raw_text(message) -> str:
    """Every text part of a received message, decoded, headers included."""
    parts = [str(message["message"])]
    for part in message["message"].walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


@contextmanager
def dead_broker(app, url: str = "redis://127.0.0.1:1/3"):
    """Make every publish of this process go to a port nobody listens on, as if Redis were
    down; the worker keeps consuming from the real broker. Restored on exit."""
    saved = app.conf.broker_write_url

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_write_url = url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url = saved
        reset_pools()
