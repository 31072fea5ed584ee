"""Bulk-seed the load benchmark's database with N incidents of a chosen shape.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_loadbench \\
      .venv/bin/python bench/seed.py --incidents 100000 --open-fraction 0.5 --reset

Shapes: `--open-fraction 0.5` is the peer comparison's ("half open": a backlog of 50,000 open
incidents, most of them long past their SLA); `0.05` is a realistic service desk. Open
incidents keep the mix new 15 : acknowledged 10 : in progress 20 : on hold 5, the others are
resolved and closed 1 : 1. Incidents are opened over the last `--days` days, ~70 % assigned,
0.2 % major, spread over the demo catalogue's five services, with `--comments` comments each
(the reporter's public update first, then responder notes and updates).

The catalogue is the product's own demo data (seed_demo: users admin, manager, agent (a
responder), alice and bob, three teams, five services including "vpn", categories), plus six
more responders and 200 end users who report the incidents. Rows are bulk-inserted (the
incident services would take an hour for 100,000) with every column the services fill:
number (pk k has number INC%07d k after --reset), priority from the priority matrix, team,
SLA due and warning times, transition times, hold reason, resolution; plus one history row
per incident and per comment and one dispatched "created" event per incident. The database
is created and migrated when missing. 100,000 incidents take about 3-4 minutes.
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness  # noqa: E402
from incidents.numbers import format_number  # noqa: E402

# fmt: off
WORDS = [
    "printer", "vpn", "email", "outlook", "laptop", "password", "reset", "access", "share",
    "drive", "network", "slow", "crash", "error", "login", "account", "licence", "install",
    "update", "monitor", "keyboard", "phone", "wifi", "server", "backup", "restore", "database",
    "report", "invoice", "timeout", "certificate", "expired", "disk", "full", "permission",
    "sync",
]
# fmt: on
OPEN_MIX = ["new"] * 15 + ["acknowledged"] * 10 + ["in_progress"] * 20 + ["on_hold"] * 5
DONE_MIX = ["resolved", "closed"]
CHANNELS = ["portal"] * 5 + ["email"] * 2 + ["api", "monitoring", "phone"]
LEVELS = ["high", "medium", "medium", "low"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def catalogue() -> dict:
    """Demo users, teams, services and categories; extra responders and end users."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from incidents.management.commands.seed_demo import DEFAULT_PASSWORD
    from incidents.management.commands.seed_demo import Command as SeedDemo
    from incidents.models import (
        Category,
        HoldReason,
        PriorityRule,
        ResolutionCode,
        Service,
        SLAPolicy,
    )
    from incidents.roles import RESPONDERS

    User = get_user_model()
    demo = SeedDemo()
    users = demo._users(DEFAULT_PASSWORD)
    teams = demo._teams(users)
    demo._services(teams)
    demo._categories()
    responders = [users["agent"]]
    for i in range(6):
        user, created = User.objects.get_or_create(
            username=f"agent{i}",
            defaults={"email": f"agent{i}@example.com", "is_staff": True, "password": "!"},
        )
        user.groups.add(Group.objects.get(name=RESPONDERS))
        for team in teams.values():
            team.members.add(user)
        responders.append(user)
    have = set(User.objects.filter(username__startswith="user").values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=f"user{i:04d}", email=f"user{i:04d}@example.org", password="!")
        for i in range(1, 201)
        if f"user{i:04d}" not in have
    )
    reporters = [*User.objects.filter(username__startswith="user"), users["alice"], users["bob"]]
    return {
        "responders": responders,
        "reporters": reporters,
        "services": list(Service.objects.select_related("owner_team").order_by("id")),
        "categories": list(Category.objects.filter(parent__isnull=False).order_by("id")),
        "policies": {p.priority: p for p in SLAPolicy.objects.all()},
        "matrix": {(r.impact, r.urgency): r.priority for r in PriorityRule.objects.all()},
        "holds": list(HoldReason.objects.filter(active=True).order_by("id")),
        "codes": list(ResolutionCode.objects.filter(active=True).order_by("id")),
    }


def build_incident(rng, cat, number: int, status: str, now, days: int):
    """One unsaved Incident in `status`, its clocks as the services would have set them."""
    from incidents import sla
    from incidents.defaults import default_priority
    from incidents.models import Incident

    impact, urgency = rng.choice(LEVELS), rng.choice(LEVELS)
    priority = cat["matrix"].get((impact, urgency)) or default_priority(impact, urgency)
    service = rng.choice(cat["services"])
    opened = now - timedelta(seconds=rng.randint(0, days * 86400))
    assigned = (status != "new" and rng.random() < 0.8) or rng.random() < 0.2
    incident = Incident(
        number=format_number(number),
        title=sentence(rng, 3, 8).capitalize(),
        description=sentence(rng, 20, 80),
        status=status,
        channel=rng.choice(CHANNELS),
        impact=impact,
        urgency=urgency,
        priority=priority,
        major=rng.random() < 0.002,
        service=service,
        category=rng.choice(cat["categories"]),
        team=service.owner_team,
        assignee=rng.choice(cat["responders"]) if assigned else None,
        reporter=rng.choice(cat["reporters"]),
        opened_at=opened,
    )
    policy = cat["policies"].get(priority)
    sla.apply_policy(incident, policy)
    if status != "new":
        incident.acknowledged_at = opened + timedelta(minutes=rng.randint(1, 120))
    if status == "on_hold" and cat["holds"]:
        incident.hold_reason = rng.choice(cat["holds"])
        if incident.hold_reason.pauses_sla:
            incident.sla_paused_at = incident.acknowledged_at + timedelta(minutes=30)
    if status in DONE_MIX:
        incident.resolved_at = opened + timedelta(minutes=rng.randint(10, 10 * 24 * 60))
        incident.resolution_code = rng.choice(cat["codes"]) if cat["codes"] else None
        incident.resolution_notes = sentence(rng, 5, 20)
        if status == "closed":
            incident.closed_at = incident.resolved_at + timedelta(days=3)
    last = incident.closed_at or incident.resolved_at or incident.acknowledged_at or opened
    sla.schedule_next_update(incident, policy, last)
    incident.version = 1 + (status != "new") + 2 * (status in DONE_MIX) + (status == "on_hold")
    incident.updated_at = min(last + timedelta(minutes=10), now)
    return incident


def insert(incidents: list, rng, cat, comments: int, dispatched: bool = True) -> list:
    """Bulk-insert `incidents` with their history rows, one "created" event each (marked
    dispatched unless `dispatched` is False) and `comments` comments each. Returns the
    events."""
    from django.db import transaction

    from incidents.models import Comment, Incident, IncidentEvent

    hist_incident, hist_comment = Incident.history.model, Comment.history.model
    fields = [f.attname for f in Incident._meta.concrete_fields]
    with transaction.atomic():
        incidents = Incident.objects.bulk_create(incidents)
        history, events, notes = [], [], []
        for inc in incidents:
            row = hist_incident(
                history_date=inc.opened_at,
                history_type="+",
                history_user_id=inc.reporter_id,
                history_change_reason=f"Created via {inc.get_channel_display()}",
            )
            for name in fields:
                setattr(row, name, getattr(inc, name))
            history.append(row)
            events.append(
                IncidentEvent(
                    incident=inc,
                    kind="created",
                    actor_id=inc.reporter_id,
                    channel=inc.channel,
                    data={"priority": inc.priority, "major": inc.major},
                    created_at=inc.opened_at,
                    dispatched_at=inc.opened_at if dispatched else None,
                )
            )
            for j in range(comments):
                author = inc.reporter if j == 0 else inc.assignee or rng.choice(cat["responders"])
                notes.append(
                    Comment(
                        incident=inc,
                        author=author,
                        body=sentence(rng, 5, 40),
                        public=j == 0 or rng.random() < 0.5,
                        channel="portal" if j == 0 else "admin",
                        created_at=inc.opened_at + timedelta(minutes=5 * (j + 1)),
                    )
                )
        hist_incident.objects.bulk_create(history, batch_size=5000)
        events = IncidentEvent.objects.bulk_create(events, batch_size=5000)
        notes = Comment.objects.bulk_create(notes, batch_size=5000)
        hist_comment.objects.bulk_create(
            [
                hist_comment(
                    id=c.id,
                    incident_id=c.incident_id,
                    author_id=c.author_id,
                    body=c.body,
                    public=c.public,
                    channel=c.channel,
                    created_at=c.created_at,
                    history_date=c.created_at,
                    history_type="+",
                    history_user_id=c.author_id,
                )
                for c in notes
            ],
            batch_size=5000,
        )
    return events


def next_numbers(count: int) -> range:
    """Reserve `count` incident numbers after both the highest pk and the sequence."""
    from django.db import transaction

    from incidents.models import Incident, NumberSequence

    with transaction.atomic():
        seq, _ = NumberSequence.objects.select_for_update().get_or_create(name="incident")
        last = max(seq.last_value, Incident.objects.order_by("-pk").values_list("pk", flat=True)
                   .first() or 0)  # fmt: skip
        seq.last_value = last + count
        seq.save(update_fields=["last_value"])
    return range(last + 1, last + count + 1)


def keep_timestamps() -> None:
    """Bulk-inserted rows keep the historical times given to them."""
    from incidents.models import Comment, Incident

    Incident._meta.get_field("updated_at").auto_now = False
    Comment._meta.get_field("created_at").auto_now_add = False


def reset() -> None:
    from django.db import connection

    from incidents.models import NumberSequence

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE incidents_incident, incidents_historicalincident, "
            "incidents_historicalcomment, bench_floor_row RESTART IDENTITY CASCADE"
        )
    NumberSequence.objects.filter(name="incident").update(last_value=0)


def seed(total: int, open_fraction: float, comments: int, days: int, seed_value: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from incidents.models import Comment, Incident

    keep_timestamps()
    cat = catalogue()
    have = Incident.objects.count()
    rng = random.Random(seed_value + have)
    now, started, made = timezone.now(), time.monotonic(), 0
    while have + made < total:
        count = min(5000, total - have - made)
        batch = []
        for number in next_numbers(count):
            mix = OPEN_MIX if rng.random() < open_fraction else DONE_MIX
            batch.append(build_incident(rng, cat, number, rng.choice(mix), now, days))
        insert(batch, rng, cat, comments)
        made += count
        print(f"  {have + made:>7} incidents  {time.monotonic() - started:6.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "incidents": Incident.objects.count(),
        "open": Incident.objects.open().count(),
        "comments": Comment.objects.count(),
        "seconds": round(time.monotonic() - started, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000, help="top up to this many")
    parser.add_argument("--open-fraction", type=float, default=0.5)
    parser.add_argument("--comments", type=int, default=2, help="per incident")
    parser.add_argument("--days", type=int, default=365, help="opened over this many days")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--reset", action="store_true", help="empty the incident tables first")
    args = parser.parse_args()
    if not 0 <= args.open_fraction <= 1:
        parser.error("--open-fraction must be between 0 and 1")
    harness.setup_environment()
    harness.django_setup()
    if args.reset:
        reset()
    result = seed(args.incidents, args.open_fraction, args.comments, args.days, args.seed)
    print(
        f"done: {result['incidents']} incidents ({result['open']} open), "
        f"{result['comments']} comments in {result['seconds']} s"
    )


if __name__ == "__main__":
    main()
