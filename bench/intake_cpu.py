"""CPU per request of monitoring intake, in process (Django's test client through the whole
middleware stack, no HTTP server), next to the bare view that inserts one row.

    .venv/bin/python bench/intake_cpu.py [--requests 500]

A cheap, quiet figure for a shared machine: time.process_time() of this one process per
request (the database's own work is not in it; the wall time is shown beside). The ratio
to the bare insert predicts the ratio under gunicorn, which bench/load.py measures. The
database (DATABASE_URL, default itsm_intake_cpu) is created when missing and must be a
throwaway one; the broker's Redis database is emptied at the end (the drain tasks the
requests publish are not run). After each flow its deliveries are drained in this process
(`deliveries_drain`, as one worker would): CPU per delivery and deliveries per second;
`bench/load.py drain` measures a real worker.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/itsm_intake_cpu",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/11",
    "REDIS_CACHE_URL": "redis://127.0.0.1:6379/10",
    "ITSM_VAR_DIR": "/tmp/itsm-intake-cpu",
}
FIXED = {
    "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret-" + "0" * 40,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def setup() -> None:
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    os.environ.update(FIXED)
    Path(os.environ["ITSM_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from bench.harness import create_database

    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_intake_row (id bigserial PRIMARY KEY, "
            "receiver text, body text, created_at timestamptz DEFAULT now())"
        )


def firing(group: str) -> dict:
    return {
        "version": "4",
        "receiver": "itsm",
        "status": "firing",
        "groupKey": f'{{}}:{{alertname="{group}"}}',
        "groupLabels": {"alertname": group},
        "commonLabels": {"alertname": group, "severity": "critical"},
        "commonAnnotations": {"summary": f"{group} above 5%"},
        "externalURL": "http://127.0.0.1:19093",
        "truncatedAlerts": 0,
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": group, "instance": "web-1:9100", "severity": "critical"},
                "annotations": {"summary": f"{group} above 5%"},
                "startsAt": "2026-11-27T04:26:00.79Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "",
                "fingerprint": f"fp-{group}",
            }
        ],
    }


def trigger(key: str) -> dict:
    return {
        "event_action": "trigger",
        "dedup_key": key,
        "payload": {"summary": f"Disk full {key}", "source": "db-1", "severity": "error"},
    }


def measure(post, bodies) -> dict:
    cpu, wall, statuses = [], [], {}
    for body in bodies:
        c0, w0 = time.process_time(), time.perf_counter()
        status = post(json.dumps(body))
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "cpu_ms": round(statistics.mean(cpu) * 1000, 3),
        "wall_ms_p50": round(statistics.median(wall) * 1000, 3),
        "statuses": statuses,
    }


def drain() -> dict | None:
    """Apply the deliveries the last flow stored, in process, as one worker would (None
    before the inbox existed: the request did the work)."""
    try:
        from integrations.models import Delivery
        from integrations.services import deliveries_drain
    except ImportError:
        return None
    waiting = Delivery.objects.filter(processed_at=None).count()
    c0, w0 = time.process_time(), time.perf_counter()
    while deliveries_drain(seconds=3600).processed:
        pass
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    return {
        "deliveries": waiting,
        "cpu_ms": round(cpu / max(waiting, 1) * 1000, 3),
        "per_s_wall": round(waiting / wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    setup()
    from django.test import Client

    from integrations import services

    run = f"{time.time_ns():x}"
    am = services.integration_create(kind="alertmanager", name=f"cpu am {run}")[1]
    ev_integration, ev = services.integration_create(kind="events", name=f"cpu ev {run}")
    ev_integration.rate_limit_per_minute = 10_000_000
    ev_integration.save()
    client = Client()

    def poster(path, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return lambda body: (
            client.post(
                path, data=body, content_type="application/json", headers=headers
            ).status_code
        )

    n = args.requests
    plan = {
        "floor_insert": (poster("/bench/insert/"), [firing("Floor")] * n),
        "am_new_group": (
            poster("/api/v1/integrations/alertmanager/", am),
            [firing(f"New{run}x{i}") for i in range(n)],
        ),
        "am_duplicate": (poster("/api/v1/integrations/alertmanager/", am), [firing("Dup")] * n),
        "events_trigger": (
            poster("/api/v1/events/", ev),
            [trigger(f"{run}-{i}") for i in range(n)],
        ),
    }
    results, drains = {}, {}
    for name, (post, bodies) in plan.items():
        measure(post, bodies[:20] if name != "am_new_group" else [firing(f"Warm{run}")])
        drain()
        results[name] = measure(post, bodies)
        drains[name] = drain()
    floor = results["floor_insert"]["cpu_ms"]
    print("| flow | CPU ms/request | of floor (CPU) | wall p50 ms | statuses |")
    print("|---|---:|---:|---:|---|")
    for name, r in results.items():
        ratio = floor / r["cpu_ms"]
        print(
            f"| {name} | {r['cpu_ms']:.3f} | {ratio:.2f} | {r['wall_ms_p50']:.3f} | "
            f"{r['statuses']} |"
        )
    if any(drains.values()):
        print("\n| drained in process | deliveries | CPU ms/delivery | deliveries/s (wall) |")
        print("|---|---:|---:|---:|")
        for name, d in drains.items():
            if d and name != "floor_insert":
                print(f"| {name} | {d['deliveries']} | {d['cpu_ms']:.3f} | {d['per_s_wall']} |")
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()


if __name__ == "__main__":
    main()
