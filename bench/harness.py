"""What the load benchmark's scripts share: the environment the product runs with, the
throwaway database, gunicorn and Celery processes, and readings from /proc.

Everything talks to 127.0.0.1 only and every wait has a deadline.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent  # the venv that runs the bench also runs the product

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/itsm_loadbench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
    "REDIS_CACHE_URL": "redis://127.0.0.1:6379/13",
    "ITSM_VAR_DIR": "/tmp/itsm-loadbench",
    "EMAIL_HOST": HOST,  # the counting SMTP server of the memory and pipeline modes
    "EMAIL_PORT": "8125",
    "LOG_LEVEL": "WARNING",
}
# Production-like, except the limits that would answer load with 429 and the HTTPS redirect.
FIXED = {
    "DJANGO_SETTINGS_MODULE": "bench.load_settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret-" + "0" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "ITSM_REPORT_RATE_LIMIT": "0",
    "ITSM_API_RATE": "10000000/minute",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def setup_environment() -> dict:
    """Set os.environ for this process and its children; anything exported wins, except
    FIXED. Returns the variables that describe the run."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.update(FIXED)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if not os.environ["DATABASE_URL"].startswith(("postgres", "sqlite")):
        sys.exit("The load benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    # Only seed.py runs on SQLite (the click-through compares the embedded default).
    local = () if is_sqlite() else ("DATABASE_URL",)
    for key in (*local, "CELERY_BROKER_URL", "REDIS_CACHE_URL", "EMAIL_HOST"):
        if not any(h in os.environ[key] for h in (HOST, "localhost")):
            sys.exit(f"{key} must point at 127.0.0.1: the benchmark stays on this machine.")
    Path(os.environ["ITSM_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    return {k: os.environ[k] for k in [*DEFAULTS, *FIXED] if k != "SECRET_KEY"}


def is_sqlite() -> bool:
    return os.environ["DATABASE_URL"].startswith("sqlite")


def create_database(url: str) -> bool:
    """Create the database named in `url` when missing; True if it was created."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def django_setup(migrate: bool = True) -> None:
    if not is_sqlite():  # SQLite creates its file on first use
        create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if migrate:
        call_command("migrate", verbosity=0)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # DEBUG=0: the manifest
        call_command("collectstatic", interactive=False, verbosity=0)
    if is_sqlite():  # the floor views are PostgreSQL's only
        return
    with connection.cursor() as cursor:  # the floor_insert view's table
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_row "
            "(id bigserial PRIMARY KEY, note text, created_at timestamptz DEFAULT now())"
        )


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


# --- processes ---------------------------------------------------------------------------------


def start_gunicorn(port: int, workers: int = 2) -> subprocess.Popen:
    """gunicorn with `workers` sync workers in its own session; ready when /floor/ok answers."""
    if not port_is_free(port):
        sys.exit(f"Port {port} is in use: stop what runs there or pass --port.")
    log = Path(os.environ["ITSM_VAR_DIR"]) / "gunicorn.log"
    command = [str(BIN / "gunicorn"), "itsm.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--timeout", "600"]
    command += ["--log-level", "warning", "--error-logfile", str(log)]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited during start-up; see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/floor/ok")
            if conn.getresponse().status == 200 and len(children(proc.pid)) >= workers:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop(proc)
    sys.exit("gunicorn did not come up within 60 s")


def start_celery_worker(*extra: str) -> subprocess.Popen:
    """The README's production command (`celery -A itsm worker --loglevel=INFO`: prefork,
    one process per CPU); ready when its log says so."""
    log = Path(os.environ["ITSM_VAR_DIR"]) / "celery-worker.log"
    log.write_text("")
    command = [str(BIN / "celery"), "-A", "itsm", "worker", "--loglevel=INFO"]
    command += [f"--logfile={log}", *extra]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the Celery worker exited during start-up; see {log}")
        if " ready." in log.read_text():
            return proc
        time.sleep(0.3)
    stop(proc)
    sys.exit(f"the Celery worker did not come up within 90 s; see {log}")


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM to the process group `proc` leads (its own session), SIGKILL after `timeout`."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def children(pid: int) -> list[int]:
    """Direct children of `pid` (gunicorn's workers, Celery's pool processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def parse_memory(status_text: str) -> dict:
    """VmRSS and VmHWM (peak RSS) in MiB from the text of /proc/<pid>/status."""
    values = {}
    for line in status_text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key.lower()] = round(int(rest.split()[0]) / 1024, 1)  # kB -> MiB
    return values


def memory(pid: int) -> dict:
    try:
        return parse_memory(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return {}


def memory_tree(pid: int) -> dict:
    """{"parent": {...}, "children": {pid: {...}}} for a gunicorn master or a Celery worker."""
    return {"parent": memory(pid), "children": {c: memory(c) for c in children(pid)}}


# --- machine readings --------------------------------------------------------------------------


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies over all CPUs, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    return round(100 * (after[0] - before[0]) / max(after[1] - before[1], 1), 1)


def machine() -> dict:
    import importlib.metadata as md
    import platform

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    versions = {p: md.version(p) for p in ("django", "djangorestframework", "gunicorn", "celery")}
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": commit,
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        **versions,
    }
