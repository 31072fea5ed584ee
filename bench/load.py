"""Load benchmark of the product's main flows under gunicorn on PostgreSQL, with the memory
of its processes and the throughput of the whole create-to-e-mail pipeline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_loadbench \\
      .venv/bin/python bench/load.py flows [--only a,b] [--duration 15] [--connections 4]
      .venv/bin/python bench/load.py memory [--requests 10000] [--incidents 10000]
      .venv/bin/python bench/load.py pipeline [--incidents 3000]
      .venv/bin/python bench/load.py drain [--deliveries 2000] [--kind new|duplicate|events]

flows:    gunicorn (2 sync workers, 127.0.0.1) and wrk (1 thread, --connections connections,
          bench/load.lua); per flow a 2 s warm-up, then --duration seconds; req/s, p50/p99,
          whole-machine CPU and load average before and after each flow.
memory:   --requests requests (a mix of the read and write flows) to fresh gunicorn workers,
          their RSS after half and after all of them; then one Celery worker (the README's
          command: prefork, one process per CPU) processing the notifications of --incidents
          new incidents, its RSS after half and after all of them.
pipeline: one Celery worker running, --incidents incidents created through the API under load;
          incidents fully processed per second, from the first create to the last reporter's
          acknowledgement e-mail received by a local SMTP server (aiosmtpd) that counts them.
drain:    the other half of monitoring intake: --deliveries accepted deliveries (the bodies of
          am_new_group, am_duplicate or events_trigger) stored as the endpoints store them,
          then one Celery worker drains them; deliveries and incidents per second from the
          kick to the empty inbox (the endpoints' own rate is the flows' am_* and events_*).

Seed the database first (bench/seed.py). It must be a throwaway one: the runs add incidents,
and the broker's Redis database (CELERY_BROKER_URL, default db 12) is emptied. Results:
a markdown table on stdout, and JSON plus the table under bench/results/.
"""

import argparse
import json
import os
import random
import re
import resource
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness  # noqa: E402

HERE = Path(__file__).resolve().parent
# The real Alertmanager deliveries kept next to the checkout; a body of the same shape if absent.
SAMPLES = Path(
    os.environ.get("ITSM_AM_SAMPLES", HERE.parent.parent / "shared/samples/alertmanager")
)
FIRING = {
    "version": "4",
    "receiver": "itsm-webhook",
    "status": "firing",
    "groupKey": '{}:{alertname="HighErrorRate"}',
    "groupLabels": {"alertname": "HighErrorRate"},
    "commonLabels": {"alertname": "HighErrorRate", "severity": "critical"},
    "commonAnnotations": {"summary": "Checkout API 5xx rate above 5%"},
    "externalURL": "http://127.0.0.1:19093",
    "truncatedAlerts": 0,
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "HighErrorRate", "instance": "web-1:9100"},
            "annotations": {"summary": "Checkout API 5xx rate above 5%"},
            "startsAt": "2026-11-27T04:26:00.79Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "",
            "fingerprint": "ac36b8d065d4a922",
        }
    ],
}
RUN = f"{time.time_ns():x}"  # makes "{n}" unique across runs: bodies carry dedup keys


@dataclass
class Flow:
    method: str
    path: str
    expect: int
    headers: dict
    body: str | None = None
    write: bool = False


def fill(text: str, n: str, ident: int) -> str:
    """The substitutions load.lua makes, for requests sent from Python."""
    text = text.replace("{id07}", f"{ident:07d}").replace("{id}", str(ident))
    return text.replace("{n}", n)


# --- the product side: users, tokens, request bodies ------------------------------------------


def _tokens(var_dir: Path) -> dict:
    """An API token of the responder "agent" and two integration tokens, issued once per
    database through the product's services and kept in ITSM_VAR_DIR."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from api.models import ApiToken
    from api.models.tokens import token_digest
    from api.services import api_token_create
    from incidents.models import Service
    from integrations import services as integrations
    from integrations.models import Integration
    from integrations.selectors import integration_for_token

    path = var_dir / f"tokens-{connection.settings_dict['NAME']}.json"
    tokens = json.loads(path.read_text()) if path.exists() else {}
    if not ApiToken.objects.filter(digest=token_digest(tokens.get("api", ""))).exists():
        agent = get_user_model().objects.get(username="agent")
        tokens["api"] = api_token_create(user=agent, name="load bench", expires_at=None)[1]
    vpn = Service.objects.get(slug="vpn")
    for kind in ("alertmanager", "events"):
        if not tokens.get(kind) or integration_for_token(tokens[kind]) is None:
            tokens[kind] = integrations.integration_create(
                kind=kind, name=f"load bench {kind} {RUN}", default_service=vpn
            )[1]
    path.write_text(json.dumps(tokens))
    # The events API's budget per integration (default 120/minute) is a manager's setting;
    # lifted like ITSM_API_RATE so that load is not answered with 429.
    events = integration_for_token(tokens["events"])
    Integration.objects.filter(pk=events.pk).update(rate_limit_per_minute=10_000_000)
    return tokens


def _session(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def _alertmanager_bodies(new_group: bool) -> str:
    sample = SAMPLES / "firing.json"
    body = json.loads(sample.read_text()) if sample.exists() else json.loads(json.dumps(FIRING))
    body["commonLabels"]["service"] = "vpn"
    for alert in body["alerts"]:
        alert["labels"]["service"] = "vpn"
    if new_group:  # a group never seen: opens an incident
        body["groupKey"] = '{}:{alertname="HighErrorRate",load="{n}"}'
        body["groupLabels"]["load"] = "{n}"
        for alert in body["alerts"]:
            alert["fingerprint"] = "f{n}"
            alert["labels"]["load"] = "{n}"
    return json.dumps(body)  # else the sample's own group every time: the duplicate path


def context() -> dict:
    """Everything the flows need from the database."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from incidents.models import Comment, Incident, Service

    users = get_user_model().objects
    agent, alice = users.get(username="agent"), users.get(username="alice")
    with connection.cursor() as cursor:  # the seeded range: pk k has number INC%07d k
        cursor.execute(
            "SELECT min(id), max(id) FROM incidents_incident "
            "WHERE number = 'INC' || lpad(id::text, 7, '0')"
        )
        id_min, id_max = cursor.fetchone()
    if id_min is None:
        sys.exit("No seeded incidents: run bench/seed.py first.")
    return {
        "tokens": _tokens(Path(os.environ["ITSM_VAR_DIR"])),
        "agent_session": _session(agent),
        "alice_session": _session(alice),
        "csrf": secrets.token_hex(16),
        "vpn": Service.objects.get(slug="vpn").pk,
        "id_min": id_min,
        "id_max": id_max,
        "dataset": {
            "database": connection.settings_dict["NAME"],
            "incidents": Incident.objects.count(),
            "open": Incident.objects.open().count(),
            "comments": Comment.objects.count(),
        },
    }


def flows(ctx: dict) -> dict[str, Flow]:
    """Reads first, writes last (the writes add incidents)."""
    api = {"Authorization": f"Bearer {ctx['tokens']['api']}"}
    api_json = {**api, "Content-Type": "application/json"}
    staff = {"Cookie": f"sessionid={ctx['agent_session']}"}
    user = {"Cookie": f"sessionid={ctx['alice_session']}"}
    form = {
        "Cookie": f"sessionid={ctx['alice_session']}; csrftoken={ctx['csrf']}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    am = {
        "Authorization": f"Bearer {ctx['tokens']['alertmanager']}",
        "Content-Type": "application/json",
        "User-Agent": "Alertmanager/0.27.0",
    }
    events = {
        "Authorization": f"Bearer {ctx['tokens']['events']}",
        "Content-Type": "application/json",
    }
    report = (
        f"csrfmiddlewaretoken={ctx['csrf']}&title=Printer+on+floor+3+{{n}}"
        f"&description=It+does+not+print+{{n}}&service={ctx['vpn']}"
        "&impact=medium&urgency=medium&confirm_new=True"
    )
    create = json.dumps(
        {
            "title": "VPN drops every 10 minutes {n}",
            "description": "Since this morning {n}",
            "service": "vpn",
            "impact": "medium",
            "urgency": "medium",
        }
    )
    trigger = json.dumps(
        {
            "event_action": "trigger",
            "dedup_key": "load-{n}",
            "payload": {
                "summary": "Disk almost full on db-{n}",
                "source": "db-1",
                "severity": "error",
                "component": "postgres",
                "custom_details": {"free_pct": 4},
            },
        }
    )
    admin = "/admin/incidents/incident/"
    return {
        "floor_ok": Flow("GET", "/floor/ok", 200, {}),
        "floor_insert": Flow("POST", "/floor/insert", 201, {}, "", write=True),
        "portal_report_get": Flow("GET", "/portal/report/", 200, user),
        "status_page": Flow("GET", "/status/", 200, {}),
        "dashboard": Flow("GET", "/admin/", 200, staff),
        "admin_list": Flow("GET", admin, 200, staff),
        "admin_change": Flow("GET", admin + "{id}/change/", 200, staff),
        "api_list": Flow("GET", "/api/v1/incidents/", 200, api),
        "api_detail": Flow("GET", "/api/v1/incidents/INC{id07}/", 200, api),
        "portal_report_post": Flow("POST", "/portal/report/", 302, form, report, write=True),
        "api_create": Flow("POST", "/api/v1/incidents/", 201, api_json, create, write=True),
        "am_new_group": Flow(
            "POST", "/api/v1/integrations/alertmanager/", 200, am, _alertmanager_bodies(True), True
        ),
        "am_duplicate": Flow(
            "POST", "/api/v1/integrations/alertmanager/", 200, am, _alertmanager_bodies(False), True
        ),
        "events_trigger": Flow("POST", "/api/v1/events/", 202, events, trigger, write=True),
    }


# --- sending requests ---------------------------------------------------------------------------


def request_once(port: int, flow: Flow, ctx: dict, n: str) -> tuple[int, bytes]:
    conn = HTTPConnection(harness.HOST, port, timeout=600)
    body = fill(flow.body, n, ctx["id_min"]) if flow.body is not None else None
    conn.request(flow.method, fill(flow.path, n, ctx["id_min"]), body, flow.headers)
    response = conn.getresponse()
    return response.status, response.read()


def run_wrk(port: int, flow: Flow, ctx: dict, seconds: int, connections: int) -> dict:
    env = dict(
        os.environ,
        FLOW_METHOD=flow.method,
        FLOW_PATH=flow.path,
        FLOW_HEADERS="\n".join(f"{k}: {v}" for k, v in flow.headers.items()),
        FLOW_ID_MIN=str(ctx["id_min"]),
        FLOW_ID_MAX=str(ctx["id_max"]),
        FLOW_RUN=f"{RUN}-{time.time_ns():x}",
    )
    env.pop("FLOW_BODY", None)
    if flow.body is not None:
        env["FLOW_BODY"] = flow.body
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s"]
    command += ["-s", str(HERE / "load.lua"), f"http://{harness.HOST}:{port}"]
    cpu0, own0 = harness.cpu_times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 90)
    cpu1, own1 = harness.cpu_times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("FLOWJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("FLOWJSON "))
    wall = result["duration_us"] / 1e6
    wrk_cpu = (own1.ru_utime - own0.ru_utime) + (own1.ru_stime - own0.ru_stime)
    result["machine_cpu_pct"] = harness.busy_percent(cpu0, cpu1)
    result["wrk_cpu_pct_of_one_core"] = round(100 * wrk_cpu / wall, 1)
    return result


def rate(r: dict, connections: int) -> float:
    """Responses per second; with fewer than four per connection (pages taking seconds),
    Little's law instead: in a closed loop every connection always waits for one response."""
    if r["requests"] >= 4 * connections:
        return r["requests"] / (r["duration_us"] / 1e6)
    return connections / (r["mean_us"] / 1e6) if r["requests"] else 0.0


def run_flows(args, ctx: dict) -> dict:
    table = flows(ctx)
    names = [n for n in table if not args.only or n in args.only]
    server = harness.start_gunicorn(args.port, args.workers)
    results = {}
    try:
        for name in names:
            flow = table[name]
            load_before = harness.loadavg()
            status, _ = request_once(args.port, flow, ctx, f"{RUN}-pre-{name}")
            if status != flow.expect:
                print(f"{name}: answered {status}, expected {flow.expect}; skipped", flush=True)
                results[name] = {"error": f"preflight answered {status}"}
                continue
            warm = run_wrk(args.port, flow, ctx, 2, args.connections)  # not counted
            # A page that could not answer every connection once in the warm-up takes
            # seconds: it gets --slow-duration, so that its rate rests on a few responses.
            slow = warm["requests"] < args.connections
            seconds = max(args.duration, args.slow_duration) if slow else args.duration
            r = run_wrk(args.port, flow, ctx, seconds, args.connections)
            seconds, requests = r["duration_us"] / 1e6, r["requests"]
            good = r["statuses"].get(str(flow.expect), 0)
            results[name] = {
                "request": f"{flow.method} {flow.path}",
                "write": flow.write,
                "expect": flow.expect,
                "connections": args.connections,
                "workers": args.workers,
                "slow": slow,
                "requests": requests,
                "seconds": round(seconds, 2),
                "rps": round(rate(r, args.connections), 2),
                "rps_method": "count/duration" if requests >= 4 * args.connections else "little",
                "ok_fraction": round(good / requests, 4) if requests else 0,
                "statuses": r["statuses"],
                "errors": {k: v for k, v in r["errors"].items() if v},
                "p50_ms": round(r["p50_us"] / 1000, 1),
                "p90_ms": round(r["p90_us"] / 1000, 1),
                "p99_ms": round(r["p99_us"] / 1000, 1),
                "max_ms": round(r["max_us"] / 1000, 1),
                "bytes_per_response": int(r["bytes"] / requests) if requests else 0,
                "machine_cpu_pct": r["machine_cpu_pct"],
                "wrk_cpu_pct_of_one_core": r["wrk_cpu_pct_of_one_core"],
                "loadavg_before": load_before,
                "loadavg_after": harness.loadavg(),
                "at": time.strftime("%H:%M:%S"),
            }
            print(flow_row(name, results[name], results), flush=True)
    finally:
        harness.stop(server)
    return results


class Client:
    """A closed loop of keep-alive connections, in threads, for the memory and pipeline
    modes (which must stop at an exact count and look at the server in between)."""

    def __init__(self, port: int, connections: int, ctx: dict):
        self.port, self.connections, self.ctx = port, connections, ctx
        self.statuses: dict[str, Counter] = {}
        self.lock = threading.Lock()
        self.sent = 0
        self.first_sent = None

    def run(self, plan: list[tuple[str, Flow]], start: int, stop: int, deadline: float) -> int:
        """Send plan[i % len(plan)] for i in [start, stop); returns how many were sent."""
        next_index = iter(range(start, stop))

        def worker():
            conn, rng = HTTPConnection(harness.HOST, self.port, timeout=120), random.Random()
            while time.monotonic() < deadline:
                with self.lock:
                    i = next(next_index, None)
                    if self.first_sent is None:
                        self.first_sent = time.monotonic()
                if i is None:
                    break
                name, flow = plan[i % len(plan)]
                ident = rng.randint(self.ctx["id_min"], self.ctx["id_max"])
                body = fill(flow.body, f"{RUN}-{i}", ident) if flow.body is not None else None
                try:
                    conn.request(flow.method, fill(flow.path, "", ident), body, flow.headers)
                    response = conn.getresponse()
                    response.read()
                    status = str(response.status)
                except OSError as error:
                    status = type(error).__name__
                    conn.close()
                    conn = HTTPConnection(harness.HOST, self.port, timeout=120)
                with self.lock:
                    self.statuses.setdefault(name, Counter())[status] += 1
                    self.sent += 1
            conn.close()

        before = self.sent
        threads = [threading.Thread(target=worker) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.sent - before


# --- e-mail and the broker ------------------------------------------------------------------------


class CountingSMTP:
    """aiosmtpd handler: every message's arrival time, recipients and subject."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[float, tuple, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        headers = BytesParser(policy=policy.default).parsebytes(envelope.content, headersonly=True)
        with self.lock:
            self.messages.append(
                (time.monotonic(), tuple(envelope.rcpt_tos), str(headers["subject"]))
            )  # fmt: skip
        return "250 OK"

    def acknowledgements(self, tag: str) -> dict[str, float]:
        """Incident number -> arrival of its reporter's "Received" e-mail, for titles with
        `tag`."""
        pattern = re.compile(r"^\[(INC\d+)\] Received: .*" + re.escape(tag))
        found = {}
        with self.lock:
            for at, _, subject in self.messages:
                match = pattern.match(subject)
                if match:
                    found.setdefault(match.group(1), at)
        return found

    def duplicates(self) -> int:
        with self.lock:
            seen = Counter((rcpt, subject) for _, rcpts, subject in self.messages for rcpt in rcpts)
        return sum(count - 1 for count in seen.values())


def start_smtp(port: int):
    from aiosmtpd.controller import Controller

    if not harness.port_is_free(port):
        sys.exit(f"SMTP port {port} is in use: pass --smtp-port.")
    handler = CountingSMTP()
    controller = Controller(handler, hostname=harness.HOST, port=port)
    controller.start()
    return controller, handler


def broker():
    import redis

    return redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])


def queue_length() -> int:
    return broker().llen("celery")


def wait_until(condition, deadline: float, step: float = 0.2) -> bool:
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


# --- memory ------------------------------------------------------------------------------------


def peak(tree: dict) -> float:
    return max((m.get("vmhwm", 0) for m in tree["children"].values()), default=0)


def growth(first: dict, second: dict) -> float:
    """Largest VmRSS growth of one child process between two readings, in MiB."""
    common = set(first["children"]) & set(second["children"])
    return max(
        (second["children"][p]["vmrss"] - first["children"][p]["vmrss"] for p in common),
        default=0,
    )


def run_memory(args, ctx: dict) -> dict:
    deadline = time.monotonic() + args.timeout
    result = {}
    if args.part in ("gunicorn", "both"):
        result["gunicorn"] = memory_gunicorn(args, ctx, deadline)
    if args.part in ("celery", "both"):
        result["celery"] = memory_celery(args, deadline)
    return result


def memory_gunicorn(args, ctx: dict, deadline: float) -> dict:
    table = flows(ctx)
    # Every flow but the floors and the dashboard (about a second a request at 100,000
    # incidents: it would be most of the run), reads and writes alternating.
    mix = ["portal_report_get", "api_create", "api_detail", "portal_report_post", "admin_change"]
    mix += ["am_new_group", "api_list", "events_trigger", "admin_list", "am_duplicate"]
    mix += ["status_page"]
    plan = [(name, table[name]) for name in mix]
    result = {"requests": args.requests, "mix": mix, "readings": []}
    server = harness.start_gunicorn(args.port, args.workers)
    client = Client(args.port, args.connections, ctx)
    try:
        half, started = args.requests // 2, time.monotonic()
        for start, stop in ((0, half), (half, args.requests)):
            client.run(plan, start, stop, deadline)
            reading = harness.memory_tree(server.pid)
            reading.update(requests=client.sent, seconds=round(time.monotonic() - started, 1))
            reading["loadavg"] = harness.loadavg()
            result["readings"].append(reading)
            print(f"gunicorn after {client.sent} requests: {reading['children']}", flush=True)
    finally:
        harness.stop(server)
    result["statuses"] = {k: dict(v) for k, v in client.statuses.items()}
    summarize_memory(result)
    return result


def memory_celery(args, deadline: float) -> dict:
    from incidents.events import cache_forget_drain
    from incidents.models import IncidentEvent

    # The notifications of args.incidents new incidents, queued before the worker starts.
    # Emptying the broker drops any drain task the web part queued, not its "drain
    # scheduled" flag: forgotten too, or these incidents' events would publish nothing.
    broker().flushdb()
    cache_forget_drain()
    events = create_for_worker(args.incidents)
    first, last = events[0], events[-1]
    dispatched = IncidentEvent.objects.filter(pk__range=(first, last), dispatched_at__isnull=False)
    smtp, handler = start_smtp(args.smtp_port)
    worker = harness.start_celery_worker()
    started, readings = time.monotonic(), []
    try:
        for target in (len(events) // 2, len(events)):
            reached = wait_until(lambda t=target: dispatched.count() >= t, deadline, 0.5)
            if target == len(events):  # all dispatched: let the e-mails drain too
                reached = wait_until(lambda: queue_length() == 0, deadline) and reached
            reading = harness.memory_tree(worker.pid)
            reading.update(
                processed=dispatched.count(),
                reached=reached,
                seconds=round(time.monotonic() - started, 1),
                emails=len(handler.messages),
                loadavg=harness.loadavg(),
            )
            readings.append(reading)
            print(f"celery after {reading['processed']} incidents: {reading['children']}")
    finally:
        harness.stop(worker)
        smtp.stop()
    result = {"incidents": args.incidents, "readings": readings, "emails": len(handler.messages)}
    summarize_memory(result)
    broker().flushdb()
    return result


def summarize_memory(part: dict) -> None:
    readings = part["readings"]
    if len(readings) == 2:
        part["peak_rss_mib"] = peak(readings[-1])
        part["rss_growth_second_half_mib"] = round(growth(*readings), 1)


def create_for_worker(count: int) -> list[int]:
    """`count` new incidents on random services, reported by end users, with their
    "created" events undispatched and handed to the broker, as the create service does
    after commit (bulk-inserted: creating them one by one would be the pipeline mode)."""
    from django.utils import timezone

    from bench import seed
    from incidents.events import publish_event

    seed.keep_timestamps()
    rng, cat, now = random.Random(count), seed.catalogue(), timezone.now()
    events = []
    for start in range(0, count, 2000):
        numbers = seed.next_numbers(min(2000, count - start))
        batch = [seed.build_incident(rng, cat, number, "new", now, 0) for number in numbers]
        for incident in batch:
            incident.title = f"Memory {RUN} {incident.number}"
        events += [e.pk for e in seed.insert(batch, rng, cat, comments=0, dispatched=False)]
    for event_id in events:
        publish_event(event_id)
    return events


# --- pipeline ----------------------------------------------------------------------------------


def run_pipeline(args, ctx: dict) -> dict:
    """One worker, creates through the API; done when every reporter's acknowledgement
    ("[INC…] Received: <title>") has reached the SMTP server."""
    from incidents.models import Incident

    tag = f"P{RUN}"
    api = flows(ctx)["api_create"]
    body = json.loads(api.body)
    body.update(title=f"Pipeline {tag} {{n}}", reporter="alice")
    plan = [("api_create", Flow(api.method, api.path, 201, api.headers, json.dumps(body), True))]
    broker().flushdb()
    smtp, handler = start_smtp(args.smtp_port)
    worker = harness.start_celery_worker()
    server = harness.start_gunicorn(args.port, args.workers)
    deadline = time.monotonic() + args.timeout
    client = Client(args.port, args.connections, ctx)
    load_before, cpu0 = harness.loadavg(), harness.cpu_times()
    try:
        client.run(plan, 0, args.incidents, deadline)
        load_end = time.monotonic()
        queue_at_load_end = queue_length()
        created = Incident.objects.filter(title__startswith=f"Pipeline {tag} ").count()
        all_acked = wait_until(lambda: len(handler.acknowledgements(tag)) >= created, deadline)
        acks = handler.acknowledgements(tag)
        last_ack = max(acks.values(), default=load_end)
        queue_at_last_ack = queue_length()
        drained = wait_until(lambda: queue_length() == 0, min(deadline, time.monotonic() + 120))
        worker_memory = harness.memory_tree(worker.pid)
    finally:
        harness.stop(server)
        harness.stop(worker)
        smtp.stop()
    first = client.first_sent or load_end
    broker().flushdb()
    return {
        "incidents_requested": args.incidents,
        "created": created,
        "statuses": {k: dict(v) for k, v in client.statuses.items()},
        "acknowledged": len(acks),
        "all_acknowledged": all_acked,
        "seconds_creating": round(load_end - first, 2),
        "seconds_to_last_ack": round(last_ack - first, 2),
        "creates_per_s": round(created / (load_end - first), 1),
        "incidents_fully_processed_per_s": round(len(acks) / (last_ack - first), 1),
        "queue_at_load_end": queue_at_load_end,
        "queue_at_last_ack": queue_at_last_ack,
        "queue_drained": drained,
        "emails": len(handler.messages),
        "duplicates": handler.duplicates(),
        "worker_memory": worker_memory,
        "machine_cpu_pct": harness.busy_percent(cpu0, harness.cpu_times()),
        "loadavg_before": load_before,
        "loadavg_after": harness.loadavg(),
    }


# --- drain -------------------------------------------------------------------------------------


def store_deliveries(ctx: dict, kind: str, count: int) -> None:
    """`count` deliveries as the endpoints store them (bulk-inserted: the request's cost is
    the flows' business; here only the worker's is measured)."""
    from django.utils import timezone

    from integrations.models import Delivery
    from integrations.selectors import integration_for_token

    flow = flows(ctx)[{"new": "am_new_group", "duplicate": "am_duplicate"}.get(kind, kind)]
    token = ctx["tokens"]["events" if flow.path.endswith("/events/") else "alertmanager"]
    integration, now = integration_for_token(token), timezone.now()
    rows = [
        Delivery(
            integration=integration,
            kind=integration.kind,
            payload=json.loads(fill(flow.body, f"{RUN}-drain-{i}", ctx["id_min"])),
            received_at=now,
        )
        for i in range(count)
    ]
    Delivery.objects.bulk_create(rows, batch_size=1000)


def run_drain(args, ctx: dict) -> dict:
    """One Celery worker turns --deliveries waiting deliveries into alerts and incidents."""
    from incidents.models import Incident
    from integrations.models import Delivery
    from integrations.tasks import drain_deliveries

    waiting = Delivery.objects.filter(processed_at=None)
    if waiting.exists():
        sys.exit("Deliveries are already waiting: drain them (start a worker) first.")
    store_deliveries(ctx, args.kind, args.deliveries)
    incidents_before = Incident.objects.count()
    broker().flushdb()
    worker = harness.start_celery_worker()
    deadline = time.monotonic() + args.timeout
    load_before, cpu0 = harness.loadavg(), harness.cpu_times()
    try:
        start = time.monotonic()
        drain_deliveries.delay()
        drained = wait_until(lambda: not waiting.exists(), deadline, step=0.05)
        seconds = time.monotonic() - start
    finally:
        harness.stop(worker)
    broker().flushdb()
    incidents = Incident.objects.count() - incidents_before
    return {
        "kind": args.kind,
        "deliveries": args.deliveries,
        "drained": drained,
        "failed": Delivery.objects.filter(failed=True).count(),
        "seconds": round(seconds, 2),
        "deliveries_per_s": round(args.deliveries / seconds, 1),
        "incidents": incidents,
        "incidents_per_s": round(incidents / seconds, 1),
        "machine_cpu_pct": harness.busy_percent(cpu0, harness.cpu_times()),
        "loadavg_before": load_before,
        "loadavg_after": harness.loadavg(),
    }


# --- output ------------------------------------------------------------------------------------


def flow_row(name: str, r: dict, results: dict) -> str:
    if "error" in r:
        return f"| {name} | - | - | - | - | - | {r['error']} | - | - |"
    floor = results.get("floor_insert" if r["write"] else "floor_ok", {})
    ratio = f"{r['rps'] / floor['rps']:.3f}" if floor.get("rps") else "-"
    bad = r["requests"] - round(r["ok_fraction"] * r["requests"])
    star = "*" if r.get("rps_method") == "little" else ""
    load = f"{r['loadavg_before'][0]:.1f} → {r['loadavg_after'][0]:.1f}"
    return (
        f"| {name} | `{r['request']}` | {r['rps']:,.{1 if r['rps'] >= 10 else 2}f}{star} | "
        f"{r['p50_ms']:,.1f} | "
        f"{r['p99_ms']:,.1f} | {ratio} | {bad} of {r['requests']} | "
        f"{r['machine_cpu_pct']:.0f} % | {load} |"
    )


FLOW_HEADER = (
    "| flow | request | req/s | p50 ms | p99 ms | of floor | unexpected | machine CPU | "
    "load 1m before → after |\n|---|---|---:|---:|---:|---:|---:|---:|---|"
)


def markdown(mode: str, doc: dict) -> str:
    env, results = doc["env"], doc["results"]
    head = (
        f"{mode} · {doc['label']} · {env['date']} · commit {env['commit']} · "
        f"{env['dataset']['incidents']:,} incidents ({env['dataset']['open']:,} open) · "
        f"{env['nproc']} CPUs ({env['cpu']})"
    )
    lines = [head, ""]
    if mode == "flows":
        lines.append(FLOW_HEADER)
        lines += [flow_row(name, r, results) for name, r in results.items()]
        lines += [
            "",
            "of floor: req/s over floor_ok's (reads) or floor_insert's (writes) in this run. "
            "*: fewer than 4 responses per connection, rate by Little's law "
            "(connections / mean latency).",
        ]
    elif mode == "memory":
        lines += ["| process | after | processes' RSS MiB | peak RSS (VmHWM) MiB | "]
        lines[-1] += "growth 2nd half MiB | load 1m |"
        lines.append("|---|---|---|---:|---:|---|")
        for part, unit in (("gunicorn", "requests"), ("celery", "processed")):
            if part not in results:
                continue
            p = results[part]
            for reading in p["readings"]:
                rss = ", ".join(f"{m.get('vmrss', 0):.0f}" for m in reading["children"].values())
                hwm = max((m.get("vmhwm", 0) for m in reading["children"].values()), default=0)
                lines.append(
                    f"| {part} worker{'s' if part == 'gunicorn' else ' (pool)'} | "
                    f"{reading[unit]:,} {'requests' if unit == 'requests' else 'incidents'} | "
                    f"{rss} (parent {reading['parent'].get('vmrss', 0):.0f}) | {hwm:.0f} | "
                    f"{'-' if reading is p['readings'][0] else p.get('rss_growth_second_half_mib')}"
                    f" | {reading['loadavg'][0]:.1f} |"
                )
        if "gunicorn" in results:
            lines += ["", f"gunicorn statuses: {json.dumps(results['gunicorn']['statuses'])}"]
    elif mode == "drain":
        r = results
        lines += [
            "| deliveries | kind | drained | failed | seconds | deliveries/s | incidents | "
            "incidents/s | machine CPU | load 1m before → after |",
            "|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
            f"| {r['deliveries']:,} | {r['kind']} | {r['drained']} | {r['failed']} | "
            f"{r['seconds']} | **{r['deliveries_per_s']}** | {r['incidents']:,} | "
            f"{r['incidents_per_s']} | {r['machine_cpu_pct']:.0f} % | "
            f"{r['loadavg_before'][0]:.1f} → {r['loadavg_after'][0]:.1f} |",
        ]
    else:
        r = results
        lines += [
            "| incidents created | creates/s | fully processed/s | seconds to last ack | "
            "queue at end of load | queue at last ack | e-mails | duplicates | machine CPU | "
            "load 1m before → after |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            f"| {r['created']:,} | {r['creates_per_s']} | "
            f"**{r['incidents_fully_processed_per_s']}** | {r['seconds_to_last_ack']} | "
            f"{r['queue_at_load_end']} | {r['queue_at_last_ack']} | {r['emails']:,} | "
            f"{r['duplicates']} | {r['machine_cpu_pct']:.0f} % | "
            f"{r['loadavg_before'][0]:.1f} → {r['loadavg_after'][0]:.1f} |",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    modes = ["flows", "memory", "pipeline", "drain"]
    parser.add_argument("mode", nargs="?", default="flows", choices=modes)
    parser.add_argument("--only", type=lambda s: s.split(","), help="flows to run (comma list)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per flow")
    parser.add_argument("--slow-duration", type=int, default=60, help="seconds, slow pages")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--label", help="names the result files (default: the database)")
    parser.add_argument("--requests", type=int, default=10_000, help="memory: HTTP requests")
    parser.add_argument("--part", choices=["both", "gunicorn", "celery"], default="both")
    parser.add_argument("--incidents", type=int, help="memory: 10,000; pipeline: 3,000")
    parser.add_argument("--deliveries", type=int, default=2000, help="drain: deliveries")
    parser.add_argument(
        "--kind", choices=["new", "duplicate", "events_trigger"], default="new", help="drain"
    )
    parser.add_argument("--port", type=int, default=8110, help="gunicorn (8110-8119)")
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("EMAIL_PORT", 8125)))
    parser.add_argument("--timeout", type=int, default=1800, help="bound of a whole mode, s")
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C: gunicorn, the worker and the SMTP server are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    args.duration = max(1, min(args.duration, 300))
    args.incidents = args.incidents or (10_000 if args.mode == "memory" else 3_000)
    os.environ["EMAIL_PORT"] = str(args.smtp_port)  # where gunicorn and the worker send
    settings_env = harness.setup_environment()
    harness.django_setup()
    ctx = context()
    if args.only:
        unknown = set(args.only) - set(flows(ctx))
        if unknown:
            parser.error(f"unknown flows: {', '.join(sorted(unknown))}")
    if args.mode != "flows":
        broker().flushdb()  # tasks left by earlier runs without a worker
    run = {"flows": run_flows, "memory": run_memory, "pipeline": run_pipeline, "drain": run_drain}
    run = run[args.mode]
    results = run(args, ctx)
    label = args.label or ctx["dataset"]["database"]
    doc = {
        "label": label,
        "mode": args.mode,
        "env": {**harness.machine(), "dataset": ctx["dataset"], "settings": settings_env},
        "args": {k: v for k, v in vars(args).items() if k != "out"},
        "results": results,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    part = f"-{args.part}" if args.mode == "memory" and args.part != "both" else ""
    stem = out / f"{time.strftime('%Y-%m-%d')}-{label}-{args.mode}{part}"
    if args.mode == "flows" and args.only and stem.with_suffix(".json").exists():
        # a re-run of some flows replaces theirs in the day's file and keeps the others
        old = json.loads(stem.with_suffix(".json").read_text())
        old["results"].update(results)
        old.setdefault("reruns", []).append({"env": doc["env"], "only": args.only})
        doc = old
    text = markdown(args.mode, doc)
    print("\n" + text)
    stem.with_suffix(".json").write_text(json.dumps(doc, indent=1) + "\n")
    stem.with_suffix(".md").write_text(text + "\n")
    print(f"\nwritten: {stem}.json, .md")


if __name__ == "__main__":
    main()
