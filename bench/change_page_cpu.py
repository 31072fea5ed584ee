"""In-process CPU of the admin incident change page, as `bench/load.py flows --only
admin_change` requests it: GET /admin/incidents/incident/<id>/change/ as the responder
"agent", <id> drawn at random from the seeded range.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_loadbench \\
    REDIS_CACHE_URL=redis://127.0.0.1:6379/13 \\
      .venv/bin/python bench/change_page_cpu.py [--requests 200]
                                                [--profile cumulative|tottime|FILE.prof]
                                                [--templates] [--sql]

The environment is the load benchmark's (bench/harness.setup_environment: DEBUG off, the
cached template loader, the Redis cache); requests go through Django's test client and the
whole middleware stack, without an HTTP server. Per request: time.process_time of this
process (Python and the database driver; not PostgreSQL's or Redis's own work), the wall
time beside it, SQL statements and their time. `--templates` adds the time spent in each
template (without the templates it includes), `--profile` cProfile's top
functions. The database must be seeded (bench/seed.py); the first 20 requests warm the
process and are not counted.
"""

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness  # noqa: E402

WARM = 20


class Statements:
    """A database execute wrapper that counts statements and their wall time."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def time_templates() -> dict:
    """Wrap Template.render to add up the time spent in each template by name, without
    the templates it includes (an extended template counts in the one extending it)."""
    from django.template.base import Template

    spent, original, inner = defaultdict(float), Template.render, [0.0]

    def render(self, context):
        started, outer = time.process_time(), inner[0]
        inner[0] = 0.0
        try:
            return original(self, context)
        finally:
            took = time.process_time() - started
            spent[self.origin.template_name or "<string>"] += took - inner[0]
            inner[0] = outer + took

    Template.render = render
    return spent


def requests(args) -> tuple[list[str], object]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.load import context

    ctx = context()
    client = Client()
    client.force_login(get_user_model().objects.get(username="agent"))
    rng = random.Random(args.seed)
    ids = [rng.randint(ctx["id_min"], ctx["id_max"]) for _ in range(WARM + args.requests)]
    return [f"/admin/incidents/incident/{ident}/change/" for ident in ids], client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--profile", help="cumulative, tottime or a .prof file to write")
    parser.add_argument("--templates", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print each statement's time")
    args = parser.parse_args()
    harness.setup_environment()
    harness.django_setup(migrate=False)
    from django.db import connection

    urls, client = requests(args)
    for url in urls[:WARM]:
        assert client.get(url).status_code == 200, url
    spent = time_templates() if args.templates else {}
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall, statements, sql_ms, size = [], [], [], [], []
    for url in urls[WARM:]:
        counter = Statements()
        c0, w0 = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(counter):
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        assert response.status_code == 200, url
        statements.append(counter.count)
        sql_ms.append(counter.seconds * 1000)
        size.append(len(response.content))
    n = len(cpu)
    print(f"{n} requests, {connection.settings_dict['NAME']}")
    ms = sorted(seconds * 1000 for seconds in cpu)
    print(f"cpu ms: median {statistics.median(ms):.2f}  mean {statistics.mean(ms):.2f}", end="")
    print(f"  p90 {ms[int(n * 0.9)]:.2f}")
    print(f"wall ms: median {statistics.median(wall) * 1000:.2f}")
    print(
        f"sql: median {statistics.median(statements)} statements, "
        f"{statistics.median(sql_ms):.2f} ms; page {statistics.median(size) / 1024:.1f} KiB"
    )
    if spent:
        print("templates, ms per request (without their includes):")
        for name, seconds in sorted(spent.items(), key=lambda item: -item[1])[:25]:
            print(f"  {seconds * 1000 / n:7.2f}  {name}")
    if profiler and args.profile in ("cumulative", "tottime"):
        pstats.Stats(profiler).sort_stats(args.profile).print_stats(45)
    elif profiler:
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
