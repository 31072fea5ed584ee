"""Throughput of the Alertmanager endpoint under gunicorn on PostgreSQL, next to a bare
Django view that inserts one row, measured in the same run so the ratio is fair.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_mon_bench \\
      .venv/bin/python bench/intake_bench.py [--requests 1500] [--concurrency 8] [--workers 4]

Loopback only, bounded: fixed request counts, a timeout on every request, and the gunicorn
it starts is stopped at the end. The database named in DATABASE_URL is created when missing
and must be a throwaway one (its alert tables are emptied first).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/itsm_mon_bench"


def environment(port: int) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
    env.setdefault("ITSM_VAR_DIR", "/tmp/itsm-mon-bench")
    env.update(
        DJANGO_SETTINGS_MODULE="bench.intake_settings",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if not env["DATABASE_URL"].startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    return env


def create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict) -> str:
    """Migrate, empty the alert tables, create the baseline table and an integration."""
    create_database(env["DATABASE_URL"])
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = """
import django; django.setup()
from django.db import connection
from integrations import services
from integrations.models import AlertGroup, Delivery, Integration
AlertGroup.objects.all().delete()
Delivery.objects.all().delete()
Integration.objects.filter(name="bench").delete()
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_intake_row "
              "(id bigserial PRIMARY KEY, receiver text, body text, "
              "created_at timestamptz DEFAULT now())")
    c.execute("TRUNCATE bench_intake_row")
print(services.integration_create(kind="alertmanager", name="bench")[1])
"""
    out = subprocess.run(
        [python, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    if not port_is_free(port):
        sys.exit(f"Port {port} is in use: stop what runs there or pass --port.")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "itsm.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited during start-up; see its output above")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not come up within 30 s")


def delivery(number: int, groups: int, alerts: int, resend: bool) -> dict:
    """A version-4 webhook: `alerts` alerts of one of `groups` groups. Distinct fingerprints
    (a storm of new alerts) unless `resend` (the same group delivered again)."""
    group = 0 if resend else number % groups
    seed = 0 if resend else number
    items = [
        {
            "status": "firing",
            "labels": {
                "alertname": f"Bench{group}",
                "instance": f"host-{seed}-{i}:9100",
                "service": "bench",
                "severity": "warning",
            },
            "annotations": {"summary": f"Bench alert {group}"},
            "startsAt": "2026-11-27T04:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "",
            "fingerprint": f"{seed:08x}{i:04x}",
        }
        for i in range(alerts)
    ]
    return {
        "version": "4",
        "receiver": "bench",
        "status": "firing",
        "groupKey": f'{{}}:{{alertname="Bench{group}"}}',
        "groupLabels": {"alertname": f"Bench{group}"},
        "commonLabels": {"alertname": f"Bench{group}", "service": "bench"},
        "commonAnnotations": {"summary": f"Bench alert {group}"},
        "externalURL": "http://alertmanager:9093",
        "truncatedAlerts": 0,
        "alerts": items,
    }


def load(port: int, path: str, bodies: list[bytes], token: str, concurrency: int) -> dict:
    """POST every body once over `concurrency` keep-alive connections; time it."""
    cursor, lock, latencies, failures = iter(bodies), threading.Lock(), [], []
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def worker():
        conn = HTTPConnection(HOST, port, timeout=30)
        while True:
            with lock:
                body = next(cursor, None)
            if body is None:
                break
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - started)
                if response.status != 200:
                    failures.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(bodies),
        "seconds": elapsed,
        "per_second": len(bodies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "failures": failures,
    }


def combine(parts: list[dict]) -> dict:
    requests = sum(p["requests"] for p in parts)
    seconds = sum(p["seconds"] for p in parts)
    return {
        "requests": requests,
        "seconds": seconds,
        "per_second": requests / seconds,
        "p50_ms": statistics.median(p["p50_ms"] for p in parts),
        "p95_ms": max(p["p95_ms"] for p in parts),
        "failures": [f for p in parts for f in p["failures"]],
    }


def alternate(args, bodies: list[bytes], token: str, rounds: int = 4) -> tuple[dict, dict]:
    """Bare view and intake take turns on slices of the same bodies, so a burst of load
    from elsewhere on the machine hits both alike."""
    size = max(1, len(bodies) // rounds)
    bare, intake = [], []
    for start in range(0, len(bodies), size):
        chunk = bodies[start : start + size]
        bare.append(load(args.port, "/bench/insert/", chunk, token, args.concurrency))
        intake.append(
            load(args.port, "/api/v1/integrations/alertmanager/", chunk, token, args.concurrency)
        )
    return combine(bare), combine(intake)


SCENARIOS = [
    # name, alerts per delivery, groups, re-send
    ("storm: 1 new alert per delivery, 50 groups", 1, 50, False),
    ("re-sends: the same 1-alert group again", 1, 1, True),
    ("batches: 10 new alerts per delivery, 50 groups", 10, 50, False),
]


def run(args) -> list[dict]:
    env = environment(args.port)
    token = prepare(env)
    server = start_gunicorn(env, args.port, args.workers)
    rows = []
    try:
        warm = [json.dumps(delivery(i, 5, 1, False)).encode() for i in range(10**6, 10**6 + 50)]
        load(args.port, "/bench/insert/", warm, token, args.concurrency)
        load(args.port, "/api/v1/integrations/alertmanager/", warm, token, args.concurrency)
        offset = 0
        for name, alerts, groups, resend in SCENARIOS:
            count = args.requests if alerts == 1 else max(1, args.requests // alerts)
            bodies = [
                json.dumps(delivery(offset + i, groups, alerts, resend)).encode()
                for i in range(count)
            ]
            offset += count
            bare, intake = alternate(args, bodies, token)
            rows.append({"name": name, "alerts": alerts, "bare": bare, "intake": intake})
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def report(rows: list[dict], args) -> str:
    lines = [
        f"gunicorn {args.workers} sync workers, {args.concurrency} concurrent keep-alive "
        f"clients on loopback, {os.cpu_count()} CPUs, PostgreSQL.",
        "",
        "| scenario | bare insert (rows/s) | Alertmanager intake (alerts/s) | ratio | "
        "intake p50 / p95 ms | failures |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        bare, intake = row["bare"], row["intake"]
        alerts_per_second = intake["per_second"] * row["alerts"]
        ratio = intake["per_second"] / bare["per_second"]
        failures = len(bare["failures"]) + len(intake["failures"])
        lines.append(
            f"| {row['name']} | {bare['per_second']:.0f} | {alerts_per_second:.0f} | "
            f"{ratio:.2f} | {intake['p50_ms']:.1f} / {intake['p95_ms']:.1f} | {failures} |"
        )
    lines.append("")
    lines.append("ratio: intake deliveries per second / bare-view requests per second.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8005)
    args = parser.parse_args()
    args.requests = max(10, min(args.requests, 20000))  # bounded
    rows = run(args)
    print(report(rows, args))
    if any(row["bare"]["failures"] or row["intake"]["failures"] for row in rows):
        sys.exit("Some requests failed: the figures above are not valid.")


if __name__ == "__main__":
    main()
