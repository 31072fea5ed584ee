"""One person clicking through the product, timed page by page, in-process.

    DATABASE_URL=sqlite:///var/itsm.sqlite3 .venv/bin/python bench/click_through.py
    DATABASE_URL=postgres://postgres@127.0.0.1/itsm_bench .venv/bin/python bench/click_through.py

Signs in as an end user ("alice") and a responder ("agent") of a seeded database and
requests each page a person waits for, `--rounds` times in turn (default 20), printing the
median milliseconds per page: wall clock, and CPU (this process's, plus on PostgreSQL the
server process's that answered it, from /proc: on a shared machine the CPU figures move
less than the wall clock). Run it against the embedded SQLite database and against
PostgreSQL with the same data to compare them (the embedded default should stay within
2x). Reports created on the way are rolled back.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from incidents.models import Incident, Service  # noqa: E402
from statuspage.cache import forget_local  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def clients():
    users = get_user_model().objects.in_bulk(["alice", "agent"], field_name="username")
    made = {}
    for name, user in users.items():
        made[name] = Client()
        made[name].force_login(user, BACKEND)
    return made


def pages():
    service = Service.objects.filter(active=True).order_by("pk").first()
    pk, number = Incident.objects.order_by("-pk").values_list("pk", "number").first()
    report = {"title": "Printer jammed", "service": service.pk, "impact": "medium",
              "urgency": "medium", "confirm_new": "True"}  # fmt: skip
    return [
        ("portal home", "alice", "get", "/portal/", None),
        ("report form", "alice", "get", "/portal/report/", None),
        ("report (POST)", "alice", "post", "/portal/report/", report),
        ("status page", None, "get", "/status/", None),
        ("dashboard", "agent", "get", "/admin/", None),
        ("incident list", "agent", "get", "/admin/incidents/incident/", None),
        ("change page", "agent", "get", f"/admin/incidents/incident/{pk}/change/", None),
        ("API list", "agent", "get", "/api/v1/incidents/", None),
        ("API detail", "agent", "get", f"/api/v1/incidents/{number}/", None),
    ]


def database_pid() -> int | None:
    """The PostgreSQL server process of this connection (on this machine), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def cpu_ms(server_pid: int | None) -> float:
    """CPU time so far of this process and, when given, of the database server process."""
    used = time.process_time() * 1000
    if server_pid:  # the first field of schedstat: nanoseconds on a CPU
        used += int(Path(f"/proc/{server_pid}/schedstat").read_text().split()[0]) / 1e6
    return used


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    signed_in, anonymous = clients(), Client()
    timings = {title: [] for title, *_ in pages()}
    cpu = {title: [] for title in timings}
    server_pid = database_pid()
    for _ in range(args.rounds):
        for title, user, method, path, data in pages():
            client = signed_in[user] if user else anonymous
            cache.clear()  # every page computed, as on the first visit after a change
            forget_local()  # and the status page's copy kept in this process
            with transaction.atomic():
                started, used = time.perf_counter(), cpu_ms(server_pid)
                response = getattr(client, method)(path, data or {})
                timings[title].append((time.perf_counter() - started) * 1000)
                cpu[title].append(cpu_ms(server_pid) - used)
                transaction.set_rollback(True)
            assert response.status_code in (200, 302), (title, response.status_code)
    print(f"{connection.vendor}, {Incident.objects.count():,} incidents, {args.rounds} rounds")
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("| page | median ms | median CPU ms |\n|---|---:|---:|")
    for title, values in timings.items():
        wall, used = statistics.median(values), statistics.median(cpu[title])
        print(f"| {title} | {wall:.1f} | {used:.1f} |")


if __name__ == "__main__":
    main()
