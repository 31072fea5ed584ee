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
    incidents_total: int  # all open public incidents (a capped Tally), shown or not
    maintenance: selectors.Maintenance
    uptime: dict

    @property
    def rows(self) -> list:
        """(state, uptime) per service, for the template."""
        return [(state, self.uptime[state.service.pk]) for state in self.states]


def _take() -> Snapshot:
    now = timezone.now()
    states = selectors.service_states(now)
    incidents, incidents_total = selectors.ongoing_incidents()
    return Snapshot(
        as_of=now,
        states=states,
        incidents=incidents,
        incidents_total=incidents_total,
        maintenance=selectors.maintenance_now(now),
        uptime=selectors.uptime_by_service([s.service.pk for s in states], now),
    )


def current() -> Snapshot:
    return cache.remember("snapshot", _take)
