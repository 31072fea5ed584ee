"""Fan-out of a major-incident update to many subscribers, through the real pipeline:
the event is dispatched by a Celery worker on Redis, which creates one notification row per
subscriber and sends them in batches, one SMTP connection per batch, to a local SMTP server
(aiosmtpd) that counts messages and connections.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_notif_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \\
      .venv/bin/python bench/notifications_fanout.py [--subscribers 1000] [--batch-sizes 100,1]
      [--handshake-ms 0,20] [--concurrency 4]

`--handshake-ms` delays each new SMTP connection's greeting (EHLO) to model what TLS and
authentication cost against a real mail server; batch size 1 is the baseline of one
connection (and one task) per message. The database in DATABASE_URL is created when
missing and must be a throwaway one (its incidents and users are deleted first).
"""

import argparse
import asyncio
import os
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm_notif_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
os.environ.setdefault("ITSM_VAR_DIR", "/tmp/itsm-notif-bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "itsm.settings"


class CountingHandler:
    """Counts connections (sessions) and messages per recipient; optional EHLO delay."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sessions, self.recipients = set(), []
        self.handshake = 0.0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        await asyncio.sleep(self.handshake)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.sessions.add(session)  # kept alive, so no id is reused
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"

    def reset(self, handshake_ms: float):
        with self.lock:
            self.sessions, self.recipients = set(), []
        self.handshake = handshake_ms / 1000

    def received(self, addresses: set) -> int:
        """How many of `addresses` got at least one message."""
        with self.lock:
            return len(addresses.intersection(self.recipients))

    def duplicates(self) -> int:
        with self.lock:
            return len(self.recipients) - len(set(self.recipients))


def create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_catalogue(subscribers: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from incidents.models import Incident, Service, Team
    from incidents.roles import RESPONDERS

    User = get_user_model()
    Incident.objects.all().delete()
    User.objects.filter(username__startswith="bench-").delete()
    team, _ = Team.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    service, _ = Service.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    service.owner_team = team
    service.save()
    responder = User.objects.create_user("bench-responder", "responder@bench.example")
    responder.groups.add(Group.objects.get(name=RESPONDERS))
    reporter = User.objects.create_user("bench-reporter", "reporter@bench.example")
    people = User.objects.bulk_create(
        User(username=f"bench-{i}", email=f"user{i}@bench.example") for i in range(subscribers)
    )
    service.subscribers.set(people)
    return service, responder, reporter, {person.email for person in people}


def wait_for(handler, addresses, started=None, timeout=600) -> float:
    """Seconds from `started` until every address received a message."""
    started = started or time.perf_counter()
    while handler.received(addresses) < len(addresses):
        if time.perf_counter() - started > timeout:
            sys.exit(f"Timed out: {handler.received(addresses)} of {len(addresses)} received")
        time.sleep(0.01)
    return time.perf_counter() - started


def run(handler, catalogue, batch_size: int, handshake_ms: float) -> dict:
    from incidents import services as incident_services
    from incidents.choices import Channel
    from notifications import services as notification_services
    from notifications.models import Notification

    service, responder, reporter, addresses = catalogue
    notification_services.BATCH_SIZE = batch_size
    incident = incident_services.incident_create(
        title="Bench outage", reporter=reporter, via=Channel.API, service=service
    )
    incident_services.incident_declare_major(incident=incident, actor=responder, via=Channel.API)
    wait_for(handler, addresses)  # the declaration fans out too; measure the update after it
    handler.reset(handshake_ms)
    started = time.perf_counter()
    incident_services.incident_comment(
        incident=incident,
        author=responder,
        body="Next update at 14:00.",
        via=Channel.API,
        public=True,
    )
    elapsed = wait_for(handler, addresses, started)
    unfinished = Notification.objects.filter(status__in=["pending", "sending"])
    while unfinished.exists():  # the reporter's copy too, before the next run starts
        time.sleep(0.05)
    return {
        "batch": batch_size,
        "handshake_ms": handshake_ms,
        "messages": handler.received(addresses),
        "duplicates": handler.duplicates(),
        "connections": len(handler.sessions),
        "seconds": elapsed,
        "per_second": len(addresses) / elapsed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--batch-sizes", default="100,1")
    parser.add_argument("--handshake-ms", default="0,20")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings
    from django.core.management import call_command

    from itsm.celery import app

    call_command("migrate", verbosity=0)
    handler, port = CountingHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "itsm.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    catalogue = setup_catalogue(args.subscribers)
    rows = []
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=args.concurrency,
            perform_ping_check=False,
            loglevel="WARNING",
        ):
            for handshake in [float(x) for x in args.handshake_ms.split(",")]:
                for batch in [int(x) for x in args.batch_sizes.split(",")]:
                    handler.reset(handshake)
                    rows.append(run(handler, catalogue, batch, handshake))
    finally:
        controller.stop()
    print(f"{args.subscribers} subscribers, worker concurrency {args.concurrency}\n")
    print(
        "| batch size | EHLO delay | recipients reached | duplicates | SMTP connections "
        "| seconds | messages/s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['batch']} | {row['handshake_ms']:.0f} ms | {row['messages']} "
            f"| {row['duplicates']} "
            f"| {row['connections']} | {row['seconds']:.2f} | {row['per_second']:.0f} |"
        )


if __name__ == "__main__":
    main()
