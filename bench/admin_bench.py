"""Speed of the responder workspace with 100,000 incidents on PostgreSQL: the incident list
(default, filtered, searched, deep pages), a busy change page and the dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_admin_bench \\
      .venv/bin/python bench/admin_bench.py [--incidents 100000] [--runs 15]

Requests go through Django's test client in-process, so the times are the server's work
(queries, Python, templates) without network or browser. The database named in
DATABASE_URL is created when missing and must be a throwaway one: the synthetic incidents
are added once and reused by later runs.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/itsm_admin_bench"
FIRST_NUMBER = 2_000_000  # synthetic numbers never meet the ones the services draw
OPEN_SHARE = 0.08  # a service desk keeps a few percent of its incidents open
# The list's order (priority, then due time) served from an index instead of a sort of
# every row; `--proposed-index` measures it (created for the run, dropped afterwards).
PROPOSED_INDEX = "bench_incident_priority_due"
PROPOSED_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {PROPOSED_INDEX} "
    "ON incidents_incident (priority, resolution_due, id)"
)


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ.setdefault("ITSM_VAR_DIR", "/tmp/itsm-admin-bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    sys.path.insert(0, str(ROOT))
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def synthetic_incidents(count: int) -> None:
    """Bulk-insert incidents in every state (bypassing the services, which would take an
    hour for 100,000 and are not what is measured here)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from incidents.choices import OPEN_STATUSES, Channel, Priority, Status
    from incidents.defaults import SLA_TARGETS
    from incidents.models import Category, Incident, Service
    from incidents.numbers import format_number

    have = Incident.objects.filter(number__gte=format_number(FIRST_NUMBER)).count()
    if have >= count:
        return
    rng = random.Random(42)
    now = timezone.now()
    services = list(Service.objects.select_related("owner_team"))
    categories = list(Category.objects.filter(parent__isnull=False))
    people = list(User.objects.filter(is_staff=True))
    reporters = list(User.objects.filter(is_staff=False))
    closed = [Status.CLOSED] * 8 + [Status.RESOLVED, Status.CANCELLED]
    batch = []
    for n in range(have, count):
        is_open = rng.random() < OPEN_SHARE
        status = rng.choice(OPEN_STATUSES) if is_open else rng.choice(closed)
        priority = rng.choices(list(Priority), weights=[2, 8, 40, 35, 15])[0]
        response, resolution, _ = SLA_TARGETS[priority]
        age = timedelta(minutes=rng.randint(5, 60 * 24 * (10 if is_open else 720)))
        opened = now - age
        service = rng.choice(services)
        finished = status in (Status.RESOLVED, Status.CLOSED)
        resolved = opened + timedelta(minutes=rng.randint(10, resolution * 2)) if finished else None
        batch.append(
            Incident(
                number=format_number(FIRST_NUMBER + n),
                title=f"Synthetic incident {n} on {service.name}",
                description=f"Generated for the admin benchmark, case {n}.",
                status=status,
                channel=rng.choice(list(Channel)),
                priority=priority,
                major=rng.random() < 0.002,
                service=service,
                category=rng.choice(categories),
                team=service.owner_team,
                assignee=rng.choice(people) if rng.random() < 0.7 else None,
                reporter=rng.choice(reporters),
                opened_at=opened,
                acknowledged_at=None if status == Status.NEW else opened + timedelta(minutes=5),
                resolved_at=resolved,
                closed_at=resolved if status == Status.CLOSED else None,
                response_due=opened + timedelta(minutes=response),
                response_warn_at=opened + timedelta(minutes=response * 0.75),
                resolution_due=opened + timedelta(minutes=resolution),
                resolution_warn_at=opened + timedelta(minutes=resolution * 0.75),
            )
        )
        if len(batch) == 5000:
            Incident.objects.bulk_create(batch)
            batch = []
            print(f"  {n + 1} incidents", flush=True)
    Incident.objects.bulk_create(batch)


def busy_incident():
    """One incident with the life a real one has: 60 history entries and 40 comments."""
    from django.contrib.auth.models import User

    from incidents import services
    from incidents.choices import Channel
    from incidents.models import Incident, Service

    found = Incident.objects.filter(title="Busy incident for the benchmark").first()
    if found:
        return found
    agent, manager = User.objects.get(username="agent"), User.objects.get(username="manager")
    incident = services.incident_create(
        title="Busy incident for the benchmark",
        reporter=User.objects.get(username="alice"),
        via=Channel.PORTAL,
        service=Service.objects.get(slug="vpn"),
    )
    for n in range(40):
        services.incident_comment(
            incident=incident, author=agent, body=f"Update {n}", via=Channel.ADMIN, public=n % 2
        )
        services.incident_update(
            incident=incident, actor=manager, via=Channel.ADMIN, description=f"Revision {n}"
        )
    services.incident_assign(incident=incident, actor=agent, via=Channel.ADMIN, assignee=agent)
    return incident


def measure(client, url: str, runs: int) -> tuple[float, float, float, int]:
    """Median and 90th percentile of the whole request, median time spent in SQL, and
    the number of queries, in milliseconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times, sql = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    times.sort()
    p90 = times[max(int(len(times) * 0.9) - 1, 0)]
    return statistics.median(times), p90, statistics.median(sql), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--proposed-index", action="store_true", help=PROPOSED_INDEX_SQL)
    args = parser.parse_args()
    setup()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from incidents.models import Incident
    from incidents.numbers import format_number

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    synthetic_incidents(args.incidents)
    incident = busy_incident()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {PROPOSED_INDEX}")
        if args.proposed_index:
            cursor.execute(PROPOSED_INDEX_SQL)
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username="agent"))
    changelist = reverse("admin:incidents_incident_changelist")
    scenarios = [
        ("List: open incidents (default)", changelist),
        ("List: all statuses, first page", changelist + "?status=all"),
        ("List: all statuses, page 500", changelist + "?status=all&p=500"),
        ("List: SLA breached", changelist + "?sla=breached"),
        ("List: assigned to me", changelist + "?assignee=mine"),
        ("List: unassigned in my teams", changelist + "?assignee=unassigned&team=mine"),
        (
            "List: search a number",
            f"{changelist}?status=all&q={format_number(FIRST_NUMBER + 51234)}",
        ),
        ("List: search a word, all statuses", changelist + "?status=all&q=payroll"),
        ("Change page (40 comments, 80 history rows)", incident.get_admin_url()),
        ("Dashboard (admin index)", reverse("admin:index")),
    ]
    total = Incident.objects.count()
    open_count = Incident.objects.open().count()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{total} incidents, {open_count} open; {args.runs} runs each")
    print(f"{os.cpu_count()} CPUs, load average {load}; proposed index: {args.proposed_index}\n")
    print("| page | median ms | p90 ms | of which SQL ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for name, url in scenarios:
        median, p90, sql, queries = measure(client, url, args.runs)
        print(f"| {name} | {median:.0f} | {p90:.0f} | {sql:.0f} | {queries} |", flush=True)
    if args.proposed_index:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {PROPOSED_INDEX}")


if __name__ == "__main__":
    main()
