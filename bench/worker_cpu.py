"""In-process CPU of the Celery worker's share of the pipeline, per incident.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_pipe_prof \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \\
      .venv/bin/python bench/worker_cpu.py [--incidents 400] [--batch 200]
                                           [--backend smtp|locmem] [--profile top|FILE.prof]

The database must hold the demo catalogue (bench/seed.py with any --incidents). The script
creates --incidents incidents the way the API does (`incident_create`, reported by alice, on
the vpn service, by the responder agent) with their "created" events left in the outbox,
then runs, in this process and one after the other, what the worker runs for them:

dispatch: `dispatch_batch`, --batch events at a time (under steady load a drain takes what
          was committed while the previous one ran), until the outbox is empty: handlers,
          notification rows, and the send tasks published to the broker after commit (the
          queue is purged afterwards);
send:     the body of every published `send_notifications` task, against a counting aiosmtpd
          server in a child process (`--backend smtp`, so its CPU is not counted here) or
          Django's locmem backend (`--backend locmem`: rendering and rows without SMTP).

Per phase: CPU seconds of this process (time.process_time: Python, psycopg, smtplib; not
PostgreSQL's or Redis's), wall seconds, SQL statements, tasks and messages. `--profile top`
prints cProfile's top functions of each phase; `--profile FILE.prof` writes them.
Events already waiting in the outbox are dispatched first, unmeasured.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness  # noqa: E402

SMTP_CHILD = """
import asyncio, sys, time
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
c.stop()
print(Count.n, flush=True)
"""


class Counter:
    """A database execute wrapper that counts statements."""

    def __init__(self):
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


def measure(name: str, work, args) -> dict:
    from django.db import connection

    counter, profiler = Counter(), cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(counter):
        if profiler:
            profiler.enable()
        done = work()
        if profiler:
            profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        if args.profile == "top":
            print(f"--- {name}")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        else:
            profiler.dump_stats(f"{args.profile.removesuffix('.prof')}-{name}.prof")
    return {"cpu": cpu, "wall": wall, "statements": counter.statements, **(done or {})}


def create_incidents(count: int) -> None:
    from unittest import mock

    from django.contrib.auth import get_user_model

    from incidents import services
    from incidents.choices import Channel
    from incidents.models import Service

    users = get_user_model().objects
    agent, alice = users.get(username="agent"), users.get(username="alice")
    vpn = Service.objects.get(slug="vpn")
    with mock.patch("incidents.events.publish_event"):  # left in the outbox for the run
        for n in range(count):
            services.incident_create(
                title=f"Worker CPU {n}",
                description="Since this morning",
                reporter=alice,
                actor=agent,
                via=Channel.API,
                service=vpn,
            )


def dispatch(published: list, size: int) -> dict:
    from incidents.tasks import dispatch_batch

    batches = 0
    while dispatch_batch(limit=size):
        batches += 1
    return {"batches": batches, "tasks": len(published)}


def send(published: list) -> dict:
    from notifications.tasks import send_notifications

    sent = sum(send_notifications(ids) for ids in published)
    return {"messages": sent}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=400)
    parser.add_argument("--backend", choices=["smtp", "locmem"], default="smtp")
    parser.add_argument("--batch", type=int, default=200, help="events per dispatched batch")
    parser.add_argument("--smtp-port", type=int, default=8126)
    parser.add_argument("--profile", default="", help="'top' or a FILE.prof prefix")
    args = parser.parse_args()
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
    os.environ.setdefault("REDIS_CACHE_URL", "redis://127.0.0.1:6379/11")
    os.environ["EMAIL_PORT"] = str(args.smtp_port)
    harness.setup_environment()
    harness.django_setup(migrate=False)
    from django.conf import settings

    from incidents.tasks import dispatch_batch
    from itsm.celery import app
    from notifications.tasks import send_notifications

    while dispatch_batch():  # someone else's leftovers, not measured
        pass
    app.connection_for_write().default_channel.queue_purge(app.conf.task_default_queue)
    create_incidents(args.incidents)

    published, delay = [], send_notifications.delay

    def recording_delay(ids):
        published.append(ids)
        return delay(ids)

    send_notifications.delay = recording_delay
    figures = {"dispatch": measure("dispatch", lambda: dispatch(published, args.batch), args)}
    send_notifications.delay = delay
    app.connection_for_write().default_channel.queue_purge(app.conf.task_default_queue)

    child = None
    if args.backend == "locmem":
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    else:
        settings.EMAIL_BACKEND = "itsm.mail.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = harness.HOST, args.smtp_port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        child = subprocess.Popen(
            [sys.executable, "-c", SMTP_CHILD, str(args.smtp_port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        child.stdout.readline()
    try:
        figures["send"] = measure("send", lambda: send(published), args)
    finally:
        if child:
            child.stdin.close()
            figures["send"]["received"] = int(child.stdout.readline() or 0)
            child.wait(10)
    n = args.incidents
    print(f"{n} incidents, {args.batch} per batch, backend {args.backend}")
    print("| phase | CPU ms/incident | wall ms/incident | statements/incident | detail |")
    print("|---|---:|---:|---:|---|")
    for phase, f in figures.items():
        detail = {k: v for k, v in f.items() if k not in ("cpu", "wall", "statements")}
        print(
            f"| {phase} | {1000 * f['cpu'] / n:.2f} | {1000 * f['wall'] / n:.2f} "
            f"| {f['statements'] / n:.2f} | {detail} |"
        )
    total = sum(f["cpu"] for f in figures.values())
    print(f"| total | {1000 * total / n:.2f} | | | |")


if __name__ == "__main__":
    main()
