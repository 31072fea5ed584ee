"""`manage.py move_attachments --to s3|disk [--delete-source]`: see incidents/storage_moves.py."""

from django.core.management.base import BaseCommand, CommandError

from incidents.storage_moves import attachments_move


class Command(BaseCommand):
    help = (
        "Copy every attachment's file to the bucket (--to s3) or the local disk (--to disk), "
        "verifying size and SHA-256; resumable. --delete-source removes each verified original."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", choices=["s3", "disk"], required=True)
        parser.add_argument("--delete-source", action="store_true")

    def handle(self, *args, to, delete_source, **options):
        report = attachments_move(to=to, delete_source=delete_source, log=self.stdout.write)
        self.stdout.write(
            f"{report.copied} copied, {report.already_there} already there, "
            f"{report.deleted_at_source} deleted at the source, {len(report.problems)} problems."
        )
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            raise CommandError("Some files were not moved; run the command again after fixing.")
