"""Active services, read by every report, and the hold reasons and resolution codes the
incident page names, through the cache (see `incidents.cached`).

The portal's report form and the API's create name a service by id or slug; looking it up
was one query per report for a table that changes a few times a year. Saving or deleting a
service forgets the snapshot. Ids and slugs not in it (unknown or inactive) are left to
the caller's usual lookup, which refuses them with its own message. Each service carries
its owner team (a new incident's team, shown in the API's answer), so saving or deleting a
team forgets the snapshot too.

The incident page showed a held or resolved incident's reason or code with one query
each; those tables change even less. Saving or deleting a reason or a code forgets them.
"""

from dataclasses import dataclass

from incidents import rulebook
from incidents.cached import cached, forget, prefetch
from incidents.models import HoldReason, Incident, ResolutionCode, Service

# Versioned: a deploy that changes what is cached does not read the previous shape.
KEY = "incidents:active-services:v2"
CODES_KEY = "incidents:hold-and-resolution-codes:v1"


@dataclass(frozen=True)
class ActiveServices:
    by_pk: dict[int, Service]
    by_slug: dict[str, Service]


def active_services() -> ActiveServices:
    def load():
        rows = list(Service.objects.filter(active=True).select_related("owner_team"))
        return ActiveServices({row.pk: row for row in rows}, {row.slug: row for row in rows})

    return cached(KEY, load)


def prefetch_for_create() -> None:
    """Every create reads the active services (the service named) and the rulebook
    (priority and SLA policy): one round trip to the cache for both."""
    prefetch([KEY, rulebook.KEY])


def forget_services(**kwargs) -> None:
    """Connected to saves and deletes of services in `IncidentsConfig.ready`."""
    forget([KEY])


@dataclass(frozen=True)
class Codes:
    hold_reasons: dict[int, HoldReason]  # every one, in use or not: old incidents keep theirs
    resolution_codes: dict[int, ResolutionCode]


def codes() -> Codes:
    def load():
        return Codes(
            {row.pk: row for row in HoldReason.objects.all()},
            {row.pk: row for row in ResolutionCode.objects.all()},
        )

    return cached(CODES_KEY, load)


def hold_codes_from_cache(incident: Incident) -> None:
    """Give `incident` its hold reason and resolution code from the cache, when it has
    them, so showing them reads nothing; one missing from the cache is read as usual."""
    if not (incident.hold_reason_id or incident.resolution_code_id):
        return
    found = codes()
    for name, rows in (
        ("hold_reason", found.hold_reasons),
        ("resolution_code", found.resolution_codes),
    ):
        field = Incident._meta.get_field(name)
        row = rows.get(getattr(incident, field.attname))
        if row is not None:
            field.set_cached_value(incident, row)


def forget_codes(**kwargs) -> None:
    """Connected to saves and deletes of hold reasons and resolution codes in
    `IncidentsConfig.ready`."""
    forget([CODES_KEY])
