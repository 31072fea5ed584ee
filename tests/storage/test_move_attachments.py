"""`manage.py move_attachments --to s3|disk`: verified, resumable moves between disk and bucket."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents import services
from incidents.choices import Channel
from tests.storage.conftest import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_disk(settings, incident, reporter, png):
    """Three attachments written while the product still stores on the local disk."""
    files = [png(f"shot{n}.png", PNG + bytes([n])) for n in range(3)]
    return services.incident_attach(
        incident=incident, actor=reporter, files=files, via=Channel.PORTAL
    )


def _bucket_bytes(s3_client, bucket, name) -> bytes:
    return s3_client.get_object(Bucket=bucket, Key=name)["Body"].read()


def test_moving_to_s3_copies_every_file_verified_and_keeps_the_originals(
    on_disk, s3_bucket, s3_client, settings, capsys
):
    call_command("move_attachments", "--to", "s3")
    for n, attachment in enumerate(on_disk):
        assert _bucket_bytes(s3_client, s3_bucket, attachment.file.name) == PNG + bytes([n])
        assert (settings.MEDIA_ROOT / attachment.file.name).exists()
    assert "3 copied, 0 already there" in capsys.readouterr().out


def test_a_second_run_resumes_skipping_verified_copies_and_replacing_a_damaged_one(
    on_disk, s3_bucket, s3_client, capsys
):
    call_command("move_attachments", "--to", "s3")
    damaged = on_disk[1].file.name
    s3_client.put_object(Bucket=s3_bucket, Key=damaged, Body=b"half")  # an interrupted upload
    capsys.readouterr()
    call_command("move_attachments", "--to", "s3")
    assert "1 copied, 2 already there" in capsys.readouterr().out
    assert _bucket_bytes(s3_client, s3_bucket, damaged) == PNG + bytes([1])


def test_after_the_move_and_the_switch_the_files_download_from_the_bucket(
    on_disk, s3_bucket, settings, client_for, reporter
):
    call_command("move_attachments", "--to", "s3", "--delete-source")
    assert not any((settings.MEDIA_ROOT / a.file.name).exists() for a in on_disk)
    settings.ITSM_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    url = reverse("portal:attachment-download", args=[on_disk[2].incident.number, on_disk[2].pk])
    assert b"".join(client_for(reporter).get(url).streaming_content) == PNG + bytes([2])


def test_moving_back_to_disk_restores_the_same_bytes(on_disk, s3_bucket, settings, capsys):
    call_command("move_attachments", "--to", "s3", "--delete-source")
    call_command("move_attachments", "--to", "disk", "--delete-source")
    for n, attachment in enumerate(on_disk):
        assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == PNG + bytes([n])
    assert "3 deleted at the source, 0 problems" in capsys.readouterr().out.splitlines()[-1]


def test_a_file_missing_from_both_places_is_reported_and_the_command_fails(
    on_disk, s3_bucket, settings
):
    (settings.MEDIA_ROOT / on_disk[0].file.name).unlink()
    with pytest.raises(CommandError):
        call_command("move_attachments", "--to", "s3")


def test_ensure_bucket_creates_the_missing_bucket_once(s3_settings, s3_client, capsys):
    s3_settings.ITSM_STORAGE = "s3"
    call_command("ensure_bucket")
    call_command("ensure_bucket")
    assert capsys.readouterr().out.count("Created the private bucket") == 1
    s3_client.head_bucket(Bucket=s3_settings.AWS_STORAGE_BUCKET_NAME)
