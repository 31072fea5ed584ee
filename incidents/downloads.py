"""How every door (portal, admin, REST API) sends an attachment: one response, one set of headers.

The door decides *whether* the asker may have the file (its own permission check); this
module decides *how* it is sent, so the three downloads cannot drift apart:

- always a download (`Content-Disposition: attachment`), never rendered inline, never
  sniffed as another type, sandboxed if a browser opened it anyway, never cached by a
  shared cache;
- the content type is the one the upload checks validated (`incidents.attachments`), which
  is never HTML, SVG or script;
- the bytes are streamed from whichever storage holds them. On the local disk that is the
  file; in an S3-compatible bucket (`ITSM_STORAGE=s3`) it is the object's body, read in
  chunks straight from the object store, so no web container needs a local copy and the
  bucket never has to be reachable by, or public to, the browser.
"""

from django.http import FileResponse

from incidents.models import Attachment


class AttachmentMissing(Exception):
    """The row exists but its bytes are gone from storage (deleted, or not yet moved)."""


def _stream(attachment: Attachment):
    """A readable stream of the file's bytes and its length (None when unknown)."""
    field = attachment.file
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError as missing:
        raise AttachmentMissing(field.name) from missing
    obj = getattr(handle, "obj", None)  # django-storages' S3File: the bucket's object
    if obj is None:
        return handle, None  # a local file: FileResponse measures it
    body = obj.get()
    handle.close()
    return body["Body"], body.get("ContentLength")


def attachment_response(attachment: Attachment) -> FileResponse:
    """Stream `attachment` as a download; raises AttachmentMissing when storage lost it."""
    stream, length = _stream(attachment)
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    if length is not None:
        response["Content-Length"] = str(length)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
