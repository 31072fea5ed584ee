"""Query plans of every statement that reads incidents on the paths people wait on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench DEBUG=0 SECRET_KEY=x \
        .venv/bin/python bench/explain_flows.py [--markdown] [--only search]

Runs each flow once in-process (Django's test client, as the users named below, against
an already seeded database such as the one `../shared/bench-peer` or bench/seed.py makes),
records its SQL, and prints `EXPLAIN (ANALYZE, BUFFERS)` for each SELECT that touches
incidents_incident. Writes (INSERT/UPDATE) are not re-run: their plans are single-row.
The flows' own writes are rolled back, so the data is left as it was. `--only WORD` runs the
flows whose title contains WORD.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
# The test client speaks plain HTTP; with DEBUG=0 every request would be a redirect.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from incidents.models import Incident, Service  # noqa: E402

RESPONDER, END_USER = "agent", "alice"
ADMIN_LIST = "/admin/incidents/incident/"


def flows():
    service = Service.objects.filter(active=True).order_by("pk").first()
    sample = Incident.objects.order_by("pk").values_list("pk", "number").first()
    pk, number = sample
    report = {"title": "Printer jammed", "description": "Floor 3", "service": service.pk,
              "impact": "medium", "urgency": "medium"}  # fmt: skip
    return [
        ("portal home", END_USER, "get", "/portal/", None),
        ("portal report (already-known offer)", END_USER, "post", "/portal/report/", report),
        ("portal report (confirmed)", END_USER, "post", "/portal/report/",
         {**report, "confirm_new": "True"}),
        ("status page", None, "get", "/status/", None),
        ("dashboard", RESPONDER, "get", "/admin/", None),
        ("admin incident list", RESPONDER, "get", "/admin/incidents/incident/", None),
        ("admin change page", RESPONDER, "get", f"/admin/incidents/incident/{pk}/change/", None),
        ("API list", RESPONDER, "get", "/api/v1/incidents/", None),
        ("API detail", RESPONDER, "get", f"/api/v1/incidents/{number}/", None),
        ("search by number (admin)", RESPONDER, "get", f"{ADMIN_LIST}?q={number.lower()}", None),
        ("search for rare words (admin)", RESPONDER, "get", f"{ADMIN_LIST}?q=wi-fi+building",
         None),
        ("search with a typo (admin)", RESPONDER, "get", f"{ADMIN_LIST}?q=bilding", None),
        ("search for a word in most incidents (admin)", RESPONDER, "get",
         f"{ADMIN_LIST}?q=printer", None),
        ("search (API)", RESPONDER, "get", "/api/v1/incidents/?search=wifi+building", None),
        ("search: already-known offer on no service (portal report)", END_USER, "post",
         "/portal/report/", {**report, "service": "",
                             "title": "Wifi keeps dropping in building 3"}),
    ]  # fmt: skip


def main(markdown: bool, only: str = "") -> None:
    users = get_user_model().objects.in_bulk([RESPONDER, END_USER], field_name="username")
    from django.core.cache import cache

    for title, username, method, path, data in flows():
        if only not in title:
            continue
        cache.clear()  # measure the work, not the cache
        client = Client()
        if username:
            client.force_login(users[username], "django.contrib.auth.backends.ModelBackend")
        seen = []

        def record(execute, sql, params, many, context, seen=seen):
            seen.append((sql, params))
            return execute(sql, params, many, context)

        with transaction.atomic():
            with connection.execute_wrapper(record):
                response = getattr(client, method)(path, data or {})
            reads = [
                (s, p) for s, p in seen if s.startswith("SELECT") and "incidents_incident" in s
            ]
            print(f"\n## {title}: {method.upper()} {path} -> {response.status_code}, "
                  f"{len(seen)} statements, {len(reads)} reading incidents\n")  # fmt: skip
            for sql, params in reads:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
                    plan = [row[0] for row in cursor.fetchall()]
                short = re.sub(r'"incidents_incident"\.', "", sql)[:160]
                print(("```\n" if markdown else "") + f"-- {short}...")
                print("\n".join(plan) + ("\n```" if markdown else "\n"))
            transaction.set_rollback(True)


if __name__ == "__main__":
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    main("--markdown" in sys.argv, only)
