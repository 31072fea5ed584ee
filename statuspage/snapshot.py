"""The figures every status page shares, taken at most once every STATUS_SECONDS."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from statuspage import cache, selectors


@dataclass
class Snapshot:
    as_of: datetime
    states: list
    incidents: list
    maintenance: selectors.Maintenance
    uptime: dict

    @property
    def rows(self) -> list:
        """(state, uptime) per service, for the template."""
        return [(state, self.uptime[state.service.pk]) for state in self.states]


def _take() -> Snapshot:
    now = timezone.now()
    states = selectors.service_states(now)
    return Snapshot(
        as_of=now,
        states=states,
        incidents=selectors.ongoing_incidents(),
        maintenance=selectors.maintenance_now(now),
        uptime=selectors.uptime_by_service([s.service.pk for s in states], now),
    )


def current() -> Snapshot:
    return cache.remember("snapshot", _take)
