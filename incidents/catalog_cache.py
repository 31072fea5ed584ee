"""Active services, read by every report through the cache (see `incidents.cached`).

The portal's report form and the API's create name a service by id or slug; looking it up
was one query per report for a table that changes a few times a year. Saving or deleting a
service forgets the snapshot. Ids and slugs not in it (unknown or inactive) are left to
the caller's usual lookup, which refuses them with its own message. Each service carries
its owner team (a new incident's team, shown in the API's answer), so saving or deleting a
team forgets the snapshot too.
"""

from dataclasses import dataclass

from incidents.cached import cached, forget
from incidents.models import Service

# Versioned: a deploy that changes what is cached does not read the previous shape.
KEY = "incidents:active-services:v2"


@dataclass(frozen=True)
class ActiveServices:
    by_pk: dict[int, Service]
    by_slug: dict[str, Service]


def active_services() -> ActiveServices:
    def load():
        rows = list(Service.objects.filter(active=True).select_related("owner_team"))
        return ActiveServices({row.pk: row for row in rows}, {row.slug: row for row in rows})

    return cached(KEY, load)


def forget_services(**kwargs) -> None:
    """Connected to saves and deletes of services in `IncidentsConfig.ready`."""
    forget([KEY])
