"""The one e-mail helper: every message is a template trio rendered into a multipart mail.

`notifications/email/<name>-subject.txt`, `<name>-body.txt` and `<name>-body.html` make a
message. Headers get a Message-ID (kept with the notification, so a delivery can be traced),
Reply-To when configured, and thread headers so mail clients group one incident's messages.
Any text that reaches a header is folded to one line first: a CR or LF in an incident title
can never add a header, and a right-to-left override in one cannot reorder the subject.
"""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from incidents.practice import marked
from itsm.text import strip_bidi
from notifications.mime import TrioMessage

TEMPLATE_DIR = "notifications/email"


def one_line(value) -> str:
    """Header-safe text: CR, LF, tabs and runs of spaces become single spaces, and
    bidirectional controls go (a header cannot isolate them; see itsm.text)."""
    return " ".join(strip_bidi(value).split())


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def thread_id(key: str) -> str:
    """A stable Message-ID-like token all messages about one thing refer to."""
    return f"<{one_line(key).replace(' ', '')}@{mail_domain()}>"


def render_trio(name: str, context: dict) -> tuple[str, str, str]:
    subject = one_line(render_to_string(f"{TEMPLATE_DIR}/{name}-subject.txt", context))
    # A drill's mail says so first, whatever the message (`incidents.practice`).
    subject = marked(context.get("incident"), subject)
    text = render_to_string(f"{TEMPLATE_DIR}/{name}-body.txt", context)
    html = render_to_string(f"{TEMPLATE_DIR}/{name}-body.html", context)
    return subject, text, html


def make_message(
    name: str,
    *,
    to: str,
    context: dict | None = None,
    rendered: tuple[str, str, str] | None = None,
    thread: str | None = None,
    headers: dict | None = None,
    connection=None,
) -> TrioMessage:
    """Build (not send) the message `name` for one address, from `context` or from what
    `render_trio` gave for it before (`rendered`). Its Message-ID is in
    `message.extra_headers["Message-ID"]`."""
    subject, text, html = rendered or render_trio(name, context or {})
    # Auto-Submitted (RFC 3834) keeps out-of-office robots, ours included, from answering.
    all_headers = {
        "Message-ID": make_msgid(domain=mail_domain()),
        "Auto-Submitted": "auto-generated",
    }
    if thread:
        all_headers.update({"In-Reply-To": thread, "References": thread})
    all_headers.update({one_line(k): one_line(v) for k, v in (headers or {}).items()})
    reply_to = [settings.ITSM_REPLY_TO_EMAIL] if settings.ITSM_REPLY_TO_EMAIL else None
    message = TrioMessage(
        subject=subject,
        body=text,
        to=[one_line(to)],
        reply_to=reply_to,
        headers=all_headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
