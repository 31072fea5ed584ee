"""Upload checks shared by every path that accepts a file (portal, admin, API, e-mail).

A file is accepted only when its extension is on the allowlist *and* its first bytes match
what that extension promises; anything a browser could render as active content (HTML, SVG,
JavaScript) is refused, whatever it is called.
"""

from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from incidents.exceptions import AttachmentRejected, AttachmentTooLarge

ZIP = (b"PK\x03\x04",)
_TEXT = "text"
# extension -> (content type, accepted magic prefixes or _TEXT for plain text)
ALLOWED = {
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".zip": ("application/zip", ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    ".txt": ("text/plain", _TEXT),
    ".log": ("text/plain", _TEXT),
    ".csv": ("text/csv", _TEXT),
    ".json": ("application/json", _TEXT),
}
ACTIVE_MARKERS = (b"<html", b"<script", b"<svg", b"<!doctype", b"<iframe", b"<body", b"<?xml")


def allowed_extensions() -> str:
    return ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    lowered = head.lower()
    if any(marker in lowered for marker in ACTIVE_MARKERS):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still text.
        return exc.start >= len(head) - 3
    return True


def validate_upload(upload) -> str:
    """Check an uploaded file; return its content type or raise AttachmentRejected."""
    name = Path(getattr(upload, "name", "") or "").name
    limit = settings.ITSM_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise AttachmentTooLarge(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            field="attachment",
        )
    if upload.size == 0:
        raise AttachmentRejected(_("“%(name)s” is empty.") % {"name": name}, field="attachment")
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        raise AttachmentRejected(
            _("Files of type “%(extension)s” are not accepted. Accepted types: %(types)s.")
            % {"extension": extension or _("none"), "types": allowed_extensions()},
            field="attachment",
        )
    content_type, magic = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    matches = _looks_like_text(head) if magic == _TEXT else head.startswith(magic)
    if not matches:
        raise AttachmentRejected(
            _(
                "“%(name)s” does not look like a %(extension)s file; its content does not "
                "match its name."
            )
            % {"name": name, "extension": extension},
            field="attachment",
        )
    return content_type
