"""Moving attachment files between the local disk and an S3-compatible bucket.

A file keeps its storage name (`attachments/<uuid>.<ext>`) in both places, so moving is
copying the bytes under the same name; which place the product reads from is only
`ITSM_STORAGE`. Each copy is verified by reading it back from the target and comparing its
size and SHA-256 with the source before the source may be deleted. The move is resumable:
a file already present at the target with the right size and checksum is skipped, and a
partial or damaged copy (an interrupted run) is replaced.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage

from incidents.models import Attachment

CHUNK = 1024 * 1024


def storage_named(place: str) -> Storage:
    """`disk` (MEDIA_ROOT) or `s3` (the bucket named by django-storages' AWS_* settings)."""
    if place == "disk":
        return FileSystemStorage(location=settings.MEDIA_ROOT)
    if place == "s3":
        if not settings.AWS_STORAGE_BUCKET_NAME:
            raise ImproperlyConfigured("Set AWS_STORAGE_BUCKET_NAME (and the other AWS_*).")
        from storages.backends.s3 import S3Storage

        return S3Storage()
    raise ValueError(f"Unknown place {place!r}: use disk or s3.")


def fingerprint(storage: Storage, name: str) -> tuple[int, str] | None:
    """Size and SHA-256 of a stored file, read in chunks; None when it is not there."""
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        return None
    digest, size = hashlib.sha256(), 0
    with handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


@dataclass
class MoveReport:
    copied: int = 0
    already_there: int = 0
    deleted_at_source: int = 0
    problems: list[str] = field(default_factory=list)


def _copy(source: Storage, target: Storage, name: str) -> None:
    if target.exists(name):  # a partial or damaged copy from an interrupted run
        target.delete(name)
    with source.open(name, "rb") as handle:
        saved = target.save(name, File(handle, name=name))
    if saved != name:
        raise RuntimeError(f"{name}: the target stored it as {saved}")


def attachment_move(
    *, name: str, source: Storage, target: Storage, delete_source: bool, report: MoveReport
) -> None:
    """Copy one file to the target unless a verified copy is there; verify; maybe delete."""
    wanted = fingerprint(source, name)
    present = fingerprint(target, name)
    if wanted is None and present is None:
        report.problems.append(f"{name}: missing from both places")
        return
    if wanted is None or present == wanted:
        report.already_there += 1
    else:
        _copy(source, target, name)
        if fingerprint(target, name) != wanted:
            report.problems.append(f"{name}: the copy does not match (size or SHA-256)")
            return
        report.copied += 1
    if delete_source and wanted is not None:
        source.delete(name)
        report.deleted_at_source += 1


def attachments_move(*, to: str, delete_source: bool = False, log=None) -> MoveReport:
    """Move every attachment's file to `to` ('disk' or 's3'), oldest first; see the module."""
    target = storage_named(to)
    source = storage_named("disk" if to == "s3" else "s3")
    report = MoveReport()
    names = Attachment.objects.order_by("pk").values_list("file", flat=True).iterator()
    for done, name in enumerate(names, start=1):
        attachment_move(
            name=name, source=source, target=target, delete_source=delete_source, report=report
        )
        if log and done % 100 == 0:
            log(f"{done} files checked ({report.copied} copied)")
    return report
