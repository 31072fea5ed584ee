"""What `make run` needs before serving, in one process: migrate, demo data, static files.

Each step is a no-op when already done, so a second `make run` starts quickly."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Migrate, load demo data (idempotent) and collect static files."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
        if connection.vendor == "sqlite":
            # SQLite plans from statistics only once it has some: without them it picks
            # whole-table walks at 100,000 incidents (about a second to gather at that size).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
