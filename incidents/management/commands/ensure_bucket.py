"""`manage.py ensure_bucket`: create the attachments bucket when ITSM_STORAGE=s3 and it is missing.

Run by the image's `migrate` command, so a fresh compose demo needs no manual step. The
bucket is created private (no ACL, no policy); a managed bucket that already exists is left
alone, and with no permission to look, the error says so and `migrate` stops.
"""

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the S3 bucket for attachments if ITSM_STORAGE=s3 and it does not exist."

    def handle(self, *args, **options):
        if settings.ITSM_STORAGE != "s3":
            return
        from storages.backends.s3 import S3Storage

        storage = S3Storage()
        client = storage.connection.meta.client
        bucket = settings.AWS_STORAGE_BUCKET_NAME
        try:
            client.head_bucket(Bucket=bucket)
            return
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise
        region = settings.AWS_S3_REGION_NAME
        extra = {}
        if region and region != "us-east-1":
            extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(Bucket=bucket, **extra)
        self.stdout.write(f"Created the private bucket {bucket}.")
