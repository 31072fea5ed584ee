"""`make run`: the development server, one Celery worker and Celery beat, started and
stopped together (itsm/supervisor.py)."""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from itsm.supervisor import supervise


def served_at(addrport: str) -> dict[str, str]:
    """HOST and PORT of runserver's ADDRPORT ("8001", "0.0.0.0:8001", "[::1]:8001")."""
    host, _, port = addrport.rpartition(":")
    return {"HOST": host.strip("[]") or "127.0.0.1", "PORT": port}


class Command(BaseCommand):
    help = "Serve on ADDRPORT with a Celery worker and beat that stop when it stops."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # The worker sends the e-mails: its links (SITE_URL, unless set) follow this address.
        os.environ.update(served_at(addrport))
        var, bin_dir = Path(settings.VAR_DIR), Path(sys.executable).parent
        celery = [str(bin_dir / "celery"), "-A", "itsm", "--quiet"]
        commands = [
            [*celery, "worker", "--pool=solo", "--loglevel=WARNING", f"--logfile={var}/worker.log"],
            [*celery, "beat", "--loglevel=WARNING", f"--logfile={var}/beat.log"]
            + [f"--pidfile={var}/beat.pid", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"],
            [sys.executable, "manage.py", "runserver", addrport],
        ]
        sys.exit(supervise(commands))
